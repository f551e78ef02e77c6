import { fork, spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import { sleep } from './live';

/** A hub in a child process (test/support/hub-process.ts) and a throwaway redis-server. */
export interface HubProcess {
  url: string;
  child: ChildProcess;
  ask<T>(cmd: 'memory' | 'live' | 'published', ids?: string[]): Promise<T>;
  stop(): Promise<void>;
}

export function startHubProcess(env: Record<string, string>): Promise<HubProcess> {
  const child = fork(path.resolve(__dirname, 'hub-process.ts'), [], {
    execArgv: ['-r', '@swc-node/register', '--expose-gc'],
    env: { ...process.env, PORT: '0', LOG_LEVEL: 'silent', ...env },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const ask = <T>(cmd: 'memory' | 'live' | 'published', ids?: string[]) =>
    new Promise<T>((resolve) => {
      const key = cmd;
      const listener = (message: Record<string, unknown>) => {
        if (key in message) {
          child.off('message', listener);
          resolve(message[key] as T);
        }
      };
      child.on('message', listener);
      child.send({ cmd, ids });
    });
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`hub process exited with ${code}`)));
    child.once('message', (message: { url?: string }) => {
      if (!message.url) return reject(new Error(`unexpected first message ${JSON.stringify(message)}`));
      resolve({
        url: message.url,
        child,
        ask,
        async stop() {
          if (child.exitCode !== null) return;
          const exited = new Promise((done) => child.once('exit', done));
          child.send({ cmd: 'stop' });
          await Promise.race([exited, sleep(10_000)]);
          if (child.exitCode === null) child.kill('SIGKILL');
        },
      });
    });
  });
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

export interface RedisServer {
  url: string;
  stop(): Promise<void>;
  start(): Promise<void>;
}

/** redis-server on `port`, no persistence; stop and start again on the same port. */
export async function redisServer(port: number): Promise<RedisServer> {
  let child: ChildProcess | null = null;
  const start = async () => {
    child = spawn(process.env.REDIS_SERVER ?? 'redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
    for (let i = 0; i < 100; i += 1) {
      if (await accepts(port)) return;
      await sleep(50);
    }
    throw new Error('redis-server did not start');
  };
  const stop = async () => {
    const running = child;
    child = null;
    if (!running || running.exitCode !== null) return;
    const exited = new Promise((done) => running.once('exit', done));
    running.kill('SIGTERM');
    await exited;
  };
  await start();
  return { url: `redis://127.0.0.1:${port}`, start, stop };
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}
