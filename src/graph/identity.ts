import { ConflictError, ForbiddenError, NotFoundError } from '../errors';
import type { OfficerContext, PolicyContext } from '../policy/context';
import { personIdentityHiddenPredicate } from '../policy/redaction';
import { policyParams, recordedOrVisibleSubjectPredicate, subjectPredicate } from '../policy/rule';
import type { Db, Statement, Tx } from './db';
import { WANTED_LABEL_CYPHER } from './import';
import { matchesPerson } from './name-match';
import type { SubjectRecord } from './records';
import { nameCandidatesQuery } from './search-text';
import type { GraphSession, Redacted } from './session';
import { subjectProjection } from './subjects';

/**
 * Identity: possible duplicates of a subject, and wanted persons (DESIGN §4, screenPerson).
 */

/* ------------------------------------------------------------ possible duplicates */

export const DUPLICATE_REASONS = ['DOCUMENT_NUMBER', 'PHONE_NUMBER', 'NAME_AND_DATE_OF_BIRTH'] as const;
export type DuplicateReason = (typeof DUPLICATE_REASONS)[number];

export interface DuplicateCandidate {
  subject: Redacted<SubjectRecord>;
  reasons: DuplicateReason[];
}

/**
 * Candidates of the same kind, each with a reason found in the graph: a travel document with the
 * same normalised number and issuing country, a phone with the same E.164 number (phone.ts), or
 * a person born the same day (the names are compared in memory, `matchesPerson`). Only visible
 * candidates, and names only where the viewer may read both persons' identities. Persons are not
 * paired through the documents or phones they are linked to: a shared phone is intelligence
 * about a network (subjectNetwork), not evidence of one identity.
 */
export function duplicateCandidatesStatement(ctx: PolicyContext, subjectId: string, now: Date): Statement {
  const hidden = (alias: string) => personIdentityHiddenPredicate(ctx, alias);
  return {
    cypher: `MATCH (s:Subject {id: $id}) WHERE ${subjectPredicate(ctx, 's')}
CALL (s) {
  MATCH (c:TravelDocument {numberKey: s.numberKey, issuingCountry: s.issuingCountry})
  WHERE s:TravelDocument AND c <> s
  RETURN c, 'DOCUMENT_NUMBER' AS reason
  UNION
  MATCH (c:Phone {phoneKey: s.phoneKey})
  WHERE s:Phone AND c <> s
  RETURN c, 'PHONE_NUMBER' AS reason
  UNION
  MATCH (c:Person {dateOfBirth: s.dateOfBirth})
  WHERE s:Person AND c <> s AND NOT ${hidden('s')} AND NOT ${hidden('c')}
  RETURN c, 'NAME_AND_DATE_OF_BIRTH' AS reason
}
WITH s, c, reason WHERE ${subjectPredicate(ctx, 'c')}
WITH s, c, collect(reason) AS reasons ORDER BY c.id
RETURN ${subjectProjection('s')} AS subject, ${subjectProjection('c')} AS candidate, reasons`,
    params: { id: subjectId, policy: policyParams(ctx, now) },
  };
}

/** Null when the subject is not visible (unknown and invisible alike). */
export async function possibleDuplicates(session: GraphSession, subjectId: string): Promise<DuplicateCandidate[] | null> {
  const subject = await session.subject(subjectId);
  if (!subject) return null;
  const rows = await session.db.read<{ subject: SubjectRecord; candidate: SubjectRecord; reasons: DuplicateReason[] }>(
    duplicateCandidatesStatement(session.policy, subjectId, session.now),
  );
  const out: DuplicateCandidate[] = [];
  for (const { subject: self, candidate, reasons } of rows) {
    const kept = reasons.filter((reason) => reason !== 'NAME_AND_DATE_OF_BIRTH' || similarNames(self, candidate));
    if (kept.length) out.push({ subject: session.redactSubject(candidate), reasons: DUPLICATE_REASONS.filter((r) => kept.includes(r)) });
  }
  return out;
}

function similarNames(a: SubjectRecord, b: SubjectRecord): boolean {
  return [a.name, ...(a.aliases ?? [])].some((name) => name !== null && matchesPerson(name, b));
}

/* ------------------------------------------------------------ wanted persons */

export interface WantedHit {
  personId: string;
  wantedBy: string;
  since: string;
}

interface WantedCandidate extends WantedHit {
  name: string | null;
  aliases: string[] | null;
  dateOfBirth: string | null;
  nationality: string | null;
}

/** Enough candidates for the in-memory match; the index returns the best-scoring first. */
const WANTED_CANDIDATES = 200;

const wantedCandidatesCypher = `CALL db.index.fulltext.queryNodes('wanted_person_name', $query, {limit: $limit}) YIELD node
WHERE node.wantedBy IS NOT NULL
RETURN node.id AS personId, node.wantedBy AS wantedBy, node.wantedSince AS since, node.name AS name, node.aliases AS aliases,
  toString(node.dateOfBirth) AS dateOfBirth, node.nationality AS nationality`;

export interface PersonScreening {
  name: string;
  /** YYYY-MM-DD; when given, the record's date of birth must be the same (a record without one still hits). */
  dateOfBirth: string | null;
  /** When given, a record with a nationality must have this one. */
  nationality: string | null;
}

/**
 * Hit/no-hit on wanted persons. It reads the wanted flag and the names only, never a report,
 * and answers with the wanting country and the date, never the record.
 */
export async function screenWantedPerson(db: Db, screening: PersonScreening): Promise<WantedHit | null> {
  const query = nameCandidatesQuery(screening.name);
  if (query === null) return null;
  const candidates = await db.read<WantedCandidate>({ cypher: wantedCandidatesCypher, params: { query, limit: WANTED_CANDIDATES } });
  const hit = candidates.find(
    (c) =>
      (screening.dateOfBirth === null || c.dateOfBirth === null || c.dateOfBirth === screening.dateOfBirth) &&
      (screening.nationality === null || c.nationality === null || c.nationality === screening.nationality) &&
      matchesPerson(screening.name, c),
  );
  return hit ? { personId: hit.personId, wantedBy: hit.wantedBy, since: hit.since } : null;
}

export interface WantedFlag {
  personId: string;
  wantedBy: string;
  since: string;
  reference: string | null;
}

/** The person an NCB administrator may flag: a person their country recorded or can see. */
async function flaggablePerson(
  tx: Tx,
  admin: OfficerContext,
  personId: string,
  now: Date,
): Promise<{ wantedBy: string | null }> {
  const [person] = await tx.run<{ wantedBy: string | null }>({
    cypher: `MATCH (p:Person {id: $id}) WHERE ${recordedOrVisibleSubjectPredicate(admin, 'p')}
RETURN p.wantedBy AS wantedBy`,
    params: { id: personId, policy: policyParams(admin, now) },
  });
  if (!person) throw new NotFoundError('person', personId);
  return person;
}

/** Records (or updates) the admin's country's wanted flag on a person. One wanting country per person. */
export async function recordWanted(
  db: Db,
  admin: OfficerContext,
  input: { personId: string; since: string; reference: string | null },
  now: Date,
): Promise<WantedFlag> {
  return db.writeTx(async (tx) => {
    const person = await flaggablePerson(tx, admin, input.personId, now);
    if (person.wantedBy !== null && person.wantedBy !== admin.country) {
      throw new ConflictError(`the person is already recorded as wanted by ${person.wantedBy}; ask that country's NCB`);
    }
    const [flag] = await tx.run<WantedFlag>({
      cypher: `MATCH (n:Person {id: $id})
SET n.wantedBy = $country, n.wantedSince = datetime($since), n.wantedReference = $reference
${WANTED_LABEL_CYPHER}
RETURN n.id AS personId, n.wantedBy AS wantedBy, n.wantedSince AS since, n.wantedReference AS reference`,
      params: { id: input.personId, country: admin.country, since: input.since, reference: input.reference },
    });
    return flag;
  });
}

/** Withdraws the admin's country's wanted flag: the person stops hitting at once. */
export async function withdrawWanted(db: Db, admin: OfficerContext, personId: string, now: Date): Promise<void> {
  await db.writeTx(async (tx) => {
    const person = await flaggablePerson(tx, admin, personId, now);
    if (person.wantedBy === null) throw new NotFoundError('wanted flag of person', personId);
    if (person.wantedBy !== admin.country) throw new ForbiddenError(`only NCB administrators of ${person.wantedBy} withdraw this wanted flag`);
    await tx.run({
      cypher: `MATCH (n:Person {id: $id})
SET n.wantedBy = null, n.wantedSince = null, n.wantedReference = null
${WANTED_LABEL_CYPHER}`,
      params: { id: personId },
    });
  });
}
