import { itemPredicate, policyParams } from '../policy/rule';
import type { PolicyContext } from '../policy/context';
import type { Db, Statement } from './db';
import { reportIncludes, type ReportIncludes } from './includes';
import { type ListSpec, visibleByIdsStatement } from './paging';
import type { ReportRecord } from './records';

/** Intelligence reports: every read carries the sharing rule inside its Cypher. */

export const reportProjection = (r: string) => `${r} {
  .id, .title, .summary, .classification, .classRank, .handling, .evaluation, .relMode, .relCountries,
  .ownerCode, .operationId, .createdAt, .expiresAt, .sourceDescription, .routeOrigin, .routeTransit,
  .routeDestination, authorId: [(${r})-[:AUTHORED_BY]->(author) | author.id][0]
}`;

/** Reports by id, each only if the viewer may read it, with the children `includes` names as `include`. */
export function reportsByIdsStatement(ctx: PolicyContext, ids: readonly string[], now: Date, includes: ReportIncludes = {}): Statement {
  return visibleByIdsStatement('IntelReport', 'r', itemPredicate(ctx, 'r'), reportProjection('r'), ids, policyParams(ctx, now), reportIncludes(includes, 'r'));
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
    projection: reportProjection('r'),
    include: reportIncludes(includes, 'r'),
    params: { policy: policyParams(ctx, now), filter: { ...filter, text: filter.text?.toLowerCase() ?? null } },
  };
}
