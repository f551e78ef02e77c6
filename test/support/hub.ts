import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { print } from 'graphql';
import pino from 'pino';
import { inject } from 'vitest';
import { loadConfig, type Config } from '../../src/config';
import { signToken } from '../../src/auth/tokens';
import { Db } from '../../src/graph/db';
import { startHub, type Hub } from '../../src/server';
import type { EventBus } from '../../src/subscriptions/bus';
import { testDb } from './db';

/** A real hub on a free port against the test run's Neo4j, and a GraphQL-over-HTTP client. */
export interface TestHub {
  hub: Hub;
  config: Config;
  token(subject: string): Promise<string>;
  gql<T = Record<string, unknown>>(token: string | null, query: string, variables?: Record<string, unknown>): Promise<GqlResponse<T>>;
  /** A typed document from test/generated/operations.ts (codegen of schema/operations). */
  run<R, V extends Record<string, unknown>>(token: string | null, document: TypedDocumentNode<R, V>, variables?: V): Promise<GqlResponse<R>>;
  stop(): Promise<void>;
}

export interface GqlResponse<T> {
  status: number;
  data?: T | null;
  errors?: { message: string; extensions?: { code?: string; [key: string]: unknown }; path?: (string | number)[] }[];
}

export async function startTestHub(options: { env?: Record<string, string>; events?: EventBus } = {}): Promise<TestHub> {
  // Request rate limits are off unless a test turns them on (test/hardening/rate-limits.test.ts).
  const config = loadConfig({ ...process.env, PORT: '0', LOG_LEVEL: 'silent', PRINCIPAL_CACHE_MS: '0', RATE_LIMIT_PER_MINUTE: '0', BY_ID_READS_PER_MINUTE: '0', ...options.env });
  const shared = await testDb();
  // The shared Db carries the default transaction timeout; a hub configured with its own gets a Db of its own.
  const own = options.env?.NEO4J_TX_TIMEOUT_MS
    ? new Db({ uri: inject('neo4jUri'), username: 'neo4j', password: 'neo4j', transactionTimeoutMs: config.resilience.transactionTimeoutMs })
    : null;
  const db = own ?? shared;
  const hub = await startHub({ config, db, events: options.events, log: pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' }) });
  const testHub: TestHub = {
    hub,
    config,
    token: (subject) => signToken(config, subject),
    async gql(token, query, variables) {
      const response = await fetch(hub.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
        body: JSON.stringify({ query, variables }),
      });
      const body = (await response.json()) as GqlResponse<never>;
      return { status: response.status, data: body.data, errors: body.errors };
    },
    run: (token, document, variables) => testHub.gql(token, print(document), variables),
    async stop() {
      await hub.stop();
      await own?.close();
    },
  };
  return testHub;
}
