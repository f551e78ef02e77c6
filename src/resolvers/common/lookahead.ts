import type { GraphQLResolveInfo } from 'graphql';
import { parseResolveInfo, type ResolveTree } from 'graphql-parse-resolve-info';
import { OFFICER_FIELD_COLUMNS, OFFICER_RECORD_COLUMNS, type OfficerColumn } from '../../graph/directory';
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
  return { participants: { units: page ? { officers: { page, columns: officerColumnsOf(connectionNodes(officers, 'Officer')) } } : {} } };
}

/**
 * The officer record's columns a selection of Officer nodes reads, or null (all) when it
 * selects a field not in OFFICER_FIELD_COLUMNS or a fragment on another type.
 */
function officerColumnsOf(nodes: ResolveTree[]): OfficerColumn[] | null {
  const needed = new Set<OfficerColumn>(['id']);
  for (const node of nodes) {
    const types = Object.keys(node.fieldsByTypeName);
    if (types.some((type) => type !== 'Officer')) return null;
    for (const field of Object.values(node.fieldsByTypeName.Officer ?? {})) {
      const columns = OFFICER_FIELD_COLUMNS[field.name];
      if (!columns) return null;
      for (const column of columns) needed.add(column);
    }
  }
  return needed.size === OFFICER_RECORD_COLUMNS.length ? null : OFFICER_RECORD_COLUMNS.filter((c) => needed.has(c));
}

/**
 * Computed once per field of a request: graphql-js hands every list item the same `fieldNodes`.
 * Keyed by the request's variables too, which decide its @skip and @include.
 */
const officerColumnsByRequest = new WeakMap<object, WeakMap<object, OfficerColumn[] | null>>();

/** `Unit.officers`: the officer record's columns its selection reads (null: all), as `operationListIncludes` computes them. */
export function officerListColumns(info: GraphQLResolveInfo): OfficerColumn[] | null {
  let byField = officerColumnsByRequest.get(info.variableValues);
  if (!byField) officerColumnsByRequest.set(info.variableValues, (byField = new WeakMap()));
  let columns = byField.get(info.fieldNodes);
  if (columns === undefined) {
    columns = officerColumnsOf(connectionNodes(parsed(info), 'Officer'));
    byField.set(info.fieldNodes, columns);
  }
  return columns;
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
