/**
 * Search and person screening (issue 10), side by side in one run against the same hub and data:
 * - `search(text, first: 20) { totalCount edges { score node } }` over HTTP (the hub's path:
 *   page and total in one statement since `totalCount` is asked, audit of the reports returned);
 * - the same full-text query as ONE hand-written Cypher statement with the same sharing
 *   predicate (page and count together; bench/reference-statements.ts), behind a minimal HTTP
 *   handler that verifies the token as the hub does (bench/reference-http.ts), and on the
 *   driver directly;
 * - `{ me { id } }`: the hub's fixed cost per request;
 * - reports only: `search(kinds: [INTEL_REPORT])` against today's `intelReports(filter: {text})`
 *   (a CONTAINS scan over titles and summaries), for a report number and for a common word;
 * - `screenPerson` over HTTP, hits and misses.
 *
 *   node -r @swc-node/register bench/search.bench.ts [--scale M | --factor 0.25] [--n 40] [--rounds 3]
 *
 * Starts its own Neo4j in .local/neo4j/bench-search (3 GB heap, 2 GB page cache), imports the
 * generator's data (seed 7), flags 1% of the persons as wanted, and stops and deletes it after.
 * Each round runs every variant `n` times, interleaved; p50 and p99 per round and the spread of
 * the rounds are printed.
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
import { searchQueryOf } from '../src/graph/search';
import { generateImport, generatedCounts, type Scale } from '../src/import/generate';
import { policyParams } from '../src/policy/rule';
import { startHub } from '../src/server';
import { slowBatches } from './import-progress';
import { startReference } from './reference-http';
import { referencePredicates, referenceSearch } from './reference-statements';

function argument(name: string, fallback: string | null): string | null {
  const at = process.argv.indexOf(`--${name}`);
  return at > 0 ? process.argv[at + 1] : fallback;
}

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
};
const median = (values: number[]) => percentile(values, 50);
const spread = (values: number[]) => `${median(values).toFixed(2)} (${Math.min(...values).toFixed(2)}–${Math.max(...values).toFixed(2)})`;

async function main(): Promise<void> {
  const factorArg = argument('factor', null);
  const scale = (argument('scale', 'M') ?? 'M') as Scale;
  const options = { scale, seed: 7, ...(factorArg ? { factor: Number(factorArg) } : {}) };
  const n = Number(argument('n', '40'));
  const rounds = Number(argument('rounds', '3'));
  const root = path.resolve(__dirname, '..');
  const homeDir = path.join(root, '.local', 'neo4j', 'bench-search');
  const local = await startLocalNeo4j({ localDir: path.join(root, '.local'), homeDir, heapMb: 3072, pageCacheMb: 2048 });
  // The references get the time they need, and so does each import batch.
  const db = new Db({ uri: local.uri, username: 'neo4j', password: 'neo4j', transactionTimeoutMs: 600_000 });
  try {
    await migrate(db);
    const counts = generatedCounts(options);
    console.log(`dataset: generator ${factorArg ? `factor ${factorArg}` : `scale ${scale}`}, seed 7: ${counts.subjects} subjects, ${counts.reports} reports`);
    const file = generateImport(options);
    const started = Date.now();
    const summary = await importFile(db, file, { onProgress: slowBatches() });
    console.log(`imported ${summary.records} records in ${((Date.now() - started) / 1000).toFixed(0)} s`);
    await db.write({ cypher: 'CALL db.awaitIndexes(3600)' });
    const [{ wanted }] = await db.write<{ wanted: number }>({
      cypher: `MATCH (p:Person) WHERE toInteger(substring(p.id, 2)) % 100 = 0 AND NOT p.protected
SET p.wantedBy = p.recordedBy, p.wantedSince = datetime('2026-01-01T00:00:00Z'), p:WantedPerson
RETURN count(p) AS wanted`,
    });
    await db.write({ cypher: 'CALL db.awaitIndexes(600)' });
    // An analyst of a corridor country with full clearance: sees much, not all.
    const [{ viewer, wantedName }] = await db.read<{ viewer: string; wantedName: string }>({
      cypher: `MATCH (o:Officer)-[:MEMBER_OF]->(:Unit)-[:OF]->(:Country {code: 'CO'})
WHERE o.status = 'ACTIVE' AND o.clearance = 'CONFIDENTIAL' AND any(r IN o.roles WHERE r IN ['OFFICER', 'ANALYST'])
WITH o ORDER BY o.id LIMIT 1
MATCH (w:WantedPerson) WITH o, w ORDER BY w.id LIMIT 1
RETURN o.id AS viewer, w.name AS wantedName`,
    });
    console.log(`viewer ${viewer}; ${wanted} persons flagged wanted; screening "${wantedName}"`);
    const config = loadConfig({
      ...process.env,
      PORT: '0',
      LOG_LEVEL: 'silent',
      PRINCIPAL_CACHE_MS: '600000',
      SCREENING_PER_MINUTE: '100000',
      AUDIT_JOURNAL_DIR: path.join(root, '.local', 'bench-search-journal'),
    });
    const hub = await startHub({ config, db, log: pino({ level: 'silent' }) });
    const token = await signToken(config, viewer);
    const ctx = await loadOfficerContext(db, viewer);
    if (!ctx) throw new Error(`no policy context for ${viewer}`);
    const predicates = referencePredicates(ctx);

    async function post(query: string, variables: Record<string, unknown>): Promise<Record<string, unknown>> {
      const response = await fetch(hub.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify({ query, variables }),
      });
      const json = (await response.json()) as { data?: Record<string, unknown>; errors?: unknown[] };
      if (json.errors) throw new Error(JSON.stringify(json.errors).slice(0, 500));
      return json.data!;
    }
    const SEARCH = `query($text: String!, $kinds: [SearchKind!]) { search(text: $text, kinds: $kinds, first: 20) {
      totalCount edges { score node { __typename ... on IntelReport { id title } ... on Subject { id } } } } }`;
    const CONTAINS = `query($text: String!) { intelReports(filter: { text: $text }, first: 20) { totalCount edges { node { id title } } } }`;
    const SCREEN = `query($name: String!) { screenPerson(name: $name) { hit wantedBy { code } since } }`;
    const total = (data: Record<string, unknown>) => (Object.values(data)[0] as { totalCount: number }).totalCount;

    // A report that exists at every scale: its title ends with "(<number>)".
    const reportNumber = String(Math.floor(counts.reports * 0.37));
    const reference = await startReference(config, db, { search: (c) => referenceSearch(referencePredicates(c)) });
    const cases = {
      '`{ me { id } }` (no search; the per-request floor)': async () => Number(Boolean(await post('{ me { id } }', {}))),
      'search "Mraia Garcia" (name, one typo): hub': async () => total(await post(SEARCH, { text: 'Mraia Garcia' })),
      'search "Mraia Garcia": the hand-written statement over HTTP': async () => {
        const [row] = (await reference.ask('search', token, { query: searchQueryOf('Mraia Garcia') })) as { total: number }[];
        return row.total;
      },
      'search "Mraia Garcia": the hand-written statement on the driver': async () => {
        const [row] = await db.read<{ total: number }>({
          cypher: referenceSearch(predicates),
          params: { query: searchQueryOf('Mraia Garcia'), policy: policyParams(ctx) },
        });
        return row.total;
      },
      'reports "activity N" (a report number): search': async () => total(await post(SEARCH, { text: `activity ${reportNumber}`, kinds: ['INTEL_REPORT'] })),
      'reports "(N)": intelReports CONTAINS': async () => total(await post(CONTAINS, { text: `(${reportNumber})` })),
      'reports "Facilitators": search': async () => total(await post(SEARCH, { text: 'Facilitators', kinds: ['INTEL_REPORT'] })),
      'reports "facilitators": intelReports CONTAINS': async () => total(await post(CONTAINS, { text: 'facilitators' })),
      'screenPerson, a wanted name reordered with a typo': async () => Number((await post(SCREEN, { name: wantedName.split(' ').reverse().join(' ').replace(/a/, 'e') }) as { screenPerson: { hit: boolean } }).screenPerson.hit),
      'screenPerson, an unknown name': async () => Number((await post(SCREEN, { name: 'Zebulon Quaxley' }) as { screenPerson: { hit: boolean } }).screenPerson.hit),
    };
    type Case = keyof typeof cases;
    const names = Object.keys(cases) as Case[];
    for (const name of names) console.log(`  ${name}: ${await cases[name]()} (warm-up answer)`);
    const results = new Map<Case, { p50: number[]; p99: number[] }>(names.map((name) => [name, { p50: [], p99: [] }]));
    for (let round = 1; round <= rounds; round += 1) {
      const times = new Map<Case, number[]>(names.map((name) => [name, []]));
      for (let i = 0; i < n; i += 1) {
        for (const name of names) {
          const t0 = process.hrtime.bigint();
          await cases[name]();
          times.get(name)!.push(Number(process.hrtime.bigint() - t0) / 1e6);
        }
      }
      console.log(`round ${round} (${n} runs of each, interleaved; ms)`);
      for (const name of names) {
        const got = times.get(name)!;
        results.get(name)!.p50.push(median(got));
        results.get(name)!.p99.push(percentile(got, 99));
        console.log(`  ${name}: p50 ${median(got).toFixed(1)}  p99 ${percentile(got, 99).toFixed(1)}`);
      }
    }
    const ratio = (a: Case, b: Case) => results.get(a)!.p50.map((v, i) => v / results.get(b)!.p50[i]);
    console.log('\nmedian over rounds (min–max):');
    for (const name of names) console.log(`  ${name}: p50 ${spread(results.get(name)!.p50)} ms, p99 ${spread(results.get(name)!.p99)} ms`);
    console.log(`  hub search / hand-written statement over HTTP (p50): ${spread(ratio('search "Mraia Garcia" (name, one typo): hub', 'search "Mraia Garcia": the hand-written statement over HTTP'))}×`);
    console.log(`  hub search / hand-written statement on the driver (p50): ${spread(ratio('search "Mraia Garcia" (name, one typo): hub', 'search "Mraia Garcia": the hand-written statement on the driver'))}×`);
    console.log(`  CONTAINS / search, report number (p50): ${spread(ratio('reports "(N)": intelReports CONTAINS', 'reports "activity N" (a report number): search'))}×`);
    console.log(`  CONTAINS / search, common word (p50): ${spread(ratio('reports "facilitators": intelReports CONTAINS', 'reports "Facilitators": search'))}×`);
    await reference.stop();
    await hub.stop();
  } finally {
    await db.close();
    await local.stop();
    rmSync(homeDir, { recursive: true, force: true });
    rmSync(path.join(root, '.local', 'bench-search-journal'), { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
