import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ImportFile } from '../../src/import/types';
import { expectOk, startCachingHub, type Caller } from '../support/actors';
import { testDb, uniquePrefix } from '../support/db';
import type { TestHub } from '../support/hub';
import { liveClient, until, type LiveClient } from '../support/live';
import { worldBuilder } from '../support/world';

/**
 * A dated sharing rule comes into and out of force for connected subscribers at its dates, not
 * at the next periodic refresh (an hour away here) and without any invalidation. KG leads an
 * operation KH takes part in; KG shares OFFICIAL by default and, for two seconds starting
 * shortly after the subscriber connects, RESTRICTED with KH. Countries KG and KH.
 */
const { id, members, officer } = worldBuilder(uniquePrefix('live-dated'));
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

let start: number, end: number;
function world(): ImportFile {
  return {
    ...members(['KG', 'KH']),
    officers: [officer('gCoord', 'KG', ['COORDINATOR']), officer('gAdmin', 'KG', ['NCB_ADMIN']), officer('hOfficer', 'KH', ['OFFICER'])],
    operations: [
      { id: id('op'), codename: 'DATED', leadCountry: 'KG', status: 'ACTIVE', visibility: 'PARTICIPANTS', participants: ['KH'],
        assignments: [{ officer: id('gCoord') }, { officer: id('hOfficer') }] },
    ],
  } as ImportFile;
}

const SUB = `subscription($op: ID) { operationUpdates(operationId: $op) { id classification } }`;
const SET_RULE = `mutation($input: SharingRuleInput!) { setSharingRule(input: $input) { to } }`;
const POST = `mutation($op: ID!, $input: OperationUpdateInput!) { postOperationUpdate(operationId: $op, input: $input) { id } }`;

let t: TestHub, as: Caller, client: LiveClient;
beforeAll(async () => {
  await (await testDb()).write({ cypher: "MATCH (:Country {code: 'KG'})-[r:SHARES_WITH]->(:Country {code: 'KH'}) DELETE r" });
  ({ t, as } = await startCachingHub(world(), { WS_CONTEXT_REFRESH_MS: '3600000' }));
});
afterAll(async () => {
  await client?.dispose();
  await t?.stop();
});

async function post(text: string): Promise<string> {
  const posted = expectOk(await as<{ postOperationUpdate: { id: string } }>(id('gCoord'), POST, { op: id('op'), input: { kind: 'CHECK', text, classification: 'RESTRICTED' } }));
  await t.hub.live.dispatcher.idle();
  return posted.postOperationUpdate.id;
}

describe('dated rules on live feeds', () => {
  it('delivers RESTRICTED updates to the partner country exactly while the rule is in force', async () => {
    client = liveClient(t.hub.url, await t.token(id('hOfficer')));
    const stream = client.subscribe<{ operationUpdates: { id: string } }>(SUB, { op: id('op') });
    await until(() => t.hub.live.dispatcher.watching() > 0, 5000, 'the subscription to register');
    // Set while the subscriber is connected: the change is announced now, its dates are not.
    start = Date.now() + 1500;
    end = start + 2000;
    expectOk(await as(id('gAdmin'), SET_RULE, { input: { to: 'KH', maxLevel: 'RESTRICTED', validFrom: new Date(start).toISOString(), validUntil: new Date(end).toISOString() } }));
    await t.hub.live.principals.settledAll();
    const before = await post('before the rule');
    await sleep(start - Date.now() + 200);
    const during = await post('while the rule is in force');
    await stream.atLeast(1);
    await sleep(end - Date.now() + 200);
    const after = await post('after the rule lapsed');
    await sleep(300);
    const received = stream.results.map((r) => r.operationUpdates.id);
    expect({ before: received.includes(before), during: received.includes(during), after: received.includes(after) }).toEqual({ before: false, during: true, after: false });
    expect(received).toEqual([during]);
    expect(received).not.toContain(before);
    expect(received).not.toContain(after);
  });
});
