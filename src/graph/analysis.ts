import type { PolicyContext } from '../policy/context';
import { itemPredicate, policyParams, subjectPredicate } from '../policy/rule';
import type { Db, Statement } from './db';
import type { LinkRecord, SubjectRecord } from './records';
import { subjectProjection } from './subjects';

/**
 * Network analysis over visible links (DESIGN §4, "Analysis"): the network around a subject,
 * the shortest path between two, and the smuggling corridors of visible reports.
 *
 * Every traversal applies the sharing rule to each LINK inside the expansion: each link carries
 * its report's policy fields (src/graph/link-policy.ts), so `itemPredicate(ctx, 'l')` is an
 * inline predicate of the quantified relationship, and Neo4j's StatefulShortestPath operator
 * never steps over a link the viewer may not see (test/analysis/explain.test.ts reads the plan).
 * A hidden shortcut therefore cannot win a shortest path, and nothing is filtered afterwards.
 *
 * Quantifier bounds are literals in Cypher: depth and hops are validated integers (ANALYSIS_LIMITS)
 * before they are written into the statement; every other value is a parameter.
 */

export const ANALYSIS_LIMITS = {
  depth: { min: 1, max: 3 },
  limit: { min: 1, max: 2000 },
  hops: { min: 1, max: 6 },
} as const;

function bounded(name: keyof typeof ANALYSIS_LIMITS, value: number): number {
  const { min, max } = ANALYSIS_LIMITS[name];
  if (!Number.isInteger(value) || value < min || value > max) throw new RangeError(`${name} must be an integer in ${min}..${max}`);
  return value;
}

export interface NetworkMember {
  subject: SubjectRecord;
  /** Links from the start subject (0 for the start itself). */
  distance: number;
}

export interface NetworkRecord {
  startId: string;
  depth: number;
  members: NetworkMember[];
  links: LinkRecord[];
  truncated: boolean;
}

export interface PathRecord {
  subjects: SubjectRecord[];
  links: LinkRecord[];
}

const linkOf = (l: string) => `{id: ${l}.id, kind: ${l}.kind, fromId: startNode(${l}).id, toId: endNode(${l}).id, reportId: ${l}.reportId}`;

/** A visible link, undirected, `hops` times (a literal range such as `{1,3}`). */
const visibleLinks = (ctx: PolicyContext, hops: string) => `-[l:LINK WHERE ${itemPredicate(ctx, 'l')}]-${hops}`;

/**
 * The subjects nearest first (distance, then id), at most `limit` with the start subject, and
 * the visible links among them that lie on a path of at most `depth` links from the start.
 *
 * Bounded cost around hubs: the breadth-first search only goes as deep as it must. When the
 * subjects within k < depth links already exceed the limit, nothing farther can be kept, so the
 * search stops at k (a shared phone with 10,000 links answers from its first ring).
 */
export function networkStatement(ctx: PolicyContext, subjectId: string, depth: number, limit: number, now: Date): Statement {
  const d = bounded('depth', depth);
  bounded('limit', limit);
  const ring = (k: number) => `CALL (start) {
  MATCH ANY SHORTEST (start)${visibleLinks(ctx, `{1,${k}}`)}(n)
  WITH n WHERE n <> start
  LIMIT $others + 1
  RETURN count(n) AS near${k}
}`;
  // near1 … near(d-1): how many subjects lie within k links, counted up to the limit.
  const rings = Array.from({ length: d - 1 }, (_, i) => ring(i + 1));
  const reach = d === 1 ? '1' : `CASE ${rings.map((_, i) => `WHEN near${i + 1} > $others THEN ${i + 1}`).join(' ')} ELSE ${d} END`;
  const branches = Array.from({ length: d }, (_, i) => i + 1).map(
    // The inner CALL keeps \`start\` an argument: the search expands from it (StatefulShortestPath(All)).
    (k) => `WITH start WHERE reach = ${k}
  CALL (start) {
    MATCH p = ANY SHORTEST (start)${visibleLinks(ctx, `{1,${k}}`)}(s)
    RETURN s, length(p) AS distance
  }
  WITH s, distance WHERE s <> start
  RETURN s, distance ORDER BY distance, s.id LIMIT $others + 1`,
  );
  return {
    cypher: `MATCH (start:Subject {id: $subjectId})
WHERE ${subjectPredicate(ctx, 'start')}
${rings.join('\n')}
WITH start, ${reach} AS reach
OPTIONAL CALL (start, reach) {
  ${branches.join('\n  UNION ALL\n  ')}
}
WITH start, s, distance ORDER BY distance, s.id
WITH start, collect(CASE WHEN s IS NULL THEN null ELSE {s: s, d: distance} END) AS found
WITH start, size(found) > $others AS truncated, [{s: start, d: 0}] + found[..$others] AS members
CALL (members, truncated) {
  WITH members, truncated, [m IN members | m.s] AS nodes
  UNWIND [m IN members WHERE m.d < ${d} | m.s] AS a
  MATCH (a)${visibleLinks(ctx, '')}(b)
  WHERE NOT truncated OR b IN nodes
  WITH DISTINCT l
  ORDER BY l.id
  RETURN collect(${linkOf('l')}) AS links
}
CALL (members) {
  UNWIND members AS m
  WITH m.s AS s, m.d AS distance
  RETURN collect({subject: ${subjectProjection('s')}, distance: distance}) AS subjects
}
RETURN subjects AS members, links, truncated`,
    params: { subjectId, others: limit - 1, policy: policyParams(ctx, now) },
  };
}

export async function subjectNetwork(db: Db, ctx: PolicyContext, subjectId: string, depth: number, limit: number, now: Date): Promise<NetworkRecord | null> {
  const [row] = await db.read<Omit<NetworkRecord, 'startId' | 'depth'>>(networkStatement(ctx, subjectId, depth, limit, now));
  return row ? { startId: subjectId, depth, ...row } : null;
}

/**
 * One shortest path over visible links between two visible subjects, of at most `maxHops` links
 * (the same subject twice: the path of length 0).
 */
export function pathStatement(ctx: PolicyContext, fromId: string, toId: string, maxHops: number, now: Date): Statement {
  const hops = bounded('hops', maxHops);
  return {
    cypher: `MATCH (a:Subject {id: $fromId}) WHERE ${subjectPredicate(ctx, 'a')}
MATCH (b:Subject {id: $toId}) WHERE ${subjectPredicate(ctx, 'b')}
CALL (a, b) {
  MATCH p = ANY SHORTEST (a)${visibleLinks(ctx, `{0,${hops}}`)}(b)
  RETURN p
}
RETURN [n IN nodes(p) | ${subjectProjection('n')}] AS subjects, [l IN relationships(p) | ${linkOf('l')}] AS links`,
    params: { fromId, toId, policy: policyParams(ctx, now) },
  };
}

export async function connectionPath(db: Db, ctx: PolicyContext, fromId: string, toId: string, maxHops: number, now: Date): Promise<PathRecord | null> {
  const [row] = await db.read<PathRecord>(pathStatement(ctx, fromId, toId, maxHops, now));
  return row ?? null;
}

export interface CorridorFilter {
  since: string | null;
  until: string | null;
  byMonth: boolean;
}

export interface CorridorRecord {
  origin: string;
  transit: string[];
  destination: string;
  month: string | null;
  reports: number;
  persons: number;
  lastSeen: string;
}

/**
 * One row per route (origin, transit in order, destination) of the visible reports created in
 * [since, until), aggregated in Cypher; with `byMonth`, per UTC month of createdAt too. Most
 * reports first; ties in route order, then month, so the answer is stable.
 */
export function corridorsStatement(ctx: PolicyContext, filter: CorridorFilter, now: Date): Statement {
  const where = ['r.routeOrigin IS NOT NULL', 'r.routeDestination IS NOT NULL', itemPredicate(ctx, 'r')];
  if (filter.since) where.push('r.createdAt >= datetime($since)');
  if (filter.until) where.push('r.createdAt < datetime($until)');
  const month = filter.byMonth ? `left(toString(datetime({epochMillis: r.createdAt.epochMillis})), 7)` : 'null';
  return {
    cypher: `MATCH (r:IntelReport)
WHERE ${where.join('\n  AND ')}
WITH r, r.routeOrigin AS origin, coalesce(r.routeTransit, []) AS transit, r.routeDestination AS destination, ${month} AS month
OPTIONAL MATCH (r)-[:CONCERNS]->(p:Person)
WITH origin, transit, destination, month, count(DISTINCT r) AS reports, count(DISTINCT p) AS persons, max(r.createdAt) AS lastSeen
RETURN origin, transit, destination, month, reports, persons, lastSeen
ORDER BY reports DESC, origin, destination, transit, month`,
    params: { since: filter.since, until: filter.until, policy: policyParams(ctx, now) },
  };
}

export async function corridors(db: Db, ctx: PolicyContext, filter: CorridorFilter, now: Date): Promise<CorridorRecord[]> {
  return db.read<CorridorRecord>(corridorsStatement(ctx, filter, now));
}
