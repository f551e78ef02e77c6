import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import {
  createRemoteJWKSet,
  exportJWK,
  generateKeyPair,
  importJWK,
  jwtVerify,
  SignJWT,
  type JWK,
  type JWTPayload,
  type JWTVerifyGetKey,
} from 'jose';
import type { Config } from '../config';

/**
 * Tokens. Development tokens are signed with a key generated on first use and kept in the
 * git-ignored local folder; real deployments verify an identity provider's tokens through
 * AUTH_JWKS_URL (or a shared AUTH_SECRET). Only `sub` is trusted: who the principal is.
 */
const DEV_ALG = 'ES256';

interface DevKeyFile {
  privateJwk: JWK;
  publicJwk: JWK;
}

function devKeyPath(config: Config): string {
  return path.join(config.localDir, 'dev-signing-key.json');
}

async function devKeys(config: Config): Promise<DevKeyFile> {
  const file = devKeyPath(config);
  if (existsSync(file)) return JSON.parse(readFileSync(file, 'utf8')) as DevKeyFile;
  const { privateKey, publicKey } = await generateKeyPair(DEV_ALG, { extractable: true });
  const keys: DevKeyFile = { privateJwk: await exportJWK(privateKey), publicJwk: await exportJWK(publicKey) };
  mkdirSync(path.dirname(file), { recursive: true });
  try {
    writeFileSync(file, JSON.stringify(keys), { mode: 0o600, flag: 'wx' });
  } catch {
    // Another process created it first: use theirs, so every token verifies.
    return JSON.parse(readFileSync(file, 'utf8')) as DevKeyFile;
  }
  return keys;
}

export interface SignOptions {
  expiresIn?: string;
}

/** Signs a token for `subject` (an officer id, or `partner:<id>`) with the local key or AUTH_SECRET. */
export async function signToken(config: Config, subject: string, options: SignOptions = {}): Promise<string> {
  const jwt = new SignJWT({})
    .setSubject(subject)
    .setIssuer(config.auth.issuer)
    .setAudience(config.auth.audience)
    .setIssuedAt()
    .setExpirationTime(options.expiresIn ?? '12h');
  if (config.auth.secret) {
    return jwt.setProtectedHeader({ alg: 'HS256' }).sign(new TextEncoder().encode(config.auth.secret));
  }
  if (config.security.production) throw new Error('production signs no development tokens: tokens come from the identity provider');
  const { privateJwk } = await devKeys(config);
  return jwt.setProtectedHeader({ alg: DEV_ALG }).sign(await importJWK(privateJwk, DEV_ALG));
}

export type TokenVerifier = (token: string) => Promise<JWTPayload>;

/**
 * What an identity provider's keys may sign with: public-key algorithms only. A symmetric
 * algorithm named in a token's header (HS256 "signed" with the provider's public key, the
 * algorithm-confusion attack) or `none` finds no key and fails.
 */
const PROVIDER_ALGORITHMS = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA', 'Ed25519'];

/**
 * Signature, issuer, audience and expiry are checked for every token; a token without `exp` or
 * `sub` is refused, so none lives forever. The JWKS is fetched again (at most every 30 s) when a
 * token names a `kid` it does not hold, and a token whose `kid` is still unknown is refused.
 */
export async function createVerifier(config: Config): Promise<TokenVerifier> {
  const options = { issuer: config.auth.issuer, audience: config.auth.audience, requiredClaims: ['exp', 'sub'] };
  if (config.auth.jwksUrl) {
    const jwks: JWTVerifyGetKey = createRemoteJWKSet(new URL(config.auth.jwksUrl));
    return async (token) => (await jwtVerify(token, jwks, { ...options, algorithms: PROVIDER_ALGORITHMS })).payload;
  }
  if (config.auth.secret) {
    const secret = new TextEncoder().encode(config.auth.secret);
    return async (token) => (await jwtVerify(token, secret, { ...options, algorithms: ['HS256'] })).payload;
  }
  // Also refused by loadConfig; kept here so that no path builds a production verifier on it.
  if (config.security.production) throw new Error('production verifies AUTH_JWKS_URL or AUTH_SECRET tokens, never the development key');
  const key = await importJWK((await devKeys(config)).publicJwk, DEV_ALG);
  return async (token) => (await jwtVerify(token, key, { ...options, algorithms: [DEV_ALG] })).payload;
}
