import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ImportFile } from '../../src/import/types';
import { expectCode, expectOk, startCachingHub, type Caller } from '../support/actors';
import { uniquePrefix } from '../support/db';
import type { TestHub } from '../support/hub';
import { worldBuilder } from '../support/world';
import { AUDIT_COUNTRIES } from './audit-support';

/**
 * explainAccess answers from the same rule that enforces (src/policy/rule.ts): one case per
 * deciding step, each cross-checked against what the officer can actually read, and who may ask.
 * XV shares OFFICIAL by default with every other member.
 */
const { id, members, officer } = worldBuilder(uniquePrefix('explain'));
const PAST = '2020-01-01T00:00:00Z';

function world(): ImportFile {
  const report = (name: string, extra: Record<string, unknown> = {}) => ({
    id: id(name), owner: 'XV', author: id('vOfficer'), title: name, classification: 'OFFICIAL', handling: 'H0',
    releasability: { mode: 'NETWORK', countries: [] }, createdAt: '2026-03-01T00:00:00Z', subjects: [], ...extra,
  });
  return {
    ...members(AUDIT_COUNTRIES),
    officers: [
      officer('vOfficer', 'XV', ['OFFICER']),
      officer('vAdmin', 'XV', ['NCB_ADMIN']),
      officer('wOfficer', 'XW', ['OFFICER']),
      officer('wLow', 'XW', ['OFFICER'], { clearance: 'UNCLASSIFIED' }),
      officer('wSuspended', 'XW', ['OFFICER'], { status: 'SUSPENDED' }),
      officer('wNet', 'XW', ['NETWORK_ADMIN']),
      officer('wAdmin', 'XW', ['NCB_ADMIN']),
      officer('oversight', 'XY', ['OVERSIGHT']),
    ],
    operations: [{ id: id('op'), codename: 'EXPLAIN OP', leadCountry: 'XV', status: 'ACTIVE', visibility: 'NETWORK', participants: ['XW'], assignments: [] }],
    reports: [
      report('shared'),
      report('restricted', { classification: 'RESTRICTED' }),
      report('denyW', { releasability: { mode: 'DENY', countries: ['XW'] } }),
      report('scoped', { operation: id('op') }),
      report('expired', { createdAt: '2019-01-01T00:00:00Z', expiresAt: PAST }),
    ],
  } as ImportFile;
}

const EXPLAIN = `query($item: ID!, $officer: ID!) { explainAccess(itemId: $item, officerId: $officer) {
  allowed step reason itemOwner { code } itemClassification officerCountry { code } officerClearance } }`;
const READ = `query($id: ID!) { intelReport(id: $id) { id } }`;

interface Explanation {
  allowed: boolean;
  step: string;
  reason: string;
  itemOwner: { code: string } | null;
  itemClassification: string | null;
  officerCountry: { code: string } | null;
  officerClearance: string | null;
}

let t: TestHub;
let as: Caller;

beforeAll(async () => {
  ({ t, as } = await startCachingHub(world()));
});
afterAll(async () => {
  await t?.stop();
});

async function explain(caller: string, item: string, about: string): Promise<Explanation> {
  return expectOk(await as<{ explainAccess: Explanation }>(caller, EXPLAIN, { item, officer: about })).explainAccess;
}

describe('each step of the rule, explained to the owner country\'s NCB administrator', () => {
  const cases: [string, string, string, boolean, RegExp][] = [
    ['a grant', 'shared', 'wOfficer', true, /XV shares OFFICIAL items with XW/],
    ['the owner country', 'restricted', 'vOfficer', true, /owner country XV/],
    ['status', 'shared', 'wSuspended', false, /status is SUSPENDED/],
    ['role', 'shared', 'wNet', false, /NETWORK_ADMIN/],
    ['clearance', 'shared', 'wLow', false, /OFFICIAL, above the officer's clearance UNCLASSIFIED/],
    ['share level', 'restricted', 'wOfficer', false, /XV shares up to OFFICIAL with XW; the item is RESTRICTED/],
    ['releasability', 'denyW', 'wOfficer', false, /not releasable to XW/],
    ['operation scope', 'scoped', 'wOfficer', false, /limited to operation .*not assigned/],
    ['expiry', 'expired', 'wOfficer', false, /expired at 2020-01-01/],
  ];
  const steps: Record<string, string> = {
    'a grant': 'SHARED', 'the owner country': 'OWNER_COUNTRY', status: 'STATUS', role: 'ROLE', clearance: 'CLEARANCE',
    'share level': 'SHARE_LEVEL', releasability: 'RELEASABILITY', 'operation scope': 'OPERATION_SCOPE', expiry: 'EXPIRY',
  };

  it.each(cases)('%s', async (name, item, about, allowed, reason) => {
    const answer = await explain(id('vAdmin'), id(item), id(about));
    expect(answer).toMatchObject({ allowed, step: steps[name], itemOwner: { code: 'XV' } });
    expect(answer.reason).toMatch(reason);
    // The explanation agrees with enforcement: the officer reads the report iff it says allowed.
    const read = await as<{ intelReport: { id: string } | null }>(id(about), READ, { id: id(item) });
    expect(read.data?.intelReport !== null && read.data?.intelReport !== undefined).toBe(allowed);
  });

  it('names the item\'s classification and the officer\'s country and clearance', async () => {
    expect(await explain(id('vAdmin'), id('restricted'), id('wLow'))).toMatchObject({
      itemClassification: 'RESTRICTED', officerCountry: { code: 'XW' }, officerClearance: 'UNCLASSIFIED',
    });
  });
});

describe('who may ask', () => {
  it('oversight may ask about any item and officer', async () => {
    expect(await explain(id('oversight'), id('denyW'), id('wOfficer'))).toMatchObject({ allowed: false, step: 'RELEASABILITY' });
  });

  it('another country\'s administrator may not, and an unknown item is refused the same way', async () => {
    const foreign = expectCode(await as(id('wAdmin'), EXPLAIN, { item: id('shared'), officer: id('wOfficer') }), 'FORBIDDEN');
    const unknown = expectCode(await as(id('wAdmin'), EXPLAIN, { item: id('nothing'), officer: id('wOfficer') }), 'FORBIDDEN');
    expect(unknown).toBe(foreign);
  });

  it('an officer may not ask about another officer', async () => {
    expectCode(await as(id('wOfficer'), EXPLAIN, { item: id('shared'), officer: id('wLow') }), 'FORBIDDEN');
  });

  it('an officer asking about themselves gets the full answer for an item they can read', async () => {
    expect(await explain(id('wOfficer'), id('shared'), id('wOfficer'))).toMatchObject({
      allowed: true, step: 'SHARED', itemOwner: { code: 'XV' }, itemClassification: 'OFFICIAL', officerCountry: { code: 'XW' },
    });
  });

  it('an officer asking about themselves learns nothing of an invisible item: the answer equals that for an unknown id', async () => {
    const invisible = await explain(id('wOfficer'), id('restricted'), id('wOfficer'));
    const unknown = await explain(id('wOfficer'), id('nothing'), id('wOfficer'));
    expect(invisible).toEqual(unknown);
    expect(invisible).toMatchObject({ allowed: false, step: 'NOT_VISIBLE', itemOwner: null, itemClassification: null });
    expect(invisible.reason).not.toMatch(/RESTRICTED|XV/);
  });
});
