/**
 * Audit throughput: the same concurrent reads through an audited hub and through an unaudited
 * reference hub (AUDIT=off, which exists for this benchmark only), side by side on one Neo4j.
 *
 *   node -r @swc-node/register bench/audit.bench.ts [--clients 32] [--seconds 10] [--rounds 3] [--journal on|off]
 *
 * `--journal on` (the default, as `npm start` runs): the audited hub writes through its audit
 * journal (AUDIT_JOURNAL_DIR); `off`: each response waits for a Neo4j audit transaction.
 *
 * Starts its own Neo4j in .local/neo4j/bench-audit and deletes it after. Each round runs the
 * reference and the audited hub for the same time (order alternating), each client looping on
 * intelReports(first: 20), i.e. 20 READ events per audited request.
 */
import { rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { signToken } from '../src/auth/tokens';
import { loadConfig } from '../src/config';
import { Db } from '../src/graph/db';
import { importFile } from '../src/graph/import';
import { startLocalNeo4j } from '../src/graph/local-neo4j';
import { migrate } from '../src/graph/migrations';
import type { ImportFile } from '../src/import/types';
import { startHub, type Hub } from '../src/server';

const argument = (name: string, fallback: number) => {
  const at = process.argv.indexOf(`--${name}`);
  return at > 0 ? Number(process.argv[at + 1]) : fallback;
};

const QUERY = '{ intelReports(first: 20) { edges { node { id title summary classification redactedFields owner { code } } } } }';

function world(officers: number): ImportFile {
  const countries = ['QA', 'QB', 'QC'];
  return {
    countries: countries.map((code) => ({ code, name: code, region: 'BENCH', defaultShareLevel: 'RESTRICTED', partnerShareLevel: 'NONE' })),
    units: countries.map((code) => ({ id: `u-${code}`, country: code, name: `${code} unit` })),
    officers: Array.from({ length: officers }, (_, n) => ({
      id: `o-${n}`, unit: `u-${countries[n % 3]}`, name: `Officer ${n}`, roles: ['OFFICER'], clearance: 'CONFIDENTIAL', status: 'ACTIVE',
    })),
    reports: Array.from({ length: 3000 }, (_, n) => ({
      id: `r-${n}`, owner: countries[n % 3], author: `o-${n % 3}`, title: `Report ${n}`, summary: 'Route through the north corridor.',
      classification: (['UNCLASSIFIED', 'OFFICIAL', 'RESTRICTED', 'CONFIDENTIAL'] as const)[n % 4], handling: 'H0',
      releasability: { mode: 'NETWORK', countries: [] }, createdAt: new Date(Date.UTC(2026, 0, 1) + n * 60_000).toISOString(),
      sourceDescription: 'informant', subjects: [],
    })),
  } as ImportFile;
}

/** Requests completed by `clients` loops over `seconds`; any error aborts the benchmark. */
async function drive(hub: Hub, tokens: string[], seconds: number): Promise<number> {
  const until = Date.now() + seconds * 1000;
  let done = 0;
  await Promise.all(
    tokens.map(async (token) => {
      while (Date.now() < until) {
        const response = await fetch(hub.url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
          body: JSON.stringify({ query: QUERY }),
        });
        const body = (await response.json()) as { errors?: unknown; data?: { intelReports: { edges: unknown[] } } };
        if (body.errors || body.data?.intelReports.edges.length !== 20) throw new Error(`bad response: ${JSON.stringify(body).slice(0, 300)}`);
        done += 1;
      }
    }),
  );
  return done / seconds;
}

async function main(): Promise<void> {
  const clients = argument('clients', 32);
  const seconds = argument('seconds', 10);
  const rounds = argument('rounds', 3);
  const root = path.resolve(__dirname, '..');
  const homeDir = path.join(root, '.local', 'neo4j', 'bench-audit');
  const local = await startLocalNeo4j({ localDir: path.join(root, '.local'), homeDir, heapMb: 2048, pageCacheMb: 1024 });
  const db = new Db({ uri: local.uri, username: 'neo4j', password: 'neo4j' });
  const hubs: Hub[] = [];
  try {
    await migrate(db);
    await importFile(db, world(clients));
    const log = pino({ level: 'silent' });
    const journalDir = path.join(root, '.local', 'bench-audit-journal');
    const journal = process.argv.includes('--journal') && process.argv[process.argv.indexOf('--journal') + 1] === 'off' ? 'off' : journalDir;
    const start = (audit: string) =>
      startHub({ config: loadConfig({ ...process.env, PORT: '0', LOG_LEVEL: 'silent', AUDIT: audit, AUDIT_JOURNAL_DIR: audit === 'on' ? journal : 'off' }), db, log });
    const audited = await start('on');
    const reference = await start('off');
    hubs.push(audited, reference);
    const config = loadConfig({ ...process.env });
    const tokens = await Promise.all(Array.from({ length: clients }, (_, n) => signToken(config, `o-${n}`)));
    await drive(reference, tokens, 3);
    await drive(audited, tokens, 3);
    const results: { round: number; reference: number; audited: number; ratio: number }[] = [];
    for (let round = 1; round <= rounds; round += 1) {
      const first = round % 2 ? reference : audited;
      const second = first === reference ? audited : reference;
      const a = await drive(first, tokens, seconds);
      const b = await drive(second, tokens, seconds);
      const [ref, aud] = first === reference ? [a, b] : [b, a];
      results.push({ round, reference: Math.round(ref), audited: Math.round(aud), ratio: Number((aud / ref).toFixed(3)) });
      console.log(JSON.stringify(results[results.length - 1]));
    }
    await audited.services.audit.settled();
    const [{ events }] = await db.read<{ events: number }>({ cypher: 'MATCH (a:AccessEvent) RETURN count(a) AS events' });
    const total = (key: 'reference' | 'audited') => results.reduce((sum, r) => sum + r[key], 0);
    console.log(
      JSON.stringify(
        {
          clients,
          seconds,
          rounds: results,
          ratio: Number((total('audited') / total('reference')).toFixed(3)),
          accessEventsWritten: events,
          machine: `${os.cpus().length} cores, ${Math.round(os.totalmem() / 2 ** 30)} GiB, node ${process.version}, load ${os.loadavg().map((l) => l.toFixed(1)).join('/')}`,
        },
        null,
        2,
      ),
    );
  } finally {
    for (const hub of hubs) await hub.stop();
    await db.close();
    await local.stop();
    rmSync(homeDir, { recursive: true, force: true });
    rmSync(path.join(root, '.local', 'bench-audit-journal'), { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
