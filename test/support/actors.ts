import { expect } from 'vitest';
import type { Db } from '../../src/graph/db';
import { importFile } from '../../src/graph/import';
import type { ImportFile } from '../../src/import/types';
import type { HubEvent } from '../../src/subscriptions/bus';
import { testDb } from './db';
import { startTestHub, type GqlResponse, type TestHub } from './hub';

/**
 * Calls as a named officer (tokens signed once each), and the assertions mutation tests make
 * again and again: succeeded, or failed with one `extensions.code`.
 */
export function actors(hub: TestHub) {
  const tokens = new Map<string, Promise<string>>();
  return function as<T = Record<string, unknown>>(officerId: string, query: string, variables?: Record<string, unknown>) {
    let token = tokens.get(officerId);
    if (!token) tokens.set(officerId, (token = hub.token(officerId)));
    return token.then((signed) => hub.gql<T>(signed, query, variables));
  };
}

export type Caller = ReturnType<typeof actors>;

export interface CachingHub {
  t: TestHub;
  db: Db;
  as: Caller;
  /** Every event the hub published, in order. */
  events: HubEvent[];
}

/**
 * The world imported, then a hub that caches policy contexts for ten minutes: a change seen on
 * the "next request" proves the mutation invalidated the cache, not that the cache expired.
 */
export async function startCachingHub(world: ImportFile, env: Record<string, string> = {}): Promise<CachingHub> {
  const db = await testDb();
  await importFile(db, world);
  const t = await startTestHub({ env: { PRINCIPAL_CACHE_MS: '600000', ...env } });
  const events: HubEvent[] = [];
  t.hub.services.events.subscribe((event) => events.push(event));
  return { t, db, as: actors(t), events };
}

export function expectOk<T>(response: GqlResponse<T>): T {
  expect(response.errors, JSON.stringify(response.errors)).toBeUndefined();
  return response.data as T;
}

export function expectCode(response: GqlResponse<unknown>, code: string): string {
  expect(response.errors?.[0]?.extensions?.code, JSON.stringify(response.errors)).toBe(code);
  return response.errors![0].message;
}
