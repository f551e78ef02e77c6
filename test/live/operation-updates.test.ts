import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ImportFile } from '../../src/import/types';
import { expectOk, startCachingHub, type Caller } from '../support/actors';
import { uniquePrefix } from '../support/db';
import type { TestHub } from '../support/hub';
import { liveClient, until, type LiveClient, type LiveStream } from '../support/live';
import { worldBuilder } from '../support/world';

/**
 * operationUpdates over the real graphql-ws client against a real hub and Neo4j: the policy
 * matrix, changes that take effect on the next event, suspension, and replay by cursor.
 * Countries QS (lead), QT, QU, QV (participants) and QW (outsider) belong to the live tests.
 * Expectations come from the small model below, written from DESIGN §3, not from rule.ts.
 */
const { id, members, officer } = worldBuilder(uniquePrefix('live'));
const LEVELS = ['UNCLASSIFIED', 'OFFICIAL', 'RESTRICTED', 'CONFIDENTIAL'] as const;
type Level = (typeof LEVELS)[number];
const rank = (level: Level | 'NONE') => (level === 'NONE' ? -1 : LEVELS.indexOf(level));

interface Viewer { name: string; country: string; clearance: Level; roles: string[]; assigned: boolean }
const VIEWERS: Viewer[] = [
  { name: 'sLow', country: 'QS', clearance: 'OFFICIAL', roles: ['OFFICER'], assigned: false },
  { name: 'sCoord', country: 'QS', clearance: 'CONFIDENTIAL', roles: ['COORDINATOR'], assigned: true },
  { name: 'sOversight', country: 'QS', clearance: 'CONFIDENTIAL', roles: ['OVERSIGHT'], assigned: false },
  { name: 'tAssigned', country: 'QT', clearance: 'CONFIDENTIAL', roles: ['OFFICER'], assigned: true },
  { name: 'tFree', country: 'QT', clearance: 'CONFIDENTIAL', roles: ['ANALYST'], assigned: false },
  { name: 'uAssigned', country: 'QU', clearance: 'CONFIDENTIAL', roles: ['OFFICER'], assigned: true },
  { name: 'vAssigned', country: 'QV', clearance: 'RESTRICTED', roles: ['OFFICER'], assigned: true },
];
/** level(owner → country): QS shares CONFIDENTIAL with QT and nothing with QU; OFFICIAL by default. */
const shareLevel = (owner: string, country: string): Level | 'NONE' =>
  owner === 'QS' && country === 'QT' ? 'CONFIDENTIAL' : owner === 'QS' && country === 'QU' ? 'NONE' : 'OFFICIAL';

/** DESIGN §3 for an update (scoped to its operation, releasable to the network, never expiring). */
function model(viewer: Viewer, update: { owner: string; classification: Level }): boolean {
  const readsContent = viewer.roles.some((r) => ['OFFICER', 'COORDINATOR', 'ANALYST', 'NCB_ADMIN'].includes(r));
  if (!readsContent || rank(update.classification) > rank(viewer.clearance)) return false;
  if (viewer.country === update.owner) return true;
  return rank(update.classification) <= rank(shareLevel(update.owner, viewer.country)) && viewer.assigned;
}

function world(): ImportFile {
  return {
    ...members(['QS', 'QT', 'QU', 'QV', 'QW']),
    sharingRules: [
      { from: 'QS', to: 'QT', maxLevel: 'CONFIDENTIAL' },
      { from: 'QS', to: 'QU', maxLevel: 'NONE' },
    ],
    officers: [
      ...VIEWERS.map((v) => officer(v.name, v.country, v.roles as never, { clearance: v.clearance })),
      officer('sAdmin', 'QS', ['NCB_ADMIN']),
      officer('vAdmin', 'QV', ['NCB_ADMIN']),
      officer('wOfficer', 'QW', ['OFFICER']),
      officer('tVictim', 'QT', ['OFFICER']),
    ],
    operations: [
      { id: id('op'), codename: 'LIVE OP', leadCountry: 'QS', status: 'ACTIVE', visibility: 'PARTICIPANTS', participants: ['QT', 'QU', 'QV'],
        assignments: [...VIEWERS.filter((v) => v.assigned).map((v) => ({ officer: id(v.name) })), { officer: id('tVictim') }] },
      { id: id('op2'), codename: 'OTHER OP', leadCountry: 'QS', status: 'ACTIVE', visibility: 'PARTICIPANTS', participants: ['QT'],
        assignments: [{ officer: id('sCoord') }, { officer: id('tAssigned') }] },
      { id: id('hidden'), codename: 'W OP', leadCountry: 'QW', status: 'ACTIVE', visibility: 'PARTICIPANTS', participants: [], assignments: [] },
    ],
  } as ImportFile;
}

const SUB = `subscription($op: ID, $after: String) { operationUpdates(operationId: $op, after: $after) {
  id classification cursor owner { code } operation { id codename } } }`;
const POST = `mutation($op: ID!, $input: OperationUpdateInput!) { postOperationUpdate(operationId: $op, input: $input) { id cursor } }`;
type Delivered = { operationUpdates: { id: string; classification: Level; cursor: string; owner: { code: string }; operation: { id: string } } };

let t: TestHub, as: Caller;
const clients: LiveClient[] = [];
beforeAll(async () => ({ t, as } = await startCachingHub(world())));
afterAll(async () => {
  await Promise.all(clients.map((c) => c.dispose()));
  await t?.stop();
});

async function connect(name: string): Promise<LiveClient> {
  const client = liveClient(t.hub.url, await t.token(id(name)));
  clients.push(client);
  return client;
}

async function subscribe(client: LiveClient, variables: Record<string, unknown>): Promise<LiveStream<Delivered>> {
  const before = t.hub.live.dispatcher.watching();
  const stream = client.subscribe<Delivered>(SUB, variables);
  await until(() => t.hub.live.dispatcher.watching() > before || stream.errors.length > 0, 5000, 'the subscription to register');
  return stream;
}

async function post(author: string, op: string, classification: Level, text = 'live'): Promise<{ id: string; cursor: string }> {
  const data = expectOk(await as<{ postOperationUpdate: { id: string; cursor: string } }>(id(author), POST, { op, input: { kind: 'CHECK', text, classification } }));
  return data.postOperationUpdate;
}

const ids = (stream: LiveStream<Delivered>) => stream.results.map((r) => r.operationUpdates.id);

describe('operationUpdates: who receives what', () => {
  it('delivers to each subscriber exactly the updates DESIGN §3 lets them read, in order', async () => {
    const streams = new Map<string, LiveStream<Delivered>>();
    for (const viewer of VIEWERS) streams.set(viewer.name, await subscribe(await connect(viewer.name), { op: id('op') }));
    const everything = await subscribe(await connect('tAssigned'), {});

    const posted: { id: string; owner: string; classification: Level }[] = [];
    for (const classification of LEVELS) posted.push({ ...(await post('sCoord', id('op'), classification)), owner: 'QS', classification });
    for (const classification of ['OFFICIAL', 'CONFIDENTIAL'] as const) {
      posted.push({ ...(await post('tAssigned', id('op'), classification)), owner: 'QT', classification });
    }
    const marker = await post('sCoord', id('op2'), 'OFFICIAL');
    await t.hub.live.dispatcher.idle();
    await everything.atLeast(1 + posted.filter((u) => model(VIEWERS[3], u)).length);

    for (const viewer of VIEWERS) {
      const expected = posted.filter((u) => model(viewer, u)).map((u) => u.id);
      const stream = streams.get(viewer.name)!;
      if (expected.length) await stream.atLeast(expected.length);
      expect(ids(stream), viewer.name).toEqual(expected);
      expect(stream.errors, viewer.name).toEqual([]);
    }
    // Without operationId: every operation the subscriber may see updates of.
    expect(ids(everything)).toEqual([...posted.filter((u) => model(VIEWERS[3], u)).map((u) => u.id), marker.id]);
    const first = everything.results[0].operationUpdates;
    expect(first.owner.code).toBe('QS');
    expect(first.operation.id).toBe(id('op'));
  });

  it('answers an operation the subscriber cannot see like an unknown one: NOT_FOUND', async () => {
    const client = await connect('tAssigned');
    const hidden = client.subscribe<Delivered>(SUB, { op: id('hidden') });
    const unknown = client.subscribe<Delivered>(SUB, { op: id('nope') });
    await Promise.all([hidden.done, unknown.done]);
    expect(hidden.errors.map((e) => e.extensions?.code)).toEqual(['NOT_FOUND']);
    expect(hidden.errors[0].message.replace(id('hidden'), '<id>')).toBe(unknown.errors[0].message.replace(id('nope'), '<id>'));
  });

  it('answers a malformed cursor with BAD_USER_INPUT', async () => {
    const stream = (await connect('tAssigned')).subscribe<Delivered>(SUB, { op: id('op'), after: 'not-a-cursor' });
    await stream.done;
    expect(stream.errors.map((e) => e.extensions?.code)).toEqual(['BAD_USER_INPUT']);
  });
});

describe('operationUpdates: changes take effect on the next event', () => {
  it('a sharing rule change, then an unassignment, stop deliveries from the next event on', async () => {
    const victim = await subscribe(await connect('tVictim'), { op: id('op') });
    const watcher = await subscribe(await connect('sCoord'), { op: id('op') });
    const before = await post('sCoord', id('op'), 'RESTRICTED');
    await victim.atLeast(1);

    expectOk(await as(id('sAdmin'), 'mutation { setSharingRule(input: { to: "QT", maxLevel: OFFICIAL }) { maxLevel } }'));
    const afterRule = await post('sCoord', id('op'), 'RESTRICTED');
    const stillShared = await post('sCoord', id('op'), 'OFFICIAL');
    expectOk(await as(id('sCoord'), `mutation { unassignOfficer(operationId: "${id('op')}", officerId: "${id('tVictim')}") { id } }`));
    const afterUnassign = await post('sCoord', id('op'), 'OFFICIAL');
    await watcher.atLeast(4);
    await t.hub.live.dispatcher.idle();
    expect(ids(watcher)).toEqual([before.id, afterRule.id, stillShared.id, afterUnassign.id]);
    await victim.atLeast(2);
    expect(ids(victim)).toEqual([before.id, stillShared.id]);
    expectOk(await as(id('sAdmin'), 'mutation { setSharingRule(input: { to: "QT", maxLevel: CONFIDENTIAL }) { maxLevel } }'));
  });

  it('suspending an officer closes their sockets with 4403 within a second', async () => {
    const client = await connect('vAssigned');
    await subscribe(client, { op: id('op') });
    const closedAt = client.closed.then((closed) => ({ ...closed, at: Date.now() }));
    expectOk(await as(id('vAdmin'), `mutation { suspendOfficer(officerId: "${id('vAssigned')}", reason: "test") { status } }`));
    const suspendedAt = Date.now();
    const closed = await closedAt;
    expect(closed.code).toBe(4403);
    expect(closed.at - suspendedAt).toBeLessThan(1000);
  });
});

describe('operationUpdates: replay by cursor', () => {
  it('replays the visible updates missed while away, each exactly once and in order, then goes live', async () => {
    const first = await connect('tAssigned');
    const stream = await subscribe(first, { op: id('op') });
    const seen = await post('sCoord', id('op'), 'OFFICIAL');
    await stream.atLeast(1);
    const cursor = stream.results[0].operationUpdates.cursor;
    expect(stream.results[0].operationUpdates.id).toBe(seen.id);
    await first.dispose();

    const missed = [];
    for (const classification of ['UNCLASSIFIED', 'CONFIDENTIAL', 'RESTRICTED'] as const) missed.push(await post('sCoord', id('op'), classification));
    missed.push(await post('tAssigned', id('op'), 'OFFICIAL'));
    const hidden = await post('sCoord', id('op2'), 'OFFICIAL');

    const again = await subscribe(await connect('tAssigned'), { op: id('op'), after: cursor });
    await again.atLeast(missed.length);
    const live = await post('sCoord', id('op'), 'OFFICIAL');
    await again.atLeast(missed.length + 1);
    await t.hub.live.dispatcher.idle();
    expect(ids(again)).toEqual([...missed.map((u) => u.id), live.id]);
    expect(ids(again)).not.toContain(hidden.id);
  });

  it('drops nothing and duplicates nothing while updates are posted during the replay', async () => {
    const base = await post('sCoord', id('op'), 'OFFICIAL');
    const backlog = [];
    for (let i = 0; i < 30; i += 1) backlog.push(await post('sCoord', id('op'), 'OFFICIAL', `backlog ${i}`));
    const stream = (await connect('tAssigned')).subscribe<Delivered>(SUB, { op: id('op'), after: base.cursor });
    const during = [];
    for (let i = 0; i < 10; i += 1) during.push(await post('sCoord', id('op'), 'OFFICIAL', `during ${i}`));
    await stream.atLeast(backlog.length + during.length);
    await t.hub.live.dispatcher.idle();
    expect(ids(stream)).toEqual([...backlog, ...during].map((u) => u.id));
  });
});
