import type { AccessEvent } from '../../src/graph/audit';
import { testDb } from '../support/db';

/** The audit tests' countries, reserved for them; standing settings equal in every file. */
export const AUDIT_COUNTRIES = ['XV', 'XW', 'XX', 'XY'];

export type StoredEvent = AccessEvent;

/** Read straight from Neo4j in a fresh session: what the trail durably holds now. */
export async function storedEvents(where: { itemId?: string; officerId?: string; action?: string }): Promise<StoredEvent[]> {
  const db = await testDb();
  const rows = await db.read<{ e: StoredEvent }>({
    cypher: `MATCH (a:AccessEvent)
WHERE ($itemId IS NULL OR a.itemId = $itemId) AND ($officerId IS NULL OR a.officerId = $officerId) AND ($action IS NULL OR a.action = $action)
RETURN a { .*, at: toString(a.at), detail: a.detail, country: a.country, itemId: a.itemId, itemKind: a.itemKind, redactedFields: coalesce(a.redactedFields, []) } AS e ORDER BY a.at, a.id`,
    params: { itemId: where.itemId ?? null, officerId: where.officerId ?? null, action: where.action ?? null },
  });
  return rows.map((row) => row.e);
}
