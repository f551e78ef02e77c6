import type { PolicyContext } from '../policy/context';
import { visibleByIdsStatement } from './paging';
import { itemPredicate, policyParams, recordedOrVisibleSubjectPredicate, subjectPredicate } from '../policy/rule';
import { type ColumnReaders, projectionOf, property } from './columns';
import type { Statement } from './db';

/**
 * Subjects (identity anchors shared across countries) and the links between them. A subject
 * is visible through a visible report that concerns it; a link through its asserting report.
 */

const SUBJECT_COLUMNS = {
  id: property('id'),
  kind: property('kind'),
  recordedBy: property('recordedBy'),
  name: property('name'),
  aliases: property('aliases'),
  nationality: property('nationality'),
  dateOfBirth: property('dateOfBirth'),
  protected: (s: string) => `coalesce(${s}.protected, false)`,
  number: property('number'),
  issuingCountry: property('issuingCountry'),
  documentType: property('documentType'),
  status: property('status'),
  reportedAt: property('reportedAt'),
  identifier: property('identifier'),
  countryCode: property('countryCode'),
} satisfies ColumnReaders<string>;
export type SubjectColumn = keyof typeof SUBJECT_COLUMNS;
export const SUBJECT_RECORD_COLUMNS = Object.keys(SUBJECT_COLUMNS) as SubjectColumn[];

/**
 * The columns each GraphQL field of a subject type (Person, Organization, TravelDocument,
 * Vehicle, Phone, Location) reads from a subject record. Always read: the id, the kind (which
 * names the GraphQL type) and what person redaction decides by (protected, recordedBy).
 */
export const SUBJECT_FIELD_COLUMNS: Readonly<Record<string, readonly SubjectColumn[]>> = {
  id: ['id'], kind: ['kind'], recordedBy: ['recordedBy'], redactedFields: [], reports: [], links: [], __typename: [],
  name: ['name'], aliases: ['aliases'], nationality: ['nationality'], dateOfBirth: ['dateOfBirth'], protected: ['protected'],
  number: ['number'], issuingCountry: ['issuingCountry'], documentType: ['documentType'], status: ['status'], reportedAt: ['reportedAt'],
  identifier: ['identifier'], countryCode: ['countryCode'],
};
const SUBJECT_ALWAYS: SubjectColumn[] = ['id', 'kind', 'recordedBy', 'protected'];

/** A subject record: every column, or `columns` (in record order) with those always read. */
export const subjectProjection = (s: string, columns?: readonly SubjectColumn[] | null) => projectionOf(SUBJECT_COLUMNS, s, columns, SUBJECT_ALWAYS);

export const linkProjection = (l: string, from: string, to: string) =>
  `{id: ${l}.id, kind: ${l}.kind, fromId: ${from}.id, toId: ${to}.id, reportId: ${l}.reportId}`;

/** `orRecordedByViewer`: also subjects the viewer's own country recorded (before any report concerns them). */
export function subjectsByIdsStatement(ctx: PolicyContext, ids: readonly string[], now: Date, orRecordedByViewer = false): Statement {
  const visible = orRecordedByViewer ? recordedOrVisibleSubjectPredicate(ctx, 's') : subjectPredicate(ctx, 's');
  return visibleByIdsStatement('Subject', 's', visible, subjectProjection('s'), ids, policyParams(ctx, now));
}

/** The subjects report `r` concerns, by id (also embedded in report reads: src/graph/includes.ts). */
export const subjectsOfReport = (r: string, columns?: readonly SubjectColumn[] | null) =>
  `COLLECT { MATCH (${r})-[:CONCERNS]->(incSubject:Subject) WITH incSubject ORDER BY incSubject.id RETURN ${subjectProjection('incSubject', columns)} }`;

/** The subjects of reports already known to be visible (visible by definition), with `columns` (null: all). */
export const subjectsOfReportsCypher = (columns: readonly SubjectColumn[] | null) => `UNWIND $ids AS id
MATCH (r:IntelReport {id: id})
RETURN id AS parent, ${subjectsOfReport('r', columns)} AS rows`;

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
