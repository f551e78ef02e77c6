import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importFile } from '../../src/graph/import';
import type { ImportFile } from '../../src/import/types';
import { testDb, uniquePrefix } from '../support/db';
import { startTestHub, type TestHub } from '../support/hub';
import { liveClient } from '../support/live';
import { freePort, redisServer, type RedisServer } from '../support/processes';
import { worldBuilder } from '../support/world';

/**
 * Rate limits per principal: every request (HTTP, and each subscribe over the socket) takes
 * from the principal's allowance, by-id reads from a smaller one; a refusal is HTTP 429
 * RATE_LIMITED with a Retry-After header and `extensions.retryAfterSeconds`. With REDIS_URL two
 * hubs count one allowance, against a real redis-server. Country QX.
 */
const { id, members, officer } = worldBuilder(uniquePrefix('rate'));
const OFFICERS = ['one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight'];

function world(): ImportFile {
  return {
    ...members(['QX']),
    officers: OFFICERS.map((name) => officer(name, 'QX', ['OFFICER'])),
    reports: [1, 2, 3].map((n) => ({ id: id(`r${n}`), owner: 'QX', author: id('one'), title: `Report ${n}`, classification: 'OFFICIAL', createdAt: '2026-01-01T00:00:00Z' })),
  } as ImportFile;
}

interface Answer {
  status: number;
  retryAfter: string | null;
  body: { data?: unknown; errors?: { message: string; extensions?: { code?: string; retryAfterSeconds?: number } }[] };
}

async function ask(hub: TestHub, token: string | null, query: string, variables?: Record<string, unknown>): Promise<Answer> {
  const response = await fetch(hub.hub.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  return { status: response.status, retryAfter: response.headers.get('retry-after'), body: (await response.json()) as Answer['body'] };
}

function expectLimited(answer: Answer): void {
  expect(answer.status, JSON.stringify(answer.body)).toBe(429);
  const error = answer.body.errors?.[0];
  expect(error?.extensions?.code).toBe('RATE_LIMITED');
  expect(error?.extensions?.retryAfterSeconds).toBeGreaterThan(0);
  expect(error?.extensions?.retryAfterSeconds).toBeLessThanOrEqual(60);
  expect(Number(answer.retryAfter)).toBe(error?.extensions?.retryAfterSeconds);
  expect(answer.body.data ?? null).toBeNull();
}

function expectServed(answer: Answer): void {
  expect(answer.status, JSON.stringify(answer.body)).toBe(200);
  expect(answer.body.errors).toBeUndefined();
}

const ME = '{ me { id } }';
const tokens: Record<string, string> = {};
let requests: TestHub, byId: TestHub, sharedA: TestHub, sharedB: TestHub;
let redis: RedisServer;

beforeAll(async () => {
  await importFile(await testDb(), world());
  requests = await startTestHub({ env: { RATE_LIMIT_PER_MINUTE: '5', BY_ID_READS_PER_MINUTE: '0' } });
  byId = await startTestHub({ env: { RATE_LIMIT_PER_MINUTE: '0', BY_ID_READS_PER_MINUTE: '4' } });
  redis = await redisServer(await freePort());
  const shared = { REDIS_URL: redis.url, RATE_LIMIT_PER_MINUTE: '4', BY_ID_READS_PER_MINUTE: '3' };
  sharedA = await startTestHub({ env: shared });
  sharedB = await startTestHub({ env: shared });
  for (const name of OFFICERS) tokens[name] = await requests.token(id(name));
});

afterAll(async () => {
  for (const hub of [requests, byId, sharedA, sharedB]) await hub?.stop();
  await redis?.stop();
});

describe('requests per principal', () => {
  it('refuses the request beyond the allowance with 429, RATE_LIMITED and a retry hint', async () => {
    for (let n = 0; n < 5; n += 1) expectServed(await ask(requests, tokens.one, ME));
    expectLimited(await ask(requests, tokens.one, ME));
  });

  it('counts a network export as a request of the same allowance, and refuses it the same way', async () => {
    const exportOf = async (subjectId: string): Promise<Answer> => {
      const response = await fetch(`${requests.hub.url.replace(/\/graphql$/, '')}/export/network?subjectId=${subjectId}&format=json`, {
        headers: { authorization: `Bearer ${tokens.eight}` },
      });
      return { status: response.status, retryAfter: response.headers.get('retry-after'), body: (await response.json()) as Answer['body'] };
    };
    for (let n = 0; n < 3; n += 1) expectServed(await ask(requests, tokens.eight, ME));
    // An unknown subject: a 404, and a request spent all the same.
    const unknown = await exportOf(id('nobody'));
    expect(unknown.status).toBe(404);
    expect(unknown.body.errors?.[0].extensions?.code).toBe('NOT_FOUND');
    expectServed(await ask(requests, tokens.eight, ME));
    expectLimited(await exportOf(id('nobody')));
    expectLimited(await ask(requests, tokens.eight, ME));
  });

  it("leaves another principal's allowance untouched", async () => {
    expectServed(await ask(requests, tokens.two, ME));
  });

  it('counts subscribe messages over the socket against the same allowance', async () => {
    for (let n = 0; n < 4; n += 1) expectServed(await ask(requests, tokens.three, ME));
    const client = liveClient(requests.hub.url, tokens.three);
    try {
      const admitted = client.subscribe('subscription { intelFeed { id } }');
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(admitted.errors).toEqual([]);
      expectLimited(await ask(requests, tokens.three, ME));
      const refused = client.subscribe('subscription { intelFeed { id } }');
      await refused.done;
      expect(refused.errors[0]?.extensions?.code).toBe('RATE_LIMITED');
      expect(refused.errors[0]?.extensions?.retryAfterSeconds).toBeGreaterThan(0);
    } finally {
      await client.dispose();
    }
  });

  it('counts requests with a bad token by address, so guessing tokens is limited too', async () => {
    const answers: Answer[] = [];
    for (let n = 0; n < 6; n += 1) answers.push(await ask(requests, `not-a-token-${n}`, ME));
    expect(answers.slice(0, 5).map((a) => a.status)).toEqual([401, 401, 401, 401, 401]);
    expectLimited(answers[5]);
  });
});

describe('by-id reads per principal', () => {
  it('counts each by-id root field, aliases apart, and refuses beyond the allowance', async () => {
    const three = `{ a: intelReport(id: "${id('r1')}") { id } b: intelReport(id: "${id('r2')}") { id } c: officer(id: "${id('two')}") { id } }`;
    expectServed(await ask(byId, tokens.four, three));
    expectServed(await ask(byId, tokens.four, 'query($id: ID!) { intelReport(id: $id) { id } }', { id: id('r3') }));
    expectLimited(await ask(byId, tokens.four, `{ intelReport(id: "${id('r1')}") { id } }`));
  });

  it('still serves lists and `me` once the by-id allowance is spent', async () => {
    expectServed(await ask(byId, tokens.four, '{ me { id } intelReports(first: 5) { totalCount } }'));
  });

  it('counts each `_entities` representation as a by-id read', async () => {
    const representations = [1, 2, 3].map((n) => ({ __typename: 'IntelReport', id: id(`r${n}`) }));
    const ENTITIES = 'query($r: [_Any!]!) { _entities(representations: $r) { ... on IntelReport { id } } }';
    expectServed(await ask(byId, tokens.five, ENTITIES, { r: representations }));
    expectLimited(await ask(byId, tokens.five, ENTITIES, { r: representations.slice(0, 2) }));
  });

  it('refuses a single query with more by-id reads than the whole allowance', async () => {
    const five = Array.from({ length: 5 }, (_, n) => `a${n}: intelReport(id: "${id('r1')}") { id }`).join(' ');
    expectLimited(await ask(byId, tokens.six, `{ ${five} }`));
  });
});

describe('allowances shared through Redis (REDIS_URL)', () => {
  it("counts a principal's requests on two hubs against one allowance", async () => {
    expectServed(await ask(sharedA, tokens.six, ME));
    expectServed(await ask(sharedB, tokens.six, ME));
    expectServed(await ask(sharedA, tokens.six, ME));
    expectServed(await ask(sharedB, tokens.six, ME));
    expectLimited(await ask(sharedA, tokens.six, ME));
    expectLimited(await ask(sharedB, tokens.six, ME));
  });

  it("counts a principal's by-id reads on two hubs against one allowance", async () => {
    const READ = `{ intelReport(id: "${id('r1')}") { id } }`;
    expectServed(await ask(sharedA, tokens.seven, READ));
    expectServed(await ask(sharedB, tokens.seven, READ));
    expectServed(await ask(sharedA, tokens.seven, READ));
    expectLimited(await ask(sharedB, tokens.seven, READ));
  });
});
