import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ImportFile } from '../../src/import/types';
import type { HubEvent } from '../../src/subscriptions/bus';
import { expectCode, expectOk, startCachingHub, type Caller } from '../support/actors';
import { testDb, uniquePrefix } from '../support/db';
import type { TestHub } from '../support/hub';
import { worldBuilder } from '../support/world';

/**
 * Sharing administration through the real HTTP hub. Country QQ ("A") shares with QR ("B");
 * QM and QN appear only as rule recipients; QP is never created. Policy contexts are cached
 * for ten minutes, so every "next request" result proves an invalidation.
 */
const { id, members, officer } = worldBuilder(uniquePrefix('share'));
const FUTURE = '2099-01-01T00:00:00.000Z';
const PAST = '2020-01-01T00:00:00.000Z';

function world(): ImportFile {
  const report = (name: string, classification: string) => ({
    id: id(name), owner: 'QQ', author: id('aOfficer'), title: name, classification, handling: 'H0',
    releasability: { mode: 'NETWORK', countries: [] }, createdAt: '2026-01-01T00:00:00Z', subjects: [],
  });
  return {
    ...members(['QQ', 'QR', 'QM', 'QN']),
    sharingRules: [
      { from: 'QQ', to: 'QM', maxLevel: 'RESTRICTED', validFrom: FUTURE, validUntil: null },
      { from: 'QQ', to: 'QN', maxLevel: 'CONFIDENTIAL', validFrom: null, validUntil: null },
    ],
    officers: [
      officer('aAdmin', 'QQ', ['NCB_ADMIN']),
      officer('aNomAdmin', 'QQ', ['NCB_ADMIN'], { status: 'NOMINATED' }),
      officer('aOfficer', 'QQ', ['OFFICER']),
      officer('aCoord', 'QQ', ['COORDINATOR']),
      officer('bAdmin', 'QR', ['NCB_ADMIN']),
      officer('bOfficer', 'QR', ['OFFICER']),
      officer('oversight', 'QR', ['OVERSIGHT']),
      officer('net', 'QR', ['NETWORK_ADMIN']),
    ],
    reports: [report('official', 'OFFICIAL'), report('restricted', 'RESTRICTED'), report('unclassified', 'UNCLASSIFIED')],
  } as ImportFile;
}

const POLICY = `query($c: String!) { sharingPolicy(countryCode: $c) {
  country { code } defaultShareLevel partnerShareLevel rules { from to maxLevel validFrom validUntil inForce } } }`;
const SET_DEFAULT = `mutation($l: ShareLevel!) { setDefaultShareLevel(level: $l) { code defaultShareLevel } }`;
const SET_PARTNER = `mutation($l: ShareLevel!) { setPartnerShareLevel(level: $l) { code partnerShareLevel } }`;
const SET_RULE = `mutation($input: SharingRuleInput!) { setSharingRule(input: $input) { from to maxLevel validFrom validUntil inForce } }`;
const REMOVE_RULE = `mutation($to: String!) { removeSharingRule(to: $to) }`;
const REPORT = `query($id: ID!) { intelReport(id: $id) { id } }`;

type Rule = { from: string; to: string; maxLevel: string; validFrom: string | null; validUntil: string | null; inForce: boolean };
type Policy = { country: { code: string }; defaultShareLevel: string; partnerShareLevel: string; rules: Rule[] };

let t: TestHub;
let as: Caller;
let events: HubEvent[];
let partnerToken: string;

beforeAll(async () => {
  // A rule left by an interrupted run would change what B sees.
  await (await testDb()).write({ cypher: "MATCH (:Country {code: 'QQ'})-[r:SHARES_WITH]->(:Country {code: 'QR'}) DELETE r" });
  ({ t, as, events } = await startCachingHub(world()));
  partnerToken = await t.token(`partner:${id('partner')}`);
});

afterAll(() => t?.stop());

const policy = async (who: string, code = 'QQ') => expectOk(await as<{ sharingPolicy: Policy | null }>(id(who), POLICY, { c: code })).sharingPolicy;
const bSees = async (report: string) => (await as<{ intelReport: { id: string } | null }>(id('bOfficer'), REPORT, { id: id(report) })).data?.intelReport != null;
const partnerSees = async (report: string) =>
  (await t.gql<{ intelReport: { id: string } | null }>(partnerToken, REPORT, { id: id(report) })).data?.intelReport != null;
const ruleTo = async (to: string) => (await policy('aAdmin'))!.rules.find((rule) => rule.to === to);
const REFUSED = ['aOfficer', 'aCoord', 'aNomAdmin', 'net', 'oversight'];

describe('sharingPolicy', () => {
  it('an NCB administrator reads their country\'s levels and rules, each saying whether it is in force', async () => {
    expect(await policy('aAdmin')).toEqual({
      country: { code: 'QQ' }, defaultShareLevel: 'OFFICIAL', partnerShareLevel: 'NONE',
      rules: [
        { from: 'QQ', to: 'QM', maxLevel: 'RESTRICTED', validFrom: FUTURE, validUntil: null, inForce: false },
        { from: 'QQ', to: 'QN', maxLevel: 'CONFIDENTIAL', validFrom: null, validUntil: null, inForce: true },
      ],
    });
  });

  it('oversight and network administrators read any country\'s policy; an unknown country is null', async () => {
    expect((await policy('oversight'))?.rules).toHaveLength(2);
    expect((await policy('net'))?.country.code).toBe('QQ');
    expect(await policy('oversight', 'QP')).toBeNull();
  });

  it('an NCB administrator of another country, officers, coordinators, a nominated admin and partners are FORBIDDEN', async () => {
    for (const who of ['bAdmin', 'aOfficer', 'aCoord', 'aNomAdmin', 'bOfficer']) expectCode(await as(id(who), POLICY, { c: 'QQ' }), 'FORBIDDEN');
    expectCode(await t.gql(partnerToken, POLICY, { c: 'QQ' }), 'FORBIDDEN');
  });
});

describe('setSharingRule and removeSharingRule', () => {
  it('a rule A→B NONE hides A\'s OFFICIAL report from B on the very next request; removing it restores the default', async () => {
    expect(await bSees('official')).toBe(true);
    const before = events.length;
    const rule = expectOk(await as<{ setSharingRule: Rule }>(id('aAdmin'), SET_RULE, { input: { to: 'QR', maxLevel: 'NONE' } })).setSharingRule;
    expect(rule).toEqual({ from: 'QQ', to: 'QR', maxLevel: 'NONE', validFrom: null, validUntil: null, inForce: true });
    expect(events.slice(before)).toContainEqual({ type: 'policy.invalidate', subject: null });
    expect(await bSees('official')).toBe(false);
    expect(await ruleTo('QR')).toMatchObject({ maxLevel: 'NONE', inForce: true });
    expect(expectOk(await as<{ removeSharingRule: boolean }>(id('aAdmin'), REMOVE_RULE, { to: 'QR' })).removeSharingRule).toBe(true);
    expect(await bSees('official')).toBe(true);
    expect(await ruleTo('QR')).toBeUndefined();
  });

  it('removing a rule that does not exist returns false', async () => {
    expect(expectOk(await as<{ removeSharingRule: boolean }>(id('aAdmin'), REMOVE_RULE, { to: 'QR' })).removeSharingRule).toBe(false);
  });

  it('a rule may raise the level above the default, and setting it again replaces it', async () => {
    expect(await bSees('restricted')).toBe(false);
    expectOk(await as(id('aAdmin'), SET_RULE, { input: { to: 'QR', maxLevel: 'CONFIDENTIAL', validFrom: PAST } }));
    expect(await bSees('restricted')).toBe(true);
    expectOk(await as(id('aAdmin'), SET_RULE, { input: { to: 'QR', maxLevel: 'UNCLASSIFIED' } }));
    expect(await ruleTo('QR')).toEqual({ from: 'QQ', to: 'QR', maxLevel: 'UNCLASSIFIED', validFrom: null, validUntil: null, inForce: true });
    expect(await bSees('restricted')).toBe(false);
    expect(await bSees('official')).toBe(false);
    expectOk(await as(id('aAdmin'), REMOVE_RULE, { to: 'QR' }));
  });

  it('a rule that starts in the future is not in force: the default still applies', async () => {
    const rule = expectOk(await as<{ setSharingRule: Rule }>(id('aAdmin'), SET_RULE, { input: { to: 'QR', maxLevel: 'NONE', validFrom: FUTURE } })).setSharingRule;
    expect(rule).toMatchObject({ validFrom: FUTURE, inForce: false });
    expect(await bSees('official')).toBe(true);
    expectOk(await as(id('aAdmin'), REMOVE_RULE, { to: 'QR' }));
  });

  it('a rule for the admin\'s own country, dates out of order and a malformed code are BAD_USER_INPUT; nothing is written', async () => {
    expectCode(await as(id('aAdmin'), SET_RULE, { input: { to: 'QQ', maxLevel: 'NONE' } }), 'BAD_USER_INPUT');
    const dates = await as(id('aAdmin'), SET_RULE, { input: { to: 'QR', maxLevel: 'NONE', validFrom: FUTURE, validUntil: PAST } });
    expectCode(dates, 'BAD_USER_INPUT');
    expect(dates.errors![0].extensions!.problems).toEqual([expect.objectContaining({ field: 'validUntil' })]);
    expectCode(await as(id('aAdmin'), SET_RULE, { input: { to: 'qr', maxLevel: 'NONE' } }), 'BAD_USER_INPUT');
    expectCode(await as(id('aAdmin'), REMOVE_RULE, { to: 'QRR' }), 'BAD_USER_INPUT');
    expect((await policy('aAdmin'))!.rules.map((rule) => rule.to)).toEqual(['QM', 'QN']);
  });

  it('an invalid level, a malformed date or a missing recipient is GraphQL BAD_USER_INPUT; nothing is written', async () => {
    expectCode(await as(id('aAdmin'), SET_RULE, { input: { to: 'QR', maxLevel: 'SECRET' } }), 'BAD_USER_INPUT');
    expectCode(await as(id('aAdmin'), SET_RULE, { input: { to: 'QR', maxLevel: 'NONE', validFrom: 'soon' } }), 'BAD_USER_INPUT');
    expectCode(await as(id('aAdmin'), SET_RULE, { input: { maxLevel: 'NONE' } }), 'BAD_USER_INPUT');
    expect(await ruleTo('QR')).toBeUndefined();
  });

  it('an unknown recipient country is NOT_FOUND naming it', async () => {
    expect(expectCode(await as(id('aAdmin'), SET_RULE, { input: { to: 'QP', maxLevel: 'NONE' } }), 'NOT_FOUND')).toContain('"QP"');
  });

  it('only NCB administrators set or remove rules: every other role and partners are FORBIDDEN, and the rules stay', async () => {
    for (const who of REFUSED) {
      expectCode(await as(id(who), SET_RULE, { input: { to: 'QR', maxLevel: 'NONE' } }), 'FORBIDDEN');
      expectCode(await as(id(who), REMOVE_RULE, { to: 'QN' }), 'FORBIDDEN');
    }
    expectCode(await t.gql(partnerToken, SET_RULE, { input: { to: 'QR', maxLevel: 'NONE' } }), 'FORBIDDEN');
    expect((await policy('aAdmin'))!.rules.map((rule) => rule.to)).toEqual(['QM', 'QN']);
  });

  it('an NCB administrator\'s rule is always their own country\'s: B\'s admin setting a rule for A changes B\'s, not A\'s', async () => {
    const rule = expectOk(await as<{ setSharingRule: Rule }>(id('bAdmin'), SET_RULE, { input: { to: 'QQ', maxLevel: 'NONE' } })).setSharingRule;
    expect(rule).toMatchObject({ from: 'QR', to: 'QQ' });
    expect((await policy('aAdmin'))!.rules.map((r) => r.to)).toEqual(['QM', 'QN']);
    expect(await bSees('official')).toBe(true);
    expect(expectOk(await as<{ removeSharingRule: boolean }>(id('bAdmin'), REMOVE_RULE, { to: 'QQ' })).removeSharingRule).toBe(true);
  });
});

describe('setDefaultShareLevel and setPartnerShareLevel', () => {
  it('lowering A\'s default to NONE hides its OFFICIAL report from B on the very next request; raising it back restores it', async () => {
    expect(await bSees('official')).toBe(true);
    const country = expectOk(await as<{ setDefaultShareLevel: { code: string; defaultShareLevel: string } }>(id('aAdmin'), SET_DEFAULT, { l: 'NONE' }));
    expect(country.setDefaultShareLevel).toEqual({ code: 'QQ', defaultShareLevel: 'NONE' });
    expect(await bSees('official')).toBe(false);
    expectOk(await as(id('aAdmin'), SET_DEFAULT, { l: 'OFFICIAL' }));
    expect(await bSees('official')).toBe(true);
    expect((await policy('aAdmin'))?.defaultShareLevel).toBe('OFFICIAL');
  });

  it('raising A\'s partner level lets partners read A\'s unclassified report on their next request', async () => {
    expect(await partnerSees('unclassified')).toBe(false);
    const country = expectOk(await as<{ setPartnerShareLevel: { partnerShareLevel: string } }>(id('aAdmin'), SET_PARTNER, { l: 'UNCLASSIFIED' }));
    expect(country.setPartnerShareLevel.partnerShareLevel).toBe('UNCLASSIFIED');
    expect(await partnerSees('unclassified')).toBe(true);
    expect(await partnerSees('official')).toBe(false);
    expectOk(await as(id('aAdmin'), SET_PARTNER, { l: 'NONE' }));
    expect(await partnerSees('unclassified')).toBe(false);
  });

  it('every other role and partners are FORBIDDEN to change either level, which stays', async () => {
    for (const who of REFUSED) {
      expectCode(await as(id(who), SET_DEFAULT, { l: 'CONFIDENTIAL' }), 'FORBIDDEN');
      expectCode(await as(id(who), SET_PARTNER, { l: 'CONFIDENTIAL' }), 'FORBIDDEN');
    }
    expectCode(await t.gql(partnerToken, SET_PARTNER, { l: 'CONFIDENTIAL' }), 'FORBIDDEN');
    expect(await policy('aAdmin')).toMatchObject({ defaultShareLevel: 'OFFICIAL', partnerShareLevel: 'NONE' });
  });

  it('an unknown level is GraphQL BAD_USER_INPUT', async () => {
    expectCode(await as(id('aAdmin'), SET_DEFAULT, { l: 'SECRET' }), 'BAD_USER_INPUT');
    expectCode(await as(id('aAdmin'), SET_PARTNER, { l: 3 }), 'BAD_USER_INPUT');
    expect(await policy('aAdmin')).toMatchObject({ defaultShareLevel: 'OFFICIAL', partnerShareLevel: 'NONE' });
  });
});

describe('dated rules', () => {
  it('a rule starts and lapses at its dates on the next request, although contexts are cached for ten minutes', async () => {
    const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
    const start = Date.now() + 1500;
    const end = start + 2000;
    expectOk(await as(id('aAdmin'), SET_RULE, {
      input: { to: 'QR', maxLevel: 'RESTRICTED', validFrom: new Date(start).toISOString(), validUntil: new Date(end).toISOString() },
    }));
    // Cached now, with no invalidation to come: only the rule's own dates can change the answer.
    expect(await bSees('restricted')).toBe(false);
    await sleep(start - Date.now() + 100);
    expect(await bSees('restricted')).toBe(true);
    await sleep(end - Date.now() + 100);
    expect(await bSees('restricted')).toBe(false);
    expect(await bSees('official')).toBe(true);
    expectOk(await as(id('aAdmin'), REMOVE_RULE, { to: 'QR' }));
  });
});
