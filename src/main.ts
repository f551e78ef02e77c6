import 'reflect-metadata';
import { statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfig, type Config } from './config';
import { signToken } from './auth/tokens';
import { Db, dbOptions } from './graph/db';
import { importFile } from './graph/import';
import { findRunning, LocalNeo4jBusyError, recordRunning, startLocalNeo4j, type LocalNeo4j, type RunningRecord } from './graph/local-neo4j';
import { migrate } from './graph/migrations';
import { DEMO_OFFICERS, buildDemoData } from './import/demo';
import { writeGenerated } from './import/generate';
import { readImportFile } from './import/read-file';
import type { ImportFile } from './import/types';
import { hubSdl } from './resolvers/schema';
import { startHub } from './server';
import { boardOptions } from './server/board';
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

/** How long a command waits for a local Neo4j that another command is still starting. */
const WAIT_FOR_STARTING_MS = 180_000;

/**
 * The local Neo4j for a command: the one another command (`npm start`, an import) runs now,
 * as recorded in .local/neo4j/running.json, or one of its own, recorded there while it runs.
 */
async function localNeo4j(config: Config, command: string, growthBytes = 0): Promise<{ uri: string; stop(): Promise<void> }> {
  const running = await findRunning(config.localDir, { waitMs: WAIT_FOR_STARTING_MS });
  if (running?.uri) {
    console.error(`Using the local Neo4j at ${running.uri} of the running \`${running.command}\` (pid ${running.pid}).`);
    return { uri: running.uri, stop: async () => undefined };
  }
  if (running) throw new CliError(`the local Neo4j of \`${running.command}\` (pid ${running.pid}) did not come up within ${WAIT_FOR_STARTING_MS / 1000} s`);
  console.error('NEO4J_URI is unset and no local Neo4j runs: starting one (first run downloads it from Maven Central)…');
  const record: RunningRecord = { uri: null, pid: process.pid, started: new Date().toISOString(), command };
  const remove = recordRunning(config.localDir, record);
  let local: LocalNeo4j;
  try {
    local = await startLocalNeo4j({ localDir: config.localDir, growthBytes });
  } catch (error) {
    remove();
    throw error instanceof LocalNeo4jBusyError ? new CliError(error.message) : error;
  }
  recordRunning(config.localDir, { ...record, uri: local.uri });
  return {
    uri: local.uri,
    async stop() {
      await local.stop();
      remove();
    },
  };
}

async function withGraph<T>(config: Config, command: string, work: (db: Db) => Promise<T>, growthBytes = 0): Promise<T> {
  const local = config.neo4j.uri ? undefined : await localNeo4j(config, command, growthBytes);
  const db = new Db(dbOptions(config, local?.uri));
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
  let record: RunningRecord | undefined;
  let removeRecord = () => {};
  if (!uri) {
    const running = await findRunning(config.localDir);
    if (running) throw new CliError(alreadyRunning(running));
    record = { uri: null, pid: process.pid, started: new Date().toISOString(), command: 'start' };
    removeRecord = recordRunning(config.localDir, record);
    console.log('Starting the local Neo4j (data in .local/neo4j; the first run downloads it from Maven Central)…');
    try {
      local = await startLocalNeo4j({ localDir: config.localDir });
    } catch (error) {
      removeRecord();
      throw error instanceof LocalNeo4jBusyError ? new CliError(error.message) : error;
    }
    uri = local.uri;
    record = { ...record, uri };
    recordRunning(config.localDir, record);
    console.log(`Neo4j is up at ${uri}`);
  }
  const db = new Db(dbOptions(config, uri));
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
  // `npm start` is development when it signs its own tokens: the board lists the demo officers, and the explorer is on.
  const board = boardOptions(config, true);
  const hub = await startHub({ config: { ...config, auditJournalDir, board }, db }).catch((error: unknown) => {
    if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw error;
    throw new CliError(`port ${config.port} on ${config.host} is in use: is a hub already running there? (set PORT for another one)`);
  });
  if (record) recordRunning(config.localDir, { ...record, hubUrl: hub.url });
  // Stop handlers before anything says the hub is ready: a signal from then on stops it gracefully.
  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`\n${signal}: stopping…`);
    // Whatever hangs, the database is stopped and the process ends within the deadline.
    const deadline = setTimeout(() => {
      console.error('shutdown took too long; stopping Neo4j and exiting');
      void (local?.stop() ?? Promise.resolve()).finally(() => {
        removeRecord();
        process.exit(1);
      });
    }, 90_000);
    deadline.unref();
    try {
      // Requests in progress finish within the grace period; open sockets cannot hold the database's stop.
      await within(hub.stop(), config.resilience.shutdownGraceMs, undefined);
      await db.close();
    } finally {
      if (local) console.log('Stopping the local Neo4j (a checkpoint can take a few seconds)…');
      await local?.stop();
      removeRecord();
      process.exit(0);
    }
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  console.log(`\nISON Hub is ready: ${hub.url}`);
  console.log(`Operations board: ${hub.url.replace(/\/graphql$/, '/board/')}${board.explorer ? ` · explorer: ${hub.url} in a browser` : ''}\n`);
  console.log('Tokens for demo officers (valid 12 hours):');
  for (const officer of DEMO_OFFICERS) {
    console.log(`\n# ${officer.name} — ${officer.country}, ${officer.roles.join('/')}, clearance ${officer.clearance}: ${officer.note}`);
    console.log(`export TOKEN_${officer.id.replace(/[^A-Za-z0-9]/g, '_').toUpperCase()}=${await signToken(config, officer.id)}`);
  }
  console.log(`\nTry:\n  curl -s ${hub.url} -H "authorization: Bearer $TOKEN" -H 'content-type: application/json' \\\n    -d '{"query":"{ me { name country { name } } intelReports(first: 3) { totalCount edges { node { title classification } } } }"}'\n`);
}

async function main(argv: string[]): Promise<void> {
  const [command, ...args] = argv;
  const config = loadConfig();
  switch (command) {
    case 'start':
      return start(config, args);
    case 'migrate':
      await withGraph(config, 'migrate', async (db) => console.log(`${await migrate(db)} constraints and indexes in place.`));
      return;
    case 'import': {
      const file = args[0];
      if (!file) throw new UsageError('import needs a file: npm run import -- FILE.json');
      const data = await readImportFile(file);
      await withGraph(config, 'import', async (db) => {
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

/** A clear refusal for the person at the terminal: its message alone, no stack trace. */
class CliError extends Error {}

function alreadyRunning(running: RunningRecord): string {
  if (running.command !== 'start') {
    return `the local Neo4j is in use by \`${running.command}\` (pid ${running.pid}, since ${running.started}); start the hub when it has finished`;
  }
  const where = running.hubUrl ? `at ${running.hubUrl}` : '(still starting)';
  return [
    `ISON Hub is already running ${where} — pid ${running.pid}, since ${running.started}, its Neo4j at ${running.uri ?? '(starting)'}.`,
    'Use that one, or stop it first (Ctrl-C in its terminal, or `kill ' + running.pid + '`). Commands such as `npm run import` use its database.',
  ].join('\n');
}

main(process.argv.slice(2)).catch((error: unknown) => {
  if (error instanceof UsageError) {
    console.error(error.message);
    process.exit(2);
  }
  if (error instanceof CliError) {
    console.error(error.message);
    process.exit(1);
  }
  const extensions = (error as { extensions?: { problems?: unknown[] } }).extensions;
  console.error(error instanceof Error ? error.message : error);
  if (extensions?.problems) for (const problem of extensions.problems) console.error(`  ${JSON.stringify(problem)}`);
  process.exit(1);
});
