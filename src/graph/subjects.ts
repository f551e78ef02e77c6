import type { PolicyContext } from '../policy/context';
import { visibleByIdsStatement } from './paging';
import { itemPredicate, policyParams, recordedOrVisibleSubjectPredicate, subjectPredicate } from '../policy/rule';
import type { Statement } from './db';

/**
 * Subjects (identity anchors shared across countries) and the links between them. A subject
 * is visible through a visible report that concerns it; a link through its asserting report.
 */

export const subjectProjection = (s: string) => `${s} {
  .id, .kind, .recordedBy, .name, .aliases, .nationality, .dateOfBirth, protected: coalesce(${s}.protected, false),
  .number, .issuingCountry, .documentType, .status, .reportedAt, .identifier, .countryCode
}`;

export const linkProjection = (l: string, from: string, to: string) =>
  `{id: ${l}.id, kind: ${l}.kind, fromId: ${from}.id, toId: ${to}.id, reportId: ${l}.reportId}`;

/** `orRecordedByViewer`: also subjects the viewer's own country recorded (before any report concerns them). */
export function subjectsByIdsStatement(ctx: PolicyContext, ids: readonly string[], now: Date, orRecordedByViewer = false): Statement {
  const visible = orRecordedByViewer ? recordedOrVisibleSubjectPredicate(ctx, 's') : subjectPredicate(ctx, 's');
  return visibleByIdsStatement('Subject', 's', visible, subjectProjection('s'), ids, policyParams(ctx, now));
}

/** The subjects report `r` concerns, by id (also embedded in report reads: src/graph/includes.ts). */
export const subjectsOfReport = (r: string) =>
  `COLLECT { MATCH (${r})-[:CONCERNS]->(incSubject:Subject) WITH incSubject ORDER BY incSubject.id RETURN ${subjectProjection('incSubject')} }`;

/** The subjects of reports already known to be visible: visible by definition. */
export const subjectsOfReportsCypher = `UNWIND $ids AS id
MATCH (r:IntelReport {id: id})
RETURN id AS parent, ${subjectsOfReport('r')} AS rows`;

/** The links asserted by reports already known to be visible. */
export const linksOfReportsCypher = `UNWIND $ids AS id
MATCH (a:Subject)-[l:LINK {reportId: id}]->(b:Subject)
WITH id, l, a, b ORDER BY l.id
RETURN id AS parent, collect(${linkProjection('l', 'a', 'b')}) AS rows`;

/** Visible links touching each subject. */
export function linksOfSubjectsStatement(ctx: PolicyContext, ids: readonly string[], now: Date): Statement {
  return {
    cypher: `UNWIND $ids AS id
MATCH (s:Subject {id: id})-[l:LINK]-(:Subject)
MATCH (a)-[l]->(b)
WHERE EXISTS { MATCH (r:IntelReport {id: l.reportId}) WHERE ${itemPredicate(ctx, 'r')} }
WITH id, l, a, b ORDER BY l.id
RETURN id AS parent, collect(${linkProjection('l', 'a', 'b')}) AS rows`,
    params: { ids, policy: policyParams(ctx, now) },
  };
}

export function linksByIdsStatement(ctx: PolicyContext, ids: readonly string[], now: Date): Statement {
  return {
    cypher: `UNWIND $ids AS id
MATCH (a:Subject)-[l:LINK {id: id}]->(b:Subject)
WHERE EXISTS { MATCH (r:IntelReport {id: l.reportId}) WHERE ${itemPredicate(ctx, 'r')} }
RETURN ${linkProjection('l', 'a', 'b')} AS row`,
    params: { ids, policy: policyParams(ctx, now) },
  };
}
