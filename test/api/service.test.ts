import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signToken } from '../../src/auth/tokens';
import { importFile } from '../../src/graph/import';
import type { ImportFile } from '../../src/import/types';
import { testDb, uniquePrefix } from '../support/db';
import { startTestHub, type TestHub } from '../support/hub';

/** Authentication at the door, health, readiness, metrics and error masking. Country XJ. */
const p = uniquePrefix('svc');
const id = (name: string) => `${p}-${name}`;

let t: TestHub;

beforeAll(async () => {
  const file = {
    countries: [{ code: 'XJ', name: 'Jland', defaultShareLevel: 'OFFICIAL', partnerShareLevel: 'NONE' }],
    units: [{ id: id('u'), country: 'XJ', name: 'J unit' }],
    officers: [
      { id: id('active'), unit: id('u'), name: 'Active', roles: ['OFFICER'], clearance: 'OFFICIAL', status: 'ACTIVE' },
      { id: id('suspended'), unit: id('u'), name: 'Suspended', roles: ['OFFICER'], clearance: 'OFFICIAL', status: 'SUSPENDED' },
    ],
  } as ImportFile;
  await importFile(await testDb(), file);
  t = await startTestHub();
});

afterAll(async () => {
  await t?.stop();
});

const ME = '{ me { id } }';

describe('authentication', () => {
  it('accepts a valid token and loads the principal from the graph', async () => {
    const res = await t.gql(await t.token(id('active')), ME);
    expect(res.status).toBe(200);
    expect(res.data).toEqual({ me: { id: id('active') } });
  });

  it('answers a missing token with UNAUTHENTICATED and HTTP 401', async () => {
    const res = await t.gql(null, ME);
    expect(res.status).toBe(401);
    expect(res.errors?.[0].extensions).toEqual({ code: 'UNAUTHENTICATED' });
    expect(res.data ?? null).toBeNull();
  });

  it('answers an expired token with UNAUTHENTICATED', async () => {
    const expired = await signToken(t.config, id('active'), { expiresIn: '-1m' });
    const res = await t.gql(expired, ME);
    expect(res.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
  });

  it('answers a tampered token with UNAUTHENTICATED', async () => {
    const token = await t.token(id('active'));
    const [header, , signature] = token.split('.');
    const forgedPayload = Buffer.from(JSON.stringify({ sub: id('active'), iss: t.config.auth.issuer, aud: t.config.auth.audience, exp: 4102444800 })).toString('base64url');
    const res = await t.gql(`${header}.${forgedPayload}.${signature}`, ME);
    expect(res.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
  });

  it('answers a token signed with another key with UNAUTHENTICATED', async () => {
    const other = await new SignJWT({}).setProtectedHeader({ alg: 'HS256' }).setSubject(id('active')).setIssuer(t.config.auth.issuer)
      .setAudience(t.config.auth.audience).setExpirationTime('1h').sign(new TextEncoder().encode('not-the-hub-key-not-the-hub-key!'));
    const res = await t.gql(other, ME);
    expect(res.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
  });

  it('answers a token for an unknown subject with UNAUTHENTICATED', async () => {
    const res = await t.gql(await t.token(id('nobody')), ME);
    expect(res.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
  });

  it('answers a suspended officer with FORBIDDEN and HTTP 403', async () => {
    const res = await t.gql(await t.token(id('suspended')), ME);
    expect(res.status).toBe(403);
    expect(res.errors?.[0].extensions?.code).toBe('FORBIDDEN');
  });
});

describe('service endpoints', () => {
  const base = () => t.hub.url.replace(/\/graphql$/, '');

  it('GET /healthz answers ok', async () => {
    const res = await fetch(`${base()}/healthz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ok' });
  });

  it('GET /readyz answers ready while Neo4j is reachable', async () => {
    const res = await fetch(`${base()}/readyz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ready' });
  });

  it('GET /metrics serves Prometheus text with request and Cypher counters', async () => {
    await t.gql(await t.token(id('active')), ME);
    const res = await fetch(`${base()}/metrics`);
    expect(res.headers.get('content-type')).toContain('text/plain');
    const text = await res.text();
    expect(text).toMatch(/isonhub_graphql_requests_total\{operation="query",outcome="ok"\} [1-9]/);
    expect(text).toMatch(/isonhub_cypher_statements_total [1-9]/);
  });

  it('echoes a well-formed x-request-id and makes one up otherwise', async () => {
    const given = await fetch(`${base()}/healthz`, { headers: { 'x-request-id': 'abc-123' } });
    expect(given.headers.get('x-request-id')).toBe('abc-123');
    const made = await fetch(`${base()}/healthz`, { headers: { 'x-request-id': 'bad id with spaces' } });
    expect(made.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });
});

describe('errors', () => {
  it('answers a malformed query with BAD_USER_INPUT', async () => {
    const res = await t.gql(await t.token(id('active')), '{ me { id ');
    expect(res.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
  });

  it('answers an unknown field and a wrongly typed argument with BAD_USER_INPUT', async () => {
    const token = await t.token(id('active'));
    expect((await t.gql(token, '{ me { nope } }')).errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    expect((await t.gql(token, '{ intelReports(first: "ten") { totalCount } }')).errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    const variables = await t.gql(token, 'query($n: Int) { intelReports(first: $n) { totalCount } }', { n: 'ten' });
    expect(variables.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
  });

  it('answers an invalid enum value with BAD_USER_INPUT', async () => {
    const res = await t.gql(await t.token(id('active')), 'query($l: Level) { intelReports(filter: { classification: $l }) { totalCount } }', { l: 'TOP_SECRET' });
    expect(res.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
  });

  it('refuses a query deeper than the limit', async () => {
    const deep = '{ me { unit { country { units { country { units { country { units { country { units { country { units { country { code } } } } } } } } } } } } } }';
    const res = await t.gql(await t.token(id('active')), deep);
    expect(res.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    expect(res.errors?.[0].message).toMatch(/depth/i);
  });

  it('answers a cursor made for another list with BAD_USER_INPUT', async () => {
    const token = await t.token(id('active'));
    const cursor = Buffer.from(JSON.stringify(['not-a-date', 'x'])).toString('base64url');
    const res = await t.gql(token, 'query($a: String) { intelReports(after: $a) { totalCount } }', { a: cursor });
    expect(res.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
  });
});
