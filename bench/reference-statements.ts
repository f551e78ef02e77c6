import type { OfficerContext, PolicyContext } from '../src/policy/context';
import { personIdentityHiddenPredicate } from '../src/policy/redaction';
import { itemPredicate, subjectPredicate } from '../src/policy/rule';

/**
 * The hand-written references of the analysis and search benchmarks: each question as ONE
 * Cypher statement with the same sharing predicate (src/policy) inlined on every report, link
 * and subject it reads. Used by bench/analysis.bench.ts, bench/search.bench.ts and the suite's
 * hand-written server (bench/suite/server-cypher.ts).
 */
/**
 * The reference: each question as one hand-written statement, the rule inlined the same way.
 * The same question includes its answer for a subject the viewer may not see: none, as for a
 * missing one (`subjectPredicate` on the start, and on both ends of a path).
 */
export function referenceNetwork(ctx: PolicyContext, depth: number): string {
  const pred = itemPredicate(ctx, 'l');
  return `MATCH (start:Subject {id: $id}) WHERE ${subjectPredicate(ctx, 'start')}
CALL (start) {
  MATCH p = ANY SHORTEST (start)-[l:LINK WHERE ${pred}]-{1,${depth}}(s)
  WITH s, length(p) AS d WHERE s <> start
  RETURN s, d ORDER BY d, s.id LIMIT $limit
}
WITH start, collect(s) AS near, collect(d) AS ds
WITH start, [start] + near AS kept, [0] + ds AS dist
CALL (kept, dist) {
  UNWIND range(0, size(kept) - 1) AS i
  WITH kept[i] AS a, dist[i] AS da, kept WHERE da < ${depth}
  MATCH (a)-[l:LINK WHERE ${pred}]-(b) WHERE b IN kept
  WITH DISTINCT l
  RETURN collect({id: l.id, kind: l.kind, fromId: startNode(l).id, toId: endNode(l).id, reportId: l.reportId}) AS links
}
RETURN [s IN kept | s {.id, .kind, .name, .number, .identifier}] AS subjects, links`;
}

export function referencePath(ctx: PolicyContext): string {
  return `MATCH (a:Subject {id: $from}) WHERE ${subjectPredicate(ctx, 'a')}
MATCH (b:Subject {id: $to}) WHERE ${subjectPredicate(ctx, 'b')}
CALL (a, b) { MATCH p = ANY SHORTEST (a)-[l:LINK WHERE ${itemPredicate(ctx, 'l')}]-{0,6}(b) RETURN p }
RETURN [n IN nodes(p) | n {.id, .kind}] AS subjects, [l IN relationships(p) | {id: l.id, kind: l.kind}] AS links`;
}

export function referenceCorridors(ctx: PolicyContext): string {
  return `MATCH (r:IntelReport) WHERE r.routeOrigin IS NOT NULL AND r.routeDestination IS NOT NULL AND ${itemPredicate(ctx, 'r')}
OPTIONAL MATCH (r)-[:CONCERNS]->(p:Person)
WITH r.routeOrigin AS origin, coalesce(r.routeTransit, []) AS transit, r.routeDestination AS destination,
     count(DISTINCT r) AS reports, count(DISTINCT p) AS persons, max(r.createdAt) AS lastSeen
RETURN origin, transit, destination, reports, persons, lastSeen ORDER BY reports DESC`;
}

/** The hand-written reference: the same index call and predicate, page and count in one statement. */
export function referenceSearch(predicates: { report: string; subject: string }): string {
  return `CALL () {
  CALL db.index.fulltext.queryNodes('intel_report_text', $query) YIELD node, score
  WHERE ${predicates.report}
  RETURN node, score
  UNION ALL
  CALL db.index.fulltext.queryNodes('subject_text', $query) YIELD node, score
  WHERE ${predicates.subject}
  RETURN node, score
}
WITH node, score ORDER BY score DESC, node.id
WITH collect({id: node.id, score: score}) AS hits
RETURN size(hits) AS total, hits[0..20] AS page`;
}

export const referencePredicates = (ctx: OfficerContext) => ({
  report: itemPredicate(ctx, 'node'),
  subject: `NOT ${personIdentityHiddenPredicate(ctx, 'node')} AND ${subjectPredicate(ctx, 'node')}`,
});
