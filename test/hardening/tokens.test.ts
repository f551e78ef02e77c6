import { createPublicKey, type JsonWebKey } from 'node:crypto';
import { readFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { base64url, exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importFile } from '../../src/graph/import';
import type { ImportFile } from '../../src/import/types';
import { testDb, uniquePrefix } from '../support/db';
import { startTestHub, type TestHub } from '../support/hub';
import { worldBuilder } from '../support/world';

/**
 * Every token is checked for signature, expiry, issuer and audience, and the classic forgeries
 * are refused with HTTP 401 UNAUTHENTICATED: `alg: none`, HS256 "signed" with the provider's
 * public key (algorithm confusion), an unknown `kid`, a token without `exp`. Against a real JWKS
 * endpoint on loopback, a shared AUTH_SECRET, and the development key. Country XB.
 */
const { id, members, officer } = worldBuilder(uniquePrefix('tokens'));
const ISSUER = 'https://idp.tokens.test/';
const AUDIENCE = 'ison-hub-tokens';
const SECRET = 'a shared secret of at least thirty-two bytes, for tests';
const ME = '{ me { id } }';

let provider: TestHub, shared: TestHub, development: TestHub;
let jwks: http.Server;
let rsa: { privateKey: CryptoKey; publicJwk: JWK };
let ec: { privateKey: CryptoKey };

beforeAll(async () => {
  await importFile(await testDb(), { ...members(['XB']), officers: [officer('o', 'XB', ['OFFICER'])] } as ImportFile);
  const rsaPair = await generateKeyPair('RS256', { extractable: true });
  const ecPair = await generateKeyPair('ES256', { extractable: true });
  rsa = { privateKey: rsaPair.privateKey, publicJwk: { ...(await exportJWK(rsaPair.publicKey)), kid: 'rsa-1', alg: 'RS256', use: 'sig' } };
  ec = { privateKey: ecPair.privateKey };
  const ecJwk = { ...(await exportJWK(ecPair.publicKey)), kid: 'ec-1', alg: 'ES256', use: 'sig' };
  jwks = http.createServer((_req, res) => {
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ keys: [rsa.publicJwk, ecJwk] }));
  });
  await new Promise<void>((resolve) => jwks.listen(0, '127.0.0.1', resolve));
  const { port } = jwks.address() as AddressInfo;
  provider = await startTestHub({ env: { AUTH_JWKS_URL: `http://127.0.0.1:${port}/jwks.json`, AUTH_ISSUER: ISSUER, AUTH_AUDIENCE: AUDIENCE } });
  shared = await startTestHub({ env: { AUTH_SECRET: SECRET, AUTH_ISSUER: ISSUER, AUTH_AUDIENCE: AUDIENCE } });
  development = await startTestHub();
});

afterAll(async () => {
  await provider?.stop();
  await shared?.stop();
  await development?.stop();
  await new Promise((resolve) => jwks?.close(resolve));
});

interface Claims {
  sub?: string | null;
  iss?: string;
  aud?: string;
  exp?: string | number | null;
}

function claims(jwt: SignJWT, c: Claims, issuer = ISSUER, audience = AUDIENCE): SignJWT {
  if (c.sub !== null) jwt.setSubject(c.sub ?? id('o'));
  jwt.setIssuer(c.iss ?? issuer).setAudience(c.aud ?? audience).setIssuedAt();
  if (c.exp !== null) jwt.setExpirationTime(c.exp ?? '5m');
  return jwt;
}

const rsaToken = (c: Claims = {}, kid = 'rsa-1') => claims(new SignJWT({}).setProtectedHeader({ alg: 'RS256', kid }), c).sign(rsa.privateKey);
const ecToken = (c: Claims = {}) => claims(new SignJWT({}).setProtectedHeader({ alg: 'ES256', kid: 'ec-1' }), c).sign(ec.privateKey);
const hsToken = (secret: Uint8Array | string, c: Claims = {}, header: Record<string, string> = {}) =>
  claims(new SignJWT({}).setProtectedHeader({ alg: 'HS256', ...header }), c).sign(typeof secret === 'string' ? new TextEncoder().encode(secret) : secret);

/** An unsigned token (`alg: none`), built by hand: jose will not sign one. */
function unsignedToken(issuer = ISSUER, audience = AUDIENCE): string {
  const now = Math.floor(Date.now() / 1000);
  const encode = (value: unknown) => base64url.encode(JSON.stringify(value));
  return `${encode({ alg: 'none', typ: 'JWT' })}.${encode({ sub: id('o'), iss: issuer, aud: audience, iat: now, exp: now + 300 })}.`;
}

/** The same token with its payload changed after signing: the signature no longer covers it. */
function tampered(token: string): string {
  const [header, payload, signature] = token.split('.');
  const claimsJson = JSON.parse(new TextDecoder().decode(base64url.decode(payload))) as Record<string, unknown>;
  return [header, base64url.encode(JSON.stringify({ ...claimsJson, sub: `${id('o')}-admin` })), signature].join('.');
}

async function expectRefused(hub: TestHub, token: string): Promise<void> {
  const res = await hub.gql(token, ME);
  expect(res.status).toBe(401);
  expect(res.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
  expect(res.data ?? null).toBeNull();
}

describe('tokens from an identity provider (AUTH_JWKS_URL)', () => {
  it('accepts RS256 and ES256 tokens signed with the provider\'s keys', async () => {
    expect((await provider.gql(await rsaToken(), ME)).data).toEqual({ me: { id: id('o') } });
    expect((await provider.gql(await ecToken(), ME)).data).toEqual({ me: { id: id('o') } });
  });

  it('refuses an expired token', async () => {
    await expectRefused(provider, await rsaToken({ exp: Math.floor(Date.now() / 1000) - 60 }));
  });

  it('refuses a token without an expiry', async () => {
    await expectRefused(provider, await rsaToken({ exp: null }));
  });

  it('refuses a token without a subject', async () => {
    await expectRefused(provider, await rsaToken({ sub: null }));
  });

  it('refuses a token for another issuer or another audience', async () => {
    await expectRefused(provider, await rsaToken({ iss: 'https://evil.example/' }));
    await expectRefused(provider, await rsaToken({ aud: 'another-service' }));
  });

  it('refuses a token whose payload was changed after signing', async () => {
    await expectRefused(provider, tampered(await rsaToken()));
  });

  it('refuses an unsigned token (alg: none)', async () => {
    await expectRefused(provider, unsignedToken());
  });

  it('refuses an HS256 token signed with the provider\'s public key (algorithm confusion)', async () => {
    const pem = createPublicKey({ key: rsa.publicJwk as JsonWebKey, format: 'jwk' }).export({ type: 'spki', format: 'pem' }).toString();
    await expectRefused(provider, await hsToken(pem, {}, { kid: 'rsa-1' }));
    await expectRefused(provider, await hsToken(JSON.stringify(rsa.publicJwk), {}, { kid: 'rsa-1' }));
  });

  it('refuses a token signed with a key the provider does not publish (unknown kid)', async () => {
    const stranger = await generateKeyPair('RS256');
    await expectRefused(provider, await claims(new SignJWT({}).setProtectedHeader({ alg: 'RS256', kid: 'rsa-unknown' }), {}).sign(stranger.privateKey));
  });

  it('refuses a token signed with another key under a known kid', async () => {
    const stranger = await generateKeyPair('RS256');
    await expectRefused(provider, await claims(new SignJWT({}).setProtectedHeader({ alg: 'RS256', kid: 'rsa-1' }), {}).sign(stranger.privateKey));
  });
});

describe('tokens signed with a shared secret (AUTH_SECRET)', () => {
  it('accepts an HS256 token signed with the secret', async () => {
    expect((await shared.gql(await hsToken(SECRET), ME)).data).toEqual({ me: { id: id('o') } });
  });

  it('refuses a token signed with another secret, an unsigned one, and an RS256 one', async () => {
    await expectRefused(shared, await hsToken(`${SECRET} but another`));
    await expectRefused(shared, unsignedToken());
    await expectRefused(shared, await rsaToken());
  });

  it('refuses an expired token and one without an expiry', async () => {
    await expectRefused(shared, await hsToken(SECRET, { exp: Math.floor(Date.now() / 1000) - 60 }));
    await expectRefused(shared, await hsToken(SECRET, { exp: null }));
  });
});

describe('development tokens (the key in .local/)', () => {
  it('accepts the hub\'s own token and refuses an unsigned one or an HS256 one signed with its public key', async () => {
    const own = await development.token(id('o'));
    expect((await development.gql(own, ME)).data).toEqual({ me: { id: id('o') } });
    const { iss, aud } = JSON.parse(new TextDecoder().decode(base64url.decode(own.split('.')[1]))) as { iss: string; aud: string };
    await expectRefused(development, unsignedToken(iss, aud));
    const { publicJwk } = JSON.parse(readFileSync(`${development.config.localDir}/dev-signing-key.json`, 'utf8')) as { publicJwk: JWK };
    await expectRefused(development, await claims(new SignJWT({}).setProtectedHeader({ alg: 'HS256' }), {}, iss, aud).sign(new TextEncoder().encode(JSON.stringify(publicJwk))));
  });
});
