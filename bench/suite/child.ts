import neo4j from 'neo4j-driver';

/**
 * The side of a benchmark server that runs in its own process: every server (the hub, the
 * plain-schema hub, the hand-written handler, @neo4j/graphql) is started by `serve`, which
 * counts the Cypher statements its process sends (whatever library sends them, so the count
 * means the same for all) and answers the suite's `stats` and `stop` over IPC.
 */
let statements = 0;

// Every statement goes through Transaction.run (managed transactions bind it per transaction)
// or Session.run (auto-commit): counting there counts what each server sends to Neo4j.
for (const proto of [neo4j.Transaction.prototype, neo4j.Session.prototype] as unknown as { run: (...args: unknown[]) => unknown }[]) {
  const run = proto.run;
  proto.run = function (this: unknown, ...args: unknown[]) {
    statements += 1;
    return run.apply(this, args);
  };
}

export interface ServerStats {
  /** Process CPU time, user + system, in microseconds since the process started. */
  cpuMicros: number;
  statements: number;
  /** Live subscriptions registered (0 for servers without subscriptions): the suite waits for its subscribers. */
  watching: number;
}

export interface Served {
  url: string;
  watching?: () => number;
  stop(): Promise<void>;
}

export function argument(name: string, fallback = ''): string {
  const at = process.argv.indexOf(`--${name}`);
  return at > 0 ? process.argv[at + 1] : fallback;
}

export function serve(start: () => Promise<Served>): void {
  start()
    .then((served) => {
      process.on('message', async (message: { cmd: string }) => {
        if (message.cmd === 'stats') {
          const cpu = process.cpuUsage();
          const stats: ServerStats = { cpuMicros: cpu.user + cpu.system, statements, watching: served.watching?.() ?? 0 };
          process.send?.({ stats });
        } else if (message.cmd === 'stop') {
          await served.stop();
          process.send?.({ stopped: true }, () => process.exit(0));
        }
      });
      // The suite ends us by closing the channel if it dies first.
      process.on('disconnect', () => process.exit(0));
      process.send?.({ url: served.url });
    })
    .catch((error: unknown) => {
      console.error(error);
      process.exit(1);
    });
}
