/**
 * How much an audit event costs to ship into Neo4j, by the form the events are sent in:
 *   maps     — a list of one map per event (the form before 2026-12-02),
 *   grouped  — the journal's form today: one group per request and action, each event a list
 *              (src/graph/audit.ts, `eventGroups`, `createEventsCypher`).
 * Both go through the journal's shipping statement (the segment mark and its MERGE). The events
 * are shaped as a feed page's: 50 READ events per request, the same officer, country and request
 * for the 50, a few with redacted fields. A fresh local Neo4j (sized for the machine), variants
 * interleaved per round. Prints wall time, and Node and Neo4j CPU per event.
 *
 *   node -r @swc-node/register bench/audit-ship.bench.ts [--events 100000] [--rounds 3] [--batch 5000]
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { type AccessEvent, eventGroups } from '../src/graph/audit';
import { shipCypher } from '../src/graph/audit-journal';
import { Db } from '../src/graph/db';
import { startLocalNeo4j } from '../src/graph/local-neo4j';
import { migrate } from '../src/graph/migrations';
import { processCpuMicros } from './suite/servers';

const argument = (name: string, fallback: string) => {
  const at = process.argv.indexOf(`--${name}`);
  return at > 0 ? process.argv[at + 1] : fallback;
};

/** The reference: the shipping statement as it was, one map per event. */
const MAPS_CYPHER = `MERGE (j:AuditJournalSegment {name: $segment})
WITH j, coalesce(j.shipped, 0) AS mark
FOREACH (e IN CASE WHEN mark = $from THEN $events ELSE [] END | CREATE (:AccessEvent {id: e.id, at: datetime(e.at), officerId: e.officerId,
  country: e.country, itemId: e.itemId, itemKind: e.itemKind, action: e.action, outcome: e.outcome, redactedFields: e.redactedFields,
  requestId: e.requestId, detail: e.detail}))
SET j.shipped = CASE WHEN mark = $from THEN $to ELSE j.shipped END
RETURN mark`;

const VARIANTS: Record<string, (events: AccessEvent[]) => { cypher: string; params: Record<string, unknown> }> = {
  maps: (events) => ({ cypher: MAPS_CYPHER, params: { events } }),
  grouped: (events) => ({ cypher: shipCypher, params: { groups: eventGroups(events) } }),
};

function feedEvents(count: number): AccessEvent[] {
  const events: AccessEvent[] = [];
  let requestId = '';
  for (let i = 0; i < count; i += 1) {
    if (i % 50 === 0) requestId = randomUUID();
    events.push({
      id: randomUUID(),
      at: new Date(Date.UTC(2026, 11, 2) + i).toISOString(),
      officerId: 'o-22',
      country: 'C07',
      itemId: `r-${100_000 + (i % 200_000)}`,
      itemKind: 'IntelReport',
      action: 'READ',
      outcome: 'GRANTED',
      redactedFields: i % 7 === 0 ? ['sourceDescription'] : [],
      requestId,
      detail: null,
    });
  }
  return events;
}

async function main(): Promise<void> {
  const count = Number(argument('events', '100000'));
  const rounds = Number(argument('rounds', '3'));
  const batch = Number(argument('batch', '5000'));
  const homeDir = mkdtempSync(path.join(os.tmpdir(), 'ison-audit-ship-'));
  const local = await startLocalNeo4j({ localDir: path.resolve(__dirname, '..', '.local'), homeDir });
  const javaPid = Number(readFileSync(path.join(homeDir, 'launcher.pid'), 'utf8'));
  const db = new Db({ uri: local.uri, username: 'neo4j', password: 'neo4j', transactionTimeoutMs: 600_000 });
  const names = argument('variants', Object.keys(VARIANTS).join(',')).split(',');
  const figures = new Map<string, { ms: number; node: number; neo4j: number; events: number }[]>(names.map((n) => [n, []]));
  try {
    await migrate(db);
    // Warm-up: plans made, JIT warmed, on both forms.
    for (const name of names) await ship(db, name, feedEvents(batch * 2), batch);
    for (let round = 0; round < rounds; round += 1) {
      const order = names.map((_, i) => names[(i + round) % names.length]);
      for (const name of order) {
        const events = feedEvents(count);
        const node0 = process.cpuUsage();
        const neo0 = processCpuMicros(javaPid);
        const t0 = performance.now();
        await ship(db, name, events, batch);
        const ms = performance.now() - t0;
        const node = process.cpuUsage(node0);
        figures.get(name)!.push({ ms, node: node.user + node.system, neo4j: processCpuMicros(javaPid) - neo0, events: count });
      }
    }
    const [{ n }] = await db.read<{ n: number }>({ cypher: 'MATCH (a:AccessEvent) RETURN count(a) AS n' });
    console.log(`\n${count} events per run, batches of ${batch}, ${rounds} rounds; ${n} events in Neo4j at the end`);
    console.log('variant   events/s (per round)                 Node CPU µs/event     Neo4j CPU µs/event');
    for (const [name, runs] of figures) {
      const rate = runs.map((r) => Math.round(r.events / (r.ms / 1000)));
      const node = runs.map((r) => (r.node / r.events).toFixed(1));
      const neo = runs.map((r) => (r.neo4j / r.events).toFixed(1));
      console.log(`${name.padEnd(9)} ${rate.join(' / ').padEnd(36)} ${node.join(' / ').padEnd(21)} ${neo.join(' / ')}`);
    }
  } finally {
    await db.close();
    await local.stop();
    rmSync(homeDir, { recursive: true, force: true });
  }
}

/** Ships `events` as the journal does: one transaction per batch, each under its segment mark. */
async function ship(db: Db, variant: string, events: AccessEvent[], batch: number): Promise<void> {
  const segment = `bench-${randomUUID()}`;
  for (let from = 0; from < events.length; from += batch) {
    const slice = events.slice(from, from + batch);
    const { cypher, params } = VARIANTS[variant](slice);
    const [row] = await db.write<{ mark: number }>({ cypher, params: { ...params, segment, from, to: from + slice.length } });
    if (row.mark !== from) throw new Error(`mark ${row.mark}, expected ${from}`);
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
