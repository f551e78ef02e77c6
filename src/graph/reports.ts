import { itemPredicate, policyParams } from '../policy/rule';
import type { PolicyContext } from '../policy/context';
import { type ColumnReaders, listProjectionOf, projectionOf, property } from './columns';
import type { Db, Statement } from './db';
import { reportIncludes, type ReportIncludes } from './includes';
import { type ListSpec, visibleByIdsStatement } from './paging';
import type { ReportRecord } from './records';

/** Intelligence reports: every read carries the sharing rule inside its Cypher. */

const REPORT_COLUMNS = {
  id: property('id'),
  title: property('title'),
  summary: property('summary'),
  classification: property('classification'),
  classRank: property('classRank'),
  handling: property('handling'),
  evaluation: property('evaluation'),
  relMode: property('relMode'),
  relCountries: property('relCountries'),
  ownerCode: property('ownerCode'),
  operationId: property('operationId'),
  createdAt: property('createdAt'),
  expiresAt: property('expiresAt'),
  sourceDescription: property('sourceDescription'),
  routeOrigin: property('routeOrigin'),
  routeTransit: property('routeTransit'),
  routeDestination: property('routeDestination'),
  authorId: (r: string) => `[(${r})-[:AUTHORED_BY]->(author) | author.id][0]`,
} satisfies ColumnReaders<string>;
export type ReportColumn = keyof typeof REPORT_COLUMNS;
export const REPORT_RECORD_COLUMNS = Object.keys(REPORT_COLUMNS) as ReportColumn[];

/**
 * The columns each GraphQL field of IntelReport reads from a report record. The id and the
 * owner are always read: the session redacts by the owner and audits by the id.
 */
export const REPORT_FIELD_COLUMNS: Readonly<Record<string, readonly ReportColumn[]>> = {
  id: ['id'], title: ['title'], summary: ['summary'], classification: ['classification'], handling: ['handling'],
  evaluation: ['evaluation'], createdAt: ['createdAt'], expiresAt: ['expiresAt'], sourceDescription: ['sourceDescription'],
  redactedFields: [], releasability: ['relMode', 'relCountries'], route: ['routeOrigin', 'routeTransit', 'routeDestination'],
  owner: ['ownerCode'], author: ['authorId'], operation: ['operationId'], subjects: [], links: [], __typename: [],
};
const REPORT_ALWAYS: ReportColumn[] = ['id', 'ownerCode'];

/** A report record: every column, or `columns` (in record order) with the id and the owner. */
export const reportProjection = (r: string, columns?: readonly ReportColumn[] | null) => projectionOf(REPORT_COLUMNS, r, columns, REPORT_ALWAYS);

/** Reports by id, each only if the viewer may read it, with the children `includes` names as `include`. */
export function reportsByIdsStatement(ctx: PolicyContext, ids: readonly string[], now: Date, includes: ReportIncludes = {}): Statement {
  const projection = reportProjection('r', includes.columns);
  return visibleByIdsStatement('IntelReport', 'r', itemPredicate(ctx, 'r'), projection, ids, policyParams(ctx, now), reportIncludes(includes, 'r'));
}

export async function reportsByIds(db: Db, ctx: PolicyContext, ids: readonly string[], now: Date): Promise<ReportRecord[]> {
  const rows = await db.read<{ row: ReportRecord }>(reportsByIdsStatement(ctx, ids, now));
  return rows.map((r) => r.row);
}

export interface ReportFilter {
  ownerCode?: string | null;
  classification?: string | null;
  operationId?: string | null;
  createdAfter?: string | null;
  createdBefore?: string | null;
  /** Case-insensitive match on title and summary. */
  text?: string | null;
}

export type ReportParent = 'root' | 'operation' | 'subject';

const PARENT_MATCH: Record<ReportParent, string> = {
  root: 'MATCH (r:IntelReport)',
  operation: 'MATCH (r:IntelReport {operationId: parent})',
  subject: 'MATCH (:Subject {id: parent})<-[:CONCERNS]-(r:IntelReport)',
};

/** Newest first, as analysts read a feed; each entry with the children `includes` names. */
export function reportListSpec(ctx: PolicyContext, parent: ReportParent, filter: ReportFilter, now: Date, includes: ReportIncludes = {}): ListSpec {
  // Lets the planner walk the createdAt index in order and stop after one page.
  const where = ['r.createdAt IS NOT NULL', itemPredicate(ctx, 'r')];
  if (filter.ownerCode) where.push('r.ownerCode = $filter.ownerCode');
  if (filter.classification) where.push('r.classification = $filter.classification');
  if (filter.operationId) where.push('r.operationId = $filter.operationId');
  if (filter.createdAfter) where.push('r.createdAt >= datetime($filter.createdAfter)');
  if (filter.createdBefore) where.push('r.createdAt < datetime($filter.createdBefore)');
  if (filter.text) where.push('(toLower(r.title) CONTAINS $filter.text OR toLower(coalesce(r.summary, "")) CONTAINS $filter.text)');
  return {
    match: PARENT_MATCH[parent],
    alias: 'r',
    where,
    orderBy: [
      { expr: 'r.createdAt', desc: true, datetime: true },
      { expr: 'r.id', desc: true },
    ],
    // Rows as lists of values (columns.ts, listProjectionOf): a feed page's reports cost the driver no map keys.
    ...listProjectionOf(REPORT_COLUMNS, 'r', includes.columns, REPORT_ALWAYS),
    include: reportIncludes(includes, 'r'),
    params: { policy: policyParams(ctx, now), filter: { ...filter, text: filter.text?.toLowerCase() ?? null } },
  };
}
