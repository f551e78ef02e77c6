import type { OfficerContext, PartnerContext } from '../policy/context';
import { levelRank, type OfficerStatus, type Role, type ShareLevel } from '../policy/levels';
import type { Db } from './db';

/**
 * Loads what the sharing rule needs about a principal, in one round trip: the officer, their
 * country, assignments, their country's operations, and level(owner → country) for every
 * other country, with dated rules evaluated at `now`.
 */
/** The statement that loads an officer's policy inputs (exported for the tests that count statements). */
export const officerContextQuery = `
MATCH (o:Officer {id: $id})-[:MEMBER_OF]->(:Unit)-[:OF]->(c:Country)
CALL (o) { OPTIONAL MATCH (o)-[:ASSIGNED_TO]->(a:Operation) RETURN collect(a.id) AS assigned }
CALL (c) {
  OPTIONAL MATCH (c)-[:PARTICIPATES_IN|LED_BY]-(p:Operation)
  RETURN collect(DISTINCT p.id) AS countryOperations
}
CALL (c) {
  MATCH (w:Country) WHERE w <> c
  OPTIONAL MATCH (w)-[s:SHARES_WITH]->(c)
    WHERE (s.validFrom IS NULL OR s.validFrom <= datetime($now))
      AND (s.validUntil IS NULL OR datetime($now) <= s.validUntil)
  RETURN collect([w.code, coalesce(s.maxLevel, w.defaultShareLevel, 'NONE')]) AS levels
}
CALL (c) {
  OPTIONAL MATCH (:Country)-[s:SHARES_WITH]->(c)
  WITH collect(s.validFrom) + collect(s.validUntil) AS bounds
  RETURN [bound IN bounds WHERE bound > datetime($now)] AS boundaries
}
RETURN o.id AS id, c.code AS country, o.roles AS roles, o.status AS status, o.clearance AS clearance,
       assigned, countryOperations, levels, boundaries`;

interface OfficerContextRow {
  id: string;
  country: string;
  roles: Role[] | null;
  status: OfficerStatus;
  clearance: ShareLevel;
  assigned: string[];
  countryOperations: string[];
  levels: [string, ShareLevel][];
  /** The start or end of a dated rule toward the officer's country, still to come. */
  boundaries: string[];
}

export async function loadOfficerContext(db: Db, officerId: string, now = new Date()): Promise<OfficerContext | null> {
  const [row] = await db.read<OfficerContextRow>({ cypher: officerContextQuery, params: { id: officerId, now: now.toISOString() } });
  if (!row) return null;
  return {
    kind: 'officer',
    officerId: row.id,
    country: row.country,
    roles: row.roles ?? [],
    status: row.status,
    clearanceRank: levelRank(row.clearance),
    assignedOperationIds: row.assigned,
    countryOperationIds: row.countryOperations,
    shareRanks: Object.fromEntries(row.levels.map(([code, level]) => [code, levelRank(level)])),
    // A rule is in force through its validUntil: the levels change just after it.
    changesAt: row.boundaries.length ? Math.min(...row.boundaries.map((b) => Date.parse(b))) + 1 : null,
  };
}

const partnerContextQuery = `
MATCH (p:Partner {id: $id})
CALL () { MATCH (w:Country) RETURN collect([w.code, coalesce(w.partnerShareLevel, 'NONE')]) AS levels }
RETURN p.id AS id, levels`;

export async function loadPartnerContext(db: Db, partnerId: string): Promise<PartnerContext | null> {
  const [row] = await db.read<{ id: string; levels: [string, ShareLevel][] }>({
    cypher: partnerContextQuery,
    params: { id: partnerId },
  });
  if (!row) return null;
  return {
    kind: 'partner',
    partnerId: row.id,
    shareRanks: Object.fromEntries(row.levels.map(([code, level]) => [code, levelRank(level)])),
  };
}
