import { SignJWT } from 'jose';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ImportFile } from '../../src/import/types';
import { expectOk, startCachingHub, type Caller } from '../support/actors';
import { uniquePrefix } from '../support/db';
import type { TestHub } from '../support/hub';
import { liveClient, sleep, until, wsUrl, type LiveClient } from '../support/live';
import { worldBuilder } from '../support/world';

/**
 * The live socket's door and limits (graphql-ws client against a real hub), intelFeed, and
 * the promise that one event costs Neo4j one read however many subscribers wait for it.
 * Countries QS…QW belong to the live tests.
 */
const { id, members, officer } = worldBuilder(uniquePrefix('sock'));

function world(): ImportFile {
  return {
    ...members(['QS', 'QT', 'QW']),
    // Other live test files share these countries and change this rule: state it.
    sharingRules: [{ from: 'QS', to: 'QT', maxLevel: 'OFFICIAL' }],
    officers: [
      officer('sOfficer', 'QS', ['OFFICER']),
      officer('sAdmin', 'QS', ['NCB_ADMIN']),
      officer('tOfficer', 'QT', ['OFFICER']),
      officer('tLow', 'QT', ['OFFICER'], { clearance: 'UNCLASSIFIED' }),
      officer('wOfficer', 'QW', ['OFFICER']),
      officer('suspended', 'QS', ['OFFICER'], { status: 'SUSPENDED' }),
      officer('busy', 'QS', ['OFFICER']),
    ],
    operations: [
      { id: id('op'), codename: 'SOCK OP', leadCountry: 'QS', status: 'ACTIVE', visibility: 'NETWORK', participants: ['QT'],
        assignments: [{ officer: id('sOfficer') }, { officer: id('tOfficer') }, { officer: id('tLow') }] },
    ],
  } as ImportFile;
}

let t: TestHub, as: Caller;
const clients: LiveClient[] = [];
beforeAll(async () => ({ t, as } = await startCachingHub(world())));
afterAll(async () => {
  await Promise.all(clients.map((c) => c.dispose()));
  await t?.stop();
});

async function connect(name: string | null, token?: string): Promise<LiveClient> {
  const client = liveClient(t.hub.url, token ?? (name ? await t.token(id(name)) : null));
  clients.push(client);
  return client;
}

const FEED = 'subscription { intelFeed { id title sourceDescription redactedFields owner { code } } }';
type Feed = { intelFeed: { id: string; title: string; sourceDescription: string | null; redactedFields: string[]; owner: { code: string } } };

describe('the door', () => {
  it('closes a socket without a token with 4401', async () => {
    expect((await (await connect(null)).closed).code).toBe(4401);
  });

  it('closes a socket with a forged or expired token with 4401', async () => {
    const forged = await new SignJWT({}).setProtectedHeader({ alg: 'HS256' }).setSubject(id('sOfficer')).setExpirationTime('1h')
      .sign(new TextEncoder().encode('not-the-hub-key-not-the-hub-key!'));
    expect((await (await connect(null, forged)).closed).code).toBe(4401);
    expect((await (await connect(null, 'Bearer nonsense')).closed).code).toBe(4401);
  });

  it('closes a suspended officer\'s socket with 4403', async () => {
    expect((await (await connect('suspended')).closed).code).toBe(4403);
  });

  it('closes a socket that sends no connection_init within the timeout with 4408', async () => {
    const hub = await import('../support/hub').then((m) => m.startTestHub({ env: { WS_INIT_TIMEOUT_MS: '300' } }));
    try {
      const socket = new WebSocket(wsUrl(hub.hub.url), 'graphql-transport-ws');
      const code = await new Promise<number>((resolve) => socket.on('close', (c) => resolve(c)));
      expect(code).toBe(4408);
    } finally {
      await hub.stop();
    }
  });

  it('refuses more sockets per officer than allowed with 4429', async () => {
    const hub = await import('../support/hub').then((m) => m.startTestHub({ env: { WS_SOCKETS_PER_PRINCIPAL: '2' } }));
    try {
      const token = await hub.token(id('busy'));
      const open = [liveClient(hub.hub.url, token), liveClient(hub.hub.url, token)];
      await until(() => hub.hub.live.principals.size === 1, 5000, 'two sockets');
      await sleep(100);
      const third = liveClient(hub.hub.url, token);
      expect((await third.closed).code).toBe(4429);
      await Promise.all([...open, third].map((c) => c.dispose()));
    } finally {
      await hub.stop();
    }
  });

  it('closes a socket whose message exceeds the payload limit (1009)', async () => {
    const client = await connect('sOfficer');
    const stream = client.subscribe(`subscription { intelFeed { id title } } # ${'x'.repeat(70_000)}`);
    void stream;
    expect((await client.closed).code).toBe(1009);
  });
});

describe('limits as over HTTP', () => {
  it('refuses a subscription deeper than the limit, with BAD_USER_INPUT', async () => {
    const deep = 'subscription { intelFeed { owner { units { country { units { country { units { country { units { country { units { country { code } } } } } } } } } } } } }';
    const stream = (await connect('sOfficer')).subscribe(deep);
    await stream.done;
    expect(stream.errors[0].extensions?.code).toBe('BAD_USER_INPUT');
    expect(stream.errors[0].message).toMatch(/depth/i);
  });

  it('refuses too many aliases, malformed documents and unknown fields with BAD_USER_INPUT', async () => {
    const client = await connect('sOfficer');
    const aliases = client.subscribe(`subscription { intelFeed { ${Array.from({ length: 40 }, (_, i) => `a${i}: id`).join(' ')} } }`);
    const malformed = client.subscribe('subscription { intelFeed { id ');
    const unknown = client.subscribe('subscription { intelFeed { titel } }');
    await Promise.all([aliases.done, malformed.done, unknown.done]);
    expect(aliases.errors[0].extensions?.code).toBe('BAD_USER_INPUT');
    expect(aliases.errors[0].message).toMatch(/alias/i);
    expect(malformed.errors[0].extensions?.code).toBe('BAD_USER_INPUT');
    expect(unknown.errors[0].extensions?.code).toBe('BAD_USER_INPUT');
  });

  it('refuses a document over the token limit', async () => {
    const hub = await import('../support/hub').then((m) => m.startTestHub({ env: { MAX_QUERY_TOKENS: '100' } }));
    const client = liveClient(hub.hub.url, await hub.token(id('sOfficer')));
    try {
      const stream = client.subscribe(`subscription { intelFeed { ${'id '.repeat(120)} } }`);
      await stream.done;
      expect(stream.errors[0].extensions?.code).toBe('BAD_USER_INPUT');
    } finally {
      await client.dispose();
      await hub.stop();
    }
  });

  it('refuses queries and mutations on the socket, and more subscriptions than allowed per socket', async () => {
    const client = await connect('sOfficer');
    const query = client.subscribe('{ me { id } }');
    await query.done;
    expect(query.errors[0].extensions?.code).toBe('BAD_USER_INPUT');
    const hub = await import('../support/hub').then((m) => m.startTestHub({ env: { WS_SUBSCRIPTIONS_PER_SOCKET: '2' } }));
    const limited = liveClient(hub.hub.url, await hub.token(id('sOfficer')));
    try {
      const streams = [limited.subscribe(FEED), limited.subscribe(FEED), limited.subscribe(FEED)];
      await streams[2].done;
      expect(streams[2].errors[0].extensions?.code).toBe('RATE_LIMITED');
      expect(streams[0].errors).toEqual([]);
    } finally {
      await limited.dispose();
      await hub.stop();
    }
  });
});

describe('intelFeed', () => {
  const CREATE = `mutation($input: IntelReportInput!) { createIntelReport(input: $input) { id } }`;
  const create = async (input: Record<string, unknown>) =>
    expectOk(await as<{ createIntelReport: { id: string } }>(id('sOfficer'), CREATE, { input: { sourceDescription: 'informant', ...input } })).createIntelReport.id;

  it('delivers a newly created visible report, redacted per viewer, and not an invisible one', async () => {
    const t1 = await connect('tOfficer');
    const tLow = await connect('tLow');
    const own = await connect('sAdmin');
    const before = t.hub.live.dispatcher.watching();
    const [feedT, feedLow, feedOwn] = [t1.subscribe<Feed>(FEED), tLow.subscribe<Feed>(FEED), own.subscribe<Feed>(FEED)];
    await until(() => t.hub.live.dispatcher.watching() === before + 3);

    const hidden = await create({ title: 'restricted', classification: 'RESTRICTED' });
    const denied = await create({ title: 'deny QT', classification: 'OFFICIAL', releasability: { mode: 'DENY', countries: ['QT'] } });
    const visible = await create({ title: 'official', classification: 'OFFICIAL' });
    await feedT.atLeast(1);
    await feedOwn.atLeast(3);
    await t.hub.live.dispatcher.idle();
    await sleep(100);
    expect(feedT.results.map((r) => r.intelFeed.title), JSON.stringify({ hidden, denied, visible })).toEqual(['official']);
    expect(feedT.results.map((r) => r.intelFeed.id)).toEqual([visible]);
    expect(feedT.results[0].intelFeed).toMatchObject({ sourceDescription: null, redactedFields: ['sourceDescription'], owner: { code: 'QS' } });
    expect(feedLow.results).toEqual([]);
    expect(feedOwn.results.map((r) => r.intelFeed.id)).toEqual([hidden, denied, visible]);
    expect(feedOwn.results[0].intelFeed.sourceDescription).toBe('informant');
  });

  it('delivers a report once a releasability change makes it visible, and not while it hides it', async () => {
    const feed = (await connect('tOfficer')).subscribe<Feed>(FEED);
    await until(() => t.hub.live.dispatcher.watching() > 0);
    await sleep(50);
    const report = await create({ title: 'allow QS only', classification: 'OFFICIAL', releasability: { mode: 'ALLOW', countries: ['QW'] } });
    const SET = `mutation($id: ID!, $r: ReleasabilityInput!) { setReleasability(reportId: $id, releasability: $r) { id } }`;
    expectOk(await as(id('sAdmin'), SET, { id: report, r: { mode: 'ALLOW', countries: ['QT'] } }));
    await feed.atLeast(1);
    expectOk(await as(id('sAdmin'), SET, { id: report, r: { mode: 'DENY', countries: ['QT'] } }));
    const marker = await create({ title: 'marker', classification: 'UNCLASSIFIED' });
    await feed.atLeast(2);
    expect(feed.results.map((r) => r.intelFeed.id)).toEqual([report, marker]);
  });
});

describe('efficiency', () => {
  it('reads an event from Neo4j once, however many subscribers wait for it', async () => {
    const POST = `mutation($op: ID!, $input: OperationUpdateInput!) { postOperationUpdate(operationId: $op, input: $input) { id } }`;
    const SUB = 'subscription($op: ID) { operationUpdates(operationId: $op) { id classification } }';
    await Promise.all(clients.splice(0).map((c) => c.dispose()));
    await until(() => t.hub.live.dispatcher.watching() === 0, 5000, 'earlier subscriptions to end');
    const names = ['sOfficer', 'tOfficer', 'tLow', 'wOfficer', 'sAdmin'];
    const streams = [];
    const before = t.hub.live.dispatcher.watching();
    for (let i = 0; i < 40; i += 1) streams.push((await connect(names[i % names.length])).subscribe(SUB, { op: id('op') }));
    await until(() => t.hub.live.dispatcher.watching() === before + 40, 10_000, '40 subscriptions');
    await t.hub.live.dispatcher.idle();
    const db = t.hub.services.db;
    const roundTrips = db.roundTrips;
    expectOk(await as(id('sOfficer'), POST, { op: id('op'), input: { kind: 'CHECK', text: 'x', classification: 'OFFICIAL' } }));
    const afterPost = db.roundTrips;
    await Promise.all(streams.filter((_, i) => names[i % names.length] !== 'tLow' && names[i % names.length] !== 'wOfficer').map((s) => s.atLeast(1)));
    await t.hub.live.dispatcher.idle();
    // The mutation's own statements, then one read for the event.
    expect(db.roundTrips - afterPost).toBeLessThanOrEqual(1);
    expect(afterPost - roundTrips).toBeLessThan(15);
  });
});
