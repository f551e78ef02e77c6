import { spawn, execFile, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, unlinkSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { promisify } from 'node:util';
import { processAlive } from '../pid';
import { recommendLocalMemory } from './neo4j-memory';

const execFileAsync = promisify(execFile);

/**
 * A Neo4j 5 Community server run by the project itself, for `npm start` and the tests when
 * NEO4J_URI is unset. Neo4j comes from Maven Central (tools/neo4j/pom.xml, cached in ~/.m2);
 * tools/neo4j/Neo4jLauncher.java starts it with the Bolt connector on loopback.
 */
export interface LocalNeo4j {
  uri: string;
  stop(): Promise<void>;
}

const TOOLS_DIR = path.resolve(__dirname, '..', '..', 'tools', 'neo4j');

/** The JVM options Neo4j's own launch scripts pass on Java 17. */
const JVM_OPTIONS = [
  '-XX:+UseG1GC',
  '-XX:-OmitStackTraceInFastThrow',
  '-XX:+UnlockExperimentalVMOptions',
  '-XX:+TrustFinalNonStaticFields',
  '-XX:+DisableExplicitGC',
  '-Djdk.nio.maxCachedBufferSize=1024',
  '-Dio.netty.tryReflectionSetAccessible=true',
  '-Dlog4j2.disable.jmx=true',
  '--add-opens=java.base/java.nio=ALL-UNNAMED',
  '--add-opens=java.base/java.io=ALL-UNNAMED',
  '--add-opens=java.base/java.lang=ALL-UNNAMED',
  '--add-opens=java.base/sun.nio.ch=ALL-UNNAMED',
  '--enable-native-access=ALL-UNNAMED',
];

/** Resolves Neo4j's class path once per version of the pom; Maven caches the jars. */
export async function resolveClassPath(localDir: string): Promise<string> {
  const pom = readFileSync(path.join(TOOLS_DIR, 'pom.xml'));
  const digest = createHash('sha256').update(pom).digest('hex').slice(0, 16);
  const dir = path.join(localDir, 'neo4j');
  mkdirSync(dir, { recursive: true });
  const cached = path.join(dir, `classpath-${digest}.txt`);
  if (existsSync(cached)) {
    const classPath = readFileSync(cached, 'utf8').trim();
    if (classPath.split(path.delimiter).every((jar) => existsSync(jar))) return classPath;
  }
  try {
    await execFileAsync(
      'mvn',
      ['-B', '-q', '-f', path.join(TOOLS_DIR, 'pom.xml'), 'dependency:build-classpath', `-Dmdep.outputFile=${cached}`],
      { maxBuffer: 16 * 1024 * 1024 },
    );
  } catch (error) {
    const detail = error as { stdout?: string; stderr?: string };
    throw new Error(
      `could not fetch Neo4j from Maven Central (is Maven installed?):\n${detail.stdout ?? ''}${detail.stderr ?? ''}`,
      { cause: error },
    );
  }
  return readFileSync(cached, 'utf8').trim();
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

export interface LocalNeo4jOptions {
  localDir: string;
  /** Folder for the database files; defaults to <localDir>/neo4j/data. */
  homeDir?: string;
  port?: number;
  /** Unset: sized for the machine and the store (src/graph/neo4j-memory.ts). */
  heapMb?: number;
  pageCacheMb?: number;
  /** Bytes the store is about to grow by (an import's file), for the page cache. */
  growthBytes?: number;
  log?: (line: string) => void;
}

export async function startLocalNeo4j(options: LocalNeo4jOptions): Promise<LocalNeo4j> {
  const classPath = await resolveClassPath(options.localDir);
  const homeDir = options.homeDir ?? path.join(options.localDir, 'neo4j', 'home');
  mkdirSync(homeDir, { recursive: true });
  const port = options.port ?? (await freePort());
  const sized = options.heapMb && options.pageCacheMb ? undefined : recommendLocalMemory(homeDir, options.growthBytes);
  const args = [
    ...JVM_OPTIONS,
    `-Xmx${options.heapMb ?? sized!.heapMb}m`,
    '-cp',
    classPath,
    path.join(TOOLS_DIR, 'Neo4jLauncher.java'),
    homeDir,
    String(port),
    String(options.pageCacheMb ?? sized!.pageCacheMb),
  ];
  // stdin stays a pipe: the launcher shuts Neo4j down when it closes, i.e. when this process dies.
  // A process group of its own: Ctrl-C in a terminal signals the whole foreground group, and the
  // database must outlive the hub's graceful stop (which still writes the audit trail); the hub
  // stops it afterwards.
  const child = spawn('java', args, { stdio: ['pipe', 'pipe', 'pipe'], detached: true });
  writeFileSync(path.join(homeDir, 'launcher.pid'), String(child.pid ?? ''));
  // Belt and braces: the launcher also stops when its stdin closes, but never outlive us.
  const killOnExit = () => child.kill('SIGTERM');
  process.once('exit', killOnExit);
  const uri = await waitForReady(child, options.log);
  let stopping: Promise<void> | undefined;
  return {
    uri,
    stop() {
      stopping ??= new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => {
          process.off('exit', killOnExit);
          resolve();
        });
        child.stdin?.end();
        setTimeout(() => child.kill('SIGKILL'), 30_000).unref();
      });
      return stopping;
    },
  };
}

/** Neo4j's message when another process holds the database folder (a second `npm start`, or an import). */
const FOLDER_LOCKED = /Lock file has been locked by another process|FileLockException/;

export class LocalNeo4jBusyError extends Error {}

function waitForReady(child: ChildProcess, log?: (line: string) => void): Promise<string> {
  return new Promise((resolve, reject) => {
    let output = '';
    const onData = (chunk: Buffer) => {
      const text = chunk.toString();
      output = (output + text).slice(-20_000);
      const match = /NEO4J READY (\S+)/.exec(output);
      if (match) {
        child.stdout?.off('data', onData);
        child.stdout?.on('data', (more: Buffer) => log?.(more.toString()));
        resolve(match[1]);
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', (chunk: Buffer) => {
      output = (output + chunk.toString()).slice(-20_000);
      log?.(chunk.toString());
    });
    child.once('error', (error) => reject(new Error(`could not start java for Neo4j: ${error.message}`)));
    child.once('exit', (code) => {
      if (FOLDER_LOCKED.test(output)) {
        reject(new LocalNeo4jBusyError('the local Neo4j database folder is in use by another process (is a hub or an import running with another .local/ record?)'));
      } else {
        reject(new Error(`Neo4j exited with code ${code} before it was ready:\n${output}`));
      }
    });
  });
}

/**
 * What a command that runs the local Neo4j leaves in `<localDir>/neo4j/running.json` while it
 * runs, so that other commands use that server instead of starting a second one on the same
 * folder (which Neo4j refuses). `uri` is null while Neo4j is starting; `hubUrl` is set by
 * `npm start` once the hub listens.
 */
export interface RunningRecord {
  uri: string | null;
  pid: number;
  started: string;
  command: string;
  hubUrl?: string;
}

export function runningFile(localDir: string): string {
  return path.join(localDir, 'neo4j', 'running.json');
}

/** Writes (replaces) this process's record; the returned function removes it, if it is still this process's. */
export function recordRunning(localDir: string, record: RunningRecord): () => void {
  const file = runningFile(localDir);
  mkdirSync(path.dirname(file), { recursive: true });
  const temporary = `${file}.${process.pid}.tmp`;
  writeFileSync(temporary, `${JSON.stringify(record, null, 2)}\n`);
  renameSync(temporary, file);
  const remove = () => {
    if (readRecord(file)?.pid === record.pid) unlinkSync(file);
    process.off('exit', remove);
  };
  process.once('exit', remove);
  return remove;
}

function readRecord(file: string): RunningRecord | undefined {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as RunningRecord;
  } catch {
    return undefined;
  }
}

/**
 * The record of the process that runs the local Neo4j now, or undefined (a stale record — its
 * process gone, or its Neo4j not answering Bolt — is removed). With `waitMs`, a Neo4j still
 * starting is waited for until it answers.
 */
export async function findRunning(localDir: string, options: { waitMs?: number } = {}): Promise<RunningRecord | undefined> {
  const file = runningFile(localDir);
  const deadline = Date.now() + (options.waitMs ?? 0);
  for (;;) {
    const record = readRecord(file);
    if (!record) return undefined;
    if (!processAlive(record.pid)) {
      removeIfSame(file, record);
      return undefined;
    }
    if (record.uri !== null) {
      if (await boltAnswers(record.uri)) return record;
      // Its process lives but its Neo4j does not answer: stopping, or a pid reused after a crash.
      removeIfSame(file, record);
      return undefined;
    }
    if (Date.now() >= deadline) return record;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

function removeIfSame(file: string, record: RunningRecord): void {
  const now = readRecord(file);
  if (now?.pid === record.pid && now.started === record.started) unlinkSync(file);
}

/** Whether a Bolt server answers the handshake at `uri` (bolt://host:port) within `timeoutMs`. */
export function boltAnswers(uri: string, timeoutMs = 3000): Promise<boolean> {
  const { hostname, port } = new URL(uri);
  return new Promise((resolve) => {
    const socket = net.connect(Number(port || 7687), hostname);
    const done = (answer: boolean) => {
      socket.destroy();
      resolve(answer);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('error', () => done(false));
    // The Bolt magic preamble, then four proposed versions: 5.0–5.8, 4.4, none, none.
    socket.once('connect', () => socket.write(Buffer.from([0x60, 0x60, 0xb0, 0x17, 0, 8, 8, 5, 0, 0, 4, 4, 0, 0, 0, 0, 0, 0, 0, 0])));
    let reply = Buffer.alloc(0);
    socket.on('data', (chunk: Buffer) => {
      reply = Buffer.concat([reply, chunk]);
      if (reply.length >= 4) done(reply.readUInt32BE(0) !== 0);
    });
  });
}
