import Redis from 'ioredis';
import type { Logger } from 'pino';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';

/**
 * Per-key limits of `perMinute` calls per minute (rate-limiter-flexible). With REDIS_URL the
 * counters live in Redis, so an officer has one allowance across every hub behind the balancer;
 * while Redis is unreachable each hub falls back to counting on its own (the insurance limiter),
 * so the limit degrades to per-hub, never to none. Without Redis: in-process.
 */
export class RateLimiter {
  private constructor(
    private readonly limiter: RateLimiterAbstract,
    private readonly redis: Redis | null,
  ) {}

  static inProcess(name: string, perMinute: number): RateLimiter {
    return new RateLimiter(new RateLimiterMemory({ keyPrefix: name, points: perMinute, duration: 60 }), null);
  }

  static shared(name: string, perMinute: number, redisUrl: string, log: Logger): RateLimiter {
    const redis = new Redis(redisUrl, { enableOfflineQueue: false, maxRetriesPerRequest: 1, retryStrategy: (attempt) => Math.min(100 * attempt, 2000) });
    redis.on('error', (error: Error) => log.debug({ err: error }, 'rate limiter: Redis unreachable, counting in this hub meanwhile'));
    const limiter = new RateLimiterRedis({
      storeClient: redis,
      keyPrefix: `ison-hub:limit:${name}`,
      points: perMinute,
      duration: 60,
      insuranceLimiter: new RateLimiterMemory({ keyPrefix: name, points: perMinute, duration: 60 }),
    });
    return new RateLimiter(limiter, redis);
  }

  /** Takes `points` calls for `key`: 0 when allowed, else the seconds to wait before the next one. */
  async take(key: string, points = 1): Promise<number> {
    try {
      await this.limiter.consume(key, points);
      return 0;
    } catch (refused) {
      if (refused instanceof RateLimiterRes) return Math.max(1, Math.ceil(refused.msBeforeNext / 1000));
      throw refused;
    }
  }

  async close(): Promise<void> {
    if (!this.redis) return;
    await this.redis.quit().catch(() => undefined);
    this.redis.disconnect();
  }
}
