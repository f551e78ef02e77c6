import { execFileSync, fork, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { ServerStats } from './child';
import type { Request, ServerName } from './scenarios';

/** A benchmark server in its own process (bench/suite/server-*.ts), so its CPU is its own. */
export interface ServerProcess {
  name: ServerName;
  /** Base URL: requests go to `${base}${request.path}`. */
  base: string;
  authorization: string;
  stats(): Promise<ServerStats>;
  stop(): Promise<void>;
}

export function startServer(
  name: ServerName,
  entry: string,
  args: string[],
  env: Record<string, string>,
  authorization: string,
): Promise<ServerProcess> {
  const child: ChildProcess = fork(path.join(__dirname, entry), args, {
    execArgv: ['-r', '@swc-node/register'],
    env: { ...process.env, PORT: '0', LOG_LEVEL: process.env.BENCH_SERVER_LOG_LEVEL ?? 'silent', ...env },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const ask = <T>(cmd: string, key: string) =>
    new Promise<T>((resolve, reject) => {
      const onExit = (code: number | null) => reject(new Error(`${name} exited with ${code}`));
      const listener = (message: Record<string, unknown>) => {
        if (!(key in message)) return;
        child.off('message', listener);
        child.off('exit', onExit);
        resolve(message[key] as T);
      };
      child.on('message', listener);
      child.once('exit', onExit);
      child.send({ cmd });
    });
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`${name} exited with ${code} before it was ready`)));
    child.once('message', (message: { url?: string }) => {
      if (!message.url) return reject(new Error(`${name}: unexpected first message ${JSON.stringify(message)}`));
      const url = new URL(message.url);
      resolve({
        name,
        base: `${url.protocol}//${url.host}`,
        authorization,
        stats: () => ask<ServerStats>('stats', 'stats'),
        async stop() {
          if (child.exitCode !== null) return;
          const exited = new Promise((done) => child.once('exit', done));
          await ask('stop', 'stopped').catch(() => undefined);
          await Promise.race([exited, new Promise((done) => setTimeout(done, 10_000))]);
          if (child.exitCode === null) child.kill('SIGKILL');
        },
      });
    });
  });
}

/** One JSON request, as the server's reader unless another authorization is given. */
export async function post(server: ServerProcess, request: Request, authorization = server.authorization): Promise<unknown> {
  const response = await fetch(`${server.base}${request.path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization },
    body: request.body,
  });
  if (!response.ok) throw new Error(`${server.name} answered HTTP ${response.status}: ${(await response.text()).slice(0, 300)}`);
  return response.json();
}

const CLOCK_TICKS = Number(execFileSync('getconf', ['CLK_TCK']).toString().trim()) || 100;

/** A process's CPU time (user + system) in microseconds, from /proc. */
export function processCpuMicros(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1e6) / CLOCK_TICKS;
}
