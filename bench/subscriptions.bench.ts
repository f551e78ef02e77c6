/**
 * Live updates: publish-to-receive latency with 1,000 and 5,000 graphql-ws subscribers on one
 * hub, and the hub's memory per idle subscriber.
 *
 *   node -r @swc-node/register bench/subscriptions.bench.ts [--sizes 1000,5000] [--events 20] [--journal on|off]
 *
 * Starts its own Neo4j in .local/neo4j/bench-subs (deleted at the end) and the hub in a child
 * process (test/support/hub-process.ts), so the hub's heap and RSS hold the hub alone; the
 * clients (the real graphql-ws client) run here. Publish-to-receive (`publish*`): from the
 * moment the hub publishes the update on its bus (after the write commits; the hub process
 * notes the time) to each subscriber's receipt, on the same machine's clock. `p50`/`p99`: from
 * just before the HTTP mutation `postOperationUpdate` is sent, so they include the write
 * transaction; `afterAnswer`: from the mutation's answer.
 */
import 'reflect-metadata';
import { rmSync } from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import { signToken } from '../src/auth/tokens';
import { loadConfig } from '../src/config';
import { Db } from '../src/graph/db';
import { importFile } from '../src/graph/import';
import { startLocalNeo4j } from '../src/graph/local-neo4j';
import { migrate } from '../src/graph/migrations';
import type { ImportFile } from '../src/import/types';
import { startHubProcess } from '../test/support/processes';

const argument = (name: string, fallback: string) => {
  const at = process.argv.indexOf(`--${name}`);
  return at > 0 ? process.argv[at + 1] : fallback;
};
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const LEVELS = ['UNCLASSIFIED', 'OFFICIAL', 'RESTRICTED', 'CONFIDENTIAL'] as const;
const COUNTRIES = ['QS', 'QT', 'QU', 'QV', 'QW'];
const OFFICERS_PER_COUNTRY = 100;
const WARMUP = 3;

/** Mixed visibility: five countries with different share levels toward the lead QS, four clearances, half of the officers assigned. */
function world(): ImportFile {
  const officers = COUNTRIES.flatMap((country) =>
    Array.from({ length: OFFICERS_PER_COUNTRY }, (_, i) => ({
      id: `bs-${country}-${i}`, unit: `bs-u-${country}`, name: `${country} ${i}`, roles: ['OFFICER'],
      clearance: LEVELS[i % 4], status: 'ACTIVE',
    })),
  );
  return {
    countries: COUNTRIES.map((code) => ({ code, name: code, defaultShareLevel: 'OFFICIAL', partnerShareLevel: 'NONE' })),
    sharingRules: [
      { from: 'QS', to: 'QT', maxLevel: 'CONFIDENTIAL' },
      { from: 'QS', to: 'QU', maxLevel: 'NONE' },
      { from: 'QS', to: 'QV', maxLevel: 'RESTRICTED' },
    ],
    units: COUNTRIES.map((code) => ({ id: `bs-u-${code}`, country: code, name: `${code} unit` })),
    officers: [...officers, { id: 'bs-poster', unit: 'bs-u-QS', name: 'Poster', roles: ['COORDINATOR'], clearance: 'CONFIDENTIAL', status: 'ACTIVE' }],
    operations: [{
      id: 'bs-op', codename: 'BENCH', leadCountry: 'QS', status: 'ACTIVE', visibility: 'NETWORK', participants: ['QT', 'QU', 'QV'],
      assignments: officers.filter((_, i) => i % 2 === 0 && !officers[i].id.startsWith('bs-QW')).map((o) => ({ officer: o.id })),
    }],
  } as ImportFile;
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];

async function main(): Promise<void> {
  const sizes = argument('sizes', '1000,5000').split(',').map(Number);
  const events = Number(argument('events', '20'));
  const root = path.resolve(__dirname, '..');
  const homeDir = path.join(root, '.local', 'neo4j', 'bench-subs');
  const neo4j = await startLocalNeo4j({ localDir: path.join(root, '.local'), homeDir, heapMb: 1024, pageCacheMb: 256 });
  const db = new Db({ uri: neo4j.uri, username: 'neo4j', password: 'neo4j' });
  const config = loadConfig({ ...process.env, LOG_LEVEL: 'silent' });
  const results: Record<string, unknown>[] = [];
  try {
    await migrate(db);
    await importFile(db, world());
    // As `npm start` runs it: deliveries wait for the audit journal's fdatasync (AUDIT_JOURNAL_DIR);
    // `--journal off` makes every delivery wait for its Neo4j audit transaction instead.
    const journal = argument('journal', 'on') === 'off' ? 'off' : path.join(root, '.local', 'bench-subs-journal');
    const hub = await startHubProcess({ NEO4J_URI: neo4j.uri, WS_SOCKETS_PER_PRINCIPAL: '100', AUDIT_JOURNAL_DIR: journal, LOG_LEVEL: process.env.HUB_LOG_LEVEL ?? 'silent' });
    const wsUrl = hub.url.replace(/^http/, 'ws');
    const posterToken = await signToken(config, 'bs-poster');
    const tokens = new Map<string, string>();
    try {
      for (const size of sizes) {
        const before = await hub.ask<NodeJS.MemoryUsage>('memory');
        const received = new Map<string, number[]>();
        const clients: Client[] = [];
        for (let start = 0; start < size; start += 100) {
          await Promise.all(
            Array.from({ length: Math.min(100, size - start) }, async (_, k) => {
              const n = start + k;
              const officer = `bs-${COUNTRIES[n % 5]}-${Math.floor(n / 5) % OFFICERS_PER_COUNTRY}`;
              if (!tokens.has(officer)) tokens.set(officer, await signToken(config, officer));
              const client = createClient({ url: wsUrl, webSocketImpl: WebSocket, retryAttempts: 5, shouldRetry: () => true, lazy: false, onNonLazyError: () => {},
                connectionParams: { authorization: `Bearer ${tokens.get(officer)}` } });
              clients.push(client);
              client.subscribe<{ operationUpdates: { id: string } }>(
                { query: 'subscription { operationUpdates(operationId: "bs-op") { id classification } }' },
                { next: (value) => {
                  const id = value.data?.operationUpdates.id;
                  if (id) (received.get(id) ?? received.set(id, []).get(id)!).push(performance.timeOrigin + performance.now());
                }, error: (error) => console.error('subscription error', (error as { code?: number }).code ?? (error as Error).message ?? error), complete: () => {} },
              );
            }),
          );
        }
        for (let i = 0; i < 600 && (await hub.ask<{ watching: number }>('live')).watching < size; i += 1) await sleep(100);
        const watching = (await hub.ask<{ watching: number; principals: number }>('live'));
        await sleep(2000);
        const after = await hub.ask<NodeJS.MemoryUsage>('memory');

        const latencies: number[] = [];
        const fromPublish: number[] = [];
        const afterCommit: number[] = [];
        const mutationMs: number[] = [];
        const perEvent: number[] = [];
        // The first events warm up JIT and query plans; they are not counted.
        for (let e = -WARMUP; e < events; e += 1) {
          const sent = performance.timeOrigin + performance.now();
          const response = await fetch(hub.url, {
            method: 'POST',
            headers: { 'content-type': 'application/json', authorization: `Bearer ${posterToken}` },
            body: JSON.stringify({
              query: 'mutation($input: OperationUpdateInput!) { postOperationUpdate(operationId: "bs-op", input: $input) { id } }',
              variables: { input: { kind: 'CHECK', text: `bench ${e}`, classification: LEVELS[(e + WARMUP * 4) % 4] } },
            }),
          });
          const body = (await response.json()) as { data?: { postOperationUpdate: { id: string } }; errors?: unknown };
          if (!body.data) throw new Error(`posting failed: ${JSON.stringify(body.errors)}`);
          const id = body.data.postOperationUpdate.id;
          const answered = performance.timeOrigin + performance.now();
          let count = -1;
          for (let i = 0; i < 100 && !received.get(id)?.length; i += 1) await sleep(50);
          // Settled: no new receipt for 300 ms.
          for (let quiet = 0; quiet < 3; ) {
            await sleep(100);
            const now = received.get(id)?.length ?? 0;
            quiet = now === count ? quiet + 1 : 0;
            count = now;
          }
          if (e < 0) continue;
          perEvent.push(count);
          mutationMs.push(answered - sent);
          const [published] = await hub.ask<(number | null)[]>('published', [id]);
          if (published === null) throw new Error(`the hub did not record the publication of ${id}`);
          for (const at of received.get(id) ?? []) {
            fromPublish.push(at - published);
            latencies.push(at - sent);
            afterCommit.push(Math.max(0, at - answered));
          }
        }
        latencies.sort((a, b) => a - b);
        fromPublish.sort((a, b) => a - b);
        afterCommit.sort((a, b) => a - b);
        mutationMs.sort((a, b) => a - b);
        const figures = {
          subscribers: size,
          registered: watching.watching,
          principals: watching.principals,
          events,
          receipts: latencies.length,
          receiptsPerEvent: `${Math.min(...perEvent)}–${Math.max(...perEvent)}`,
          publishP50ms: Math.round(percentile(fromPublish, 50)),
          publishP99ms: Math.round(percentile(fromPublish, 99)),
          publishMaxms: Math.round(fromPublish[fromPublish.length - 1]),
          p50ms: Math.round(percentile(latencies, 50)),
          p99ms: Math.round(percentile(latencies, 99)),
          maxms: Math.round(latencies[latencies.length - 1]),
          mutationP50ms: Math.round(percentile(mutationMs, 50)),
          mutationMaxms: Math.round(mutationMs[mutationMs.length - 1]),
          afterAnswerP50ms: Math.round(percentile(afterCommit, 50)),
          afterAnswerP99ms: Math.round(percentile(afterCommit, 99)),
          heapPerSubscriberKB: Math.round((after.heapUsed - before.heapUsed) / size / 102.4) / 10,
          rssPerSubscriberKB: Math.round((after.rss - before.rss) / size / 102.4) / 10,
          heapTotalPerSubscriberKB: Math.round((after.heapTotal - before.heapTotal) / size / 102.4) / 10,
          externalPerSubscriberKB: Math.round((after.external - before.external) / size / 102.4) / 10,
        };
        console.log(JSON.stringify(figures));
        results.push(figures);
        await Promise.all(clients.map((c) => c.dispose()));
        for (let i = 0; i < 100 && (await hub.ask<{ watching: number }>('live')).watching > 0; i += 1) await sleep(100);
      }
    } finally {
      await hub.stop();
    }
  } finally {
    await db.close();
    await neo4j.stop();
    rmSync(homeDir, { recursive: true, force: true });
    rmSync(path.join(root, '.local', 'bench-subs-journal'), { recursive: true, force: true });
  }
  console.log(JSON.stringify({ results }, null, 2));
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
