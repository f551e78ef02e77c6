import type { Level } from '../policy/levels';
import type { Db, Statement } from './db';
import type { ItemPolicyFields } from './records';

/**
 * Items looked up by id without the sharing rule, for the audit only: telling a denial from an
 * unknown id (never shown to the client) and reading an item's policy fields to explain a
 * decision or to find whose NCB audits it.
 */

export type ItemLabel = 'IntelReport' | 'OperationUpdate';

export function existingItemsStatement(label: ItemLabel, ids: readonly string[]): Statement {
  return { cypher: `UNWIND $ids AS id MATCH (i:${label} {id: id}) RETURN {id: i.id} AS row`, params: { ids } };
}

export interface ItemPolicyRecord extends ItemPolicyFields {
  id: string;
  kind: ItemLabel;
  classification: Level;
}

const itemPolicyCypher = `CALL () {
  MATCH (r:IntelReport {id: $id}) RETURN r AS i, 'IntelReport' AS kind
  UNION
  MATCH (u:OperationUpdate {id: $id}) RETURN u AS i, 'OperationUpdate' AS kind
}
RETURN i.id AS id, kind, i.ownerCode AS ownerCode, i.classification AS classification, i.classRank AS classRank,
       coalesce(i.relMode, 'NETWORK') AS relMode, coalesce(i.relCountries, []) AS relCountries,
       i.operationId AS operationId, i.expiresAt AS expiresAt
LIMIT 1`;

export async function itemPolicyFields(db: Db, id: string): Promise<ItemPolicyRecord | null> {
  const [row] = await db.read<ItemPolicyRecord>({ cypher: itemPolicyCypher, params: { id } });
  return row ?? null;
}
