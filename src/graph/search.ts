import { BadInputError } from '../errors';
import type { PolicyContext } from '../policy/context';
import { personIdentityHiddenPredicate } from '../policy/redaction';
import { itemPredicate, policyParams, subjectPredicate } from '../policy/rule';
import type { Statement } from './db';
import type { BatchedPage } from './lists';
import type { PageArgs } from './paging';
import { SUBJECT_KINDS, type ReportRecord, type SubjectKind, type SubjectRecord } from './records';
import { reportProjection } from './reports';
import { searchQuery } from './search-text';
import type { GraphSession, Redacted } from './session';
import { subjectProjection } from './subjects';

/**
 * `search` (DESIGN §4): visible reports and subjects that match the text, best match first.
 * One statement per page (and one per total): the full-text index call and the sharing rule
 * are in the same statement, so a hit the viewer may not see is never paged, counted or sent.
 *
 * Paging is keyset on (score DESC, id ASC), not SKIP: `db.index.fulltext.queryNodes` streams
 * hits by descending score, but its own `skip`/`limit` options count hits before the WHERE
 * filter, so they would page over invisible hits. The cursor is the last edge's (score, id),
 * so the next page starts exactly after it while the index is unchanged.
 */

export const SEARCH_KINDS = ['INTEL_REPORT', ...SUBJECT_KINDS] as const;
export type SearchKind = (typeof SEARCH_KINDS)[number];

export type SearchHitRecord = { score: number } & (
  | { kind: 'INTEL_REPORT'; row: Redacted<ReportRecord> }
  | { kind: SubjectKind; row: Redacted<SubjectRecord> }
);

/** The visible hits with their scores, as `node`, `score`, `kind` (a UNION of the two indexes). */
function visibleHits(ctx: PolicyContext, kinds: readonly SearchKind[]): string {
  const branches: string[] = [];
  if (kinds.includes('INTEL_REPORT')) {
    branches.push(`CALL db.index.fulltext.queryNodes('intel_report_text', $query) YIELD node, score
    WHERE ${itemPredicate(ctx, 'node')}
    RETURN node, score, 'INTEL_REPORT' AS kind`);
  }
  if (kinds.some((kind) => kind !== 'INTEL_REPORT')) {
    // A person whose identity the viewer may not read must not be found by that identity.
    branches.push(`CALL db.index.fulltext.queryNodes('subject_text', $query) YIELD node, score
    WHERE node.kind IN $subjectKinds AND NOT ${personIdentityHiddenPredicate(ctx, 'node')} AND ${subjectPredicate(ctx, 'node')}
    RETURN node, score, node.kind AS kind`);
  }
  return `CALL () {
    ${branches.join('\n    UNION ALL\n    ')}
  }`;
}

function params(ctx: PolicyContext, query: string, kinds: readonly SearchKind[], now: Date): Record<string, unknown> {
  return { query, subjectKinds: kinds.filter((kind) => kind !== 'INTEL_REPORT'), policy: policyParams(ctx, now) };
}

export function searchPageStatement(ctx: PolicyContext, query: string, kinds: readonly SearchKind[], page: PageArgs, now: Date): Statement {
  return {
    cypher: `${visibleHits(ctx, kinds)}
WITH node, score, kind
WHERE $after IS NULL OR score < $after[0] OR (score = $after[0] AND node.id > $after[1])
WITH node, score, kind ORDER BY score DESC, node.id LIMIT $limit
RETURN score, kind, CASE kind WHEN 'INTEL_REPORT' THEN ${reportProjection('node')} ELSE ${subjectProjection('node')} END AS row`,
    params: { ...params(ctx, query, kinds, now), after: page.after, limit: page.first + 1 },
  };
}

/**
 * The page and the total in one statement, for a client that asks for `totalCount`: the hits
 * are found, judged and ordered once, counted, and the page is cut from them after the cursor.
 */
export function searchPageAndTotalStatement(ctx: PolicyContext, query: string, kinds: readonly SearchKind[], page: PageArgs, now: Date): Statement {
  return {
    cypher: `${visibleHits(ctx, kinds)}
WITH node, score, kind ORDER BY score DESC, node.id
WITH collect({node: node, score: score, kind: kind}) AS hits
WITH size(hits) AS total,
  [h IN hits WHERE $after IS NULL OR h.score < $after[0] OR (h.score = $after[0] AND h.node.id > $after[1])][0..$limit] AS page
CALL (page) {
  UNWIND page AS h
  WITH h.node AS node, h.score AS score, h.kind AS kind
  RETURN collect({score: score, kind: kind, row: CASE kind WHEN 'INTEL_REPORT' THEN ${reportProjection('node')} ELSE ${subjectProjection('node')} END}) AS rows
}
RETURN total, rows`,
    params: { ...params(ctx, query, kinds, now), after: page.after, limit: page.first + 1 },
  };
}

export function searchCountStatement(ctx: PolicyContext, query: string, kinds: readonly SearchKind[], now: Date): Statement {
  return {
    cypher: `${visibleHits(ctx, kinds)}
RETURN count(*) AS total`,
    params: params(ctx, query, kinds, now),
  };
}

/** The Lucene query for `text`, or BAD_USER_INPUT when it holds no word to search for. */
export function searchQueryOf(text: string): string {
  const query = searchQuery(text);
  if (query === null) {
    throw new BadInputError('text must contain a word to search for (letters or digits, not only common words)', [
      { field: 'text', message: 'no searchable word' },
    ]);
  }
  return query;
}

function checkSearchCursor(page: PageArgs): void {
  if (page.after === null) return;
  const [score, id] = page.after;
  if (page.after.length !== 2 || typeof score !== 'number' || typeof id !== 'string') {
    throw new BadInputError('after is not a cursor from this search', [{ field: 'after', message: 'invalid cursor' }]);
  }
}

type HitRow = { score: number; kind: SearchKind; row: ReportRecord & SubjectRecord };

/**
 * One page of `search` through the request's session, and its total (`withTotal`: counted in
 * the same statement; otherwise counted only if asked): reports on the page are redacted and
 * noted as read (DESIGN §3, Audit), subjects redacted like every other read.
 */
export function search(session: GraphSession, text: string, kinds: readonly SearchKind[], page: PageArgs, withTotal = false) {
  const query = searchQueryOf(text);
  checkSearchCursor(page);
  const { policy, now } = session;
  const answered: Promise<{ total: number | null; rows: HitRow[] }> = withTotal
    ? session.db
        .read<{ total: number; rows: HitRow[] }>(searchPageAndTotalStatement(policy, query, kinds, page, now))
        .then(([row]) => ({ total: row?.total ?? 0, rows: row?.rows ?? [] }))
    : session.db.read<HitRow>(searchPageStatement(policy, query, kinds, page, now)).then((rows) => ({ total: null, rows }));
  const paged: Promise<BatchedPage<SearchHitRecord>> = answered.then(({ rows }) => ({
    hasNextPage: rows.length > page.first,
    entries: rows.slice(0, page.first).map(({ score, kind, row }) => {
      const hit: SearchHitRecord =
        kind === 'INTEL_REPORT' ? { score, kind, row: session.redactReport(row) } : { score, kind, row: session.redactSubject(row) };
      if (hit.kind === 'INTEL_REPORT') session.audit.read('IntelReport', row.id, hit.row.redactedFields);
      return { row: hit, cursorKey: [score, row.id] };
    }),
  }));
  let counted: Promise<number> | undefined;
  const total = () =>
    (counted ??= answered.then(
      (found) =>
        found.total ??
        session.db.read<{ total: number }>(searchCountStatement(policy, query, kinds, now)).then(([row]) => row?.total ?? 0),
    ));
  return { page: paged, total };
}
