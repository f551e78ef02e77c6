import type { GraphQLResolveInfo } from 'graphql';
import { parseResolveInfo, type ResolveTree } from 'graphql-parse-resolve-info';
import type { OperationIncludes, ReportIncludes } from '../../graph/includes';
import type { PageArgs } from '../../graph/paging';
import { pageArgs, type PageArgsInput } from './connection';

/**
 * What a list or read will be asked below it, read from the request's selection (with its
 * fragments, aliases and variables), so the session can embed those children in the parent's
 * statement (src/graph/includes.ts). Embedding is an optimisation only: a child not embedded
 * is read by its own loader, so anything this module does not recognise (an interface
 * fragment, one field asked twice with different arguments) costs a statement, not an answer.
 */

/** The selections of field `name` on type `typeName` under `trees`. */
function selections(trees: ResolveTree[], typeName: string, name: string): ResolveTree[] {
  return trees.flatMap((tree) => Object.values(tree.fieldsByTypeName[typeName] ?? {}).filter((field) => field.name === name));
}

/** The `node` selections of a Relay connection's `edges`. */
function connectionNodes(connection: ResolveTree[], typeName: string): ResolveTree[] {
  return selections(selections(connection, `${typeName}Connection`, 'edges'), `${typeName}Edge`, 'node');
}

function parsed(info: GraphQLResolveInfo): ResolveTree[] {
  const tree = parseResolveInfo(info, { deep: true });
  return tree && 'fieldsByTypeName' in tree ? [tree as ResolveTree] : [];
}

/** Reports' children selected under `reports` (IntelReport selections). */
function reportIncludesOf(reports: ResolveTree[]): ReportIncludes {
  return {
    owner: selections(reports, 'IntelReport', 'owner').length > 0,
    subjects: selections(reports, 'IntelReport', 'subjects').length > 0,
  };
}

/** `intelReport(id)`: the children its read embeds. */
export function reportReadIncludes(info: GraphQLResolveInfo): ReportIncludes {
  return reportIncludesOf(parsed(info));
}

/** A report connection (`intelReports`): the children of each report its page embeds. */
export function reportListIncludes(info: GraphQLResolveInfo): ReportIncludes {
  return reportIncludesOf(connectionNodes(parsed(info), 'IntelReport'));
}

/**
 * `operations`: participants → units → officers. Officers are embedded only when one
 * `officers` page without a cursor is asked (other pages are read by their own loaders).
 */
export function operationListIncludes(info: GraphQLResolveInfo, maxPageSize: number): OperationIncludes {
  const participants = selections(connectionNodes(parsed(info), 'Operation'), 'Operation', 'participants');
  if (!participants.length) return {};
  const units = selections(participants, 'Country', 'units');
  if (!units.length) return { participants: {} };
  const officers = selections(units, 'Unit', 'officers');
  const page = officers.length === 1 ? firstPage(officers[0].args as PageArgsInput, maxPageSize) : null;
  return { participants: { units: page ? { officers: page } : {} } };
}

/** The page `args` ask for, when it is a first page and valid (an invalid one is the resolver's error to give). */
function firstPage(args: PageArgsInput, maxPageSize: number): PageArgs | null {
  if (args.after !== undefined && args.after !== null) return null;
  try {
    return pageArgs(args, maxPageSize);
  } catch {
    return null;
  }
}
