import { BadInputError, ConflictError, ForbiddenError, NotFoundError } from '../../errors';
import type { OfficerContext, PolicyItem } from '../../policy/context';
import { levelRank, type Level, type ReleasabilityMode } from '../../policy/levels';
import { itemPredicate, policyParams, recordedOrVisibleSubjectPredicate } from '../../policy/rule';
import type { Db, Tx } from '../db';
import type { SubjectKind } from '../records';
import { SUBJECT_LABELS } from '../records';
import { copyReportPolicy, syncLinksOfReportsStatement } from '../link-policy';
import { checkClientId, inputHash } from './idempotent';

/** Writes of intelligence: reports, subjects, links. Each runs in one transaction. */

/**
 * A report write as live subscribers hear of it (the `report.changed` event): the report, and
 * what the sharing rule read of it just before the write, read in the write's transaction
 * under the write's lock; null when the write created it.
 */
export interface ReportChange {
  reportId: string;
  before: PolicyItem | null;
}

export interface ReportInput {
  id: string;
  title: string;
  summary: string | null;
  classification: Level;
  handling: string;
  evaluation: string | null;
  relMode: ReleasabilityMode;
  relCountries: string[];
  operationId: string | null;
  expiresAt: string | null;
  sourceDescription: string | null;
  routeOrigin: string | null;
  routeTransit: string[];
  routeDestination: string | null;
  subjectIds: string[];
}

/** What the author's country may attach: subjects it can see, or that it recorded itself. */
async function checkSubjects(tx: Tx, author: OfficerContext, subjectIds: string[], now: Date): Promise<void> {
  if (!subjectIds.length) return;
  const rows = await tx.run<{ id: string }>({
    cypher: `UNWIND $ids AS id
MATCH (s:Subject {id: id})
WHERE ${recordedOrVisibleSubjectPredicate(author, 's')}
RETURN s.id AS id`,
    params: { ids: subjectIds, policy: policyParams(author, now) },
  });
  const found = new Set(rows.map((row) => row.id));
  const missing = subjectIds.filter((id) => !found.has(id));
  if (missing.length) throw new NotFoundError('subject', missing[0]);
}

async function checkOperationScope(tx: Tx, author: OfficerContext, operationId: string | null): Promise<void> {
  if (operationId === null) return;
  if (!author.countryOperationIds.includes(operationId)) {
    // Unknown, invisible and not-ours look the same.
    throw new NotFoundError('operation', operationId);
  }
  const [row] = await tx.run({ cypher: 'MATCH (o:Operation {id: $id}) RETURN o.id AS id', params: { id: operationId } });
  if (!row) throw new NotFoundError('operation', operationId);
}

function reportProps(input: ReportInput) {
  return {
    title: input.title,
    summary: input.summary,
    classification: input.classification,
    classRank: levelRank(input.classification),
    handling: input.handling,
    evaluation: input.evaluation,
    relMode: input.relMode,
    relCountries: input.relCountries,
    operationId: input.operationId,
    sourceDescription: input.sourceDescription,
    routeOrigin: input.routeOrigin,
    routeTransit: input.routeTransit,
    routeDestination: input.routeDestination,
  };
}

const attachReportRelations = `
WITH r
MATCH (owner:Country {code: $owner})
MERGE (r)-[:OWNED_BY]->(owner)
WITH r
OPTIONAL MATCH (r)-[old:SCOPED_TO]->()
DELETE old
WITH DISTINCT r
CALL (r) {
  MATCH (op:Operation {id: $props.operationId})
  MERGE (r)-[:SCOPED_TO]->(op)
}
CALL (r) {
  UNWIND $subjectIds AS sid
  MATCH (s:Subject {id: sid})
  MERGE (r)-[:CONCERNS]->(s)
}
RETURN r.id AS id`;

/** Creates a report owned by the author's country (a replay changes nothing: `before` is the report as it stands). */
export async function createReport(db: Db, author: OfficerContext, input: ReportInput, now: Date): Promise<ReportChange> {
  if (levelRank(input.classification) > author.clearanceRank) {
    throw new ForbiddenError('an officer cannot classify a report above their own clearance');
  }
  const hash = inputHash(author.officerId, input);
  return db.writeTx(async (tx) => {
    if ((await checkClientId(tx, 'IntelReport', input.id, hash)) === 'replay') {
      return { reportId: input.id, before: await storedPolicyFields(tx, input.id) };
    }
    await checkOperationScope(tx, author, input.operationId);
    await checkSubjects(tx, author, input.subjectIds, now);
    await tx.run({
      cypher: `CREATE (r:IntelReport {id: $id})
SET r += $props, r.ownerCode = $owner, r.clientHash = $hash, r.createdAt = datetime($now),
    r.expiresAt = CASE WHEN $expiresAt IS NULL THEN null ELSE datetime($expiresAt) END
WITH r
MATCH (author:Officer {id: $author})
MERGE (r)-[:AUTHORED_BY]->(author)
${attachReportRelations}`,
      params: {
        id: input.id,
        props: reportProps(input),
        owner: author.country,
        author: author.officerId,
        hash,
        now: now.toISOString(),
        expiresAt: input.expiresAt,
        subjectIds: input.subjectIds,
      },
    });
    return { reportId: input.id, before: null };
  });
}

export type ReportPatch = Partial<Omit<ReportInput, 'id' | 'relMode' | 'relCountries'>>;

/**
 * Updates a report of the editor's own country. A report the editor cannot see is NOT_FOUND;
 * one they can see but whose country is not theirs is FORBIDDEN.
 */
export async function updateReport(db: Db, editor: OfficerContext, id: string, patch: ReportPatch, now: Date): Promise<ReportChange> {
  if (patch.classification && levelRank(patch.classification) > editor.clearanceRank) {
    throw new ForbiddenError('an officer cannot classify a report above their own clearance');
  }
  return db.writeTx(async (tx) => {
    const current = await visibleReport(tx, editor, id, now, { lock: true });
    if (current.ownerCode !== editor.country) throw new ForbiddenError('only officers of the owner country edit a report');
    const merged = { ...current, ...definedOnly(patch) } as ReportInput;
    if (patch.operationId !== undefined) await checkOperationScope(tx, editor, merged.operationId);
    if (patch.subjectIds) await checkSubjects(tx, editor, patch.subjectIds, now);
    await tx.run({
      cypher: `MATCH (r:IntelReport {id: $id})
SET r += $props, r.updatedAt = datetime($now),
    r.expiresAt = CASE WHEN $expiresAt IS NULL THEN null ELSE datetime($expiresAt) END
WITH r
CALL (r) {
  WITH r WHERE $replaceSubjects
  MATCH (r)-[c:CONCERNS]->(s:Subject) WHERE NOT s.id IN $subjectIds
  DELETE c
}
${attachReportRelations}`,
      params: {
        id,
        props: reportProps(merged),
        owner: current.ownerCode,
        now: now.toISOString(),
        expiresAt: merged.expiresAt,
        replaceSubjects: patch.subjectIds !== undefined,
        subjectIds: patch.subjectIds ?? [],
      },
    });
    await tx.run(syncLinksOfReportsStatement([id]));
    return { reportId: id, before: policyFieldsOf(current) };
  });
}

function definedOnly<T extends object>(patch: T): Partial<T> {
  return Object.fromEntries(Object.entries(patch).filter(([, value]) => value !== undefined)) as Partial<T>;
}

interface StoredReport extends Omit<ReportInput, 'subjectIds'> {
  ownerCode: string;
  classRank: number;
}

/** Neo4j's idiom for a write lock without a change: held until the transaction ends. */
const LOCK_REPORT = 'SET r._lock = true REMOVE r._lock';

/**
 * The report as the viewer may read it, or NOT_FOUND. With `lock`, the report is write-locked
 * first, so that what is read is what the caller's write changes (no concurrent write between).
 */
async function visibleReport(tx: Tx, viewer: OfficerContext, id: string, now: Date, options: { lock?: boolean } = {}): Promise<StoredReport> {
  const [row] = await tx.run<{ report: StoredReport }>({
    cypher: `MATCH (r:IntelReport {id: $id}) WHERE ${itemPredicate(viewer, 'r')}
${options.lock ? LOCK_REPORT : ''}
RETURN r {.id, .title, .summary, .classification, .handling, .evaluation, .relMode, .relCountries, .operationId,
          .sourceDescription, .routeOrigin, .routeTransit, .routeDestination, .ownerCode, .classRank,
          expiresAt: toString(r.expiresAt)} AS report`,
    params: { id, policy: policyParams(viewer, now) },
  });
  if (!row) throw new NotFoundError('intel report', id);
  return row.report;
}

/** Only what the sharing rule reads (src/policy/context.ts, PolicyItem): never content. */
function policyFieldsOf(report: StoredReport): PolicyItem {
  return {
    ownerCode: report.ownerCode,
    classRank: report.classRank,
    relMode: report.relMode,
    relCountries: report.relCountries ?? [],
    operationId: report.operationId ?? null,
    expiresAt: report.expiresAt ?? null,
  };
}

async function storedPolicyFields(tx: Tx, id: string): Promise<PolicyItem | null> {
  const [row] = await tx.run<{ report: StoredReport }>({
    cypher: `MATCH (r:IntelReport {id: $id})
RETURN r {.ownerCode, .classRank, .relMode, .relCountries, .operationId, expiresAt: toString(r.expiresAt)} AS report`,
    params: { id },
  });
  return row ? policyFieldsOf(row.report) : null;
}

/** Releasability is set by NCB administrators of the owner country (checked by the caller's rule). */
export async function setReleasability(
  db: Db,
  admin: OfficerContext,
  id: string,
  mode: ReleasabilityMode,
  countries: string[],
  now: Date,
): Promise<ReportChange> {
  return db.writeTx(async (tx) => {
    const current = await visibleReport(tx, admin, id, now, { lock: true });
    if (current.ownerCode !== admin.country) throw new ForbiddenError(`only NCB administrators of ${current.ownerCode} change this report's releasability`);
    await tx.run({
      cypher: 'MATCH (r:IntelReport {id: $id}) SET r.relMode = $mode, r.relCountries = $countries, r.updatedAt = datetime($now)',
      params: { id, mode, countries, now: now.toISOString() },
    });
    await tx.run(syncLinksOfReportsStatement([id]));
    return { reportId: id, before: policyFieldsOf(current) };
  });
}

export interface SubjectInput {
  id: string;
  kind: SubjectKind;
  properties: Record<string, string | string[] | boolean | null>;
}

/** Creates a subject recorded by the creator's country; it becomes visible to others through reports. */
export async function createSubject(db: Db, creator: OfficerContext, input: SubjectInput): Promise<string> {
  const hash = inputHash(creator.officerId, input);
  const label = SUBJECT_LABELS[input.kind];
  return db.writeTx(async (tx) => {
    if ((await checkClientId(tx, 'Subject', input.id, hash)) === 'replay') return input.id;
    await tx.run({
      cypher: `CREATE (s:Subject:${label} {id: $id})
SET s += $props, s.kind = $kind, s.recordedBy = $country, s.clientHash = $hash, s.createdAt = datetime()
SET s.reportedAt = CASE WHEN $reportedAt IS NULL THEN null ELSE datetime($reportedAt) END`,
      params: {
        id: input.id,
        kind: input.kind,
        country: creator.country,
        hash,
        props: { ...input.properties, reportedAt: null },
        reportedAt: input.properties.reportedAt ?? null,
      },
    });
    return input.id;
  });
}

export interface LinkInput {
  id: string;
  reportId: string;
  fromId: string;
  toId: string;
  kind: string;
}

/** A link is asserted by a report of the author's country, between two of its subjects. */
export async function linkSubjects(db: Db, author: OfficerContext, input: LinkInput, now: Date): Promise<string> {
  const hash = inputHash(author.officerId, input);
  return db.writeTx(async (tx) => {
    const [existing] = await tx.run<{ hash: string | null }>({
      cypher: 'MATCH ()-[l:LINK {id: $id}]->() RETURN l.clientHash AS hash',
      params: { id: input.id },
    });
    if (existing) {
      if (existing.hash === hash) return input.id;
      throw new ConflictError(`the id ${JSON.stringify(input.id)} is not available; choose another`);
    }
    const report = await visibleReport(tx, author, input.reportId, now);
    if (report.ownerCode !== author.country) throw new ForbiddenError('links are asserted by reports of the author\'s own country');
    const [ends] = await tx.run<{ ids: string[] }>({
      cypher: `MATCH (:IntelReport {id: $reportId})-[:CONCERNS]->(s:Subject) WHERE s.id IN [$fromId, $toId] RETURN collect(s.id) AS ids`,
      params: input as unknown as Record<string, unknown>,
    });
    const problems = (['fromId', 'toId'] as const)
      .filter((field) => !ends.ids.includes(input[field]))
      .map((field) => ({ field, message: 'must be a subject of the asserting report' }));
    if (problems.length) throw new BadInputError('both ends of a link must be subjects of its report', problems);
    await tx.run({
      cypher: `MATCH (a:Subject {id: $fromId}), (b:Subject {id: $toId}), (r:IntelReport {id: $reportId})
CREATE (a)-[l:LINK {id: $id}]->(b)
SET l.kind = $kind, l.reportId = $reportId, l.clientHash = $hash, l.createdAt = datetime(), ${copyReportPolicy('l', 'r')}`,
      params: { ...input, hash },
    });
    return input.id;
  });
}
