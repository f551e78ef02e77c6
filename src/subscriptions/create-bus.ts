import type { Logger } from 'pino';
import type { Config } from '../config';
import { InProcessBus, type EventBus } from './bus';
import { RedisBus } from './redis-bus';

/** REDIS_URL set: events travel between hubs through Redis; unset: in this process only. */
export async function createBus(config: Config, log: Logger): Promise<EventBus> {
  if (!config.redisUrl) return new InProcessBus();
  const bus = new RedisBus(config.redisUrl, log);
  const health = await bus.connected(5000);
  if (!health.ready) log.error({ reason: health.reason }, 'Redis is not reachable yet; the hub starts and keeps trying');
  return bus;
}
