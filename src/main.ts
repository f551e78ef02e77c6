import 'reflect-metadata';
import { statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfig, type Config } from './config';
import { signToken } from './auth/tokens';
import { Db } from './graph/db';
import { importFile } from './graph/import';
import { startLocalNeo4j, type LocalNeo4j } from './graph/local-neo4j';
import { migrate } from './graph/migrations';
import { DEMO_OFFICERS, buildDemoData } from './import/demo';
import { writeGenerated } from './import/generate';
import { readImportFile } from './import/read-file';
import type { ImportFile } from './import/types';
import { hubSdl } from './resolvers/schema';
import { startHub } from './server';
import { within } from './timeout';

/**
 * The command line: start | migrate | import FILE | token SUBJECT | generate | schema.
 * Without NEO4J_URI, commands that need the graph run a local Neo4j (data in .local/).
 */
const USAGE = `usage: main.ts <command>
  start [--no-demo]                 local Neo4j (unless NEO4J_URI), migrations, demo data, hub on PORT
  migrate                           constraints and indexes
  import FILE.json                  validate everything, then upsert (idempotent)
  token OFFICER_ID|partner:ID       print a signed development token
  generate --scale S|M|L --seed N [--out FILE]   write a synthetic import file
  schema                            write the subgraph SDL to schema/`;

async function withGraph<T>(config: Config, work: (db: Db) => Promise<T>, growthBytes = 0): Promise<T> {
  let local: LocalNeo4j | undefined;
  let uri = config.neo4j.uri;
  if (!uri) {
    console.error('NEO4J_URI is unset: starting the local Neo4j (first run downloads it from Maven Central)…');
    local = await startLocalNeo4j({ localDir: config.localDir, growthBytes });
    uri = local.uri;
  }
  const db = new Db({ uri, username: config.neo4j.username, password: config.neo4j.password, database: config.neo4j.database });
  try {
    await db.verify();
    return await work(db);
  } finally {
    await db.close();
    await local?.stop();
  }
}

async function start(config: Config, args: string[]): Promise<void> {
  const { values } = parseArgs({ args, options: { 'no-demo': { type: 'boolean', default: false } } });
  let local: LocalNeo4j | undefined;
  let uri = config.neo4j.uri;
  if (!uri) {
    console.log('Starting the local Neo4j (data in .local/neo4j; the first run downloads it from Maven Central)…');
    local = await startLocalNeo4j({ localDir: config.localDir });
    uri = local.uri;
    console.log(`Neo4j is up at ${uri}`);
  }
  const db = new Db({ uri, username: config.neo4j.username, password: config.neo4j.password, database: config.neo4j.database });
  await db.verify();
  await migrate(db);
  if (!values['no-demo']) {
    const [{ n }] = await db.read<{ n: number }>({ cypher: 'MATCH (c:Country) RETURN count(c) AS n' });
    if (n === 0) {
      console.log('The database is empty: loading the demo scenario…');
      const summary = await importFile(db, buildDemoData());
      console.log(`Demo data loaded (${JSON.stringify(summary)}).`);
    }
  }
  // The local hub keeps its audit journal with its other local state (see Config.auditJournalDir).
  const auditJournalDir = config.auditJournalDir === undefined ? path.join(config.localDir, 'audit-journal') : config.auditJournalDir;
  const hub = await startHub({ config: { ...config, auditJournalDir }, db });
  console.log(`\nISON Hub is ready: ${hub.url}\n`);
  console.log('Tokens for demo officers (valid 12 hours):');
  for (const officer of DEMO_OFFICERS) {
    console.log(`\n# ${officer.name} — ${officer.country}, ${officer.roles.join('/')}, clearance ${officer.clearance}: ${officer.note}`);
    console.log(`export TOKEN_${officer.id.replace(/[^A-Za-z0-9]/g, '_').toUpperCase()}=${await signToken(config, officer.id)}`);
  }
  console.log(`\nTry:\n  curl -s ${hub.url} -H "authorization: Bearer $TOKEN" -H 'content-type: application/json' \\\n    -d '{"query":"{ me { name country { name } } intelReports(first: 3) { totalCount edges { node { title classification } } } }"}'\n`);

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`\n${signal}: stopping…`);
    // Whatever hangs, the database is stopped and the process ends within the deadline.
    const deadline = setTimeout(() => {
      console.error('shutdown took too long; stopping Neo4j and exiting');
      void (local?.stop() ?? Promise.resolve()).finally(() => process.exit(1));
    }, 90_000);
    deadline.unref();
    try {
      // Open sockets can hold the HTTP drain; the database must stop regardless.
      await within(hub.stop(), 5_000, undefined);
      await db.close();
    } finally {
      if (local) console.log('Stopping the local Neo4j (a checkpoint can take a few seconds)…');
      await local?.stop();
      process.exit(0);
    }
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
}

async function main(argv: string[]): Promise<void> {
  const [command, ...args] = argv;
  const config = loadConfig();
  switch (command) {
    case 'start':
      return start(config, args);
    case 'migrate':
      await withGraph(config, async (db) => console.log(`${await migrate(db)} constraints and indexes in place.`));
      return;
    case 'import': {
      const file = args[0];
      if (!file) throw new UsageError('import needs a file: npm run import -- FILE.json');
      const data = await readImportFile(file);
      await withGraph(config, async (db) => {
        await migrate(db);
        // importFile validates the whole file against the schema before it writes anything.
        const summary = await importFile(db, data as ImportFile, {
          onProgress: (progress) => console.error(`${progress.section}: ${progress.done}/${progress.total}`),
        });
        console.log(JSON.stringify(summary, null, 2));
      }, statSync(file).size * 2); // the page cache makes room for the store the file will add
      return;
    }
    case 'token': {
      const subject = args[0];
      if (!subject) throw new UsageError('token needs a subject: npm run token -- OFFICER_ID (or partner:ID)');
      console.log(await signToken(config, subject));
      return;
    }
    case 'generate': {
      const { values } = parseArgs({
        args,
        options: { scale: { type: 'string', default: 'S' }, seed: { type: 'string', default: '1' }, out: { type: 'string' } },
      });
      const scale = values.scale as 'S' | 'M' | 'L';
      if (!['S', 'M', 'L'].includes(scale)) throw new UsageError('--scale must be S, M or L');
      const seed = Number(values.seed);
      if (!Number.isInteger(seed)) throw new UsageError('--seed must be an integer');
      const out = values.out ?? `generated-${scale}-${seed}.json`;
      await writeGenerated(out, { scale, seed });
      console.log(out);
      return;
    }
    case 'schema': {
      const target = path.resolve(__dirname, '..', 'schema', 'hub.graphql');
      writeFileSync(target, await hubSdl());
      console.log(`wrote ${path.relative(process.cwd(), target)}`);
      return;
    }
    default:
      throw new UsageError(USAGE);
  }
}

class UsageError extends Error {}

main(process.argv.slice(2)).catch((error: unknown) => {
  if (error instanceof UsageError) {
    console.error(error.message);
    process.exit(2);
  }
  const extensions = (error as { extensions?: { problems?: unknown[] } }).extensions;
  console.error(error instanceof Error ? error.message : error);
  if (extensions?.problems) for (const problem of extensions.problems) console.error(`  ${JSON.stringify(problem)}`);
  process.exit(1);
});
