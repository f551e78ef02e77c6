import { BadInputError, ForbiddenError, NotFoundError } from '../../errors';
import type { OfficerContext } from '../../policy/context';
import { OPERATION_STATUSES, levelRank, type Level, type OperationStatus, type Visibility } from '../../policy/levels';
import { hasRole } from '../../policy/permissions';
import { operationPredicate, policyParams } from '../../policy/rule';
import type { Db, Tx } from '../db';
import { updateProjection } from '../operations';
import { METRIC_NAMES, type Metrics, type UpdateRecord } from '../records';
import { checkClientId, inputHash } from './idempotent';

/**
 * Writes of joint operations: creation, participants, assignments, status and live updates.
 * Each runs in one transaction with its checks inside. An operation the actor cannot see is
 * NOT_FOUND, exactly like an unknown one; one they see but may not change is FORBIDDEN.
 */

interface VisibleOperation {
  id: string;
  status: OperationStatus;
  leadCode: string;
  participants: string[];
  actorAssigned: boolean;
}

async function visibleOperation(tx: Tx, actor: OfficerContext, id: string, now: Date): Promise<VisibleOperation> {
  const [row] = await tx.run<VisibleOperation>({
    cypher: `MATCH (o:Operation {id: $id}) WHERE ${operationPredicate(actor, 'o')}
RETURN o.id AS id, o.status AS status,
  [(o)-[:LED_BY]->(lead:Country) | lead.code][0] AS leadCode,
  [(c:Country)-[:PARTICIPATES_IN]->(o) | c.code] AS participants,
  EXISTS { (:Officer {id: $actor})-[:ASSIGNED_TO]->(o) } AS actorAssigned`,
    params: { id, actor: actor.officerId, policy: policyParams(actor, now) },
  });
  if (!row) throw new NotFoundError('operation', id);
  return row;
}

/** Coordinators and NCB administrators of the lead country run the operation. */
function isLeadManager(actor: OfficerContext, operation: VisibleOperation): boolean {
  return hasRole(actor, 'COORDINATOR', 'NCB_ADMIN') && actor.country === operation.leadCode;
}

function requireLeadManager(actor: OfficerContext, operation: VisibleOperation): void {
  if (!isLeadManager(actor, operation)) {
    throw new ForbiddenError(`only coordinators and NCB administrators of ${operation.leadCode} may do this`);
  }
}

async function requireCountries(tx: Tx, codes: string[]): Promise<void> {
  if (!codes.length) return;
  const rows = await tx.run<{ code: string }>({
    cypher: 'UNWIND $codes AS code MATCH (c:Country {code: code}) RETURN c.code AS code',
    params: { codes },
  });
  const found = new Set(rows.map((row) => row.code));
  const missing = codes.find((code) => !found.has(code));
  if (missing) throw new NotFoundError('country', missing);
}

export interface OperationInput {
  id: string;
  codename: string;
  objective: string | null;
  visibility: Visibility;
  startsAt: string | null;
  endsAt: string | null;
  participants: string[];
}

/** Creates a PLANNED operation led by the creator's country. Returns the id (new, or replayed). */
export async function createOperation(db: Db, creator: OfficerContext, input: OperationInput, now: Date): Promise<string> {
  const hash = inputHash(creator.officerId, input);
  return db.writeTx(async (tx) => {
    if ((await checkClientId(tx, 'Operation', input.id, hash)) === 'replay') return input.id;
    await requireCountries(tx, input.participants);
    await tx.run({
      cypher: `MATCH (lead:Country {code: $lead})
CREATE (o:Operation {id: $id})
SET o.codename = $codename, o.objective = $objective, o.visibility = $visibility, o.status = 'PLANNED',
    o.startsAt = datetime($startsAt), o.endsAt = datetime($endsAt), o.createdAt = datetime($now),
    o.clientHash = $hash
CREATE (o)-[:LED_BY]->(lead)
WITH o
CALL (o) {
  UNWIND $participants AS code
  MATCH (c:Country {code: code})
  MERGE (c)-[:PARTICIPATES_IN]->(o)
}`,
      params: { ...input, lead: creator.country, hash, now: now.toISOString() },
    });
    return input.id;
  });
}

export async function inviteCountry(db: Db, actor: OfficerContext, operationId: string, countryCode: string, now: Date): Promise<void> {
  await db.writeTx(async (tx) => {
    const operation = await visibleOperation(tx, actor, operationId, now);
    requireLeadManager(actor, operation);
    if (countryCode === operation.leadCode) {
      throw new BadInputError(`${countryCode} leads this operation; only other countries are invited`, [
        { field: 'countryCode', message: 'is the lead country' },
      ]);
    }
    await requireCountries(tx, [countryCode]);
    await tx.run({
      cypher: 'MATCH (c:Country {code: $code}), (o:Operation {id: $id}) MERGE (c)-[:PARTICIPATES_IN]->(o)',
      params: { code: countryCode, id: operationId },
    });
  });
}

interface OfficerStanding {
  country: string;
  status: string;
}

/**
 * Assignments are managed by the lead country, or by the officer's own country (which lends
 * the officer). Returns the officer's standing for the caller's further checks.
 */
async function checkAssignmentRights(tx: Tx, actor: OfficerContext, operation: VisibleOperation, officerId: string): Promise<OfficerStanding> {
  const [officer] = await tx.run<OfficerStanding>({
    cypher: `MATCH (o:Officer {id: $id})-[:MEMBER_OF]->(:Unit)-[:OF]->(c:Country) RETURN c.code AS country, o.status AS status`,
    params: { id: officerId },
  });
  if (!officer) throw new NotFoundError('officer', officerId);
  const managesThisOfficer = hasRole(actor, 'COORDINATOR', 'NCB_ADMIN') && actor.country === officer.country;
  if (!isLeadManager(actor, operation) && !managesThisOfficer) {
    throw new ForbiddenError(
      `only coordinators and NCB administrators of ${operation.leadCode} or of ${officer.country} manage this assignment`,
    );
  }
  return officer;
}

export async function assignOfficer(
  db: Db,
  actor: OfficerContext,
  operationId: string,
  officerId: string,
  role: string,
  now: Date,
): Promise<void> {
  await db.writeTx(async (tx) => {
    const operation = await visibleOperation(tx, actor, operationId, now);
    const officer = await checkAssignmentRights(tx, actor, operation, officerId);
    const takesPart = officer.country === operation.leadCode || operation.participants.includes(officer.country);
    const problems = [];
    if (!takesPart) {
      problems.push({ field: 'officerId', message: `the officer's country ${officer.country} neither leads nor participates in the operation; invite it first` });
    }
    if (officer.status !== 'ACTIVE') problems.push({ field: 'officerId', message: `the officer is ${officer.status}; only ACTIVE officers are assigned` });
    if (problems.length) throw new BadInputError(`cannot assign: ${problems.map((p) => p.message).join('; ')}`, problems);
    await tx.run({
      cypher: 'MATCH (officer:Officer {id: $officerId}), (o:Operation {id: $operationId}) MERGE (officer)-[a:ASSIGNED_TO]->(o) SET a.role = $role',
      params: { officerId, operationId, role },
    });
  });
}

export async function unassignOfficer(db: Db, actor: OfficerContext, operationId: string, officerId: string, now: Date): Promise<void> {
  await db.writeTx(async (tx) => {
    const operation = await visibleOperation(tx, actor, operationId, now);
    await checkAssignmentRights(tx, actor, operation, officerId);
    await tx.run({
      cypher: 'MATCH (:Officer {id: $officerId})-[a:ASSIGNED_TO]->(:Operation {id: $operationId}) DELETE a',
      params: { officerId, operationId },
    });
  });
}

/** Operations only move forward: PLANNED → ACTIVE → CONCLUDED (PLANNED → CONCLUDED cancels). */
export async function setOperationStatus(db: Db, actor: OfficerContext, operationId: string, status: OperationStatus, now: Date): Promise<void> {
  await db.writeTx(async (tx) => {
    const operation = await visibleOperation(tx, actor, operationId, now);
    requireLeadManager(actor, operation);
    if (OPERATION_STATUSES.indexOf(status) <= OPERATION_STATUSES.indexOf(operation.status)) {
      throw new BadInputError(`an operation that is ${operation.status} cannot become ${status}; statuses only move forward`, [
        { field: 'status', message: `not a forward transition from ${operation.status}` },
      ]);
    }
    await tx.run({
      cypher: 'MATCH (o:Operation {id: $id}) SET o.status = $status, o.statusChangedAt = datetime($now)',
      params: { id: operationId, status, now: now.toISOString() },
    });
  });
}

export interface UpdateInput {
  id: string;
  kind: string;
  text: string;
  classification: Level;
  metrics: Partial<Metrics>;
}

export interface PostedUpdate {
  id: string;
  seq: number;
  /** False when the client id replayed an update posted before. */
  created: boolean;
  /** The committed update, as the feeds read it; only when created. */
  record: UpdateRecord | null;
}

/**
 * Posts an update owned by the author's country, on an ACTIVE operation, by an officer
 * assigned to it or managing it for the lead country. The global sequence number is taken in
 * the same transaction, so seq order is commit order for subscribers resuming with `after`.
 */
export async function postOperationUpdate(db: Db, author: OfficerContext, operationId: string, input: UpdateInput, now: Date): Promise<PostedUpdate> {
  if (levelRank(input.classification) > author.clearanceRank) {
    throw new ForbiddenError('an officer cannot classify an update above their own clearance');
  }
  const hash = inputHash(author.officerId, { operationId, ...input });
  return db.writeTx(async (tx) => {
    if ((await checkClientId(tx, 'OperationUpdate', input.id, hash)) === 'replay') {
      const [row] = await tx.run<{ seq: number }>({ cypher: 'MATCH (u:OperationUpdate {id: $id}) RETURN u.seq AS seq', params: { id: input.id } });
      return { id: input.id, seq: row.seq, created: false, record: null };
    }
    const operation = await visibleOperation(tx, author, operationId, now);
    if (!operation.actorAssigned && !isLeadManager(author, operation)) {
      throw new ForbiddenError(`only officers assigned to the operation, or its coordinators in ${operation.leadCode}, post updates`);
    }
    if (operation.status !== 'ACTIVE') {
      throw new BadInputError(`the operation is ${operation.status}; updates are posted only while it is ACTIVE`, [
        { field: 'operationId', message: `operation is ${operation.status}` },
      ]);
    }
    const metrics = Object.fromEntries(METRIC_NAMES.map((name) => [name, input.metrics[name] ?? null]));
    const [row] = await tx.run<{ seq: number; record: UpdateRecord }>({
      cypher: `MERGE (s:Sequence {name: 'updates'})
SET s.value = coalesce(s.value, 0) + 1
WITH s.value AS seq
MATCH (o:Operation {id: $operationId}), (author:Officer {id: $author}), (owner:Country {code: $owner})
CREATE (u:OperationUpdate {id: $id})
SET u += $metrics, u.kind = $kind, u.text = $text, u.classification = $classification, u.classRank = $classRank,
    u.ownerCode = $owner, u.relMode = 'NETWORK', u.relCountries = [], u.operationId = $operationId,
    u.expiresAt = null, u.seq = seq, u.postedAt = datetime($now), u.clientHash = $hash
CREATE (u)-[:ON]->(o), (u)-[:AUTHORED_BY]->(author), (u)-[:OWNED_BY]->(owner)
RETURN seq, ${updateProjection('u')} AS record`,
      params: {
        id: input.id,
        kind: input.kind,
        text: input.text,
        classification: input.classification,
        classRank: levelRank(input.classification),
        owner: author.country,
        author: author.officerId,
        operationId,
        metrics,
        hash,
        now: now.toISOString(),
      },
    });
    return { id: input.id, seq: row.seq, created: true, record: row.record };
  });
}
