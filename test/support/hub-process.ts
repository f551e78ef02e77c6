import 'reflect-metadata';
import pino from 'pino';
import { loadConfig } from '../../src/config';
import { startHub } from '../../src/server';

/**
 * A hub in its own process, for the multi-hub test and the subscription benchmark: started
 * with `fork(…, { execArgv: ['-r', '@swc-node/register', '--expose-gc'] })`, configured by
 * its environment like `npm start`, it reports its URL over IPC and answers `memory`
 * (after a full GC when exposed), `live`, `published` (when updates were published) and `stop`.
 */
type Command = { cmd: 'memory' } | { cmd: 'stop' } | { cmd: 'live' } | { cmd: 'published'; ids: string[] };

async function main(): Promise<void> {
  const config = loadConfig();
  const hub = await startHub({ config, log: pino({ level: config.logLevel }) });
  const reply = (message: unknown) => process.send?.(message);
  // When each update was published on this hub's bus (epoch ms, sub-millisecond): the start of
  // publish-to-receive for the subscription benchmark.
  const publishedAt = new Map<string, number>();
  hub.services.events.subscribe((event) => {
    if (event.type === 'update.posted') publishedAt.set(event.updateId, performance.timeOrigin + performance.now());
  });
  process.on('message', async (command: Command) => {
    if (command.cmd === 'memory') {
      const collect = (globalThis as { gc?: () => void }).gc;
      for (let i = 0; i < 3; i += 1) collect?.();
      reply({ memory: process.memoryUsage() });
    } else if (command.cmd === 'live') {
      reply({ live: { principals: hub.live.principals.size, watching: hub.live.dispatcher.watching() } });
    } else if (command.cmd === 'published') {
      reply({ published: command.ids.map((id) => publishedAt.get(id) ?? null) });
    } else if (command.cmd === 'stop') {
      await hub.stop();
      reply({ stopped: true });
      process.exit(0);
    }
  });
  reply({ url: hub.url });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
