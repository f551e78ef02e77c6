import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config';
import { importFile } from '../../src/graph/import';
import type { ImportFile } from '../../src/import/types';
import { testDb, uniquePrefix } from '../support/db';
import { startTestHub, type TestHub } from '../support/hub';
import { worldBuilder } from '../support/world';

/**
 * Production mode (HUB_ENV=production): the start refuses development secrets, and a running
 * production hub answers no introspection and no field suggestions, where a development hub
 * does; `_service` stays readable for composition. Country XF.
 */
const { id, members, officer } = worldBuilder(uniquePrefix('prod'));
const SECRET = 'a production secret of at least thirty-two bytes';

/** A complete production environment; each test takes one thing away. */
const PRODUCTION: Record<string, string> = {
  HUB_ENV: 'production',
  AUTH_JWKS_URL: 'https://idp.example.org/.well-known/jwks.json',
  AUTH_ISSUER: 'https://idp.example.org/',
  AUTH_AUDIENCE: 'ison-hub',
  NEO4J_URI: 'neo4j+s://db.example.org',
  NEO4J_PASSWORD: 'a-real-password',
};

function refusal(env: Record<string, string | undefined>): string {
  try {
    loadConfig(env as NodeJS.ProcessEnv);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
  throw new Error('the configuration was accepted');
}

describe('production mode refuses to start', () => {
  it('accepts a complete production environment, with JWKS or with a long shared secret', () => {
    expect(loadConfig(PRODUCTION).security.production).toBe(true);
    expect(loadConfig({ ...PRODUCTION, AUTH_JWKS_URL: undefined, AUTH_SECRET: SECRET }).auth.secret).toBe(SECRET);
  });

  it('with the development signing key (neither AUTH_JWKS_URL nor AUTH_SECRET)', () => {
    expect(refusal({ ...PRODUCTION, AUTH_JWKS_URL: undefined })).toMatch(/AUTH_JWKS_URL.*development signing key/);
  });

  it('with a shared secret shorter than 32 bytes', () => {
    expect(refusal({ ...PRODUCTION, AUTH_JWKS_URL: undefined, AUTH_SECRET: 'short' })).toMatch(/AUTH_SECRET must be at least 32 bytes/);
  });

  it("with Neo4j's default password, or none", () => {
    expect(refusal({ ...PRODUCTION, NEO4J_PASSWORD: 'neo4j' })).toMatch(/NEO4J_PASSWORD/);
    expect(refusal({ ...PRODUCTION, NEO4J_PASSWORD: undefined })).toMatch(/NEO4J_PASSWORD/);
  });

  it('without NEO4J_URI (the local Neo4j is for development)', () => {
    expect(refusal({ ...PRODUCTION, NEO4J_URI: undefined })).toMatch(/NEO4J_URI/);
  });

  it('with the development issuer and audience', () => {
    expect(refusal({ ...PRODUCTION, AUTH_ISSUER: undefined })).toMatch(/AUTH_ISSUER and AUTH_AUDIENCE/);
    expect(refusal({ ...PRODUCTION, AUTH_AUDIENCE: undefined })).toMatch(/AUTH_ISSUER and AUTH_AUDIENCE/);
  });

  it('with the audit trail turned off (AUDIT=off)', () => {
    expect(refusal({ ...PRODUCTION, AUDIT: 'off' })).toMatch(/unset AUDIT/);
  });

  it('naming every problem at once', () => {
    const message = refusal({ HUB_ENV: 'production' });
    for (const name of ['AUTH_JWKS_URL', 'AUTH_ISSUER', 'NEO4J_URI', 'NEO4J_PASSWORD']) expect(message).toContain(name);
  });

  it('refuses an unknown HUB_ENV', () => {
    expect(refusal({ HUB_ENV: 'prod' })).toMatch(/HUB_ENV must be development or production/);
  });

  it('`npm start` exits with status 1 and the reasons, before starting any database', () => {
    const root = path.resolve(__dirname, '..', '..');
    const env: Record<string, string> = {};
    for (const [key, value] of Object.entries(process.env)) if (value !== undefined && !/^(NEO4J_|AUTH_)/.test(key)) env[key] = value;
    const run = spawnSync(process.execPath, ['-r', '@swc-node/register', 'src/main.ts', 'start'], {
      cwd: root,
      env: { ...env, HUB_ENV: 'production' },
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/HUB_ENV=production refuses to start/);
    expect(run.stderr).toMatch(/NEO4J_PASSWORD/);
    expect(`${run.stdout}${run.stderr}`).not.toMatch(/starting the local Neo4j|hub listening/i);
  });
});

let production: TestHub, development: TestHub;
let productionToken: string, developmentToken: string;

beforeAll(async () => {
  await importFile(await testDb(), { ...members(['XF']), officers: [officer('o', 'XF', ['OFFICER'])] } as ImportFile);
  // The hub's Neo4j is the test run's (passed in); NEO4J_URI and the password only pass the start checks.
  production = await startTestHub({ env: { ...PRODUCTION, AUTH_JWKS_URL: '', AUTH_SECRET: SECRET } });
  development = await startTestHub();
  productionToken = await production.token(id('o'));
  developmentToken = await development.token(id('o'));
});

afterAll(async () => {
  await production?.stop();
  await development?.stop();
});

const INTROSPECTION = [
  '{ __schema { queryType { name } types { name } } }',
  '{ __type(name: "IntelReport") { fields { name } } }',
  'query { me { id } a: __schema { mutationType { name } } }',
];

describe('a production hub', () => {
  it('answers ordinary queries', async () => {
    const res = await production.gql(productionToken, '{ me { id } }');
    expect(res.data).toEqual({ me: { id: id('o') } });
  });

  it('refuses introspection with HTTP 400 and BAD_USER_INPUT', async () => {
    for (const query of INTROSPECTION) {
      const res = await production.gql(productionToken, query);
      expect(res.status, query).toBe(400);
      expect(res.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
      expect(res.data ?? null).toBeNull();
    }
  });

  it('hides field suggestions', async () => {
    const res = await production.gql(productionToken, '{ me { nam } }');
    expect(res.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    expect(res.errors?.[0].message).not.toMatch(/Did you mean/);
  });

  it('still serves `_service` without a token, for composition', async () => {
    const res = await production.gql<{ _service: { sdl: string } }>(null, '{ _service { sdl } }');
    expect(res.data?._service.sdl).toMatch(/type IntelReport/);
  });

  it('refuses development tokens signed by `npm run token`', async () => {
    const res = await production.gql(developmentToken, '{ me { id } }');
    expect(res.status).toBe(401);
    expect(res.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
  });
});

describe('a development hub', () => {
  it('answers introspection', async () => {
    const res = await development.gql<{ __schema: { queryType: { name: string } } }>(developmentToken, INTROSPECTION[0]);
    expect(res.data?.__schema.queryType.name).toBe('Query');
  });

  it('shows field suggestions', async () => {
    const res = await development.gql(developmentToken, '{ me { nam } }');
    expect(res.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    expect(res.errors?.[0].message).toMatch(/Did you mean "name"/);
  });
});
