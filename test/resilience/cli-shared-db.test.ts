import { spawn, type ChildProcess } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { boltAnswers, runningFile, type RunningRecord } from '../../src/graph/local-neo4j';
import { uniquePrefix } from '../support/db';
import { freePort } from '../support/processes';
import { worldBuilder } from '../support/world';

/**
 * The command line shares the running local Neo4j (issue 11, point 2), with the real commands
 * in child processes on a `.local/` folder of their own (ISON_LOCAL_DIR), NEO4J_URI unset:
 * `npm start` records where its Neo4j listens, `import` and `migrate` use it, a second start
 * refuses clearly, and a command started when none runs brings its own. Countries XD, XE.
 */
const REPO = path.resolve(__dirname, '..', '..');
const START = ['--enable-source-maps', '-r', '@swc-node/register', 'src/main.ts', 'start', '--no-demo'];
const { id, members, officer } = worldBuilder(uniquePrefix('cli'));

interface Finished {
  code: number | null;
  stdout: string;
  stderr: string;
}

let localDir: string;
let env: NodeJS.ProcessEnv;
let port: number;
let hub: ChildProcess | undefined;
let hubOutput = '';

function run(command: string, args: string[], timeoutMs = 240_000): Promise<Finished> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: REPO, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${command} ${args.join(' ')} did not finish in ${timeoutMs} ms:\n${stdout}\n${stderr}`));
    }, timeoutMs);
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

const record = (): RunningRecord => JSON.parse(readFileSync(runningFile(localDir), 'utf8')) as RunningRecord;
const STACK_TRACE = /\bat (org\.neo4j|java\.|[\w$.]+\.java:)|Exception|Lock file/;

beforeAll(async () => {
  localDir = mkdtempSync(path.join(os.tmpdir(), 'ison-cli-'));
  // Neo4j's resolved class path (Maven's work) is reused; the database and keys are this test's own.
  const cached = path.join(REPO, '.local', 'neo4j');
  mkdirSync(path.join(localDir, 'neo4j'), { recursive: true });
  if (existsSync(cached)) {
    for (const file of readdirSync(cached).filter((name) => name.startsWith('classpath-'))) copyFileSync(path.join(cached, file), path.join(localDir, 'neo4j', file));
  }
  port = await freePort();
  env = { ...process.env, ISON_LOCAL_DIR: localDir, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'warn', NEO4J_URI: '' };
  delete env.AUDIT_JOURNAL_DIR;
});

afterAll(async () => {
  if (hub && hub.exitCode === null) {
    const exited = new Promise((done) => hub!.once('exit', done));
    hub.kill('SIGTERM');
    await exited;
  }
  rmSync(localDir, { recursive: true, force: true });
});

describe('the command line and the running local Neo4j', () => {
  it('npm start records where its local Neo4j listens in .local/neo4j/running.json', { timeout: 300_000 }, async () => {
    hub = spawn(process.execPath, START, { cwd: REPO, env, stdio: ['ignore', 'pipe', 'pipe'] });
    const collect = (chunk: Buffer) => (hubOutput += chunk.toString());
    hub.stdout!.on('data', collect);
    hub.stderr!.on('data', collect);
    await new Promise<void>((resolve, reject) => {
      const check = () => /ISON Hub is ready/.test(hubOutput) && resolve();
      hub!.stdout!.on('data', check);
      hub!.once('exit', (code) => reject(new Error(`npm start exited with ${code}:\n${hubOutput}`)));
    });
    const running = record();
    expect(running.pid).toBe(hub.pid);
    expect(running.command).toBe('start');
    expect(running.uri).toMatch(/^bolt:\/\/127\.0\.0\.1:\d+$/);
    expect(running.hubUrl).toBe(`http://127.0.0.1:${port}/graphql`);
    expect(Number.isNaN(Date.parse(running.started))).toBe(false);
    expect(await boltAnswers(running.uri!)).toBe(true);
  });

  it("npm run import writes into the running hub's Neo4j: that hub serves the imported officer at once", { timeout: 300_000 }, async () => {
    const file = path.join(localDir, 'world.json');
    writeFileSync(file, JSON.stringify({ ...members(['XD', 'XE']), officers: [officer('dOfficer', 'XD', ['OFFICER'])] }));
    const imported = await run('npm', ['run', '-s', 'import', '--', file]);
    expect(imported.code, imported.stderr).toBe(0);
    expect(imported.stderr).toContain(`Using the local Neo4j at ${record().uri} of the running \`start\` (pid ${hub!.pid})`);
    expect(imported.stderr).not.toMatch(/starting one/);

    const token = (await run('npm', ['run', '-s', 'token', '--', id('dOfficer')])).stdout.trim().split('\n').pop()!;
    const response = await fetch(record().hubUrl!, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query: '{ me { id country { code } } }' }),
    });
    expect(await response.json()).toEqual({ data: { me: { id: id('dOfficer'), country: { code: 'XD' } } } });
  });

  it("npm run migrate uses the running hub's Neo4j", { timeout: 300_000 }, async () => {
    const migrated = await run('npm', ['run', '-s', 'migrate']);
    expect(migrated.code, migrated.stderr).toBe(0);
    expect(migrated.stderr).toContain(`Using the local Neo4j at ${record().uri}`);
    expect(migrated.stdout).toMatch(/constraints and indexes in place/);
  });

  it('a second npm start says that a hub already runs and where, exits 1, and shows no Java stack trace', { timeout: 300_000 }, async () => {
    const second = await run(process.execPath, START);
    expect(second.code).toBe(1);
    expect(second.stderr).toContain(`ISON Hub is already running at http://127.0.0.1:${port}/graphql`);
    expect(second.stderr).toContain(`pid ${hub!.pid}`);
    expect(second.stderr + second.stdout).not.toMatch(STACK_TRACE);
    // The first one is untouched.
    expect((await fetch(`http://127.0.0.1:${port}/readyz`)).status).toBe(200);
  });

  it('stopping npm start (SIGTERM) removes its record', { timeout: 300_000 }, async () => {
    const exited = new Promise<number | null>((done) => hub!.once('exit', done));
    hub!.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(existsSync(runningFile(localDir))).toBe(false);
  });

  it('with only a stale record (its process gone), migrate starts a Neo4j of its own and removes its record after', { timeout: 300_000 }, async () => {
    const stale = spawn(process.execPath, ['-e', '']);
    await new Promise((done) => stale.once('exit', done));
    writeFileSync(runningFile(localDir), JSON.stringify({ uri: 'bolt://127.0.0.1:9', pid: stale.pid, started: new Date().toISOString(), command: 'start' }));

    const migrated = await run('npm', ['run', '-s', 'migrate']);
    expect(migrated.code, migrated.stderr).toBe(0);
    expect(migrated.stderr).toMatch(/no local Neo4j runs: starting one/);
    expect(migrated.stdout).toMatch(/constraints and indexes in place/);
    expect(migrated.stderr + migrated.stdout).not.toMatch(STACK_TRACE);
    expect(existsSync(runningFile(localDir))).toBe(false);
  });
});
