import type { GraphQLResolveInfo } from 'graphql';
import { parseResolveInfo, type ResolveTree } from 'graphql-parse-resolve-info';
import { OFFICER_FIELD_COLUMNS, OFFICER_RECORD_COLUMNS, type OfficerColumn } from '../../graph/directory';
import { columnsKey } from '../../graph/columns';
import type { OperationIncludes, ReportIncludes } from '../../graph/includes';
import { SUBJECT_LABELS } from '../../graph/records';
import { REPORT_FIELD_COLUMNS, REPORT_RECORD_COLUMNS } from '../../graph/reports';
import { SUBJECT_FIELD_COLUMNS, SUBJECT_RECORD_COLUMNS, type SubjectColumn } from '../../graph/subjects';
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

/** The subject types: a selection of the Subject interface may hold fragments on any of them. */
const SUBJECT_TYPES = ['Subject', ...Object.values(SUBJECT_LABELS)];

/**
 * Reports' columns and children selected under `reports` (IntelReport selections), with the
 * subjects' columns when every `subjects` selection under them reads the same ones (else all:
 * each then has its own loader read, which is keyed by its own columns).
 */
function reportIncludesOf(reports: ResolveTree[]): ReportIncludes {
  const subjects = selections(reports, 'IntelReport', 'subjects');
  const subjectColumns = subjects.map((one) => subjectColumnsOf([one]));
  const same = subjectColumns.every((columns) => columnsKey(columns) === columnsKey(subjectColumns[0]));
  return {
    columns: columnsOf(reports, ['IntelReport'], REPORT_FIELD_COLUMNS, REPORT_RECORD_COLUMNS),
    owner: selections(reports, 'IntelReport', 'owner').length > 0,
    subjects: subjects.length > 0,
    subjectColumns: subjects.length && same ? subjectColumns[0] : null,
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
 * The record columns a selection (`nodes`, of the GraphQL types `types`) reads, by
 * `fieldColumns`; null (all) when it selects a field not in `fieldColumns`, a fragment on
 * another type, or every column anyway. The id is always read.
 */
function columnsOf<C extends string>(nodes: ResolveTree[], types: readonly string[], fieldColumns: Readonly<Record<string, readonly C[]>>, all: readonly C[]): C[] | null {
  const needed = new Set<string>(['id']);
  for (const node of nodes) {
    for (const [type, fields] of Object.entries(node.fieldsByTypeName)) {
      if (!types.includes(type)) return null;
      for (const field of Object.values(fields)) {
        const columns = fieldColumns[field.name];
        if (!columns) return null;
        for (const column of columns) needed.add(column);
      }
    }
  }
  return needed.size === all.length ? null : all.filter((c) => needed.has(c));
}

const officerColumnsOf = (nodes: ResolveTree[]) => columnsOf(nodes, ['Officer'], OFFICER_FIELD_COLUMNS, OFFICER_RECORD_COLUMNS);
const subjectColumnsOf = (nodes: ResolveTree[]) => columnsOf(nodes, SUBJECT_TYPES, SUBJECT_FIELD_COLUMNS, SUBJECT_RECORD_COLUMNS);

/**
 * Computed once per field of a request: graphql-js hands every list item the same `fieldNodes`.
 * Keyed by the request's variables too, which decide its @skip and @include.
 */
const columnsByRequest = new WeakMap<object, WeakMap<object, string[] | null>>();

function perField<C extends string>(info: GraphQLResolveInfo, compute: () => C[] | null): C[] | null {
  let byField = columnsByRequest.get(info.variableValues);
  if (!byField) columnsByRequest.set(info.variableValues, (byField = new WeakMap()));
  let columns = byField.get(info.fieldNodes);
  if (columns === undefined) {
    columns = compute();
    byField.set(info.fieldNodes, columns);
  }
  return columns as C[] | null;
}

/** `Unit.officers`: the officer record's columns its selection reads (null: all), as `operationListIncludes` computes them. */
export function officerListColumns(info: GraphQLResolveInfo): OfficerColumn[] | null {
  return perField(info, () => officerColumnsOf(connectionNodes(parsed(info), 'Officer')));
}

/** `IntelReport.subjects`: the subject record's columns its selection reads (null: all), as `reportIncludesOf` computes them. */
export function subjectListColumns(info: GraphQLResolveInfo): SubjectColumn[] | null {
  return perField(info, () => subjectColumnsOf(parsed(info)));
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
