/**
 * The nested read's data access without HTTP or GraphQL: `operations(first: 5) → participants →
 * units → officers(first: 20)` read through GraphSession as the resolvers read it, three ways,
 * interleaved: by the five DataLoaders (no embedding), in one statement with every officer
 * column, and in one statement with the three columns the suite's query selects (id, name, rank).
 * Prints Node CPU, wall time and statements per read for each round.
 *
 *   node -r @swc-node/register bench/nested-session.bench.ts [--reads 10] [--rounds 3]
 *
 * Starts its own Neo4j in .local/neo4j/bench-nested-session (deleted at the end) and imports the
 * scale-M directory and operations of `generateImport({ scale: 'M', seed: 7 })` (23,713 records),
 * read as officer o-22 (the suite's reader).
 */
import 'reflect-metadata';
import { rmSync } from 'node:fs';
import path from 'node:path';
import { Db } from '../src/graph/db';
import type { OfficerColumn } from '../src/graph/directory';
import { importFile } from '../src/graph/import';
import type { OperationIncludes } from '../src/graph/includes';
import { startLocalNeo4j } from '../src/graph/local-neo4j';
import { migrate } from '../src/graph/migrations';
import { loadOfficerContext } from '../src/graph/principals';
import { GraphSession } from '../src/graph/session';
import { generateImport } from '../src/import/generate';

const argument = (name: string, fallback: string) => {
  const at = process.argv.indexOf(`--${name}`);
  return at > 0 ? process.argv[at + 1] : fallback;
};
const ROOT = path.resolve(__dirname, '..');
const OPERATIONS = { first: 5, after: null };
const OFFICERS = { first: 20, after: null };
const SELECTED: OfficerColumn[] = ['id', 'name', 'rank'];

const VARIANTS: { name: string; includes: OperationIncludes; columns: OfficerColumn[] | null }[] = [
  { name: 'five loaders', includes: {}, columns: null },
  { name: 'one statement, all officer columns', includes: { participants: { units: { officers: { page: OFFICERS, columns: null } } } }, columns: null },
  { name: 'one statement, id name rank', includes: { participants: { units: { officers: { page: OFFICERS, columns: SELECTED } } } }, columns: SELECTED },
];

async function main(): Promise<void> {
  const reads = Number(argument('reads', '10'));
  const rounds = Number(argument('rounds', '3'));
  const homeDir = path.join(ROOT, '.local', 'neo4j', 'bench-nested-session');
  const local = await startLocalNeo4j({ localDir: path.join(ROOT, '.local'), homeDir, heapMb: 1024, pageCacheMb: 512 });
  const db = new Db({ uri: local.uri, username: 'neo4j', password: 'neo4j', transactionTimeoutMs: 600_000 });
  try {
    await migrate(db);
    const file = generateImport({ scale: 'M', seed: 7 });
    await importFile(db, { countries: file.countries, sharingRules: file.sharingRules, units: file.units, officers: file.officers, operations: file.operations });
    const ctx = await loadOfficerContext(db, 'o-22');
    if (!ctx) throw new Error('no officer o-22');

    const read = async (variant: (typeof VARIANTS)[number]): Promise<number> => {
      const session = new GraphSession(db, ctx);
      const page = await session.operations({}, OPERATIONS, variant.includes).page;
      let officers = 0;
      await Promise.all(page.entries.map(async ({ row }) => {
        // Siblings at once, as graphql-js resolves them, so the loaders batch each level.
        await Promise.all((await session.participants(row.id)).map(async (code) => {
          const [, units] = await Promise.all([session.country(code), session.unitsOf(code)]);
          const pages = await Promise.all(units.map((u) => session.officers('unit', u.id, {}, OFFICERS, variant.columns).page));
          officers += pages.reduce((sum, p) => sum + p.entries.length, 0);
        }));
      }));
      return officers;
    };

    for (const variant of VARIANTS) await read(variant); // warm-up: plans and caches
    console.log('| round | variant | statements/read | Node CPU ms/read | wall ms/read | officers |\n|---|---|---|---|---|---|');
    for (let round = 1; round <= rounds; round++) {
      for (const variant of VARIANTS) {
        const cpu = process.cpuUsage();
        const started = performance.now();
        const trips = db.roundTrips;
        let officers = 0;
        for (let i = 0; i < reads; i++) officers = await read(variant);
        const used = process.cpuUsage(cpu);
        console.log(`| ${round} | ${variant.name} | ${(db.roundTrips - trips) / reads} | ${((used.user + used.system) / 1000 / reads).toFixed(1)} | ${((performance.now() - started) / reads).toFixed(1)} | ${officers} |`);
      }
    }
  } finally {
    await db.close();
    await local.stop();
    rmSync(homeDir, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
