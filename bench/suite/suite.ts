import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import { readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import { signToken } from '../../src/auth/tokens';
import { loadConfig } from '../../src/config';
import { Db } from '../../src/graph/db';
import { importFile } from '../../src/graph/import';
import { startLocalNeo4j, type LocalNeo4j } from '../../src/graph/local-neo4j';
import { migrate } from '../../src/graph/migrations';
import { loadOfficerContext } from '../../src/graph/principals';
import { generateImport, type Scale } from '../../src/import/generate';
import type { ImportFile } from '../../src/import/types';
import type { OfficerContext } from '../../src/policy/context';
import { personIdentityHiddenPredicate } from '../../src/policy/redaction';
import { policyParams, subjectPredicate } from '../../src/policy/rule';
import { checkFanout, fanoutScenario, measureFanout, planFanout, type FanoutExpectation, type FanoutPlan } from './fanout';
import { peerToken } from './peer-schema';
import { scenarios, type Scenario, type ServerName } from './scenarios';
import { post, processCpuMicros, startServer, type ServerProcess } from './servers';

export interface SuiteOptions {
  scale: Scale;
  seed: number;
  rounds: number;
  /** About this many seconds per measurement (the nested read at first: 50 twice as long). */
  seconds: number;
  /** Warm-up requests per connection, before the first round. */
  warmupRequests: number;
  connections: number;
  /** `scenario/server` pairs left out (e.g. `entities/peer`, which takes minutes per request at scale M). */
  skip?: string[];
  /** Representations in the `_entities` scenario (1,000 for the record). */
  entities?: number;
  /** graphql-ws subscribers in the `fanout` scenario (1,000 by default). */
  subscribers?: number;
  /** Updates posted per `fanout` measurement (20 by default). */
  fanoutEvents?: number;
  /** Only these scenarios (by name); all by default. */
  only?: string[];
  /** Keep the database (.local/neo4j/bench-suite-<scale>) for the next run, which then skips the import. */
  keep?: boolean;
  log?: (line: string) => void;
}

export interface Measurement {
  scenario: string;
  server: ServerName;
  round: number;
  requests: number;
  seconds: number;
  reqPerSec: number;
  p50: number;
  p99: number;
  /** fanout: p50 and p99 of every single delivery (p50/p99 are then of each event's last delivery). */
  deliveryP50?: number;
  deliveryP99?: number;
  /** fanout: updates received by subscribers, and those the sharing rule lets them receive. */
  deliveries?: number;
  expectedDeliveries?: number;
  errors: number;
  statementsPerRequest: number;
  nodeCpuMsPerRequest: number;
  neo4jCpuMsPerRequest: number;
}

export interface SuiteResult {
  dataset: string;
  officer: string;
  machine: string;
  /** Scenario → servers whose canonical answer equalled the hub's (all of them, or the suite throws). */
  equalAnswers: Record<string, ServerName[]>;
  measurements: Measurement[];
  table: string;
}

const ROOT = path.resolve(__dirname, '..', '..');

/** An ACTIVE RESTRICTED officer with a content role, of a mid-sized country (by officers). */
function pickOfficer(file: ImportFile): string {
  const unitCountry = new Map((file.units ?? []).map((u) => [u.id, u.country]));
  const perCountry = new Map<string, number>();
  for (const o of file.officers ?? []) perCountry.set(unitCountry.get(o.unit)!, (perCountry.get(unitCountry.get(o.unit)!) ?? 0) + 1);
  const ranked = [...perCountry.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
  const readers = (country: string) =>
    (file.officers ?? []).filter(
      (o) => unitCountry.get(o.unit) === country && (o.status ?? 'ACTIVE') === 'ACTIVE' && o.clearance === 'RESTRICTED' &&
        o.roles.some((r) => ['OFFICER', 'ANALYST', 'COORDINATOR'].includes(r)),
    );
  // From the middle of the ranking outwards, the first country with such an officer.
  const middle = Math.floor(ranked.length / 3);
  for (let step = 0; step < ranked.length; step++) {
    const candidate = ranked[(middle + step) % ranked.length][0];
    const found = readers(candidate);
    if (found.length) return found[0].id;
  }
  throw new Error('no ACTIVE RESTRICTED officer in the dataset');
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** Every server gives the hub's answer, and the hub's answer is not empty. */
async function checkEqualAnswers(scenario: Scenario, servers: Map<ServerName, ServerProcess>): Promise<ServerName[]> {
  const reference = JSON.stringify(scenario.canonical('hub', await post(servers.get('hub')!, scenario.request('hub'))));
  if (reference === '[]' || reference === '[null]') throw new Error(`${scenario.name}: the hub's answer is empty`);
  const agreeing: ServerName[] = [];
  for (const name of scenario.servers) {
    const answer = JSON.stringify(scenario.canonical(name, await post(servers.get(name)!, scenario.request(name))));
    if (answer !== reference) {
      const at = [...answer].findIndex((ch, i) => ch !== reference[i]);
      throw new Error(`${scenario.name}: ${name} answers differently from the hub at character ${at}:\n` +
        `  hub:   …${reference.slice(Math.max(0, at - 150), at + 150)}\n  ${name}: …${answer.slice(Math.max(0, at - 150), at + 150)}`);
    }
    agreeing.push(name);
  }
  return agreeing;
}

/**
 * `amount` requests over `connections` (a fixed amount, not a duration: requests still in
 * flight when a duration ends would be lost, and slow servers would lose the most).
 */
async function measure(
  scenario: Scenario,
  server: ServerProcess,
  neo4jPid: number,
  amount: number,
  connections: number,
  round: number,
): Promise<Measurement> {
  let graphqlErrors = 0;
  // autocannon notices that an amount is done only at its next 1 s sample, so its `duration`
  // is rounded up to whole seconds (32 requests in 1.1 s would count as 2 s): the time is taken
  // here instead, from the start to the last response.
  let lastResponseAt = 0;
  const requests = (scenario.cycle?.(server.name) ?? [scenario.request(server.name)]).map((request) => ({
    method: 'POST' as const,
    path: request.path,
    body: request.body,
    headers: { 'content-type': 'application/json', authorization: server.authorization },
    onResponse: (status: number, body: string) => {
      lastResponseAt = performance.now();
      if (status === 200 && body.includes('"errors":')) graphqlErrors += 1;
    },
  }));
  const before = await server.stats();
  const neoBefore = processCpuMicros(neo4jPid);
  const startedAt = performance.now();
  const result = await autocannon({ url: server.base, connections, amount, timeout: 300, requests });
  const after = await server.stats();
  const neoAfter = processCpuMicros(neo4jPid);
  const done = Math.max(1, result.requests.total);
  const seconds = lastResponseAt > startedAt ? (lastResponseAt - startedAt) / 1000 : result.duration;
  return {
    scenario: scenario.name,
    server: server.name,
    round,
    requests: result.requests.total,
    seconds,
    reqPerSec: result.requests.total / seconds,
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors: result.errors + result.timeouts + result.non2xx + graphqlErrors,
    // The stats requests themselves send no Cypher; the count is the server's own.
    statementsPerRequest: (after.statements - before.statements) / done,
    nodeCpuMsPerRequest: (after.cpuMicros - before.cpuMicros) / 1000 / done,
    neo4jCpuMsPerRequest: (neoAfter - neoBefore) / 1000 / done,
  };
}

const SERVER_ORDER: ServerName[] = ['hub', 'hubGraphqlJs', 'hubApolloDefaults', 'plain', 'hubNoAudit', 'peer', 'cypher'];
const SERVER_TITLES: Record<ServerName, string> = {
  hub: 'ISON Hub',
  hubGraphqlJs: 'ISON Hub, graphql-js executing (not graphql-jit)',
  hubApolloDefaults: 'ISON Hub, Apollo defaults (indented JSON, cache control)',
  plain: 'hub resolvers, plain graphql-js schema',
  hubNoAudit: 'ISON Hub, AUDIT=off',
  peer: '@neo4j/graphql 7.6.3',
  cypher: 'hand-written Cypher',
};

/** What the table says of the fanout rows, under it. */
const FANOUT_NOTE =
  'fanout: one row per hub; "req/s" is updates a second, posted one at a time, each once the previous one was answered and had reached all its subscribers; ' +
  '"p50 / p99" is from sending postOperationUpdate to its last subscriber\'s receipt (in brackets: to each receipt); ' +
  'errors are missing, unexpected or repeated deliveries and failed posts; Cypher and CPU are per update, all its deliveries included. ' +
  '@neo4j/graphql is not measured (its subscriptions need change data capture, which Neo4j Community Edition lacks), nor the hand-written handler (no live updates).';

export function formatTable(measurements: Measurement[], list: Pick<Scenario, 'name' | 'servers'>[]): string {
  const lines: string[] = [];
  const fmt = (n: number, digits = 1) => (Number.isFinite(n) ? n.toFixed(digits) : '—');
  lines.push('| scenario | server | req/s median (min–max) | p50 / p99 ms | errors | Cypher/req | Node CPU ms/req | Neo4j CPU ms/req | hub ÷ server |');
  lines.push('|---|---|---|---|---|---|---|---|---|');
  for (const scenario of list) {
    const rows = measurements.filter((m) => m.scenario === scenario.name);
    if (!rows.length) continue;
    const hubRate = median(rows.filter((m) => m.server === 'hub').map((m) => m.reqPerSec));
    for (const server of SERVER_ORDER.filter((s) => scenario.servers.includes(s))) {
      const mine = rows.filter((m) => m.server === server);
      if (!mine.length) continue;
      const rates = mine.map((m) => m.reqPerSec);
      const rate = median(rates);
      lines.push(
        `| ${scenario.name} | ${SERVER_TITLES[server]} | ${fmt(rate, 2)} (${fmt(Math.min(...rates), 2)}–${fmt(Math.max(...rates), 2)}) | ` +
          `${fmt(median(mine.map((m) => m.p50)), 0)} / ${fmt(median(mine.map((m) => m.p99)), 0)}${eachDelivery(mine)} | ${mine.reduce((s, m) => s + m.errors, 0)} | ` +
          `${fmt(median(mine.map((m) => m.statementsPerRequest)), 2)} | ${fmt(median(mine.map((m) => m.nodeCpuMsPerRequest)), 2)} | ` +
          `${fmt(median(mine.map((m) => m.neo4jCpuMsPerRequest)), 2)} | ${server === 'hub' ? '1' : `${fmt(hubRate / rate, 2)}×`} |`,
      );
    }
  }
  if (measurements.some((m) => m.scenario === fanoutScenario.name)) lines.push('', FANOUT_NOTE);
  return lines.join('\n');
}

function eachDelivery(mine: Measurement[]): string {
  if (mine[0].deliveryP50 === undefined) return '';
  const fmt = (n: number) => (Number.isFinite(n) ? n.toFixed(0) : '—');
  return ` (${fmt(median(mine.map((m) => m.deliveryP50!)))} / ${fmt(median(mine.map((m) => m.deliveryP99!)))})`;
}

/**
 * The reports the mixed scenario wrote into a kept store (every generated report's id starts
 * with `r-`; a written one's is a UUID): without them the store is the generated dataset again,
 * so the next run measures the same data and need not import.
 */
export async function dropBenchmarkWrites(db: Db): Promise<number> {
  const [{ dropped }] = await db.write<{ dropped: number }>({
    cypher: "MATCH (r:IntelReport) WHERE NOT r.id STARTS WITH 'r-' DETACH DELETE r RETURN count(*) AS dropped",
  });
  return dropped;
}

export async function runSuite(options: SuiteOptions): Promise<SuiteResult> {
  const log = options.log ?? ((line: string) => console.log(line));
  const runId = options.keep ? `bench-suite-${options.scale}` : `bench-suite-${process.pid}`;
  const homeDir = path.join(ROOT, '.local', 'neo4j', runId);
  const journals = path.join(ROOT, '.local', `${runId}-journals`);
  const big = options.scale !== 'S';
  const local: LocalNeo4j = await startLocalNeo4j({ localDir: path.join(ROOT, '.local'), homeDir, heapMb: big ? 3072 : 1024, pageCacheMb: big ? 2048 : 512 });
  const neo4jPid = Number(readFileSync(path.join(homeDir, 'launcher.pid'), 'utf8'));
  // An import batch on a busy machine can outlast the 30 s default (a scale-M run was cancelled so).
  const db = new Db({ uri: local.uri, username: 'neo4j', password: 'neo4j', transactionTimeoutMs: 600_000 });
  const started: ServerProcess[] = [];
  log(`Neo4j up (${local.uri})`);
  try {
    await migrate(db);
    const file = generateImport({ scale: options.scale, seed: options.seed });
    const importStarted = Date.now();
    if (options.keep) await dropBenchmarkWrites(db);
    const [{ held }] = await db.read<{ held: number }>({ cypher: 'MATCH (r:IntelReport) RETURN count(r) AS held' });
    const records = held === file.reports?.length ? 'kept' : (await importFile(db, file)).records;
    const dataset = `generated scale ${options.scale}, seed ${options.seed}: ${records} records ` +
      `(${file.reports?.length} reports, ${file.subjects?.length} subjects, ${file.operations?.length} operations, ${file.officers?.length} officers)`;
    log(`${dataset}; imported in ${((Date.now() - importStarted) / 1000).toFixed(1)} s`);

    const wanted = (name: string) => !options.only || options.only.includes(name);
    const subscribers = options.subscribers ?? 1000;
    const fanout: FanoutPlan | null = wanted(fanoutScenario.name) ? planFanout(file, subscribers) : null;
    if (fanout?.activate) {
      // The generated small datasets hold no ACTIVE operation, and updates are posted only on those.
      await db.write({ cypher: "MATCH (o:Operation {id: $id}) SET o.status = 'ACTIVE'", params: { id: fanout.operationId } });
    }
    if (fanout) {
      log(`fanout: ${subscribers} subscribers on ${fanout.operationId}${fanout.activate ? ' (made ACTIVE)' : ''} over ${new Set(fanout.subscribers).size} officers, ` +
        `updates posted by ${fanout.poster} at ${fanout.levels.join('/')}`);
    }

    const officerId = pickOfficer(file);
    const ctx = (await loadOfficerContext(db, officerId)) as OfficerContext;
    log(`reader: ${officerId} (${ctx.country}, clearance rank ${ctx.clearanceRank}, roles ${ctx.roles.join('/')})`);

    // The per-principal allowance (6,000 requests and 3,000 by-id reads a minute by default) would
    // answer the load generator's one principal 429 within seconds (an `_entities` request of
    // 1,000 representations is 1,000 by-id reads): the suite measures the work, so it is off.
    // The fan-out's subscribers are a few dozen officers with many sockets each, more than the ten a
    // principal may hold by default.
    const env = {
      NEO4J_URI: local.uri, NEO4J_USERNAME: 'neo4j', NEO4J_PASSWORD: 'neo4j', RATE_LIMIT_PER_MINUTE: '0', BY_ID_READS_PER_MINUTE: '0',
      WS_SOCKETS_PER_PRINCIPAL: String(Math.max(10, subscribers)),
    };
    const config = loadConfig({ ...process.env, ...env });
    const bearer = `Bearer ${await signToken(config, officerId)}`;
    const fanoutTokens = new Map<string, string>();
    for (const id of fanout ? new Set([...fanout.subscribers, fanout.poster]) : []) fanoutTokens.set(id, `Bearer ${await signToken(config, id)}`);
    const secret = randomBytes(32).toString('hex');
    const peerBearer = `Bearer ${await peerToken(ctx, secret)}`;
    const hubEnv = (name: string) => ({ ...env, AUDIT_JOURNAL_DIR: path.join(journals, name) });
    const servers = new Map<ServerName, ServerProcess>();
    const launch = async (server: Promise<ServerProcess>) => {
      const at = Date.now();
      const s = await server;
      log(`${s.name} server up in ${((Date.now() - at) / 1000).toFixed(1)} s`);
      started.push(s);
      servers.set(s.name, s);
    };
    // One at a time: six cold starts at once would starve each other on two cores.
    await launch(startServer('hub', 'server-hub.ts', [], hubEnv('hub'), bearer));
    // Only for the wanted scenarios that list it (scenarios.ts, EXECUTOR); their inputs do not matter here.
    const listing = scenarios({ reportId: '', entityIds: [], subjectId: '', searchText: '' });
    if (listing.some((s) => wanted(s.name) && s.servers.includes('hubGraphqlJs'))) {
      await launch(startServer('hubGraphqlJs', 'server-hub.ts', [], { ...hubEnv('graphql-js'), GRAPHQL_EXECUTOR: 'graphql-js' }, bearer));
    }
    await launch(startServer('hubApolloDefaults', 'server-hub.ts', ['--apollo', 'defaults'], hubEnv('apollo-defaults'), bearer));
    await launch(startServer('plain', 'server-hub.ts', ['--schema', 'plain'], hubEnv('plain'), bearer));
    await launch(startServer('hubNoAudit', 'server-hub.ts', [], { ...env, AUDIT: 'off', AUDIT_JOURNAL_DIR: 'off' }, bearer));
    await launch(startServer('peer', 'server-peer.ts', ['--uri', local.uri, '--secret', secret], env, peerBearer));
    await launch(startServer('cypher', 'server-cypher.ts', [], env, bearer));

    // Inputs: a report the reader sees (from the feed) and 1,000 ids spread over the graph.
    const feedRows = ((await post(servers.get('cypher')!, { path: '/feed', body: '{"first":50}' })) as { data: { id: string }[] }).data;
    const reports = file.reports ?? [];
    const representations = Math.min(options.entities ?? 1000, reports.length);
    const step = Math.max(1, Math.floor(reports.length / representations));
    const entityIds = Array.from({ length: representations }, (_, i) => reports[(i * step) % reports.length].id);
    // A subject the reader sees with a few dozen links (a typical network, not a hub), and the
    // name of a person the reader sees, its first two letters swapped.
    const [subject] = await db.read<{ id: string; degree: number }>({
      cypher: `MATCH (s:Subject) WHERE ${subjectPredicate(ctx, 's')}
WITH s, COUNT { (s)-[:LINK]-() } AS degree WHERE 5 <= degree <= 40
RETURN s.id AS id, degree ORDER BY s.id LIMIT 1`,
      params: { policy: policyParams(ctx) },
    });
    const [{ name }] = await db.read<{ name: string }>({
      cypher: `MATCH (s:Person) WHERE s.name CONTAINS ' ' AND size(s.name) > 8 AND NOT ${personIdentityHiddenPredicate(ctx, 's')} AND ${subjectPredicate(ctx, 's')}
RETURN s.name AS name ORDER BY s.id LIMIT 1`,
      params: { policy: policyParams(ctx) },
    });
    const searchText = name.replace(/^(\w)(\w)/, '$2$1');
    log(`network subject ${subject.id} (${subject.degree} links); search text "${searchText}"`);
    const notSkipped = <T extends { name: string; servers: ServerName[] }>(s: T): T =>
      ({ ...s, servers: s.servers.filter((name) => !options.skip?.includes(`${s.name}/${name}`)) });
    const list = scenarios({ reportId: feedRows[Math.min(10, feedRows.length - 1)].id, entityIds, subjectId: subject.id, searchText })
      .filter((s) => wanted(s.name))
      .map(notSkipped);
    const fanoutEntry = fanout ? notSkipped(fanoutScenario) : null;

    const equalAnswers: Record<string, ServerName[]> = {};
    for (const scenario of list) {
      equalAnswers[scenario.name] = await checkEqualAnswers(scenario, servers);
      log(`equal answers: ${scenario.name} (${equalAnswers[scenario.name].join(', ')})`);
    }
    let expectation: FanoutExpectation | null = null;
    if (fanout && fanoutEntry?.servers.length) {
      expectation = await checkFanout(fanoutEntry.servers.map((name) => servers.get(name)!), servers.get('hub')!, fanout, fanoutTokens);
      equalAnswers[fanoutEntry.name] = fanoutEntry.servers;
      log(`equal answers: fanout (${fanoutEntry.servers.join(', ')}; every subscriber receives what its officer reads over HTTP: ${expectation.summary})`);
    }

    const measurements: Measurement[] = [];
    const secondsFor = (scenario: Scenario) => (scenario.name === 'nested-50' ? options.seconds * 2 : options.seconds);
    // Writes last: the mixed load adds reports, which would change the other scenarios' answers
    // (the fan-out's updates change none).
    const ordered: Pick<Scenario, 'name' | 'servers'>[] = [
      ...list.filter((s) => s.name !== 'mixed'),
      ...(fanoutEntry ? [fanoutEntry] : []),
      ...list.filter((s) => s.name === 'mixed'),
    ];
    // Warm-up (round -1): a few requests per connection, which also gives each server's rate, so
    // that each measurement asks for about `seconds` of work (whole requests per connection); for
    // the fan-out, a few updates.
    const amounts = new Map<string, number>();
    const measureOne = async (entry: Pick<Scenario, 'name' | 'servers'>, name: ServerName, round: number): Promise<Measurement> => {
      const server = servers.get(name)!;
      if (entry === fanoutEntry) {
        return measureFanout(server, neo4jPid, fanout!, fanoutTokens, expectation!, round < 0 ? options.warmupRequests : options.fanoutEvents ?? 20, round);
      }
      const scenario = entry as Scenario;
      const key = `${scenario.name}/${name}`;
      if (round >= 0) return measure(scenario, server, neo4jPid, amounts.get(key)!, options.connections, round);
      const warm = await measure(scenario, server, neo4jPid, options.connections * options.warmupRequests, options.connections, -1);
      amounts.set(key, Math.max(2, Math.ceil((warm.reqPerSec * secondsFor(scenario)) / options.connections)) * options.connections);
      return warm;
    };
    for (const entry of ordered) {
      for (const name of entry.servers) {
        const warm = await measureOne(entry, name, -1);
        log(`warm-up ${entry.name} ${name}: ${warm.reqPerSec.toFixed(2)} req/s, errors ${warm.errors}`);
      }
    }
    for (let round = 0; round < options.rounds; round++) {
      for (const entry of ordered) {
        // Rotating order: each server goes first in some round, so drift and caches favour none.
        const order = entry.servers.map((_, i) => entry.servers[(i + round) % entry.servers.length]);
        for (const name of order) {
          const m = await measureOne(entry, name, round);
          measurements.push(m);
          const received = m.deliveries === undefined ? '' : `, ${m.deliveries} of ${m.expectedDeliveries} deliveries (p50 ${m.deliveryP50?.toFixed(0)} ms, p99 ${m.deliveryP99?.toFixed(0)} ms)`;
          log(`round ${round + 1} ${entry.name} ${name}: ${m.reqPerSec.toFixed(2)} req/s, p50 ${m.p50.toFixed(0)} ms, p99 ${m.p99.toFixed(0)} ms, errors ${m.errors}${received}, ` +
            `${m.statementsPerRequest.toFixed(2)} Cypher/req, Node ${m.nodeCpuMsPerRequest.toFixed(2)} ms/req, Neo4j ${m.neo4jCpuMsPerRequest.toFixed(2)} ms/req`);
        }
      }
    }
    const machine = `${os.cpus().length} cores (${os.cpus()[0]?.model ?? '?'}), ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}, ` +
      `load average ${os.loadavg().map((l) => l.toFixed(1)).join(' ')} at the end`;
    return { dataset, officer: `${officerId} (${ctx.country})`, machine, equalAnswers, measurements, table: formatTable(measurements, ordered) };
  } finally {
    for (const server of started) await server.stop();
    await db.close();
    await local.stop();
    if (!options.keep) rmSync(homeDir, { recursive: true, force: true });
    rmSync(journals, { recursive: true, force: true });
  }
}
