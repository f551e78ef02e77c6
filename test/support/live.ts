import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';

/** A real graphql-ws client against a hub, and the small waits the live tests make. */
export interface LiveClient {
  client: Client;
  /** Settles with the close code once the socket closes (never retried). */
  closed: Promise<{ code: number; reason: string }>;
  subscribe<T = Record<string, unknown>>(query: string, variables?: Record<string, unknown>): LiveStream<T>;
  dispose(): Promise<void>;
}

export interface LiveStream<T> {
  results: T[];
  errors: { message: string; extensions?: { code?: string; [key: string]: unknown } }[];
  /** Resolves once `n` results have arrived (rejects after `timeoutMs`). */
  atLeast(n: number, timeoutMs?: number): Promise<T[]>;
  done: Promise<void>;
  stop(): void;
}

export function wsUrl(httpUrl: string): string {
  return httpUrl.replace(/^http/, 'ws');
}

export function liveClient(url: string, token: string | null, options: { connectionParams?: Record<string, unknown> } = {}): LiveClient {
  let onClosed: (value: { code: number; reason: string }) => void = () => {};
  const closed = new Promise<{ code: number; reason: string }>((resolve) => (onClosed = resolve));
  const client = createClient({
    url: wsUrl(url),
    webSocketImpl: WebSocket,
    retryAttempts: 0,
    lazy: false,
    connectionParams: options.connectionParams ?? (token ? { authorization: `Bearer ${token}` } : {}),
    onNonLazyError: () => {},
    on: { closed: (event) => onClosed({ code: (event as { code: number }).code, reason: String((event as { reason?: string }).reason ?? '') }) },
  });
  return {
    client,
    closed,
    subscribe<T>(query: string, variables?: Record<string, unknown>): LiveStream<T> {
      const results: T[] = [];
      const errors: LiveStream<T>['errors'] = [];
      const waiters = new Set<() => void>();
      let finish: () => void = () => {};
      const done = new Promise<void>((resolve) => (finish = resolve));
      const stop = client.subscribe<T>(
        { query, variables },
        {
          next: (value) => {
            if (value.errors) errors.push(...(value.errors as LiveStream<T>['errors']));
            if (value.data) results.push(value.data as T);
            waiters.forEach((w) => w());
          },
          error: (error) => {
            if (Array.isArray(error)) errors.push(...(error as LiveStream<T>['errors']));
            else errors.push({ message: String((error as { reason?: string }).reason ?? error), extensions: { code: `CLOSE_${(error as { code?: number }).code}` } });
            finish();
            waiters.forEach((w) => w());
          },
          complete: () => {
            finish();
            waiters.forEach((w) => w());
          },
        },
      );
      return {
        results,
        errors,
        done,
        stop,
        atLeast(n, timeoutMs = 10_000) {
          return new Promise<T[]>((resolve, reject) => {
            const check = () => {
              if (results.length >= n) {
                waiters.delete(check);
                clearTimeout(timer);
                resolve(results);
              }
            };
            const timer = setTimeout(() => {
              waiters.delete(check);
              reject(new Error(`expected ${n} results, got ${results.length}: ${JSON.stringify(results)} errors ${JSON.stringify(errors)}`));
            }, timeoutMs);
            waiters.add(check);
            check();
          });
        },
      };
    },
    dispose: () => client.dispose() as Promise<void>,
  };
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Waits until `ready()` holds, checking every 20 ms. */
export async function until(ready: () => boolean | Promise<boolean>, timeoutMs = 10_000, what = 'condition'): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await ready())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
}
