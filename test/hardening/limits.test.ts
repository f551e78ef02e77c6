import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { importFile } from '../../src/graph/import';
import type { ImportFile } from '../../src/import/types';
import { testDb, uniquePrefix } from '../support/db';
import { startTestHub, type TestHub } from '../support/hub';
import { liveClient, wsUrl, type LiveClient } from '../support/live';
import { worldBuilder } from '../support/world';
import { readResponse, type RawResponse } from './raw-response';

/**
 * Hostile requests get a 4xx, a stable code and no stack trace, over HTTP and over the socket
 * alike, and the query limits are refused before any Cypher runs (counted with `db.observe`;
 * the principal is cached, so a request that passes the door reads nothing more). Country XP.
 */
const { id, members, officer } = worldBuilder(uniquePrefix('limits'));
const MAX_PAGE = 50;
const MAX_COMPLEXITY = 3000;

let t: TestHub;
let token: string;
let live: LiveClient;

beforeAll(async () => {
  await importFile(await testDb(), { ...members(['XP']), officers: [officer('o', 'XP', ['OFFICER'])] } as ImportFile);
  t = await startTestHub({
    env: { PRINCIPAL_CACHE_MS: '600000', MAX_PAGE_SIZE: String(MAX_PAGE), MAX_QUERY_COMPLEXITY: String(MAX_COMPLEXITY), MAX_BODY_BYTES: '65536' },
  });
  token = await t.token(id('o'));
  live = liveClient(t.hub.url, token);
});

afterAll(async () => {
  await live?.dispose();
  await t?.stop();
});

/** The Cypher statements run while `work` runs. */
async function statementsDuring<T>(work: () => Promise<T>): Promise<{ result: T; statements: string[] }> {
  const statements: string[] = [];
  const stop = (await testDb()).observe((statement) => statements.push(statement.cypher));
  try {
    return { result: await work(), statements };
  } finally {
    stop();
  }
}

async function post(body: string, headers: Record<string, string> = {}): Promise<RawResponse> {
  const response = await fetch(t.hub.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, ...headers },
    body,
  });
  return readResponse(response);
}

/** A refusal as the issue asks: a 4xx, a JSON body whose every error has a code, no stack trace. */
function expectRefused(response: RawResponse, status: number, code = 'BAD_USER_INPUT'): void {
  expect(response.status, response.text.slice(0, 300)).toBe(status);
  expect(response.body?.errors?.length, response.text.slice(0, 300)).toBeGreaterThan(0);
  for (const error of response.body!.errors!) expect(error.extensions?.code).toBe(code);
  expect(response.text).not.toMatch(/stacktrace|\n\s+at |node_modules/);
}

const deepSelection = (levels: number) => `{ me { unit { ${'country { units { '.repeat(levels)}id${' } }'.repeat(levels)} } } }`;

const OVER_LIMITS: [string, string, RegExp][] = [
  ['over the token limit (6,000 fields)', `{ me { ${'id '.repeat(6000)} } }`, /token/i],
  ['deeper than the depth limit', deepSelection(8), /depth/i],
  ['with more aliases than allowed', `{ ${Array.from({ length: 31 }, (_, i) => `a${i}: me { id }`).join(' ')} }`, /alias/i],
  ['with more directives than allowed', `{ me { id ${'@include(if: true) '.repeat(51)} } }`, /directive/i],
  ['costlier than the cost limit', `{ countries { code units { id officers(first: 50) { totalCount edges { node { id name unit { id country { code name } } } } } } } }`, /cost/i],
  ['with a page larger than the page-size limit', `{ intelReports(first: ${MAX_PAGE + 1}) { totalCount } }`, /first must be/],
  ['with a nested page larger than the limit', `{ me { unit { officers(first: ${MAX_PAGE + 1}) { totalCount } } } }`, /first must be/],
  ['with a negative page size', `{ officers(first: -1) { totalCount } }`, /first must be/],
  ['that does not parse', `{ me { id `, /Syntax Error/],
  ['that names an unknown field', `{ me { rank nme } }`, /Cannot query field/],
];

describe('query limits over HTTP', () => {
  it('answers a document within every limit (the baseline the refusals are measured from)', async () => {
    const res = await post(JSON.stringify({ query: `{ me { id } intelReports(first: ${MAX_PAGE}) { totalCount } }` }));
    expect(res.status).toBe(200);
    expect(res.body?.errors).toBeUndefined();
  });

  for (const [what, query, reason] of OVER_LIMITS) {
    it(`refuses a document ${what} with HTTP 400 and BAD_USER_INPUT before any Cypher runs`, async () => {
      await post(JSON.stringify({ query: '{ me { id } }' })); // the principal is cached
      const { result, statements } = await statementsDuring(() => post(JSON.stringify({ query })));
      expectRefused(result, 400);
      expect(result.body!.errors!.map((e) => e.message).join('\n')).toMatch(reason);
      expect(statements).toEqual([]);
    });
  }

  it('refuses a page size given as a variable, or as a variable default, before any Cypher runs', async () => {
    const query = `query($n: Int = ${MAX_PAGE + 1}) { intelReports(first: $n) { totalCount } }`;
    const { result: byDefault, statements: before } = await statementsDuring(() => post(JSON.stringify({ query })));
    const { result: byVariable, statements: after } = await statementsDuring(() => post(JSON.stringify({ query, variables: { n: 10 ** 9 } })));
    expectRefused(byDefault, 400);
    expectRefused(byVariable, 400);
    expect([...before, ...after]).toEqual([]);
  });

  it('refuses variables of the wrong type with HTTP 400', async () => {
    const res = await post(JSON.stringify({ query: 'query($id: ID!) { intelReport(id: $id) { id } }', variables: { id: { $gt: '' } } }));
    expectRefused(res, 400);
  });
});

describe('malformed HTTP requests', () => {
  it('refuses a body over MAX_BODY_BYTES with HTTP 413', async () => {
    expectRefused(await post(JSON.stringify({ query: `{ me { id } } # ${'x'.repeat(70_000)}` })), 413);
  });

  it('refuses a body that is not JSON with HTTP 400', async () => {
    expectRefused(await post('{"query": "{ me { id } }"'), 400);
  });

  it('refuses a batched array of operations with HTTP 400', async () => {
    expectRefused(await post(JSON.stringify([{ query: '{ me { id } }' }, { query: '{ me { id } }' }])), 400);
  });

  it('refuses a query that is not a string, or missing, with HTTP 400', async () => {
    expectRefused(await post(JSON.stringify({ query: { me: 'id' } })), 400);
    expectRefused(await post(JSON.stringify({ variables: {} })), 400);
  });

  it('refuses a GET without a CSRF preflight header, and a form post, with HTTP 400', async () => {
    const get = await fetch(`${t.hub.url}?query=${encodeURIComponent('{ me { id } }')}`, { headers: { authorization: `Bearer ${token}` } });
    expectRefused(await readResponse(get), 400);
    const form = await post('query={me{id}}', { 'content-type': 'application/x-www-form-urlencoded' });
    expectRefused(form, 400);
  });

  it('refuses a mutation sent by GET (with the preflight header) with HTTP 405', async () => {
    const query = encodeURIComponent('mutation { removeSharingRule(to: "XP") }');
    const get = await fetch(`${t.hub.url}?query=${query}`, { headers: { authorization: `Bearer ${token}`, 'apollo-require-preflight': 'true' } });
    expectRefused(await readResponse(get), 405);
  });

  it('serves no landing page to a browser: no HTML, nothing from a CDN', async () => {
    const res = await fetch(t.hub.url, { headers: { accept: 'text/html' } });
    const text = await res.text();
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.status).toBeLessThan(500);
    expect(text).not.toMatch(/<html|cdn\.|apollographql\.com|embeddable/i);
  });
});

describe('query limits over the socket', () => {
  const SUBSCRIPTIONS: [string, string, RegExp][] = [
    ['over the token limit', `subscription { intelFeed { ${'id '.repeat(6000)} } }`, /token/i],
    ['deeper than the depth limit', `subscription { intelFeed { owner { ${'units { country { '.repeat(7)}code${' } }'.repeat(7)} } } }`, /depth/i],
    ['with more aliases than allowed', `subscription { intelFeed { ${Array.from({ length: 31 }, (_, i) => `a${i}: id`).join(' ')} } }`, /alias/i],
    ['with more directives than allowed', `subscription { intelFeed { id ${'@include(if: true) '.repeat(51)} } }`, /directive/i],
    ['costlier than the cost limit', `subscription { intelFeed { subjects { reports(first: 50) { edges { node { id title owner { code name units { id name } } subjects { id } } } } } } }`, /cost/i],
    ['with a page larger than the page-size limit', `subscription { intelFeed { subjects { reports(first: ${MAX_PAGE + 1}) { totalCount } } } }`, /first must be/],
    // A limit rule reads the directive's argument and throws where the variable is missing.
    ['with @skip on a variable it does not declare', 'subscription { intelFeed @skip(if: $nope) { id } }', /\$nope/],
  ];
  for (const [what, query, reason] of SUBSCRIPTIONS) {
    it(`refuses a subscription ${what} with BAD_USER_INPUT and keeps the socket open`, async () => {
      const stream = live.subscribe(query);
      await stream.done;
      expect(stream.errors.length).toBeGreaterThan(0);
      for (const error of stream.errors) expect(error.extensions?.code).toBe('BAD_USER_INPUT');
      expect(stream.errors.map((e) => e.message).join('\n')).toMatch(reason);
      expect(JSON.stringify(stream.errors)).not.toMatch(/stacktrace|\n\s+at /);
      const ok = live.subscribe('subscription { intelFeed { id } }');
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(ok.errors).toEqual([]);
      ok.stop();
    });
  }
});

describe('malformed socket messages', () => {
  /** The close code after connection_init and then `message`, sent raw (a client library would refuse to send it). */
  async function closeCodeAfter(message: string): Promise<number> {
    const socket = new WebSocket(wsUrl(t.hub.url), 'graphql-transport-ws');
    const closed = new Promise<number>((resolve) => socket.once('close', (code) => resolve(code)));
    await new Promise((resolve) => socket.once('open', resolve));
    socket.send(JSON.stringify({ type: 'connection_init', payload: { authorization: `Bearer ${token}` } }));
    await new Promise((resolve) => socket.once('message', resolve));
    socket.send(message);
    return closed;
  }

  const MESSAGES: [string, string][] = [
    ['text that is not JSON', '{"type": "subscribe", '],
    ['a subscribe whose variables are an array', JSON.stringify({ type: 'subscribe', id: '1', payload: { query: 'subscription { intelFeed { id } }', variables: [1, 2] } })],
    ['a subscribe whose query is not a string', JSON.stringify({ type: 'subscribe', id: '1', payload: { query: { intelFeed: 'id' } } })],
    ['a message of an unknown type', JSON.stringify({ type: 'drop_tables', id: '1' })],
  ];
  for (const [what, message] of MESSAGES) {
    it(`closes the socket on ${what} with 4400, and the hub keeps serving`, async () => {
      expect(await closeCodeAfter(message)).toBe(4400);
      expect((await post(JSON.stringify({ query: '{ me { id } }' }))).status).toBe(200);
    });
  }
});
