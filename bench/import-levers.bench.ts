/**
 * Import levers side by side: one generated file, imported once per variant (and per repeat)
 * into a fresh local Neo4j each time, variants interleaved so that a change of load on the
 * machine spreads over all of them. Prints, per section, records/s, the share of the batches'
 * time spent in their statements (the rest is begin, commit and round trips) and the CPU Neo4j
 * and Node used.
 *
 *   node -r @swc-node/register bench/import-levers.bench.ts [--factor 0.1] [--repeats 2] [--variants base,batch-5000]
 */
import { readFileSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { Db } from '../src/graph/db';
import { importFile, type BatchTiming, type ImportOptions } from '../src/graph/import';
import { startLocalNeo4j } from '../src/graph/local-neo4j';
import { migrate } from '../src/graph/migrations';
import { writeGenerated } from '../src/import/generate';
import { readImportFile } from '../src/import/read-file';
import type { ImportFile, Section } from '../src/import/types';

function argument(name: string, fallback: string): string {
  const at = process.argv.indexOf(`--${name}`);
  return at > 0 ? process.argv[at + 1] : fallback;
}

/** Each variant: the import options it changes. */
const VARIANTS: Record<string, ImportOptions> = {
  base: {},
  'batch-2000': { batchSize: 2_000 },
  'batch-5000': { batchSize: 5_000 },
  'batch-20000': { batchSize: 20_000 },
  'two-batches': { concurrency: 2 },
  'two-batches-5000': { concurrency: 2, batchSize: 5_000 },
};

/** CPU seconds (user + system) of a process, from /proc. */
function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

interface SectionFigures {
  records: number;
  ms: number;
  statementMs: number;
  neo4jCpu: number;
  nodeCpu: number;
  retries: number;
}

async function run(variant: string, filePath: string, homeDir: string): Promise<Record<string, SectionFigures>> {
  rmSync(homeDir, { recursive: true, force: true });
  const local = await startLocalNeo4j({ localDir: path.resolve(__dirname, '..', '.local'), homeDir, growthBytes: statSync(filePath).size * 2 });
  const javaPid = Number(readFileSync(path.join(homeDir, 'launcher.pid'), 'utf8'));
  const db = new Db({ uri: local.uri, username: 'neo4j', password: 'neo4j', transactionTimeoutMs: 600_000 });
  const figures: Record<string, SectionFigures> = {};
  try {
    await migrate(db);
    const file = (await readImportFile(filePath)) as ImportFile;
    // A section runs from the start of its first batch to the end of its last one.
    const cpuNow = (): { neo4j: number; node: number } => {
      const node = process.cpuUsage();
      return { neo4j: cpuSeconds(javaPid), node: (node.user + node.system) / 1e6 };
    };
    let start = { at: 0, ...cpuNow() };
    let end = start;
    let current: Section | undefined;
    const close = (): void => {
      if (!current) return;
      const f = figures[current];
      f.ms = end.at - start.at;
      f.neo4jCpu = end.neo4j - start.neo4j;
      f.nodeCpu = end.node - start.node;
    };
    const onBatch = (t: BatchTiming): void => {
      const now = { at: performance.now(), ...cpuNow() };
      if (t.section !== current) {
        close();
        current = t.section;
        console.error(`${variant}: ${current} started`);
        figures[current] = { records: 0, ms: 0, statementMs: 0, neo4jCpu: 0, nodeCpu: 0, retries: 0 };
        // CPU from the end of the section before: the lookup in between is a small part.
        start = { ...end, at: now.at - t.totalMs };
      }
      end = now;
      figures[current].records += t.records;
      figures[current].statementMs += t.statementMs;
      figures[current].retries += t.attempts - 1;
    };
    const started = performance.now();
    const summary = await importFile(db, file, { concurrency: 1, ...VARIANTS[variant], onBatch });
    close();
    figures.total = {
      records: summary.records,
      ms: performance.now() - started,
      statementMs: 0,
      neo4jCpu: 0,
      nodeCpu: 0,
      retries: 0,
    };
    figures.beforeWrite = { records: 0, ms: summary.lookupMs + summary.validateMs, statementMs: 0, neo4jCpu: 0, nodeCpu: 0, retries: 0 };
  } finally {
    await db.close();
    await local.stop();
    rmSync(homeDir, { recursive: true, force: true });
  }
  return figures;
}

async function main(): Promise<void> {
  const factor = Number(argument('factor', '0.1'));
  const repeats = Number(argument('repeats', '2'));
  const variants = argument('variants', Object.keys(VARIANTS).join(',')).split(',');
  for (const v of variants) if (!VARIANTS[v]) throw new Error(`unknown variant ${v}`);
  const root = path.resolve(__dirname, '..');
  const filePath = path.join(root, 'bench', 'out', `levers-${factor}.json`);
  const records = await writeGenerated(filePath, { scale: 'M', seed: 7, factor });
  console.log(`factor ${factor}: ${records} records`);
  const homeDir = path.join(root, '.local', 'neo4j', 'bench-levers');
  try {
    for (let r = 1; r <= repeats; r++) {
      for (const variant of variants) {
        const figures = await run(variant, filePath, homeDir);
        const cells = Object.entries(figures).map(([section, f]) => {
          if (section === 'total') return `total ${Math.round(f.records / (f.ms / 1000))}/s (${(f.ms / 1000).toFixed(1)} s)`;
          if (section === 'beforeWrite') return `lookup+validate ${(f.ms / 1000).toFixed(1)} s`;
          const rate = Math.round(f.records / (f.ms / 1000));
          const cpu = `neo4j ${Math.round((100 * f.neo4jCpu) / (f.ms / 1000))}% (${Math.round((1e6 * f.neo4jCpu) / f.records)} µs/record) node ${Math.round((100 * f.nodeCpu) / (f.ms / 1000))}%`;
          return `${section} ${rate}/s stmt ${Math.round((100 * f.statementMs) / f.ms)}% ${cpu} retries ${f.retries}`;
        });
        console.log(`[${r}] ${variant}: ${cells.join(' | ')}`);
        console.log(`JSON ${JSON.stringify({ repeat: r, variant, figures })}`);
      }
    }
  } finally {
    rmSync(filePath, { force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
