/**
 * `npm run bench`: the hub against its references, side by side in one run (issue 12).
 *
 *   npm run bench                      # scale M, 16 connections, 3 rounds of ~10 s (nested-50: ~20 s) each
 *   npm run bench -- --quick           # scale S, 4 connections, 1 round of ~1 s: the smoke run
 *   npm run bench -- --quick --keep    # keep the database for the next run (which skips the import)
 *   npm run bench -- --rounds 5 --seconds 15 --connections 16 --only nested-5,feed
 *   npm run bench -- --skip entities/peer   # leave out one server of one scenario
 *   npm run bench -- --only fanout --subscribers 1000 --events 20   # live updates alone (the defaults; --quick: 50 and 5)
 *
 * Starts its own Neo4j 5.26 (.local/neo4j/bench-suite-<pid>, 3 GB heap and 2 GB page cache at
 * scale M), imports one generated dataset once, starts each server in its own process, checks
 * that all of them give the same answers, warms each up, measures in rotating order, prints one
 * table, and deletes the database. HTTP scenarios are driven by autocannon; the subscription
 * fan-out by real graphql-ws clients in this process (bench/suite/fanout.ts).
 */
import { parseArgs } from 'node:util';
import { runSuite } from './suite/suite';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      quick: { type: 'boolean', default: false },
      scale: { type: 'string' },
      seed: { type: 'string', default: '7' },
      rounds: { type: 'string' },
      seconds: { type: 'string' },
      warmup: { type: 'string' },
      connections: { type: 'string' },
      only: { type: 'string' },
      skip: { type: 'string' },
      entities: { type: 'string' },
      subscribers: { type: 'string' },
      events: { type: 'string' },
      keep: { type: 'boolean', default: false },
    },
  });
  const quick = values.quick;
  const result = await runSuite({
    scale: (values.scale ?? (quick ? 'S' : 'M')) as 'S' | 'M' | 'L',
    seed: Number(values.seed),
    rounds: Number(values.rounds ?? (quick ? 1 : 3)),
    seconds: Number(values.seconds ?? (quick ? 1 : 10)),
    warmupRequests: Number(values.warmup ?? (quick ? 1 : 3)),
    connections: Number(values.connections ?? (quick ? 4 : 16)),
    only: values.only?.split(','),
    skip: values.skip?.split(','),
    entities: Number(values.entities ?? (quick ? 100 : 1000)),
    subscribers: Number(values.subscribers ?? (quick ? 50 : 1000)),
    fanoutEvents: Number(values.events ?? (quick ? 5 : 20)),
    keep: values.keep,
  });
  console.log(`\n${new Date().toISOString()} — ${result.dataset}; reader ${result.officer}\n${result.machine}\n`);
  console.log(result.table);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
