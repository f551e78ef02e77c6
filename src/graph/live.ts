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
 * never reach a client without `evaluateItem`. The replay of missed updates is an ordinary
 * policy-filtered read for one subscriber.
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
