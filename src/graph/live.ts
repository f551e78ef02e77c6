import type { PolicyContext } from '../policy/context';
import { itemPredicate, policyParams } from '../policy/rule';
import type { Db } from './db';
import { updateProjection } from './operations';
import type { ReportRecord, UpdateRecord } from './records';
import { reportProjection } from './reports';

/**
 * Reads for live delivery (src/subscriptions). An event's item is read once, whole, with the
 * policy fields the rule needs, and the rule is then applied in memory for each group of
 * subscribers: these two statements carry no policy predicate on purpose, and their results
 * never reach a client without `evaluateItem`. The replay of missed updates, and the reports a
 * change of policy context opens, are ordinary policy-filtered reads.
 */

export async function updateForDelivery(db: Db, id: string): Promise<UpdateRecord | null> {
  const [found] = await db.read<{ row: UpdateRecord }>({
    cypher: `MATCH (u:OperationUpdate {id: $id}) RETURN ${updateProjection('u')} AS row`,
    params: { id },
  });
  return found?.row ?? null;
}

export async function reportForDelivery(db: Db, id: string): Promise<ReportRecord | null> {
  const [found] = await db.read<{ row: ReportRecord }>({
    cypher: `MATCH (r:IntelReport {id: $id}) RETURN ${reportProjection('r')} AS row`,
    params: { id },
  });
  return found?.row ?? null;
}

/**
 * The updates posted after `afterSeq` that the viewer may read, of one operation or of all,
 * oldest first, `limit` at a time.
 */
export async function visibleUpdatesSince(
  db: Db,
  ctx: PolicyContext,
  operationId: string | null,
  afterSeq: number,
  limit: number,
  now: Date,
): Promise<UpdateRecord[]> {
  const match = operationId === null ? 'MATCH (u:OperationUpdate) WHERE u.seq > $after' : 'MATCH (u:OperationUpdate {operationId: $operationId}) WHERE u.seq > $after';
  const rows = await db.read<{ row: UpdateRecord }>({
    cypher: `${match} AND ${itemPredicate(ctx, 'u')}
RETURN ${updateProjection('u')} AS row
ORDER BY u.seq
LIMIT $limit`,
    params: { operationId, after: afterSeq, limit, policy: policyParams(ctx, now) },
  });
  return rows.map((r) => r.row);
}

/**
 * The reports that `current` may read and `previous` could not, at `now`: what a change of a
 * subscriber's policy context (a sharing rule, clearance, an assignment…) made visible to them.
 * The `limit` newest, returned oldest first, in the order a feed shows them.
 */
export async function reportsOpenedByPolicyChange(
  db: Db,
  previous: PolicyContext,
  current: PolicyContext,
  limit: number,
  now: Date,
): Promise<ReportRecord[]> {
  const rows = await db.read<{ row: ReportRecord }>({
    // `createdAt IS NOT NULL` lets the planner walk the createdAt index newest first and stop at the limit.
    cypher: `MATCH (r:IntelReport) WHERE r.createdAt IS NOT NULL AND ${itemPredicate(current, 'r')} AND NOT ${itemPredicate(previous, 'r', 'previous')}
RETURN ${reportProjection('r')} AS row
ORDER BY r.createdAt DESC, r.id DESC
LIMIT $limit`,
    params: { limit, policy: policyParams(current, now), previous: policyParams(previous, now) },
  });
  return rows.map((r) => r.row).reverse();
}
