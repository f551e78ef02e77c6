/**
 * Federation entities (issue 5): what a gateway pays to resolve 1,000 IntelReports from the hub.
 * Side by side in one run, against the same hub and data:
 * - `_entities` with 1,000 `IntelReport` representations (what a gateway sends);
 * - 1,000 `intelReport(id)` root lookups in ONE request (aliases; the alias and token limits
 *   raised for this run through MAX_QUERY_ALIASES and MAX_QUERY_TOKENS);
 * - for reference, 1,000 requests of one `intelReport(id)` each, 8 in flight: what a client
 *   pays without any batching.
 *
 *   node -r @swc-node/register bench/entities.bench.ts [--n 1000] [--reports 2000] [--reps 9]
 *
 * Starts its own Neo4j in .local/neo4j/bench-entities, imports ~2,000 reports, and stops and
 * deletes it after. Prints each repetition, the medians and their ratio.
 */
import { rmSync } from 'node:fs';
import path from 'node:path';
import pino from 'pino';
import { signToken } from '../src/auth/tokens';
import { loadConfig } from '../src/config';
import { Db } from '../src/graph/db';
import { importFile } from '../src/graph/import';
import { startLocalNeo4j } from '../src/graph/local-neo4j';
import { migrate } from '../src/graph/migrations';
import type { ImportFile } from '../src/import/types';
import { startHub } from '../src/server';

function argument(name: string, fallback: string): string {
  const at = process.argv.indexOf(`--${name}`);
  return at > 0 ? process.argv[at + 1] : fallback;
}

const LEVELS = ['UNCLASSIFIED', 'OFFICIAL', 'RESTRICTED', 'CONFIDENTIAL'] as const;

/** Reports owned by XR, read by an officer of XS: XR shares OFFICIAL, so half of them are visible. */
function world(reports: number): ImportFile {
  return {
    countries: [
      { code: 'XR', name: 'Rland', region: 'BENCH', defaultShareLevel: 'OFFICIAL', partnerShareLevel: 'NONE' },
      { code: 'XS', name: 'Sland', region: 'BENCH', defaultShareLevel: 'OFFICIAL', partnerShareLevel: 'NONE' },
    ],
    units: [
      { id: 'bench-u-XR', country: 'XR', name: 'R unit' },
      { id: 'bench-u-XS', country: 'XS', name: 'S unit' },
    ],
    officers: [
      { id: 'bench-r', unit: 'bench-u-XR', name: 'R author', roles: ['OFFICER'], clearance: 'CONFIDENTIAL', status: 'ACTIVE' },
      { id: 'bench-s', unit: 'bench-u-XS', name: 'S reader', roles: ['ANALYST'], clearance: 'CONFIDENTIAL', status: 'ACTIVE' },
    ],
    reports: Array.from({ length: reports }, (_, i) => ({
      id: `bench-report-${i}`, owner: 'XR', author: 'bench-r', title: `Report ${i}`, summary: `summary ${i}`,
      classification: LEVELS[i % LEVELS.length], handling: 'H0', releasability: { mode: 'NETWORK', countries: [] },
      createdAt: new Date(Date.UTC(2026, 0, 1) + i * 60_000).toISOString(), sourceDescription: 'bench', subjects: [],
    })),
  } as ImportFile;
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

async function main(): Promise<void> {
  const n = Number(argument('n', '1000'));
  const reports = Number(argument('reports', '2000'));
  const reps = Number(argument('reps', '9'));
  const root = path.resolve(__dirname, '..');
  const homeDir = path.join(root, '.local', 'neo4j', 'bench-entities');
  const local = await startLocalNeo4j({ localDir: path.join(root, '.local'), homeDir, heapMb: 1024, pageCacheMb: 512 });
  const db = new Db({ uri: local.uri, username: 'neo4j', password: 'neo4j' });
  try {
    await migrate(db);
    await importFile(db, world(reports));
    const config = loadConfig({
      ...process.env,
      PORT: '0',
      LOG_LEVEL: 'silent',
      MAX_QUERY_ALIASES: String(n + 10),
      MAX_QUERY_TOKENS: String(20 * n + 100),
      PRINCIPAL_CACHE_MS: '600000',
      // One principal sends batches of 1,000 representations as fast as it can: no rate limits here.
      RATE_LIMIT_PER_MINUTE: '0',
      BY_ID_READS_PER_MINUTE: '0',
      // As `npm start` runs it: responses wait for the audit journal, not for Neo4j.
      AUDIT_JOURNAL_DIR: path.join(root, '.local', 'bench-entities-journal'),
    });
    const hub = await startHub({ config, db, log: pino({ level: 'silent' }) });
    const token = await signToken(config, 'bench-s');
    // Every other report, so the batch spans the whole set and half of it is invisible to the reader.
    const ids = Array.from({ length: n }, (_, i) => `bench-report-${(i * 2 + (i % 3)) % reports}`);
    const selection = '{ id title classification }';
    const entities = {
      query: `query($r: [_Any!]!) { _entities(representations: $r) { ... on IntelReport ${selection} } }`,
      variables: { r: ids.map((id) => ({ __typename: 'IntelReport', id })) },
    };
    const aliases = { query: `{ ${ids.map((id, i) => `r${i}: intelReport(id: ${JSON.stringify(id)}) ${selection}`).join('\n')} }`, variables: {} };

    async function post(body: { query: string; variables: object }): Promise<unknown[]> {
      const response = await fetch(hub.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify(body),
      });
      const json = (await response.json()) as { data?: Record<string, unknown>; errors?: unknown[] };
      if (json.errors) throw new Error(JSON.stringify(json.errors).slice(0, 500));
      return json.data!._entities ? (json.data!._entities as unknown[]) : Object.values(json.data!);
    }

    async function timed(send: () => Promise<unknown[]>): Promise<{ ms: number; visible: number; trips: number }> {
      const before = db.roundTrips;
      const started = process.hrtime.bigint();
      const values = await send();
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      return { ms, visible: values.filter((v) => v !== null).length, trips: db.roundTrips - before };
    }

    const single = `query($id: ID!) { intelReport(id: $id) ${selection} }`;
    async function separately(): Promise<unknown[]> {
      const values: unknown[] = [];
      let next = 0;
      const worker = async () => {
        while (next < ids.length) {
          const id = ids[next++];
          values.push(...(await post({ query: single, variables: { id } })));
        }
      };
      await Promise.all(Array.from({ length: 8 }, worker));
      return values;
    }

    for (let i = 0; i < 3; i += 1) {
      await timed(() => post(entities));
      await timed(() => post(aliases));
    }
    await timed(separately);
    const runs: { entities: number; aliases: number; separate: number }[] = [];
    console.log(`${n} IntelReport lookups, ${reports} reports in the graph, ${reps} repetitions (after warm-ups)`);
    for (let rep = 0; rep < reps; rep += 1) {
      const e = await timed(() => post(entities));
      const a = await timed(() => post(aliases));
      const s = await timed(separately);
      if (e.visible !== a.visible || e.visible !== s.visible) throw new Error(`the paths disagree: ${e.visible}, ${a.visible}, ${s.visible} visible`);
      runs.push({ entities: e.ms, aliases: a.ms, separate: s.ms });
      console.log(
        `  rep ${rep + 1}: _entities ${e.ms.toFixed(1)} ms (${e.trips} Cypher), aliases ${a.ms.toFixed(1)} ms (${a.trips} Cypher), ` +
          `separate requests ${s.ms.toFixed(1)} ms (${s.trips} Cypher); ${e.visible} visible`,
      );
    }
    const me = median(runs.map((r) => r.entities));
    const ma = median(runs.map((r) => r.aliases));
    const ms = median(runs.map((r) => r.separate));
    console.log(`median _entities ${me.toFixed(1)} ms, aliases in one request ${ma.toFixed(1)} ms (ratio ${(ma / me).toFixed(2)}x), ` +
      `separate requests ${ms.toFixed(1)} ms (ratio ${(ms / me).toFixed(2)}x)`);
    await hub.stop();
  } finally {
    await db.close();
    await local.stop();
    rmSync(homeDir, { recursive: true, force: true });
    rmSync(path.join(root, '.local', 'bench-entities-journal'), { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
