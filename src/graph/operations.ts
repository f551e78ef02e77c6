import type { PolicyContext } from '../policy/context';
import { itemPredicate, operationPredicate, outcomeIsPublished, policyParams } from '../policy/rule';
import { type ListSpec, visibleByIdsStatement } from './paging';
import type { Metrics } from './records';
import { METRIC_NAMES } from './records';

/** Joint operations, their participants, assignments, updates and outcome. */

export const operationProjection = (o: string) => `${o} {
  .id, .codename, .objective, .status, .visibility, .startsAt, .endsAt, .createdAt,
  leadCode: [(${o})-[:LED_BY]->(lc:Country) | lc.code][0]
}`;

export function operationsByIdsStatement(ctx: PolicyContext, ids: readonly string[], now: Date) {
  return visibleByIdsStatement('Operation', 'o', operationPredicate(ctx, 'o'), operationProjection('o'), ids, policyParams(ctx, now));
}

export interface OperationFilter {
  status?: string | null;
  visibility?: string | null;
  leadCountry?: string | null;
  participant?: string | null;
  codename?: string | null;
}

export function operationListSpec(ctx: PolicyContext, filter: OperationFilter, now: Date): ListSpec {
  const where = [operationPredicate(ctx, 'o')];
  if (filter.status) where.push('o.status = $filter.status');
  if (filter.visibility) where.push('o.visibility = $filter.visibility');
  if (filter.leadCountry) where.push('EXISTS { (o)-[:LED_BY]->(:Country {code: $filter.leadCountry}) }');
  if (filter.participant) where.push('EXISTS { (:Country {code: $filter.participant})-[:PARTICIPATES_IN]->(o) }');
  if (filter.codename) where.push('toLower(o.codename) CONTAINS $filter.codename');
  return {
    match: 'MATCH (o:Operation)',
    alias: 'o',
    where,
    orderBy: [{ expr: 'o.id', desc: false }],
    projection: operationProjection('o'),
    params: { policy: policyParams(ctx, now), filter: { ...filter, codename: filter.codename?.toLowerCase() ?? null } },
  };
}

/** The codes of operation `o`'s participating countries, in code order (also embedded in operation reads). */
export const participantsOfOperation = (o: string) =>
  `COLLECT { MATCH (incParticipant:Country)-[:PARTICIPATES_IN]->(${o}) WITH incParticipant ORDER BY incParticipant.code RETURN incParticipant.code }`;

export const participantsCypher = `UNWIND $ids AS id
MATCH (o:Operation {id: id})
RETURN id AS parent, ${participantsOfOperation('o')} AS rows`;

export const assignmentsCypher = `UNWIND $ids AS id
MATCH (o:Operation {id: id})
OPTIONAL MATCH (officer:Officer)-[a:ASSIGNED_TO]->(o)
WITH id, officer, a ORDER BY officer.id
RETURN id AS parent, [x IN collect({officerId: officer.id, role: a.role}) WHERE x.officerId IS NOT NULL] AS rows`;

export const updateProjection = (u: string) => `${u} {
  .id, .kind, .text, .classification, .classRank, .ownerCode, .relMode, .relCountries, .operationId,
  .expiresAt, .postedAt, .seq,
  authorId: [(${u})-[:AUTHORED_BY]->(ua:Officer) | ua.id][0],
  metrics: CASE WHEN any(m IN [${METRIC_NAMES.map((m) => `${u}.${m}`).join(', ')}] WHERE m IS NOT NULL) THEN ${u} { ${METRIC_NAMES.map((m) => `${m}: coalesce(${u}.${m}, 0)`).join(', ')} } ELSE null END
}`;

/** Updates by id, each only if the viewer may read it. */
export function updatesByIdsStatement(ctx: PolicyContext, ids: readonly string[], now: Date) {
  return visibleByIdsStatement('OperationUpdate', 'u', itemPredicate(ctx, 'u'), updateProjection('u'), ids, policyParams(ctx, now));
}

/** An operation's updates, in posting order (oldest first: a log). */
export function updateListSpec(ctx: PolicyContext, now: Date): ListSpec {
  return {
    match: 'MATCH (u:OperationUpdate {operationId: parent})',
    alias: 'u',
    // `seq IS NOT NULL` lets the (operationId, seq) index serve the seek and the order.
    where: ['u.seq IS NOT NULL', itemPredicate(ctx, 'u')],
    orderBy: [{ expr: 'u.seq', desc: false }],
    projection: updateProjection('u'),
    params: { policy: policyParams(ctx, now) },
  };
}

/**
 * Outcome totals per operation over the updates the viewer may see — or over all updates
 * when the operation has published results (PUBLIC and CONCLUDED).
 */
export function outcomeStatement(ctx: PolicyContext, operations: { id: string; visibility: string; status: string }[], now: Date) {
  const published = operations.filter(outcomeIsPublished).map((o) => o.id);
  const sums = METRIC_NAMES.map((m) => `sum(coalesce(u.${m}, 0)) AS ${m}`).join(', ');
  return {
    cypher: `UNWIND $ids AS id
CALL (id) {
  OPTIONAL MATCH (u:OperationUpdate {operationId: id})
  WHERE u IS NOT NULL AND (id IN $published OR ${itemPredicate(ctx, 'u')})
  RETURN ${sums}
}
RETURN id AS parent, {${METRIC_NAMES.map((m) => `${m}: ${m}`).join(', ')}} AS metrics`,
    params: { ids: operations.map((o) => o.id), published, policy: policyParams(ctx, now) },
  };
}

export type { Metrics };
