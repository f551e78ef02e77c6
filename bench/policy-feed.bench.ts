/**
 * The price of the sharing rule on the intel feed: the newest 50 reports with their subjects,
 * over ~200,000 reports, with the policy predicate and without it (the same statements with the
 * predicate replaced by `true`), measured alternately in one run.
 *
 *   node -r @swc-node/register bench/policy-feed.bench.ts [--factor 1] [--iterations 40] [--uri bolt://…]
 *
 * Without --uri it starts its own Neo4j in .local/neo4j/bench-policy, imports a generated
 * scale-M file (factor 1: 200,000 reports) and deletes the database at the end.
 */
import { rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Db } from '../src/graph/db';
import { importFile } from '../src/graph/import';
import { loadPages } from '../src/graph/lists';
import { startLocalNeo4j, type LocalNeo4j } from '../src/graph/local-neo4j';
import { migrate } from '../src/graph/migrations';
import type { ListSpec } from '../src/graph/paging';
import { loadOfficerContext } from '../src/graph/principals';
import type { ReportRecord } from '../src/graph/records';
import { reportListSpec } from '../src/graph/reports';
import { subjectsOfReportsCypher } from '../src/graph/subjects';
import { generateImport } from '../src/import/generate';
import type { OfficerContext } from '../src/policy/context';

function argument(name: string, fallback: string): string {
  const at = process.argv.indexOf(`--${name}`);
  return at > 0 ? process.argv[at + 1] : fallback;
}

const quantile = (sorted: number[], q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];

/** One feed page and the subjects of its reports: what `intelReports(first: 50) { … subjects }` runs. */
async function feed(db: Db, spec: ListSpec): Promise<number> {
  const [page] = await loadPages<ReportRecord>(db, spec, [''], { first: 50, after: null });
  const ids = page.entries.map((entry) => entry.row.id);
  await db.read({ cypher: subjectsOfReportsCypher(null), params: { ids } });
  return ids.length;
}

async function timed(work: () => Promise<number>): Promise<[number, number]> {
  const started = process.hrtime.bigint();
  const rows = await work();
  return [Number(process.hrtime.bigint() - started) / 1e6, rows];
}

async function main(): Promise<void> {
  const factor = Number(argument('factor', '1'));
  const iterations = Number(argument('iterations', '40'));
  const root = path.resolve(__dirname, '..');
  const homeDir = path.join(root, '.local', 'neo4j', 'bench-policy');
  let local: LocalNeo4j | undefined;
  let uri = argument('uri', '');
  if (!uri) {
    rmSync(homeDir, { recursive: true, force: true });
    local = await startLocalNeo4j({ localDir: path.join(root, '.local'), homeDir, heapMb: 4096, pageCacheMb: 3072 });
    uri = local.uri;
  }
  const db = new Db({ uri, username: 'neo4j', password: 'neo4j' });
  try {
    await migrate(db);
    const file = generateImport({ scale: 'M', seed: 7, factor });
    const [{ reports }] = await db.read<{ reports: number }>({ cypher: 'MATCH (r:IntelReport) RETURN count(r) AS reports' });
    if (reports === 0) {
      const started = Date.now();
      const summary = await importFile(db, file);
      console.log(`imported ${summary.records} records in ${((Date.now() - started) / 1000).toFixed(0)} s`);
    }
    const [{ total }] = await db.read<{ total: number }>({ cypher: 'MATCH (r:IntelReport) RETURN count(r) AS total' });

    // Officers of the busiest and of quieter countries, with the clearance and role to read.
    const candidates = (file.officers ?? []).filter((o) => o.status === 'ACTIVE' && o.roles.includes('OFFICER'));
    const viewers: OfficerContext[] = [];
    for (const officer of candidates.filter((_, i) => i % Math.max(1, Math.floor(candidates.length / 6)) === 0).slice(0, 6)) {
      const ctx = await loadOfficerContext(db, officer.id);
      if (ctx) viewers.push(ctx);
    }

    const withRule: number[] = [];
    const withoutRule: number[] = [];
    let visibleRows = 0;
    for (let round = -3; round < iterations; round++) {
      for (const ctx of viewers) {
        const now = new Date();
        const spec = reportListSpec(ctx, 'root', {}, now);
        const open: ListSpec = { ...spec, where: spec.where.map((w) => (w.includes('CASE WHEN') ? 'true' : w)) };
        // Alternate which goes first so caches and drift favour neither.
        let policed: [number, number];
        let plain: [number, number];
        if (round % 2 === 0) {
          policed = await timed(() => feed(db, spec));
          plain = await timed(() => feed(db, open));
        } else {
          plain = await timed(() => feed(db, open));
          policed = await timed(() => feed(db, spec));
        }
        if (round >= 0) {
          withRule.push(policed[0]);
          withoutRule.push(plain[0]);
          visibleRows += policed[1];
        }
      }
    }
    withRule.sort((a, b) => a - b);
    withoutRule.sort((a, b) => a - b);
    const result = {
      reports: total,
      viewers: viewers.map((v) => `${v.officerId} (${v.country}, clearance rank ${v.clearanceRank})`),
      samples: withRule.length,
      meanVisibleRowsPerPage: +(visibleRows / withRule.length).toFixed(1),
      withPolicyMs: { p50: +quantile(withRule, 0.5).toFixed(2), p95: +quantile(withRule, 0.95).toFixed(2) },
      withoutPolicyMs: { p50: +quantile(withoutRule, 0.5).toFixed(2), p95: +quantile(withoutRule, 0.95).toFixed(2) },
      ratioP50: +(quantile(withRule, 0.5) / quantile(withoutRule, 0.5)).toFixed(3),
      ratioP95: +(quantile(withRule, 0.95) / quantile(withoutRule, 0.95)).toFixed(3),
      machine: `${os.cpus().length} cores, ${Math.round(os.totalmem() / 2 ** 30)} GiB, node ${process.version}, load ${os.loadavg()[0].toFixed(1)}`,
    };
    console.log(JSON.stringify(result, null, 2));
  } finally {
    await db.close();
    await local?.stop();
    if (local && !process.argv.includes('--keep')) rmSync(homeDir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
