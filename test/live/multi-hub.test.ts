import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { importFile } from '../../src/graph/import';
import type { ImportFile } from '../../src/import/types';
import { actors, expectOk, type Caller } from '../support/actors';
import { testDb, uniquePrefix } from '../support/db';
import { startTestHub, type TestHub } from '../support/hub';
import { liveClient, sleep, until, type LiveClient, type LiveStream } from '../support/live';
import { freePort, redisServer, startHubProcess, type HubProcess, type RedisServer } from '../support/processes';
import { worldBuilder } from '../support/world';

/**
 * Two hubs, one Redis: hub A in this process, hub B in a process of its own, a redis-server
 * started here. Updates posted on A reach subscribers on B, judged there; policy
 * invalidations cross too; Redis going away closes B's sockets with "resume with your last
 * cursor", and resuming after it is back misses nothing. Countries QS, QT belong to the live tests.
 */
const { id, members, officer } = worldBuilder(uniquePrefix('multi'));

function world(): ImportFile {
  return {
    ...members(['QS', 'QT']),
    // Other live test files share these countries and change this rule: state it.
    sharingRules: [{ from: 'QS', to: 'QT', maxLevel: 'OFFICIAL' }],
    officers: [officer('sCoord', 'QS', ['COORDINATOR']), officer('sAdmin', 'QS', ['NCB_ADMIN']), officer('tOfficer', 'QT', ['OFFICER'])],
    operations: [
      { id: id('op'), codename: 'MULTI OP', leadCountry: 'QS', status: 'ACTIVE', visibility: 'PARTICIPANTS', participants: ['QT'],
        assignments: [{ officer: id('sCoord') }, { officer: id('tOfficer') }] },
    ],
  } as ImportFile;
}

const SUB = 'subscription($op: ID, $after: String) { operationUpdates(operationId: $op, after: $after) { id cursor classification } }';
const POST = 'mutation($op: ID!, $input: OperationUpdateInput!) { postOperationUpdate(operationId: $op, input: $input) { id cursor } }';
type Delivered = { operationUpdates: { id: string; cursor: string } };

let redis: RedisServer, a: TestHub, b: HubProcess, as: Caller;
const clients: LiveClient[] = [];

beforeAll(async () => {
  await importFile(await testDb(), world());
  redis = await redisServer(await freePort());
  // Ten-minute policy caches: a change seen on hub B proves the invalidation crossed Redis.
  const env = { REDIS_URL: redis.url, PRINCIPAL_CACHE_MS: '600000' };
  a = await startTestHub({ env });
  b = await startHubProcess({ ...env, NEO4J_URI: inject('neo4jUri') });
  as = actors(a);
});

afterAll(async () => {
  await Promise.all(clients.map((c) => c.dispose()));
  await b?.stop();
  await a?.stop();
  await redis?.stop();
});

async function subscribeOnB(variables: Record<string, unknown>): Promise<{ client: LiveClient; stream: LiveStream<Delivered> }> {
  const client = liveClient(b.url, await a.token(id('tOfficer')));
  clients.push(client);
  const before = (await b.ask<{ watching: number }>('live')).watching;
  const stream = client.subscribe<Delivered>(SUB, variables);
  await until(async () => (await b.ask<{ watching: number }>('live')).watching > before || stream.errors.length > 0, 10_000, 'subscription on B');
  return { client, stream };
}

const post = async (classification: string) =>
  expectOk(await as<{ postOperationUpdate: { id: string; cursor: string } }>(id('sCoord'), POST, { op: id('op'), input: { kind: 'CHECK', text: 'x', classification } })).postOperationUpdate;

const readyz = async (url: string) => (await fetch(url.replace(/\/graphql$/, '/readyz'))).status;

describe('many hubs through Redis', () => {
  it('delivers an update posted on hub A to a subscriber on hub B, judged on B, and carries policy invalidations', async () => {
    const { stream } = await subscribeOnB({ op: id('op') });
    const hidden = await post('RESTRICTED'); // QS shares OFFICIAL with QT by default
    const shown = await post('OFFICIAL');
    await stream.atLeast(1);
    expect(stream.results.map((r) => r.operationUpdates.id)).toEqual([shown.id]);
    expect(stream.results.map((r) => r.operationUpdates.id)).not.toContain(hidden.id);

    expectOk(await as(id('sAdmin'), 'mutation { setSharingRule(input: { to: "QT", maxLevel: RESTRICTED }) { maxLevel } }'));
    const nowShown = await post('RESTRICTED');
    await stream.atLeast(2);
    expect(stream.results.map((r) => r.operationUpdates.id)).toEqual([shown.id, nowShown.id]);
  });

  it('closes live sockets with 1013 when Redis goes away, reports it, and resuming by cursor after recovery misses nothing', async () => {
    const { client, stream } = await subscribeOnB({ op: id('op') });
    const seen = await post('OFFICIAL');
    await stream.atLeast(1);
    const cursor = stream.results[0].operationUpdates.cursor;
    expect(stream.results[0].operationUpdates.id).toBe(seen.id);

    await redis.stop();
    const closed = await client.closed;
    expect(closed.code).toBe(1013);
    expect(closed.reason).toMatch(/resume with your last cursor/);
    await until(async () => (await readyz(b.url)) === 503, 5000, 'B to report not ready');

    // Writes go on while Redis is away: the updates are in Neo4j.
    const missed = [await post('OFFICIAL'), await post('UNCLASSIFIED')];

    await redis.start();
    await until(async () => (await readyz(b.url)) === 200 && (await readyz(a.hub.url)) === 200, 20_000, 'both hubs ready again');
    const { stream: resumed } = await subscribeOnB({ op: id('op'), after: cursor });
    const live = await post('OFFICIAL');
    await resumed.atLeast(3, 15_000);
    await sleep(300);
    expect(resumed.results.map((r) => r.operationUpdates.id)).toEqual([...missed.map((u) => u.id), live.id]);
  });
});
