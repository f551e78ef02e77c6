import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importFile } from '../../src/graph/import';
import type { ImportFile } from '../../src/import/types';
import { testDb, uniquePrefix } from '../support/db';
import { startTestHub, type TestHub } from '../support/hub';

/**
 * A real identity provider's tokens: the hub fetches the provider's JWKS over HTTP and checks
 * signature, issuer and audience. The provider here is a JWKS endpoint on loopback. Country XO.
 */
const p = uniquePrefix('idp');
const ISSUER = 'https://idp.example.test/';
const AUDIENCE = 'ison-hub-test';

let t: TestHub;
let jwks: http.Server;
let privateKey: CryptoKey;

beforeAll(async () => {
  const pair = await generateKeyPair('RS256', { extractable: true });
  privateKey = pair.privateKey;
  const publicJwk = { ...(await exportJWK(pair.publicKey)), kid: 'k1', alg: 'RS256', use: 'sig' };
  jwks = http.createServer((_req, res) => {
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ keys: [publicJwk] }));
  });
  await new Promise<void>((resolve) => jwks.listen(0, '127.0.0.1', resolve));
  const { port } = jwks.address() as AddressInfo;
  await importFile(await testDb(), {
    countries: [{ code: 'XO', name: 'Oland', defaultShareLevel: 'NONE', partnerShareLevel: 'NONE' }],
    units: [{ id: `${p}-u`, country: 'XO', name: 'O unit' }],
    officers: [{ id: `${p}-o`, unit: `${p}-u`, name: 'Federated Officer', roles: ['OFFICER'], clearance: 'OFFICIAL', status: 'ACTIVE' }],
  } as ImportFile);
  t = await startTestHub({ env: { AUTH_JWKS_URL: `http://127.0.0.1:${port}/jwks.json`, AUTH_ISSUER: ISSUER, AUTH_AUDIENCE: AUDIENCE } });
});

afterAll(async () => {
  await t?.stop();
  await new Promise((resolve) => jwks?.close(resolve));
});

function providerToken(claims: { iss?: string; aud?: string; sub?: string } = {}): Promise<string> {
  return new SignJWT({})
    .setProtectedHeader({ alg: 'RS256', kid: 'k1' })
    .setSubject(claims.sub ?? `${p}-o`)
    .setIssuer(claims.iss ?? ISSUER)
    .setAudience(claims.aud ?? AUDIENCE)
    .setIssuedAt()
    .setExpirationTime('5m')
    .sign(privateKey);
}

describe('tokens from an identity provider (AUTH_JWKS_URL)', () => {
  it('accepts a token signed with the provider\'s key for this audience and issuer', async () => {
    const res = await t.gql(await providerToken(), '{ me { id name } }');
    expect(res.data).toEqual({ me: { id: `${p}-o`, name: 'Federated Officer' } });
  });

  it('refuses another audience, another issuer, and the hub\'s own development key', async () => {
    for (const token of [await providerToken({ aud: 'someone-else' }), await providerToken({ iss: 'https://evil.example/' }), await t.token(`${p}-o`)]) {
      const res = await t.gql(token, '{ me { id } }');
      expect(res.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
    }
  });
});
