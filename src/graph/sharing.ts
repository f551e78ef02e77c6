import type { ShareLevel } from '../policy/levels';

/**
 * A country's standing sharing rules (DESIGN §3), as its administrators and oversight read
 * them. `inForce` is evaluated at the request's instant with the same bounds the policy
 * context uses (src/graph/principals.ts), so what is shown is what is applied.
 */
export interface SharingRuleRecord {
  from: string;
  to: string;
  maxLevel: ShareLevel;
  validFrom: string | null;
  validUntil: string | null;
  inForce: boolean;
}

export const sharingRuleProjection = (from: string, rule: string, to: string) => `{
  from: ${from}.code, to: ${to}.code, maxLevel: ${rule}.maxLevel, validFrom: ${rule}.validFrom, validUntil: ${rule}.validUntil,
  inForce: (${rule}.validFrom IS NULL OR ${rule}.validFrom <= datetime($now))
    AND (${rule}.validUntil IS NULL OR datetime($now) <= ${rule}.validUntil)
}`;

export function sharingRulesStatement(codes: readonly string[], now: Date) {
  return {
    cypher: `UNWIND $ids AS code
MATCH (w:Country {code: code})
OPTIONAL MATCH (w)-[r:SHARES_WITH]->(c:Country)
WITH code, w, r, c ORDER BY c.code
RETURN code AS parent, collect(CASE WHEN r IS NULL THEN null ELSE ${sharingRuleProjection('w', 'r', 'c')} END) AS rows`,
    params: { ids: codes, now: now.toISOString() },
  };
}
