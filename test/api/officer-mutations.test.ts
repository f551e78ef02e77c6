import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../src/graph/db';
import type { ImportFile } from '../../src/import/types';
import type { HubEvent } from '../../src/subscriptions/bus';
import { expectCode, expectOk, startCachingHub, type Caller } from '../support/actors';
import { uniquePrefix } from '../support/db';
import type { TestHub } from '../support/hub';
import { worldBuilder } from '../support/world';

/**
 * Officer mutations through the real HTTP hub, on countries QM and QN (shared with the
 * operation tests, same settings). Policy contexts are cached for ten minutes, so every
 * "next request" result proves an invalidation.
 */
const { id, members, officer } = worldBuilder(uniquePrefix('offm'));

function world(): ImportFile {
  return {
    ...members(['QM', 'QN']),
    officers: [
      officer('mAdmin', 'QM', ['NCB_ADMIN']),
      officer('mAdmin2', 'QM', ['NCB_ADMIN']),
      officer('mCoord', 'QM', ['COORDINATOR']),
      officer('mOversight', 'QM', ['OVERSIGHT']),
      officer('nAdmin', 'QN', ['NCB_ADMIN']),
      officer('net', 'QN', ['NETWORK_ADMIN']),
      officer('mNom1', 'QM', ['OFFICER'], { status: 'NOMINATED' }),
      officer('mNom2', 'QM', ['OFFICER'], { status: 'NOMINATED' }),
      officer('mActive1', 'QM', ['OFFICER']),
      officer('mActive2', 'QM', ['OFFICER']),
      officer('mActive3', 'QM', ['OFFICER']),
      officer('mLow', 'QM', ['OFFICER'], { clearance: 'OFFICIAL' }),
    ],
    operations: [
      { id: id('op'), codename: 'NETWORK OP', leadCountry: 'QM', status: 'ACTIVE', visibility: 'NETWORK', participants: [], assignments: [] },
    ],
    updates: [
      { id: id('restricted'), operation: id('op'), author: id('mActive1'), kind: 'NOTE', text: 'restricted note', classification: 'RESTRICTED',
        postedAt: '2026-01-10T00:00:00Z' },
    ],
  } as ImportFile;
}

const OFFICER = 'id name email phone rank roles clearance status unit { id } country { code }';
const NOMINATE = `mutation($input: NominationInput!) { nominateOfficer(input: $input) { ${OFFICER} } }`;
const ACTIVATE = `mutation($o: ID!) { activateOfficer(officerId: $o) { id status } }`;
const SUSPEND = `mutation($o: ID!, $r: String!) { suspendOfficer(officerId: $o, reason: $r) { id status } }`;
const CLEARANCE = `mutation($o: ID!, $c: Level!) { setClearance(officerId: $o, clearance: $c) { id clearance } }`;
const READ = `query($id: ID!) { officer(id: $id) { ${OFFICER} } }`;
const OPERATION = `query($id: ID!) { operation(id: $id) { id updates { totalCount } } }`;

type OfficerData = { id: string; name: string; email: string | null; phone: string | null; rank: string | null; roles: string[];
  clearance: string; status: string; unit: { id: string }; country: { code: string } };

let t: TestHub, db: Db, as: Caller, events: HubEvent[];
beforeAll(async () => ({ t, db, as, events } = await startCachingHub(world())));

afterAll(() => t?.stop());

const read = async (officerId: string) => (await as<{ officer: OfficerData | null }>(id('mCoord'), READ, { id: officerId })).data?.officer ?? null;
const seesOperation = async (officer: string) => (await as<{ operation: { updates: { totalCount: number } } | null }>(officer, OPERATION, { id: id('op') })).data?.operation ?? null;
const nomination = (name: string, extra: Record<string, unknown> = {}) => ({
  id: id(name), unitId: id('u-QM'), name: `Officer ${name}`, email: `${name}@example.org`, phone: '+351 21 000 0000', rank: 'Inspector',
  roles: ['OFFICER', 'ANALYST'], clearance: 'RESTRICTED', ...extra,
});
const exists = async (officerId: string) =>
  (await db.read<{ n: number }>({ cypher: 'MATCH (o:Officer {id: $id}) RETURN count(o) AS n', params: { id: officerId } }))[0].n > 0;

describe('nominateOfficer', () => {
  it('an NCB administrator nominates an officer of their country\'s unit: NOMINATED, with every field given', async () => {
    const created = expectOk(await as<{ nominateOfficer: OfficerData }>(id('mAdmin'), NOMINATE, { input: nomination('n1') })).nominateOfficer;
    const expected = { id: id('n1'), name: 'Officer n1', email: 'n1@example.org', phone: '+351 21 000 0000', rank: 'Inspector',
      roles: ['ANALYST', 'OFFICER'], clearance: 'RESTRICTED', status: 'NOMINATED', unit: { id: id('u-QM') }, country: { code: 'QM' } };
    expect(created).toEqual(expected);
    expect(await read(id('n1'))).toEqual(expected);
  });

  it('a network administrator nominates in any country, including network-wide roles', async () => {
    const created = expectOk(await as<{ nominateOfficer: OfficerData }>(id('net'), NOMINATE, { input: nomination('n2', { roles: ['OVERSIGHT'] }) }));
    expect(created.nominateOfficer).toMatchObject({ status: 'NOMINATED', roles: ['OVERSIGHT'], country: { code: 'QM' } });
  });

  it('an NCB administrator of another country, coordinators, oversight and partners are FORBIDDEN, and nothing is written', async () => {
    for (const who of ['nAdmin', 'mCoord', 'mOversight', 'mActive3']) {
      expectCode(await as(id(who), NOMINATE, { input: nomination(`refused-${who}`) }), 'FORBIDDEN');
      expect(await exists(id(`refused-${who}`))).toBe(false);
    }
    const partner = await t.gql(await t.token(`partner:${id('partner')}`), NOMINATE, { input: nomination('refused-partner') });
    expectCode(partner, 'FORBIDDEN');
    expect(await exists(id('refused-partner'))).toBe(false);
  });

  it('an NCB administrator may not grant network-wide roles (NETWORK_ADMIN, OVERSIGHT)', async () => {
    expectCode(await as(id('mAdmin'), NOMINATE, { input: nomination('n3', { roles: ['NETWORK_ADMIN'] }) }), 'FORBIDDEN');
    expect(await exists(id('n3'))).toBe(false);
  });

  it('a malformed e-mail, an empty role list, an over-long name, a bad phone and a malformed id are named in one BAD_USER_INPUT', async () => {
    const response = await as(id('mAdmin'), NOMINATE, {
      input: nomination('bad', { id: 'no spaces please', email: 'not-an-email', roles: [], name: 'x'.repeat(201), phone: 'call me' }),
    });
    expectCode(response, 'BAD_USER_INPUT');
    const fields = (response.errors![0].extensions!.problems as { field: string }[]).map((problem) => problem.field);
    expect(fields.sort()).toEqual(['email', 'id', 'name', 'phone', 'roles']);
    expectCode(await as(id('mAdmin'), NOMINATE, { input: nomination('bad2', { email: 'a@b' }) }), 'BAD_USER_INPUT');
    expect(await exists(id('bad2'))).toBe(false);
  });

  it('an unknown role or clearance, or a missing name, is GraphQL BAD_USER_INPUT', async () => {
    expectCode(await as(id('mAdmin'), NOMINATE, { input: nomination('e1', { roles: ['CHIEF'] }) }), 'BAD_USER_INPUT');
    expectCode(await as(id('mAdmin'), NOMINATE, { input: nomination('e2', { clearance: 'SECRET' }) }), 'BAD_USER_INPUT');
    const { name: _name, ...nameless } = nomination('e3');
    expectCode(await as(id('mAdmin'), NOMINATE, { input: nameless }), 'BAD_USER_INPUT');
    for (const name of ['e1', 'e2', 'e3']) expect(await exists(id(name))).toBe(false);
  });

  it('an unknown unit is NOT_FOUND', async () => {
    expect(expectCode(await as(id('mAdmin'), NOMINATE, { input: nomination('n4', { unitId: id('no-unit') }) }), 'NOT_FOUND')).toContain(id('no-unit'));
  });

  it('the same client id and input twice nominate one officer; a different input under it is a CONFLICT', async () => {
    const first = expectOk(await as(id('mAdmin'), NOMINATE, { input: nomination('idem') }));
    expect(expectOk(await as(id('mAdmin'), NOMINATE, { input: nomination('idem') }))).toEqual(first);
    expectCode(await as(id('mAdmin'), NOMINATE, { input: nomination('idem', { name: 'Someone else' }) }), 'CONFLICT');
    expect((await read(id('idem')))?.name).toBe('Officer idem');
  });
});

describe('activateOfficer', () => {
  it('an NCB administrator activates a NOMINATED officer, who reads on their very next request', async () => {
    expect(await seesOperation(id('mNom1'))).toBeNull(); // caches the NOMINATED context
    const before = events.length;
    expect(expectOk(await as<{ activateOfficer: OfficerData }>(id('mAdmin'), ACTIVATE, { o: id('mNom1') })).activateOfficer.status).toBe('ACTIVE');
    expect(events.slice(before)).toContainEqual({ type: 'policy.invalidate', subject: id('mNom1') });
    expect(await seesOperation(id('mNom1'))).not.toBeNull();
  });

  it('a network administrator activates an officer of another country', async () => {
    expect(expectOk(await as<{ activateOfficer: OfficerData }>(id('net'), ACTIVATE, { o: id('mNom2') })).activateOfficer.status).toBe('ACTIVE');
  });

  it('activating an ACTIVE officer leaves them ACTIVE', async () => {
    expect(expectOk(await as<{ activateOfficer: OfficerData }>(id('mAdmin'), ACTIVATE, { o: id('mActive3') })).activateOfficer.status).toBe('ACTIVE');
  });

  it('an NCB administrator of another country, a coordinator and oversight are FORBIDDEN; an unknown officer is NOT_FOUND', async () => {
    const target = id('n-act');
    expectOk(await as(id('mAdmin'), NOMINATE, { input: nomination('n-act') }));
    for (const who of ['nAdmin', 'mCoord', 'mOversight']) expectCode(await as(id(who), ACTIVATE, { o: target }), 'FORBIDDEN');
    expect((await read(target))?.status).toBe('NOMINATED');
    expectCode(await as(id('mAdmin'), ACTIVATE, { o: id('ghost') }), 'NOT_FOUND');
  });
});

describe('suspendOfficer', () => {
  it('stores the reason and time, and the officer\'s very next request is FORBIDDEN until reactivated', async () => {
    expect((await as(id('mActive1'), OPERATION, { id: id('op') })).errors).toBeUndefined();
    expect(expectOk(await as<{ suspendOfficer: OfficerData }>(id('mAdmin'), SUSPEND, { o: id('mActive1'), r: 'under investigation' })).suspendOfficer.status).toBe('SUSPENDED');
    const [stored] = await db.read<{ reason: string; at: string; by: string }>({
      cypher: 'MATCH (o:Officer {id: $id}) RETURN o.suspensionReason AS reason, o.suspendedAt AS at, o.suspendedBy AS by',
      params: { id: id('mActive1') },
    });
    expect(stored).toMatchObject({ reason: 'under investigation', by: id('mAdmin') });
    expect(Math.abs(Date.parse(stored.at) - Date.now())).toBeLessThan(60_000);
    const refused = await as(id('mActive1'), OPERATION, { id: id('op') });
    expectCode(refused, 'FORBIDDEN');
    expect(refused.status).toBe(403);
    expectOk(await as(id('mAdmin'), ACTIVATE, { o: id('mActive1') }));
    expect(await seesOperation(id('mActive1'))).not.toBeNull();
  });

  it('a network administrator suspends an officer of another country', async () => {
    expect(expectOk(await as<{ suspendOfficer: OfficerData }>(id('net'), SUSPEND, { o: id('mActive2'), r: 'audit' })).suspendOfficer.status).toBe('SUSPENDED');
  });

  it('nobody suspends themselves', async () => {
    expectCode(await as(id('mAdmin2'), SUSPEND, { o: id('mAdmin2'), r: 'oops' }), 'FORBIDDEN');
    expect((await read(id('mAdmin2')))?.status).toBe('ACTIVE');
  });

  it('an NCB administrator of another country, a coordinator and oversight are FORBIDDEN; an unknown officer is NOT_FOUND', async () => {
    for (const who of ['nAdmin', 'mCoord', 'mOversight']) expectCode(await as(id(who), SUSPEND, { o: id('mActive3'), r: 'no' }), 'FORBIDDEN');
    expect((await read(id('mActive3')))?.status).toBe('ACTIVE');
    expectCode(await as(id('mAdmin'), SUSPEND, { o: id('ghost'), r: 'no' }), 'NOT_FOUND');
  });

  it('an empty, over-long or missing reason is BAD_USER_INPUT, and the officer stays ACTIVE', async () => {
    expectCode(await as(id('mAdmin'), SUSPEND, { o: id('mActive3'), r: '   ' }), 'BAD_USER_INPUT');
    expectCode(await as(id('mAdmin'), SUSPEND, { o: id('mActive3'), r: 'r'.repeat(2001) }), 'BAD_USER_INPUT');
    expectCode(await as(id('mAdmin'), `mutation($o: ID!) { suspendOfficer(officerId: $o) { id } }`, { o: id('mActive3') }), 'BAD_USER_INPUT');
    expect((await read(id('mActive3')))?.status).toBe('ACTIVE');
  });
});

describe('setClearance', () => {
  it('an NCB administrator raises a clearance, effective on the officer\'s very next request', async () => {
    expect((await seesOperation(id('mLow')))?.updates.totalCount).toBe(0);
    const before = events.length;
    expect(expectOk(await as<{ setClearance: OfficerData }>(id('mAdmin'), CLEARANCE, { o: id('mLow'), c: 'RESTRICTED' })).setClearance.clearance).toBe('RESTRICTED');
    expect(events.slice(before)).toContainEqual({ type: 'policy.invalidate', subject: id('mLow') });
    expect((await seesOperation(id('mLow')))?.updates.totalCount).toBe(1);
  });

  it('a network administrator, an NCB administrator of another country and a coordinator are FORBIDDEN', async () => {
    for (const who of ['net', 'nAdmin', 'mCoord']) expectCode(await as(id(who), CLEARANCE, { o: id('mActive3'), c: 'UNCLASSIFIED' }), 'FORBIDDEN');
    expect((await read(id('mActive3')))?.clearance).toBe('CONFIDENTIAL');
  });

  it('an unknown level is BAD_USER_INPUT and an unknown officer NOT_FOUND', async () => {
    expectCode(await as(id('mAdmin'), CLEARANCE, { o: id('mActive3'), c: 'NONE' }), 'BAD_USER_INPUT');
    expectCode(await as(id('mAdmin'), CLEARANCE, { o: id('ghost'), c: 'OFFICIAL' }), 'NOT_FOUND');
    expect((await read(id('mActive3')))?.clearance).toBe('CONFIDENTIAL');
  });
});
