import Redis, { type RedisOptions } from 'ioredis';
import type { Logger } from 'pino';
import type { BusHealth, EventBus, HubEvent } from './bus';

const CHANNEL = 'ison-hub:events';
/** Events published while Redis is away, kept to send when it is back. */
const MAX_BACKLOG = 10_000;

/**
 * The event bus for many hubs: one Redis pub/sub channel that every hub publishes to and
 * listens on (a hub hears its own events through Redis too, so all hubs see one order).
 *
 * When Redis goes away the bus says so (`health`, logged once per outage): the hub closes its
 * live sockets with "resume with your last cursor" — replay comes from Neo4j, so nothing is
 * lost to a client that resumes. Publishing never fails a committed write: events published
 * meanwhile wait in a bounded backlog and go out on reconnect. On reconnect the bus also tells
 * its own listeners that every policy context may be stale (invalidations may have been missed).
 */
export class RedisBus implements EventBus {
  private readonly publisher: Redis;
  private readonly subscriber: Redis;
  private readonly listeners = new Set<(event: HubEvent) => void>();
  private readonly healthListeners = new Set<(health: BusHealth) => void>();
  private state: BusHealth = { ready: false, reason: 'connecting to Redis' };
  private backlog: HubEvent[] = [];
  private everReady = false;
  private closing = false;

  constructor(
    url: string,
    private readonly log: Logger,
  ) {
    const options: RedisOptions = {
      // Reconnect quickly and forever: the outage is reported, not fatal.
      retryStrategy: (attempt) => Math.min(100 * attempt, 2000),
      maxRetriesPerRequest: 1,
      connectTimeout: 5000,
    };
    this.publisher = new Redis(url, { ...options, enableOfflineQueue: false });
    this.subscriber = new Redis(url, { ...options, autoResubscribe: false });
    for (const [name, client] of [['publisher', this.publisher], ['subscriber', this.subscriber]] as const) {
      client.on('error', (error: Error) => this.down(`Redis ${name}: ${error.message}`));
      client.on('close', () => this.down(`Redis ${name} connection closed`));
      client.on('ready', () => void this.maybeUp());
    }
    this.subscriber.on('message', (_channel: string, message: string) => this.heard(message));
  }

  /** Resolves when connected, or after `timeoutMs` (the hub starts anyway and reports it). */
  async connected(timeoutMs: number): Promise<BusHealth> {
    if (this.state.ready) return this.state;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(done, timeoutMs);
      const off = this.onHealthChange((health) => health.ready && done());
      function done() {
        clearTimeout(timer);
        off();
        resolve();
      }
    });
    return this.state;
  }

  async publish(event: HubEvent): Promise<void> {
    if (this.state.ready) {
      try {
        await this.publisher.publish(CHANNEL, JSON.stringify(event));
        return;
      } catch (error) {
        this.log.warn({ err: error, event: event.type }, 'Redis publish failed; keeping the event for the reconnect');
      }
    }
    this.keep(event);
  }

  subscribe(listener: (event: HubEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  health(): BusHealth {
    return this.state;
  }

  onHealthChange(listener: (health: BusHealth) => void): () => void {
    this.healthListeners.add(listener);
    return () => this.healthListeners.delete(listener);
  }

  async close(): Promise<void> {
    this.closing = true;
    this.listeners.clear();
    this.healthListeners.clear();
    await Promise.allSettled([this.publisher.quit(), this.subscriber.quit()]);
    this.publisher.disconnect();
    this.subscriber.disconnect();
  }

  private heard(message: string): void {
    let event: HubEvent;
    try {
      event = JSON.parse(message) as HubEvent;
    } catch {
      this.log.warn('ignoring a malformed event from Redis');
      return;
    }
    this.emit(event);
  }

  private emit(event: HubEvent): void {
    for (const listener of [...this.listeners]) {
      try {
        listener(event);
      } catch (error) {
        this.log.error({ err: error }, 'event listener failed');
      }
    }
  }

  private keep(event: HubEvent): void {
    if (this.backlog.length >= MAX_BACKLOG) {
      this.backlog.shift();
      this.log.error('Redis backlog full: dropping the oldest event (live clients resume by cursor)');
    }
    this.backlog.push(event);
  }

  private down(reason: string): void {
    if (this.closing || !this.state.ready) {
      if (!this.state.ready) this.state = { ready: false, reason };
      return;
    }
    this.log.error({ reason }, 'Redis unreachable: live events are interrupted');
    this.setState({ ready: false, reason });
  }

  private async maybeUp(): Promise<void> {
    if (this.closing || this.state.ready) return;
    if (this.publisher.status !== 'ready' || this.subscriber.status !== 'ready') return;
    try {
      await this.subscriber.subscribe(CHANNEL);
    } catch (error) {
      this.down(`Redis subscribe failed: ${(error as Error).message}`);
      return;
    }
    if (this.state.ready || this.publisher.status !== 'ready' || this.subscriber.status !== 'ready') return;
    const recovered = this.everReady;
    this.everReady = true;
    this.setState({ ready: true });
    if (recovered) {
      this.log.info('Redis is back: live events resume');
      this.emit({ type: 'policy.invalidate', subject: null });
    }
    const pending = this.backlog;
    this.backlog = [];
    for (const event of pending) await this.publish(event);
  }

  private setState(state: BusHealth): void {
    this.state = state;
    for (const listener of [...this.healthListeners]) listener(state);
  }
}
