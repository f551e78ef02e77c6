/**
 * Network analysis (issue 9): the hub's subjectNetwork, connectionPath and corridors over HTTP,
 * against the same question asked as ONE hand-written Cypher statement with the same
 * visibility predicate (`itemPredicate`, bench/reference-statements.ts), side by side in one
 * run, rotating which goes first. The statement is measured twice: behind a minimal HTTP
 * handler that verifies the token and caches the policy context as the hub does
 * (bench/reference-http.ts: what a client of a hand-written service would wait for), and on the
 * driver in process (no HTTP, no token, no JSON). A `{ me { id } }` row prices the hub's fixed
 * cost per request.
 *
 *   node -r @swc-node/register bench/analysis.bench.ts [--factor 1] [--reps 7] [--max-reps 200] [--warmup 300]
 *
 * Generates the synthetic import (`npm run generate -- --scale M`: ~1,000,000 links, power-law
 * hubs; `--factor` scales it), starts its own Neo4j in .local/neo4j/bench-analysis (3 GB heap,
 * 2 GB page cache), imports, then measures for an analyst of the generated file with the hub
 * configured as `npm start` runs it (audit through the local journal): depth-2 and depth-3
 * networks around the busiest and some quiet subjects, shortest paths of 2–6 hops, and
 * corridors over all reports. Prints p50/p99 and the spread of each, and the hub's p50 over
 * each reference's. Stops and deletes the Neo4j after.
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
import { loadOfficerContext } from '../src/graph/principals';
import { generateImport } from '../src/import/generate';
import { itemPredicate, policyParams } from '../src/policy/rule';
import { startHub } from '../src/server';
import { slowBatches } from './import-progress';
import { startReference } from './reference-http';
import { referenceCorridors, referenceNetwork, referencePath } from './reference-statements';

function argument(name: string, fallback: string): string {
  const at = process.argv.indexOf(`--${name}`);
  return at > 0 ? process.argv[at + 1] : fallback;
}

const quantile = (values: number[], q: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
};

interface Scenario {
  name: string;
  hub: () => Promise<unknown>;
  /** The hand-written statement behind a minimal HTTP handler (bench/reference-http.ts). */
  reference?: () => Promise<unknown>;
  /** The same statement on the driver, in process: no HTTP, no token, no JSON. */
  driver?: () => Promise<unknown>;
}

async function main(): Promise<void> {
  const factor = Number(argument('factor', '1'));
  const reps = Number(argument('reps', '7'));
  const maxReps = Number(argument('max-reps', '200'));
  const warmup = Number(argument('warmup', '300'));
  const root = path.resolve(__dirname, '..');
  const homeDir = path.join(root, '.local', 'neo4j', 'bench-analysis');
  const journalDir = path.join(root, '.local', 'bench-analysis-journal');
  const local = await startLocalNeo4j({ localDir: path.join(root, '.local'), homeDir, heapMb: 3072, pageCacheMb: 2048 });
  // The references get the time they need (the plain depth-3 search around a hub runs for tens of seconds).
  const db = new Db({ uri: local.uri, username: 'neo4j', password: 'neo4j', transactionTimeoutMs: 600_000 });
  try {
    await migrate(db);
    const file = generateImport({ scale: 'M', seed: 1, factor });
    const started = Date.now();
    const summary = await importFile(db, file, { onProgress: slowBatches() });
    console.log(`imported ${summary.records} records (${file.reports?.length} reports, ${file.links?.length} links) in ${((Date.now() - started) / 1000).toFixed(0)} s`);
    // The full-text indexes fill in the background after an import: not while measuring.
    await db.write({ cypher: 'CALL db.awaitIndexes(3600)' });

    const analyst = file.officers!.find((o) => o.roles.includes('ANALYST') && o.clearance === 'CONFIDENTIAL' && (o.status ?? 'ACTIVE') === 'ACTIVE');
    if (!analyst) throw new Error('the generated file has no CONFIDENTIAL analyst');
    const ctx = (await loadOfficerContext(db, analyst.id))!;
    const policy = policyParams(ctx);
    console.log(`viewer: ${analyst.id} (${ctx.kind === 'officer' ? ctx.country : ''})`);

    const degrees = await db.read<{ id: string; degree: number }>({
      cypher: `MATCH (s:Subject) WITH s, COUNT { (s)-[:LINK]-() } AS degree WHERE degree > 0 RETURN s.id AS id, degree ORDER BY degree DESC`,
    });
    const busy = degrees.slice(0, 2);
    const quiet = degrees.filter((d) => d.degree >= 2 && d.degree <= 3).filter((_, i) => i % 997 === 0).slice(0, 2);
    console.log('busy', busy, 'quiet', quiet);

    // Path ends: a random walk of k visible links from a quiet subject (its shortest path is at most k).
    const walk = async (from: string, k: number): Promise<string> => {
      let at = from;
      for (let step = 0; step < k; step++) {
        const next = await db.read<{ id: string }>({
          cypher: `MATCH (:Subject {id: $at})-[l:LINK WHERE ${itemPredicate(ctx, 'l')}]-(n) RETURN n.id AS id ORDER BY rand() LIMIT 1`,
          params: { at, policy },
        });
        if (!next.length) break;
        at = next[0].id;
      }
      return at;
    };

    // As `npm start` runs it: the audit through the local journal.
    const config = loadConfig({ ...process.env, PORT: '0', LOG_LEVEL: 'silent', PRINCIPAL_CACHE_MS: '600000', AUDIT_JOURNAL_DIR: journalDir });
    const hub = await startHub({ config, db, log: pino({ level: 'silent' }) });
    const token = await signToken(config, analyst.id);
    const reference = await startReference(config, db, {
      network2: (c) => referenceNetwork(c, 2),
      network3: (c) => referenceNetwork(c, 3),
      path: referencePath,
      corridors: referenceCorridors,
    });
    const gql = async (query: string, variables: Record<string, unknown>) => {
      const res = await fetch(hub.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify({ query, variables }),
      });
      const body = (await res.json()) as { errors?: unknown[] };
      if (body.errors) throw new Error(JSON.stringify(body.errors));
      return body;
    };
    const NETWORK = `query($id: ID!, $depth: Int, $limit: Int) { subjectNetwork(subjectId: $id, depth: $depth, limit: $limit) {
      truncated subjects { id kind } links { id kind from { id } to { id } } } }`;
    const PATH = `query($from: ID!, $to: ID!) { connectionPath(fromId: $from, toId: $to, maxHops: 6) { length subjects { id kind } links { id kind } } }`;
    const CORRIDORS = `{ corridors { origin transit destination reports persons lastSeen } }`;

    const scenarios: Scenario[] = [
      // The hub's fixed cost per request (HTTP, token, GraphQL, no Cypher): the floor of every row.
      { name: '`{ me { id } }` (no analysis; the per-request floor)', hub: () => gql('{ me { id } }', {}) },
    ];
    for (const [label, subjects] of [['busy', busy], ['quiet', quiet]] as const) {
      for (const s of subjects) {
        for (const depth of [2, 3]) {
          scenarios.push({
            name: `network depth ${depth}, ${label} subject (${s.degree} links)`,
            hub: () => gql(NETWORK, { id: s.id, depth, limit: 200 }),
            reference: () => reference.ask(`network${depth}`, token, { id: s.id, limit: 199 }),
            driver: () => db.read({ cypher: referenceNetwork(ctx, depth), params: { id: s.id, limit: 199, policy } }),
          });
        }
      }
    }
    for (const k of [2, 3, 4, 5, 6]) {
      const from = quiet[k % quiet.length].id;
      const to = await walk(from, k);
      scenarios.push({
        name: `path, walk of ${k} links`,
        hub: () => gql(PATH, { from, to }),
        reference: () => reference.ask('path', token, { from, to }),
        driver: () => db.read({ cypher: referencePath(ctx), params: { from, to, policy } }),
      });
    }
    scenarios.push({
      name: `corridors over ${file.reports?.length} reports`,
      hub: () => gql(CORRIDORS, {}),
      reference: () => reference.ask('corridors', token, {}),
      driver: () => db.read({ cypher: referenceCorridors(ctx), params: { policy } }),
    });

    const time = async (work: () => Promise<unknown>) => {
      const t0 = performance.now();
      await work();
      return performance.now() - t0;
    };
    console.log('\n| question | hub p50 | hub p99 | hub spread | reference (HTTP) p50 | p99 | spread | driver p50 | hub ÷ reference (HTTP) | hub ÷ driver |');
    console.log('|---|---|---|---|---|---|---|---|---|---|');
    for (const scenario of scenarios) {
      // The floor row has the hub side only.
      const sides = [scenario.hub, scenario.reference, scenario.driver].filter((side) => side !== undefined);
      // Warm-up: V8 optimises the hub's long request path (Apollo, graphql-js, type-graphql)
      // only after some hundreds of requests, the reference's short one sooner; a hub in service
      // runs warm. Up to `warmup` rounds of all three, stopping once 5 s are spent.
      const warmStarted = performance.now();
      for (let w = 0; w < warmup && (w === 0 || performance.now() - warmStarted < 5000); w++) for (const side of sides) await side();
      const times: number[][] = sides.map(() => []);
      // At least `reps` rounds; quick questions go on to `maxReps` or 5 s, for a p99 worth the name.
      const measureStarted = performance.now();
      for (let r = 0; r < reps || (r < maxReps && performance.now() - measureStarted < 5000); r++) {
        // Rotate which goes first.
        for (let k = 0; k < sides.length; k++) {
          const at = (r + k) % sides.length;
          times[at].push(await time(sides[at]));
        }
      }
      const ms = (v: number) => `${v.toFixed(v < 10 ? 1 : 0)} ms`;
      const spread = (v: number[]) => `${ms(Math.min(...v))}–${ms(Math.max(...v))}`;
      const [hubTimes, refTimes, driverTimes] = times;
      const p50 = (v: number[]) => quantile(v, 0.5);
      console.log(
        `| ${scenario.name} (${hubTimes.length} runs) | ${ms(p50(hubTimes))} | ${ms(quantile(hubTimes, 0.99))} | ${spread(hubTimes)} | ${!refTimes || !driverTimes ? '' : `${ms(p50(refTimes))} | ${ms(quantile(refTimes, 0.99))} | ${spread(refTimes)} | ${ms(p50(driverTimes))} | ${(p50(hubTimes) / p50(refTimes)).toFixed(2)} | ${(p50(hubTimes) / p50(driverTimes)).toFixed(2)}`} |`,
      );
    }
    await reference.stop();
    await hub.stop();
  } finally {
    await db.close();
    await local.stop();
    rmSync(homeDir, { recursive: true, force: true });
    rmSync(journalDir, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
