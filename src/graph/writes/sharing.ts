import { BadInputError, NotFoundError } from '../../errors';
import type { OfficerContext } from '../../policy/context';
import type { ShareLevel } from '../../policy/levels';
import type { Db } from '../db';
import { sharingRuleProjection, type SharingRuleRecord } from '../sharing';

/**
 * Writes of a country's sharing settings (DESIGN §3, Administration). The country is always the
 * administrator's own: callers pass an NCB administrator, and nothing here takes a "from".
 */

export type ShareSetting = 'defaultShareLevel' | 'partnerShareLevel';

export async function setShareLevel(db: Db, admin: OfficerContext, setting: ShareSetting, level: ShareLevel): Promise<void> {
  // The property name comes from the closed ShareSetting type, never from the client.
  await db.write({
    cypher: `MATCH (c:Country {code: $code}) SET c.${setting} = $level`,
    params: { code: admin.country, level },
  });
}

export interface SharingRuleInput {
  to: string;
  maxLevel: ShareLevel;
  validFrom: string | null;
  validUntil: string | null;
}

/** Creates or replaces the admin's country's rule for one recipient country. */
export async function setSharingRule(db: Db, admin: OfficerContext, input: SharingRuleInput, now: Date): Promise<SharingRuleRecord> {
  if (input.to === admin.country) {
    throw new BadInputError(`a country does not set a rule for itself; ${admin.country} always reads its own items`, [
      { field: 'to', message: 'is the administrator\'s own country' },
    ]);
  }
  const [row] = await db.write<{ rule: SharingRuleRecord }>({
    cypher: `MATCH (w:Country {code: $from}), (c:Country {code: $to})
MERGE (w)-[r:SHARES_WITH]->(c)
SET r.maxLevel = $maxLevel, r.validFrom = datetime($validFrom), r.validUntil = datetime($validUntil),
    r.setAt = datetime($now), r.setBy = $admin
RETURN ${sharingRuleProjection('w', 'r', 'c')} AS rule`,
    params: { ...input, from: admin.country, admin: admin.officerId, now: now.toISOString() },
  });
  if (!row) throw new NotFoundError('country', input.to);
  return row.rule;
}

/** Returns whether there was a rule to remove. */
export async function removeSharingRule(db: Db, admin: OfficerContext, to: string): Promise<boolean> {
  const [row] = await db.write<{ removed: number }>({
    cypher: `OPTIONAL MATCH (:Country {code: $from})-[r:SHARES_WITH]->(:Country {code: $to})
DELETE r
RETURN count(r) AS removed`,
    params: { from: admin.country, to },
  });
  return row.removed > 0;
}
