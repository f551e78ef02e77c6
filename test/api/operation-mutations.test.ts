import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../src/graph/db';
import type { ImportFile } from '../../src/import/types';
import type { HubEvent } from '../../src/subscriptions/bus';
import { expectCode, expectOk, startCachingHub, type Caller } from '../support/actors';
import { uniquePrefix } from '../support/db';
import type { TestHub } from '../support/hub';
import { worldBuilder } from '../support/world';

/**
 * Operation mutations through the real HTTP hub. Countries QM (lead), QN (participant) and
 * QO (outsider) belong to this file; QP is never created (the unknown country). Policy contexts
 * are cached for ten minutes, so every "next request" result proves an invalidation.
 */
const { id, members, officer } = worldBuilder(uniquePrefix('opm'));

function world(): ImportFile {
  return {
    ...members(['QM', 'QN', 'QO']),
    officers: [
      officer('mCoord', 'QM', ['COORDINATOR']),
      officer('mAdmin', 'QM', ['NCB_ADMIN']),
      officer('mOfficer', 'QM', ['OFFICER'], { clearance: 'RESTRICTED' }),
      officer('mOfficer2', 'QM', ['OFFICER']),
      officer('mAnalyst', 'QM', ['ANALYST']),
      officer('mNet', 'QM', ['NETWORK_ADMIN']),
      officer('mOversight', 'QM', ['OVERSIGHT']),
      officer('mNomCoord', 'QM', ['COORDINATOR'], { status: 'NOMINATED' }),
      officer('mNominated', 'QM', ['OFFICER'], { status: 'NOMINATED' }),
      officer('nCoord', 'QN', ['COORDINATOR']),
      officer('nOfficer', 'QN', ['OFFICER']),
      officer('nOfficer2', 'QN', ['OFFICER']),
      officer('oCoord', 'QO', ['COORDINATOR']),
      officer('oOfficer', 'QO', ['OFFICER']),
    ],
    operations: [
      { id: id('active'), codename: 'ACTIVE OP', leadCountry: 'QM', status: 'ACTIVE', visibility: 'PARTICIPANTS', participants: ['QN'],
        assignments: [{ officer: id('mOfficer') }, { officer: id('nOfficer') }] },
      { id: id('planned'), codename: 'PLANNED OP', leadCountry: 'QM', status: 'PLANNED', visibility: 'PARTICIPANTS', participants: ['QN'],
        assignments: [{ officer: id('mOfficer') }] },
      { id: id('concluded'), codename: 'CONCLUDED OP', leadCountry: 'QM', status: 'CONCLUDED', visibility: 'PARTICIPANTS', participants: [],
        assignments: [{ officer: id('mOfficer') }] },
      { id: id('hidden'), codename: 'HIDDEN OP', leadCountry: 'QO', status: 'ACTIVE', visibility: 'PARTICIPANTS', participants: [], assignments: [] },
      { id: id('oNetwork'), codename: 'O NETWORK OP', leadCountry: 'QO', status: 'ACTIVE', visibility: 'NETWORK', participants: [], assignments: [] },
    ],
    updates: [
      { id: id('up-official'), operation: id('active'), author: id('mOfficer'), kind: 'CHECK', text: 'checkpoint', classification: 'OFFICIAL',
        postedAt: '2026-01-10T00:00:00Z', metrics: { checks: 10 } },
    ],
  } as ImportFile;
}

const OP = 'id codename objective status visibility startsAt endsAt leadCountry { code } participants { code } assignments { role officer { id } }';
const CREATE = `mutation($input: OperationInput!) { createOperation(input: $input) { ${OP} } }`;
const READ = `query($id: ID!) { operation(id: $id) { ${OP} updates { totalCount } } }`;
const INVITE = `mutation($op: ID!, $c: String!) { inviteCountry(operationId: $op, countryCode: $c) { id participants { code } } }`;
const ASSIGN = `mutation($op: ID!, $o: ID!, $role: String) { assignOfficer(operationId: $op, officerId: $o, role: $role) { id assignments { role officer { id } } } }`;
const UNASSIGN = `mutation($op: ID!, $o: ID!) { unassignOfficer(operationId: $op, officerId: $o) { id assignments { role officer { id } } } }`;
const STATUS = `mutation($op: ID!, $s: OperationStatus!) { setOperationStatus(operationId: $op, status: $s) { id status } }`;
const POST = `mutation($op: ID!, $input: OperationUpdateInput!) { postOperationUpdate(operationId: $op, input: $input) {
  id kind text classification postedAt cursor owner { code } author { id } operation { id }
  metrics { arrests migrantsDetected victimsRescued checks seizures } } }`;

type Op = { id: string; codename: string; status: string; visibility: string; startsAt: string | null; endsAt: string | null;
  leadCountry: { code: string }; participants: { code: string }[]; assignments: { role: string; officer: { id: string } }[];
  updates?: { totalCount: number } };

let t: TestHub, db: Db, as: Caller, events: HubEvent[];
beforeAll(async () => ({ t, db, as, events } = await startCachingHub(world())));

afterAll(() => t?.stop());

const read = async (officer: string, opId: string) => (await as<{ operation: Op | null }>(officer, READ, { id: opId })).data?.operation ?? null;
const count = async (cypher: string, params: Record<string, unknown>) => (await db.read<{ n: number }>({ cypher, params }))[0].n;
const codes = (op: { participants: { code: string }[] }) => op.participants.map((c) => c.code);
const assigned = (op: { assignments: { role: string; officer: { id: string } }[] }) =>
  Object.fromEntries(op.assignments.map((a) => [a.officer.id, a.role]));
/** NOT_FOUND messages compared with the id taken out: unknown and invisible must read alike. */
const shape = (message: string, opId: string) => message.replace(JSON.stringify(opId), '<id>');

async function newOperation(name: string, extra: Record<string, unknown> = {}): Promise<string> {
  const data = expectOk(await as<{ createOperation: Op }>(id('mCoord'), CREATE, { input: { id: id(name), codename: name, participants: ['QN'], ...extra } }));
  return data.createOperation.id;
}

describe('createOperation', () => {
  it('a coordinator creates a PLANNED operation led by their country with the participants and dates given', async () => {
    const input = { id: id('c1'), codename: 'TURQUESA TEST', objective: 'dismantle', visibility: 'NETWORK',
      startsAt: '2026-03-01T00:00:00.000Z', endsAt: '2026-03-05T00:00:00.000Z', participants: ['QN', 'QO'] };
    const created = expectOk(await as<{ createOperation: Op }>(id('mCoord'), CREATE, { input })).createOperation;
    expect(created).toMatchObject({ id: id('c1'), codename: 'TURQUESA TEST', status: 'PLANNED', visibility: 'NETWORK',
      startsAt: input.startsAt, endsAt: input.endsAt, leadCountry: { code: 'QM' }, assignments: [] });
    expect(codes(created)).toEqual(['QN', 'QO']);
    expect(await read(id('oOfficer'), id('c1'))).toMatchObject({ codename: 'TURQUESA TEST', leadCountry: { code: 'QM' } });
  });

  it('visibility defaults to PARTICIPANTS: a participant sees the operation on its next request, an outsider does not', async () => {
    expect(await read(id('nOfficer'), id('active'))).not.toBeNull(); // caches nOfficer's context before the change
    const opId = await newOperation('c2');
    expect((await read(id('mCoord'), opId))?.visibility).toBe('PARTICIPANTS');
    expect(await read(id('nOfficer'), opId)).not.toBeNull();
    expect(await read(id('oOfficer'), opId)).toBeNull();
  });

  it('an NCB administrator may create an operation', async () => {
    const data = expectOk(await as<{ createOperation: Op }>(id('mAdmin'), CREATE, { input: { id: id('c3'), codename: 'BY ADMIN' } }));
    expect(data.createOperation.leadCountry.code).toBe('QM');
  });

  it('officers, analysts, network administrators, oversight, a nominated coordinator and partners are FORBIDDEN, and nothing is written', async () => {
    for (const who of ['mOfficer', 'mAnalyst', 'mNet', 'mOversight', 'mNomCoord']) {
      expectCode(await as(id(who), CREATE, { input: { id: id(`refused-${who}`), codename: 'NO' } }), 'FORBIDDEN');
    }
    const partner = await t.gql(await t.token(`partner:${id('partner')}`), CREATE, { input: { id: id('refused-partner'), codename: 'NO' } });
    expectCode(partner, 'FORBIDDEN');
    expect(await count('MATCH (o:Operation) WHERE o.id STARTS WITH $prefix RETURN count(o) AS n', { prefix: id('refused-') })).toBe(0);
  });

  it('the same client id and input twice create one operation, returned both times', async () => {
    const input = { id: id('idem'), codename: 'IDEMPOTENT', participants: ['QN'] };
    const first = expectOk(await as<{ createOperation: Op }>(id('mCoord'), CREATE, { input })).createOperation;
    const second = expectOk(await as<{ createOperation: Op }>(id('mCoord'), CREATE, { input })).createOperation;
    expect(second).toEqual(first);
    expect(await count('MATCH (o:Operation {id: $id})-[:LED_BY]->() RETURN count(*) AS n', { id: id('idem') })).toBe(1);
    expect(await count('MATCH (:Country)-[p:PARTICIPATES_IN]->(:Operation {id: $id}) RETURN count(p) AS n', { id: id('idem') })).toBe(1);
  });

  it('a different input under a used client id is a CONFLICT and changes nothing', async () => {
    await newOperation('conflict');
    expectCode(await as(id('mCoord'), CREATE, { input: { id: id('conflict'), codename: 'OTHER' } }), 'CONFLICT');
    expect((await read(id('mCoord'), id('conflict')))?.codename).toBe('conflict');
  });

  it('an unknown participant country is NOT_FOUND naming the code, and nothing is written', async () => {
    const message = expectCode(await as(id('mCoord'), CREATE, { input: { id: id('unknown-c'), codename: 'X', participants: ['QN', 'QP'] } }), 'NOT_FOUND');
    expect(message).toContain('"QP"');
    expect(await count('MATCH (o:Operation {id: $id}) RETURN count(o) AS n', { id: id('unknown-c') })).toBe(0);
  });

  it('endsAt before startsAt is BAD_USER_INPUT, and nothing is written', async () => {
    const response = await as(id('mCoord'), CREATE, {
      input: { id: id('dates'), codename: 'DATES', startsAt: '2026-03-05T00:00:00Z', endsAt: '2026-03-01T00:00:00Z' },
    });
    expectCode(response, 'BAD_USER_INPUT');
    expect(response.errors![0].extensions!.problems).toEqual([expect.objectContaining({ field: 'endsAt' })]);
    expect(await count('MATCH (o:Operation {id: $id}) RETURN count(o) AS n', { id: id('dates') })).toBe(0);
  });

  it('an empty or over-long codename, a malformed id, a bad country code and the lead as participant are each named in one BAD_USER_INPUT', async () => {
    const response = await as(id('mCoord'), CREATE, {
      input: { id: 'bad id!', codename: 'x'.repeat(201), objective: 'y'.repeat(5001), participants: ['qn', 'QM'] },
    });
    expectCode(response, 'BAD_USER_INPUT');
    const fields = (response.errors![0].extensions!.problems as { field: string }[]).map((problem) => problem.field);
    expect(fields).toEqual(expect.arrayContaining(['id', 'codename', 'objective', 'participants[0]', 'participants']));
    expectCode(await as(id('mCoord'), CREATE, { input: { id: id('empty'), codename: '  ' } }), 'BAD_USER_INPUT');
    expect(await count('MATCH (o:Operation {id: $id}) RETURN count(o) AS n', { id: id('empty') })).toBe(0);
  });

  it('an invalid visibility, a non-string codename and a malformed date are GraphQL BAD_USER_INPUT', async () => {
    expectCode(await as(id('mCoord'), CREATE, { input: { codename: 'V', visibility: 'SECRET' } }), 'BAD_USER_INPUT');
    expectCode(await as(id('mCoord'), CREATE, { input: { codename: 42 } }), 'BAD_USER_INPUT');
    expectCode(await as(id('mCoord'), CREATE, { input: { codename: 'D', startsAt: 'next tuesday' } }), 'BAD_USER_INPUT');
  });

  it('announces a policy invalidation for everybody', async () => {
    const before = events.length;
    await newOperation('announce');
    expect(events.slice(before)).toContainEqual({ type: 'policy.invalidate', subject: null });
  });
});

describe('inviteCountry', () => {
  it('the lead coordinator invites a country, whose officers see the operation on their next request', async () => {
    const opId = await newOperation('inv1');
    expect(await read(id('oOfficer'), opId)).toBeNull();
    const data = expectOk(await as<{ inviteCountry: Op }>(id('mCoord'), INVITE, { op: opId, c: 'QO' }));
    expect(codes(data.inviteCountry)).toEqual(['QN', 'QO']);
    expect(await read(id('oOfficer'), opId)).not.toBeNull();
  });

  it('inviting a country twice leaves it participating once', async () => {
    const opId = await newOperation('inv2');
    expectOk(await as(id('mAdmin'), INVITE, { op: opId, c: 'QO' }));
    expectOk(await as(id('mAdmin'), INVITE, { op: opId, c: 'QO' }));
    expect(await count('MATCH (:Country {code: "QO"})-[p:PARTICIPATES_IN]->(:Operation {id: $id}) RETURN count(p) AS n', { id: opId })).toBe(1);
  });

  it('a participant\'s coordinator, an officer of the lead country and a network administrator are FORBIDDEN', async () => {
    const opId = await newOperation('inv3');
    for (const who of ['nCoord', 'mOfficer', 'mNet']) expectCode(await as(id(who), INVITE, { op: opId, c: 'QO' }), 'FORBIDDEN');
    expect(codes((await read(id('mCoord'), opId))!)).toEqual(['QN']);
  });

  it('a visible operation led by another country is FORBIDDEN', async () => {
    expectCode(await as(id('mCoord'), INVITE, { op: id('oNetwork'), c: 'QN' }), 'FORBIDDEN');
  });

  it('an invisible operation is NOT_FOUND with the same message as an unknown one', async () => {
    const hidden = expectCode(await as(id('mCoord'), INVITE, { op: id('hidden'), c: 'QN' }), 'NOT_FOUND');
    const unknown = expectCode(await as(id('mCoord'), INVITE, { op: id('nope'), c: 'QN' }), 'NOT_FOUND');
    expect(shape(hidden, id('hidden'))).toBe(shape(unknown, id('nope')));
  });

  it('an unknown country is NOT_FOUND naming it; a malformed code and the lead country are BAD_USER_INPUT', async () => {
    const opId = await newOperation('inv4');
    expect(expectCode(await as(id('mCoord'), INVITE, { op: opId, c: 'QP' }), 'NOT_FOUND')).toContain('"QP"');
    expectCode(await as(id('mCoord'), INVITE, { op: opId, c: 'Qo' }), 'BAD_USER_INPUT');
    expectCode(await as(id('mCoord'), INVITE, { op: opId, c: 'QM' }), 'BAD_USER_INPUT');
    expect(codes((await read(id('mCoord'), opId))!)).toEqual(['QN']);
  });
});

describe('assignOfficer and unassignOfficer', () => {
  it('an assignment takes effect on the officer\'s next request: they read the operation\'s scoped updates, until unassigned', async () => {
    expect((await read(id('nOfficer2'), id('active')))?.updates?.totalCount).toBe(0);
    const data = expectOk(await as<{ assignOfficer: Op }>(id('mCoord'), ASSIGN, { op: id('active'), o: id('nOfficer2'), role: 'LIAISON' }));
    expect(assigned(data.assignOfficer)[id('nOfficer2')]).toBe('LIAISON');
    expect((await read(id('nOfficer2'), id('active')))?.updates?.totalCount).toBe(1);
    const after = expectOk(await as<{ unassignOfficer: Op }>(id('mCoord'), UNASSIGN, { op: id('active'), o: id('nOfficer2') }));
    expect(assigned(after.unassignOfficer)[id('nOfficer2')]).toBeUndefined();
    expect((await read(id('nOfficer2'), id('active')))?.updates?.totalCount).toBe(0);
  });

  it('assigning again changes the role and keeps one assignment; the role defaults to MEMBER', async () => {
    const opId = await newOperation('as1');
    expectOk(await as(id('mCoord'), ASSIGN, { op: opId, o: id('mOfficer2') }));
    expect(assigned((await read(id('mCoord'), opId))!)[id('mOfficer2')]).toBe('MEMBER');
    expectOk(await as(id('mCoord'), ASSIGN, { op: opId, o: id('mOfficer2'), role: 'ANALYST' }));
    expect(assigned((await read(id('mCoord'), opId))!)[id('mOfficer2')]).toBe('ANALYST');
    expect(await count('MATCH (:Officer {id: $o})-[a:ASSIGNED_TO]->(:Operation {id: $op}) RETURN count(a) AS n', { o: id('mOfficer2'), op: opId })).toBe(1);
  });

  it('a coordinator of the officer\'s own participating country assigns and unassigns them', async () => {
    const opId = await newOperation('as2');
    expectOk(await as(id('nCoord'), ASSIGN, { op: opId, o: id('nOfficer2') }));
    expect(assigned((await read(id('mCoord'), opId))!)[id('nOfficer2')]).toBe('MEMBER');
    expectOk(await as(id('nCoord'), UNASSIGN, { op: opId, o: id('nOfficer2') }));
    expect(assigned((await read(id('mCoord'), opId))!)[id('nOfficer2')]).toBeUndefined();
  });

  it('a participant\'s coordinator may not assign or unassign the lead country\'s officers', async () => {
    const opId = await newOperation('as3');
    expectOk(await as(id('mCoord'), ASSIGN, { op: opId, o: id('mOfficer2') }));
    expectCode(await as(id('nCoord'), ASSIGN, { op: opId, o: id('mOfficer') }), 'FORBIDDEN');
    expectCode(await as(id('nCoord'), UNASSIGN, { op: opId, o: id('mOfficer2') }), 'FORBIDDEN');
    expect(Object.keys(assigned((await read(id('mCoord'), opId))!))).toEqual([id('mOfficer2')]);
  });

  it('officers, analysts and network administrators are FORBIDDEN to assign and unassign', async () => {
    const opId = await newOperation('as4');
    for (const who of ['mOfficer', 'mAnalyst', 'mNet']) {
      expectCode(await as(id(who), ASSIGN, { op: opId, o: id('mOfficer2') }), 'FORBIDDEN');
      expectCode(await as(id(who), UNASSIGN, { op: opId, o: id('mOfficer2') }), 'FORBIDDEN');
    }
    expect((await read(id('mCoord'), opId))!.assignments).toEqual([]);
  });

  it('an officer of a country that neither leads nor participates is BAD_USER_INPUT saying so', async () => {
    const opId = await newOperation('as5');
    const message = expectCode(await as(id('mCoord'), ASSIGN, { op: opId, o: id('oOfficer') }), 'BAD_USER_INPUT');
    expect(message).toContain('neither leads nor participates');
    expect((await read(id('mCoord'), opId))!.assignments).toEqual([]);
  });

  it('a NOMINATED officer is BAD_USER_INPUT; an unknown officer is NOT_FOUND', async () => {
    const opId = await newOperation('as6');
    expect(expectCode(await as(id('mCoord'), ASSIGN, { op: opId, o: id('mNominated') }), 'BAD_USER_INPUT')).toContain('NOMINATED');
    expectCode(await as(id('mCoord'), ASSIGN, { op: opId, o: id('ghost') }), 'NOT_FOUND');
    expectCode(await as(id('mCoord'), UNASSIGN, { op: opId, o: id('ghost') }), 'NOT_FOUND');
    expect((await read(id('mCoord'), opId))!.assignments).toEqual([]);
  });

  it('an empty or over-long role is BAD_USER_INPUT', async () => {
    const opId = await newOperation('as7');
    expectCode(await as(id('mCoord'), ASSIGN, { op: opId, o: id('mOfficer2'), role: '' }), 'BAD_USER_INPUT');
    expectCode(await as(id('mCoord'), ASSIGN, { op: opId, o: id('mOfficer2'), role: 'r'.repeat(101) }), 'BAD_USER_INPUT');
    expect((await read(id('mCoord'), opId))!.assignments).toEqual([]);
  });

  it('an invisible operation is NOT_FOUND like an unknown one, for assign and unassign', async () => {
    const hidden = expectCode(await as(id('mCoord'), ASSIGN, { op: id('hidden'), o: id('mOfficer2') }), 'NOT_FOUND');
    const unknown = expectCode(await as(id('mCoord'), ASSIGN, { op: id('nope'), o: id('mOfficer2') }), 'NOT_FOUND');
    expect(shape(hidden, id('hidden'))).toBe(shape(unknown, id('nope')));
    expectCode(await as(id('mCoord'), UNASSIGN, { op: id('hidden'), o: id('mOfficer2') }), 'NOT_FOUND');
  });

  it('unassigning an officer who is not assigned changes nothing and succeeds', async () => {
    const opId = await newOperation('as8');
    expect(expectOk(await as<{ unassignOfficer: Op }>(id('mCoord'), UNASSIGN, { op: opId, o: id('mOfficer2') })).unassignOfficer.assignments).toEqual([]);
  });
});

describe('setOperationStatus', () => {
  it('moves PLANNED → ACTIVE → CONCLUDED', async () => {
    const opId = await newOperation('st1');
    expect(expectOk(await as<{ setOperationStatus: Op }>(id('mCoord'), STATUS, { op: opId, s: 'ACTIVE' })).setOperationStatus.status).toBe('ACTIVE');
    expect(expectOk(await as<{ setOperationStatus: Op }>(id('mAdmin'), STATUS, { op: opId, s: 'CONCLUDED' })).setOperationStatus.status).toBe('CONCLUDED');
    expect((await read(id('nOfficer'), opId))?.status).toBe('CONCLUDED');
  });

  it('allows PLANNED → CONCLUDED', async () => {
    const opId = await newOperation('st2');
    expectOk(await as(id('mCoord'), STATUS, { op: opId, s: 'CONCLUDED' }));
    expect((await read(id('mCoord'), opId))?.status).toBe('CONCLUDED');
  });

  it('refuses backward and same-status transitions with BAD_USER_INPUT, leaving the status', async () => {
    const opId = await newOperation('st3');
    expectCode(await as(id('mCoord'), STATUS, { op: opId, s: 'PLANNED' }), 'BAD_USER_INPUT');
    expectOk(await as(id('mCoord'), STATUS, { op: opId, s: 'ACTIVE' }));
    expectCode(await as(id('mCoord'), STATUS, { op: opId, s: 'PLANNED' }), 'BAD_USER_INPUT');
    expectCode(await as(id('mCoord'), STATUS, { op: opId, s: 'ACTIVE' }), 'BAD_USER_INPUT');
    expect((await read(id('mCoord'), opId))?.status).toBe('ACTIVE');
    expectCode(await as(id('mCoord'), STATUS, { op: id('concluded'), s: 'ACTIVE' }), 'BAD_USER_INPUT');
  });

  it('is FORBIDDEN to a participant\'s coordinator and to officers of the lead country, and an unknown status is BAD_USER_INPUT', async () => {
    const opId = await newOperation('st4');
    for (const who of ['nCoord', 'mOfficer', 'mNet']) expectCode(await as(id(who), STATUS, { op: opId, s: 'ACTIVE' }), 'FORBIDDEN');
    expectCode(await as(id('mCoord'), STATUS, { op: opId, s: 'PAUSED' }), 'BAD_USER_INPUT');
    expect((await read(id('mCoord'), opId))?.status).toBe('PLANNED');
  });

  it('an invisible operation is NOT_FOUND like an unknown one', async () => {
    const hidden = expectCode(await as(id('mCoord'), STATUS, { op: id('hidden'), s: 'CONCLUDED' }), 'NOT_FOUND');
    const unknown = expectCode(await as(id('mCoord'), STATUS, { op: id('nope'), s: 'CONCLUDED' }), 'NOT_FOUND');
    expect(shape(hidden, id('hidden'))).toBe(shape(unknown, id('nope')));
  });
});

describe('postOperationUpdate', () => {
  type Posted = { postOperationUpdate: { id: string; kind: string; text: string; classification: string; cursor: string; postedAt: string;
    owner: { code: string }; author: { id: string }; operation: { id: string }; metrics: Record<string, number> | null } };
  const update = (name: string, extra: Record<string, unknown> = {}) => ({ id: id(name), kind: 'ARREST', text: `text ${name}`, classification: 'OFFICIAL', ...extra });
  const stored = async (updateId: string) =>
    (await db.read<{ u: Record<string, unknown>; on: string; author: string; owner: string }>({
      cypher: `MATCH (u:OperationUpdate {id: $id})-[:ON]->(o:Operation), (u)-[:AUTHORED_BY]->(a:Officer), (u)-[:OWNED_BY]->(c:Country)
RETURN properties(u) AS u, o.id AS on, a.id AS author, c.code AS owner`,
      params: { id: updateId },
    }))[0];

  it('an assigned officer posts an update, stored as the graph model says and read back with its metrics', async () => {
    const before = events.length;
    const input = update('u1', { metrics: { arrests: 2, victimsRescued: 1 } });
    const posted = expectOk(await as<Posted>(id('mOfficer'), POST, { op: id('active'), input })).postOperationUpdate;
    expect(posted).toMatchObject({ id: id('u1'), kind: 'ARREST', text: 'text u1', classification: 'OFFICIAL', owner: { code: 'QM' },
      author: { id: id('mOfficer') }, operation: { id: id('active') },
      metrics: { arrests: 2, migrantsDetected: 0, victimsRescued: 1, checks: 0, seizures: 0 } });
    const row = await stored(id('u1'));
    expect(row).toMatchObject({ on: id('active'), author: id('mOfficer'), owner: 'QM' });
    expect(row.u).toMatchObject({ ownerCode: 'QM', classRank: 1, relMode: 'NETWORK', relCountries: [], operationId: id('active'), arrests: 2, victimsRescued: 1 });
    expect(row.u.expiresAt ?? null).toBeNull();
    expect(row.u.migrantsDetected ?? null).toBeNull();
    expect(Math.abs(Date.parse(posted.postedAt) - Date.now())).toBeLessThan(60_000);
    expect(events.slice(before)).toEqual([{ type: 'update.posted', operationId: id('active'), updateId: id('u1'), seq: row.u.seq }]);
  });

  it('each new update takes the next sequence number', async () => {
    expectOk(await as(id('mOfficer'), POST, { op: id('active'), input: update('seq1') }));
    expectOk(await as(id('nOfficer'), POST, { op: id('active'), input: update('seq2') }));
    const [a, b] = [await stored(id('seq1')), await stored(id('seq2'))];
    expect(b.u.seq as number).toBeGreaterThan(a.u.seq as number);
    expect(b.owner).toBe('QN');
  });

  it('the lead country\'s coordinator posts without being assigned', async () => {
    expect(expectOk(await as<Posted>(id('mCoord'), POST, { op: id('active'), input: update('lead') })).postOperationUpdate.author.id).toBe(id('mCoord'));
  });

  it('an unassigned officer, a participant\'s unassigned coordinator, and roles that read no content are FORBIDDEN', async () => {
    for (const who of ['mOfficer2', 'nCoord', 'mNet', 'mOversight', 'mNominated']) {
      expectCode(await as(id(who), POST, { op: id('active'), input: update(`refused-${who}`) }), 'FORBIDDEN');
    }
    expect(await count('MATCH (u:OperationUpdate) WHERE u.id STARTS WITH $prefix RETURN count(u) AS n', { prefix: id('refused-') })).toBe(0);
  });

  it('a classification above the author\'s clearance is FORBIDDEN, and nothing is written', async () => {
    expectCode(await as(id('mOfficer'), POST, { op: id('active'), input: update('toohigh', { classification: 'CONFIDENTIAL' }) }), 'FORBIDDEN');
    expect(await count('MATCH (u:OperationUpdate {id: $id}) RETURN count(u) AS n', { id: id('toohigh') })).toBe(0);
  });

  it('PLANNED and CONCLUDED operations take no updates: BAD_USER_INPUT', async () => {
    expect(expectCode(await as(id('mOfficer'), POST, { op: id('planned'), input: update('pl') }), 'BAD_USER_INPUT')).toContain('PLANNED');
    expect(expectCode(await as(id('mOfficer'), POST, { op: id('concluded'), input: update('co') }), 'BAD_USER_INPUT')).toContain('CONCLUDED');
    expect(await count('MATCH (u:OperationUpdate) WHERE u.id IN $ids RETURN count(u) AS n', { ids: [id('pl'), id('co')] })).toBe(0);
  });

  it('negative metrics, an empty text and an over-long kind are named in one BAD_USER_INPUT, and nothing is written', async () => {
    const response = await as(id('mOfficer'), POST, {
      op: id('active'), input: update('bad', { kind: 'k'.repeat(101), text: ' ', metrics: { arrests: -1, seizures: -3, checks: 2 } }),
    });
    expectCode(response, 'BAD_USER_INPUT');
    const fields = (response.errors![0].extensions!.problems as { field: string }[]).map((problem) => problem.field);
    expect(fields.sort()).toEqual(['kind', 'metrics.arrests', 'metrics.seizures', 'text']);
    expect(await count('MATCH (u:OperationUpdate {id: $id}) RETURN count(u) AS n', { id: id('bad') })).toBe(0);
  });

  it('an invalid classification or a non-integer metric is GraphQL BAD_USER_INPUT', async () => {
    expectCode(await as(id('mOfficer'), POST, { op: id('active'), input: update('e1', { classification: 'TOP_SECRET' }) }), 'BAD_USER_INPUT');
    expectCode(await as(id('mOfficer'), POST, { op: id('active'), input: update('e2', { metrics: { arrests: 1.5 } }) }), 'BAD_USER_INPUT');
    expect(await count('MATCH (u:OperationUpdate) WHERE u.id IN $ids RETURN count(u) AS n', { ids: [id('e1'), id('e2')] })).toBe(0);
  });

  it('the same client id and input twice post one update, announced once', async () => {
    const before = events.length;
    const input = update('idem', { metrics: { checks: 4 } });
    const first = expectOk(await as<Posted>(id('mOfficer'), POST, { op: id('active'), input })).postOperationUpdate;
    const second = expectOk(await as<Posted>(id('mOfficer'), POST, { op: id('active'), input })).postOperationUpdate;
    expect(second).toEqual(first);
    expect(await count('MATCH (u:OperationUpdate {id: $id}) RETURN count(u) AS n', { id: id('idem') })).toBe(1);
    expect(events.slice(before).filter((event) => event.type === 'update.posted')).toHaveLength(1);
  });

  it('a different input under a used client id is a CONFLICT', async () => {
    expectOk(await as(id('mOfficer'), POST, { op: id('active'), input: update('conf') }));
    expectCode(await as(id('mOfficer'), POST, { op: id('active'), input: update('conf', { text: 'changed' }) }), 'CONFLICT');
    expect((await stored(id('conf'))).u.text).toBe('text conf');
  });

  it('an invisible operation is NOT_FOUND like an unknown one', async () => {
    const hidden = expectCode(await as(id('mOfficer'), POST, { op: id('hidden'), input: update('h1') }), 'NOT_FOUND');
    const unknown = expectCode(await as(id('mOfficer'), POST, { op: id('nope'), input: update('h2') }), 'NOT_FOUND');
    expect(shape(hidden, id('hidden'))).toBe(shape(unknown, id('nope')));
  });
});
