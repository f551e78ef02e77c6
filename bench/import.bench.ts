/**
 * Import throughput: generates a synthetic file (~1,000,000 records by default), imports it
 * into an empty Neo4j and prints records/s.
 *
 *   node -r @swc-node/register bench/import.bench.ts [--factor 0.65] [--batch 10000] [--concurrency 2] [--uri bolt://...]
 *
 * Without --uri it starts its own local Neo4j in .local/neo4j/bench-import and deletes it after.
 * Against --uri, the database must be empty: the benchmark measures creation, not updates.
 */
import { mkdirSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Db } from '../src/graph/db';
import { DEFAULT_BATCH_SIZE, DEFAULT_CONCURRENCY, importFile } from '../src/graph/import';
import { startLocalNeo4j, type LocalNeo4j } from '../src/graph/local-neo4j';
import { migrate } from '../src/graph/migrations';
import { writeGenerated } from '../src/import/generate';
import { readImportFile } from '../src/import/read-file';
import type { ImportFile } from '../src/import/types';

function argument(name: string, fallback: string): string {
  const at = process.argv.indexOf(`--${name}`);
  return at > 0 ? process.argv[at + 1] : fallback;
}

async function main(): Promise<void> {
  const factor = Number(argument('factor', '0.65'));
  const batchSize = Number(argument('batch', String(DEFAULT_BATCH_SIZE)));
  const concurrency = Number(argument('concurrency', String(DEFAULT_CONCURRENCY)));
  const root = path.resolve(__dirname, '..');
  const outDir = path.join(root, 'bench', 'out');
  mkdirSync(outDir, { recursive: true });
  const filePath = path.join(outDir, `import-${factor}.json`);

  let started = Date.now();
  const records = await writeGenerated(filePath, { scale: 'M', seed: 42, factor });
  const megabytes = statSync(filePath).size / 1e6;
  console.log(`generated ${records} records (${megabytes.toFixed(0)} MB) in ${(Date.now() - started) / 1000}s`);

  let local: LocalNeo4j | undefined;
  const homeDir = path.join(root, '.local', 'neo4j', 'bench-import');
  let uri = argument('uri', '');
  if (!uri) {
    local = await startLocalNeo4j({ localDir: path.join(root, '.local'), homeDir, heapMb: 4096, pageCacheMb: 2048 });
    uri = local.uri;
  }
  const db = new Db({ uri, username: 'neo4j', password: 'neo4j' });
  try {
    await migrate(db);
    started = Date.now();
    const file = (await readImportFile(filePath)) as ImportFile;
    const readMs = Date.now() - started;
    let lastSection = '';
    const summary = await importFile(db, file, {
      batchSize,
      concurrency,
      onProgress: ({ section, done, total }) => {
        if (section !== lastSection || done === total) {
          console.log(`  ${section} ${done}/${total} at ${((Date.now() - started) / 1000).toFixed(1)}s`);
          lastSection = section;
        }
      },
    });
    const totalMs = Date.now() - started;
    const importMs = summary.lookupMs + summary.validateMs + summary.writeMs;
    console.log(
      JSON.stringify(
        {
          records: summary.records,
          sections: summary.sections,
          readMs,
          lookupMs: summary.lookupMs,
          validateMs: summary.validateMs,
          writeMs: summary.writeMs,
          importRecordsPerSecond: Math.round(summary.records / (importMs / 1000)),
          endToEndRecordsPerSecond: Math.round(summary.records / (totalMs / 1000)),
          batchSize,
          concurrency,
          machine: `${os.cpus().length} cores, ${Math.round(os.totalmem() / 2 ** 30)} GiB, node ${process.version}`,
        },
        null,
        2,
      ),
    );
  } finally {
    await db.close();
    if (local) {
      await local.stop();
      rmSync(homeDir, { recursive: true, force: true });
    }
    rmSync(filePath, { force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
