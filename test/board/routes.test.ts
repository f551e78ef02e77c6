import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config';
import { DEMO_OFFICERS } from '../../src/import/demo';
import { boardOptions } from '../../src/server/board';
import { startTestHub, type TestHub } from '../support/hub';
import { ensureWebBuilt } from './browser';

/**
 * The board's HTTP routes on a real hub: pages and assets under /board with a policy that lets
 * them reach only this origin, the explorer on GET /graphql for browsers only where it is on,
 * and the development sign-in shortcut only where it is on. No data: no country codes.
 */
const BROWSER_ACCEPT = 'text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8';

let on: TestHub, off: TestHub;
beforeAll(async () => {
  ensureWebBuilt();
  [on, off] = await Promise.all([startTestHub({ env: { EXPLORER: 'on', BOARD_DEMO_SIGNIN: 'on' } }), startTestHub()]);
});
afterAll(async () => {
  await on?.stop();
  await off?.stop();
});

const get = (hub: TestHub, path: string, accept = BROWSER_ACCEPT) => fetch(new URL(path, hub.hub.url), { headers: { accept }, redirect: 'manual' });

describe('/board', () => {
  it('serves the board page and its bundled assets, with a content security policy of this origin only', async () => {
    const page = await get(off, '/board/');
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('operations board');
    expect(page.headers.get('content-security-policy')).toContain("default-src 'self'");
    expect(page.headers.get('content-security-policy')).toContain("connect-src 'self'");
    const assets = [...html.matchAll(/(?:src|href)="(\/board\/assets\/[^"]+)"/g)].map((m) => m[1]);
    expect(assets.length).toBeGreaterThan(0);
    for (const asset of assets) expect((await get(off, asset, '*/*')).status, asset).toBe(200);
  });

  it('redirects /board to /board/ and answers an unknown asset with 404', async () => {
    const redirect = await get(off, '/board');
    expect(redirect.status).toBe(301);
    expect(redirect.headers.get('location')).toBe('/board/');
    expect((await get(off, '/board/assets/nope.js', '*/*')).status).toBe(404);
  });

  it('lists the demo officers with tokens the hub signed for them only where BOARD_DEMO_SIGNIN is on', async () => {
    expect((await get(off, '/board/demo-officers', 'application/json')).status).toBe(404);
    const response = await get(on, '/board/demo-officers', 'application/json');
    expect(response.status).toBe(200);
    const { officers } = (await response.json()) as { officers: { id: string; token: string }[] };
    expect(officers.map((o) => o.id)).toEqual(DEMO_OFFICERS.map((o) => o.id));
    const subjects = officers.map((o) => JSON.parse(Buffer.from(o.token.split('.')[1], 'base64url').toString()).sub as string);
    expect(subjects).toEqual(DEMO_OFFICERS.map((o) => o.id));
  });
});

describe('the explorer at /graphql', () => {
  it('serves the bundled GraphiQL to a browser where EXPLORER is on', async () => {
    const response = await get(on, '/graphql');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/html/);
    expect(await response.text()).toContain('GraphQL explorer');
    expect(response.headers.get('content-security-policy')).toContain("default-src 'self'");
  });

  it('does not serve it where EXPLORER is off, not even under /board', async () => {
    const response = await get(off, '/graphql');
    expect(await response.text()).not.toContain('GraphQL explorer');
    expect((await get(off, '/board/explorer.html')).status).toBe(404);
  });

  it('leaves POST, and GET requests that ask for JSON, to GraphQL', async () => {
    const post = await on.gql(null, '{ me { id } }');
    expect(post.status).toBe(401);
    expect(post.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    for (const path of ['/graphql?query=%7B__typename%7D', '/graphql']) {
      const response = await get(on, path, 'application/json');
      expect(response.headers.get('content-type'), path).toMatch(/json/);
    }
  });

  it('leaves a browser GET that carries a query to GraphQL, not to the explorer', async () => {
    const response = await get(on, '/graphql?query=%7B__typename%7D');
    expect(await response.text()).not.toContain('GraphQL explorer');
  });
});

describe('board configuration', () => {
  it('is off unless configured, and on for npm start with the development key', () => {
    const config = loadConfig({});
    expect(boardOptions(config)).toEqual({ explorer: false, demoSignIn: false });
    expect(boardOptions(config, true)).toEqual({ explorer: true, demoSignIn: true });
    expect(boardOptions(loadConfig({ AUTH_SECRET: 'shared-secret-of-enough-length' }), true)).toEqual({ explorer: false, demoSignIn: false });
    expect(boardOptions(loadConfig({ AUTH_SECRET: 'shared-secret-of-enough-length', EXPLORER: 'on' }), true)).toEqual({ explorer: true, demoSignIn: false });
  });

  it('refuses a switch that is not on or off, and the demo sign-in with an identity provider or a shared secret', () => {
    expect(() => loadConfig({ EXPLORER: 'yes' })).toThrow(ConfigError);
    expect(() => loadConfig({ BOARD_DEMO_SIGNIN: 'on', AUTH_SECRET: 'shared-secret-of-enough-length' })).toThrow(/development key/);
    expect(() => loadConfig({ BOARD_DEMO_SIGNIN: 'on', AUTH_JWKS_URL: 'https://idp.example.org/jwks' })).toThrow(/development key/);
  });
});
