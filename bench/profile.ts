/**
 * A CPU profile of the hub answering one of the suite's scenarios under load: where the Node
 * thread spends its time, by function and by package. Uses the suite's kept store
 * (.local/neo4j/bench-suite-<scale>, made by `npm run bench -- --keep`); it does not import.
 *
 *   node -r @swc-node/register bench/profile.ts --scenario feed [--scale M] [--seconds 10]
 *     [--connections 16] [--warmup 5] [--top 40] [--audit on|off] [--out bench/out/feed.cpuprofile]
 *     [--statements]
 *
 * With --statements it profiles nothing: it counts, per request, the Cypher statements the hub
 * sends and the bytes of their parameters (as JSON), statement by statement.
 * The hub runs in this process, configured as the suite configures it; autocannon runs in a child
 * so its own work is not in the profile. Prints req/s, Node CPU per request, then self time.
 */
import 'reflect-metadata';
import { fork } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { signToken } from '../src/auth/tokens';
import { loadConfig } from '../src/config';
import { startLocalNeo4j } from '../src/graph/local-neo4j';
import { startHub } from '../src/server';
import { Db } from '../src/graph/db';
import { Session as DriverSession, Transaction as DriverTransaction } from 'neo4j-driver';
import { scenarios } from './suite/scenarios';
import { dropBenchmarkWrites } from './suite/suite';

const argument = (name: string, fallback: string) => {
  const at = process.argv.indexOf(`--${name}`);
  return at > 0 ? process.argv[at + 1] : fallback;
};
const ROOT = path.resolve(__dirname, '..');

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
  children?: number[];
}
interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

function load(url: string, body: string, bearer: string, seconds: number, connections: number): Promise<{ requests: number; errors: number; non2xx: number }> {
  return new Promise((resolve, reject) => {
    const child = fork(path.join(__dirname, 'profile-load.ts'), [], { execArgv: ['-r', '@swc-node/register'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    child.once('message', (result) => resolve(result as { requests: number; errors: number; non2xx: number }));
    child.once('error', reject);
    child.send({ url, body, bearer, seconds, connections });
  });
}

function packageOf(url: string): string {
  const at = url.lastIndexOf('node_modules/');
  if (at >= 0) {
    const rest = url.slice(at + 'node_modules/'.length).split('/');
    return rest[0].startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0];
  }
  if (url.includes('/src/')) return `hub ${url.slice(url.indexOf('/src/') + 1).split('/').slice(0, 2).join('/')}`;
  if (url.startsWith('node:') || !url) return url || '(native, gc, idle)';
  return url;
}

/** Statements sent while `work` runs, per request: how many and how many bytes of parameters. */
async function countStatements(work: () => Promise<{ requests: number }>): Promise<void> {
  const sent = new Map<string, { runs: number; bytes: number }>();
  const count = (query: unknown, params: unknown) => {
    const text = typeof query === 'string' ? query : String((query as { text?: string }).text);
    const key = text.replace(/\s+/g, ' ').slice(0, 110);
    const entry = sent.get(key) ?? { runs: 0, bytes: 0 };
    entry.runs += 1;
    entry.bytes += JSON.stringify(params ?? {}, (_k, v: unknown) => (typeof v === 'bigint' ? Number(v) : v)).length;
    sent.set(key, entry);
  };
  const patched: [{ prototype: { run: (...args: unknown[]) => unknown } }, (...args: unknown[]) => unknown][] = [];
  for (const type of [DriverSession, DriverTransaction] as unknown as { prototype: { run: (...args: unknown[]) => unknown } }[]) {
    const run = type.prototype.run;
    patched.push([type, run]);
    type.prototype.run = function (this: unknown, ...args: unknown[]) {
      count(args[0], args[1]);
      return run.apply(this, args);
    };
  }
  try {
    const { requests } = await work();
    console.log(`\n${requests} requests; per request: statements, parameter bytes (JSON), statement`);
    for (const [key, { runs, bytes }] of [...sent].sort((a, b) => b[1].bytes - a[1].bytes)) {
      console.log(`${(runs / requests).toFixed(2).padStart(7)} ${Math.round(bytes / requests).toString().padStart(9)}  ${key}`);
    }
  } finally {
    for (const [type, run] of patched) type.prototype.run = run;
  }
}

async function main(): Promise<void> {
  const scale = argument('scale', 'M');
  const name = argument('scenario', 'feed');
  const seconds = Number(argument('seconds', '10'));
  const warmup = Number(argument('warmup', '5'));
  const connections = Number(argument('connections', '16'));
  const top = Number(argument('top', '40'));
  const homeDir = path.join(ROOT, '.local', 'neo4j', `bench-suite-${scale}`);
  if (!existsSync(homeDir)) throw new Error(`no kept store at ${homeDir}: run \`npm run bench -- --keep --scale ${scale}\` first`);
  const big = scale !== 'S';
  const local = await startLocalNeo4j({ localDir: path.join(ROOT, '.local'), homeDir, heapMb: big ? 3072 : 1024, pageCacheMb: big ? 2048 : 512 });
  const db = new Db({ uri: local.uri, username: 'neo4j', password: 'neo4j', transactionTimeoutMs: 600_000 });
  console.log(`dropped ${await dropBenchmarkWrites(db)} reports written by an earlier mixed scenario`);
  const journals = mkdtempSync(path.join(os.tmpdir(), 'ison-profile-'));
  const audit = argument('audit', 'on') === 'on';
  const env = {
    ...process.env, NEO4J_URI: local.uri, NEO4J_USERNAME: 'neo4j', NEO4J_PASSWORD: 'neo4j', RATE_LIMIT_PER_MINUTE: '0', BY_ID_READS_PER_MINUTE: '0',
    PORT: '0', AUDIT_JOURNAL_DIR: audit ? journals : 'off', ...(audit ? {} : { AUDIT: 'off' }),
  };
  const config = loadConfig(env);
  const hub = await startHub({ config, db, log: pino({ level: process.env.LOG_LEVEL ?? 'warn' }) });
  try {
    const bearer = `Bearer ${await signToken(config, argument('reader', 'o-22'))}`;
    const ask = async (body: string) => {
      const response = await fetch(hub.url, { method: 'POST', headers: { 'content-type': 'application/json', authorization: bearer }, body });
      return (await response.json()) as { data?: Record<string, unknown>; errors?: unknown[] };
    };
    const feed = await ask(JSON.stringify({ query: '{ intelReports(first: 50) { edges { node { id } } } }' }));
    const ids = ((feed.data?.intelReports as { edges: { node: { id: string } }[] }).edges).map((e) => e.node.id);
    const scenario = scenarios({ reportId: ids[Math.min(10, ids.length - 1)], entityIds: ids, subjectId: argument('subject', 's-10000'), searchText: argument('text', 'nAa Haddad') }).find((s) => s.name === name);
    if (!scenario) throw new Error(`no scenario ${name}`);
    const { body } = scenario.request('hub');
    const first = await ask(body);
    if (first.errors?.length) throw new Error(`the hub answered errors: ${JSON.stringify(first.errors).slice(0, 300)}`);
    console.log(`scenario ${name}, answer ${JSON.stringify(first).length} bytes`);
    await load(hub.url, body, bearer, warmup, connections);
    if (process.argv.includes('--statements')) {
      await countStatements(() => load(hub.url, body, bearer, seconds, connections));
      return;
    }

    const session = new Session();
    session.connect();
    await session.post('Profiler.enable');
    await session.post('Profiler.setSamplingInterval', { interval: 200 });
    const cpu = process.cpuUsage();
    await session.post('Profiler.start');
    const result = await load(hub.url, body, bearer, seconds, connections);
    const { profile } = (await session.post('Profiler.stop')) as { profile: CpuProfile };
    const used = process.cpuUsage(cpu);
    session.disconnect();
    console.log(`${result.requests} requests in ${seconds} s (${(result.requests / seconds).toFixed(1)} req/s), ${result.errors} errors, ${result.non2xx} non-2xx; ` +
      `Node CPU ${((used.user + used.system) / 1000 / result.requests).toFixed(2)} ms/request (profiler on)`);

    const out = argument('out', path.join(ROOT, 'bench', 'out', `${name}.cpuprofile`));
    mkdirSync(path.dirname(out), { recursive: true });
    writeFileSync(out, JSON.stringify(profile));

    const selfMicros = new Map<number, number>();
    profile.samples.forEach((id, i) => selfMicros.set(id, (selfMicros.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
    const byFunction = new Map<string, number>();
    const byPackage = new Map<string, number>();
    let busy = 0;
    for (const node of profile.nodes) {
      const micros = selfMicros.get(node.id) ?? 0;
      if (!micros || node.callFrame.functionName === '(idle)') continue;
      busy += micros;
      const { functionName, url, lineNumber } = node.callFrame;
      const key = `${functionName || '(anonymous)'} ${url.replace(/^.*node_modules\//, '').replace(ROOT + '/', '')}:${lineNumber + 1}`;
      byFunction.set(key, (byFunction.get(key) ?? 0) + micros);
      const pkg = packageOf(url) || functionName;
      byPackage.set(pkg, (byPackage.get(pkg) ?? 0) + micros);
    }
    const print = (title: string, map: Map<string, number>, n: number) => {
      console.log(`\n${title} (share of busy samples; ms per request)`);
      for (const [key, micros] of [...map].sort((a, b) => b[1] - a[1]).slice(0, n)) {
        console.log(`${((micros / busy) * 100).toFixed(1).padStart(5)}%  ${(micros / 1000 / result.requests).toFixed(2).padStart(6)}  ${key}`);
      }
    };
    // Inclusive time (the function and what it called), each sample counted once per function name.
    const parent = new Map<number, number>();
    for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
    const nodeById = new Map(profile.nodes.map((n) => [n.id, n]));
    const inclusive = new Map<string, number>();
    profile.samples.forEach((id, i) => {
      if (nodeById.get(id)?.callFrame.functionName === '(idle)') return;
      const names = new Set<string>();
      for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
        const { functionName, url } = nodeById.get(at)!.callFrame;
        if (functionName) names.add(`${functionName} ${packageOf(url)}`);
      }
      for (const name of names) inclusive.set(name, (inclusive.get(name) ?? 0) + (profile.timeDeltas[i] ?? 0));
    });
    print('by package', byPackage, 25);
    print('inclusive, by function', inclusive, top);
    print('by function', byFunction, top);
    console.log(`\nprofile written to ${path.relative(ROOT, out)}`);
  } finally {
    await hub.stop();
    await db.close();
    await local.stop();
    rmSync(journals, { recursive: true, force: true });
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
