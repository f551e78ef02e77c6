import { expect } from 'vitest';
import type { GqlResponse, TestHub } from './hub';

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

export function expectOk<T>(response: GqlResponse<T>): T {
  expect(response.errors, JSON.stringify(response.errors)).toBeUndefined();
  return response.data as T;
}

export function expectCode(response: GqlResponse<unknown>, code: string): string {
  expect(response.errors?.[0]?.extensions?.code, JSON.stringify(response.errors)).toBe(code);
  return response.errors![0].message;
}
