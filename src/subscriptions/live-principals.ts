import type { Logger } from 'pino';
import type { PolicyContext } from '../policy/context';
import { CLOSE, type Closable, type CloseReason } from './close-codes';
import { sessionKey } from './visibility-groups';

/** The policy cache key of a principal: the token's subject. */
export function subjectOf(ctx: PolicyContext): string {
  return ctx.kind === 'officer' ? ctx.officerId : `partner:${ctx.partnerId}`;
}

/** A principal with open live sockets, and their policy context kept current. */
export class LivePrincipal {
  readonly sockets = new Set<Closable>();
  sessionKey: string;
  /** Bumped by every invalidation heard; a reload is current when it started at the latest. */
  generation = 0;
  reloading: Promise<void> | null = null;
  /** Its sockets were closed by the hub: nothing more is delivered to it. */
  closed = false;
  /** Fires when a dated sharing rule toward the principal starts or ends (`context.changesAt`). */
  boundary: NodeJS.Timeout | null = null;

  constructor(
    readonly subject: string,
    public context: PolicyContext,
  ) {
    this.sessionKey = sessionKey(context);
  }
}

export interface LivePrincipalLimits {
  socketsPerPrincipal: number;
  contextRefreshMs: number;
}

/** Told when a live principal's context changed (`previous` → `entry.context`): what they may read may have grown. */
export type ContextChangeListener = (entry: LivePrincipal, previous: PolicyContext) => void;

/** setTimeout's longest delay; a boundary further away is looked at again then. */
const MAX_TIMER_MS = 2 ** 31 - 1;

function changesAt(context: PolicyContext): number | null {
  return context.kind === 'officer' ? (context.changesAt ?? null) : null;
}

/** Reloads run a few at a time, so that "everybody's policy changed" does not flood Neo4j. */
const RELOAD_CONCURRENCY = 8;

/**
 * Every principal with a live socket on this hub. A policy invalidation (from this hub or,
 * through the bus, any other) reloads the affected contexts at once; deliveries wait for those
 * reloads, so a change takes effect on the next event. A principal who is suspended or gone
 * has every socket closed with 4403.
 */
export class LivePrincipals {
  private readonly entries = new Map<string, LivePrincipal>();
  private readonly waiting: (() => void)[] = [];
  private running = 0;
  private readonly refresh: NodeJS.Timeout;
  private readonly changeListeners = new Set<ContextChangeListener>();

  constructor(
    private readonly load: (subject: string) => Promise<PolicyContext | null>,
    private readonly limits: LivePrincipalLimits,
    private readonly log: Logger,
  ) {
    // A backstop: dated rules are followed to the millisecond (`watchBoundary`, `settled`), and
    // every change announces itself; look again now and then all the same.
    this.refresh = setInterval(() => this.refreshAll(), limits.contextRefreshMs).unref();
  }

  /** The principal's live entry with this socket added, or null when it has as many sockets as allowed. */
  attach(context: PolicyContext, socket: Closable): LivePrincipal | null {
    const subject = subjectOf(context);
    let entry = this.entries.get(subject);
    if (!entry) {
      entry = new LivePrincipal(subject, context);
      this.entries.set(subject, entry);
      this.watchBoundary(entry);
    }
    if (entry.sockets.size >= this.limits.socketsPerPrincipal) return null;
    entry.sockets.add(socket);
    return entry;
  }

  detach(entry: LivePrincipal, socket: Closable): void {
    entry.sockets.delete(socket);
    if (!entry.sockets.size && this.entries.get(entry.subject) === entry) {
      this.entries.delete(entry.subject);
      this.clearBoundary(entry);
    }
  }

  get size(): number {
    return this.entries.size;
  }

  /** One principal's context (`subject`) or everybody's (`null`) may have changed. */
  invalidate(subject: string | null): void {
    const affected = subject === null ? [...this.entries.values()] : [this.entries.get(subject)].filter((e) => e !== undefined);
    for (const entry of affected) this.invalidateEntry(entry);
  }

  private invalidateEntry(entry: LivePrincipal): void {
    entry.generation += 1;
    entry.reloading ??= this.reload(entry);
  }

  /** Reloads the context when a dated rule starts or ends, as if its change had been announced then. */
  private watchBoundary(entry: LivePrincipal): void {
    this.clearBoundary(entry);
    const at = changesAt(entry.context);
    if (at === null || entry.closed) return;
    const delay = Math.min(Math.max(0, at - Date.now()), MAX_TIMER_MS);
    entry.boundary = setTimeout(() => {
      entry.boundary = null;
      if (this.entries.get(entry.subject) !== entry) return;
      if (Date.now() >= at) this.invalidateEntry(entry);
      else this.watchBoundary(entry);
    }, delay).unref();
  }

  private clearBoundary(entry: LivePrincipal): void {
    if (entry.boundary) clearTimeout(entry.boundary);
    entry.boundary = null;
  }

  /**
   * The periodic look: nothing is known to have changed, so deliveries go on with the
   * contexts at hand meanwhile; a reload applies only if no invalidation overtook it.
   */
  private refreshAll(): void {
    // Spread over the interval: a burst of reloads would compete with the writes and the
    // audit of the deliveries in flight, and show up as one slow event.
    const entries = [...this.entries.values()];
    const spacing = this.limits.contextRefreshMs / Math.max(1, entries.length);
    entries.forEach((entry, index) => setTimeout(() => this.refreshOne(entry), index * spacing).unref());
  }

  private refreshOne(entry: LivePrincipal): void {
    if (entry.reloading || entry.closed) return;
    const generation = entry.generation;
    void this.slot().then(async () => {
      try {
        const context = await this.load(entry.subject);
        if (entry.generation === generation && !entry.reloading) this.apply(entry, context);
      } catch (error) {
        this.log.warn({ err: error, subject: entry.subject }, 'live policy refresh failed; keeping the current context');
      } finally {
        this.release();
      }
    });
  }

  /** Called after each reload or refresh that changed a principal's context in any way the rule reads. */
  onContextChange(listener: ContextChangeListener): () => void {
    this.changeListeners.add(listener);
    return () => this.changeListeners.delete(listener);
  }

  /** Resolves once every live principal's context reflects every invalidation heard so far; null when they already do. */
  settledAll(): Promise<unknown> | null {
    return this.settled(this.entries.values());
  }

  /**
   * Resolves once the given principals' contexts reflect every invalidation heard so far, and
   * every dated rule whose start or end has passed; null when they already do.
   */
  settled(entries: Iterable<LivePrincipal>): Promise<unknown> | null {
    const pending = new Set<Promise<void>>();
    const now = Date.now();
    for (const entry of entries) {
      // A boundary can pass before its timer fires (timers run late under load): never deliver on a stale context.
      if (!entry.reloading && !entry.closed && now >= (changesAt(entry.context) ?? Infinity)) this.invalidateEntry(entry);
      if (entry.reloading) pending.add(entry.reloading);
    }
    return pending.size ? Promise.all(pending) : null;
  }

  /** Closes every live socket on this hub, e.g. when events may have been lost. */
  closeAll(why: CloseReason): void {
    for (const entry of [...this.entries.values()]) this.closeSockets(entry, why);
  }

  close(): void {
    clearInterval(this.refresh);
    for (const entry of this.entries.values()) this.clearBoundary(entry);
  }

  private async reload(entry: LivePrincipal): Promise<void> {
    await this.slot();
    try {
      let context: PolicyContext | null;
      let generation: number;
      do {
        generation = entry.generation;
        context = await this.load(entry.subject);
      } while (generation !== entry.generation);
      this.apply(entry, context);
    } catch (error) {
      // Not knowing what somebody may read now, deliver nothing more to them.
      this.log.error({ err: error, subject: entry.subject }, 'live policy reload failed');
      this.closeSockets(entry, CLOSE.POLICY_UNKNOWN);
    } finally {
      entry.reloading = null;
      this.release();
    }
  }

  private apply(entry: LivePrincipal, context: PolicyContext | null): void {
    if (!context || (context.kind === 'officer' && context.status === 'SUSPENDED')) {
      this.closeSockets(entry, CLOSE.FORBIDDEN);
    } else {
      const previous = entry.context;
      const previousKey = entry.sessionKey;
      entry.context = context;
      entry.sessionKey = sessionKey(context);
      this.watchBoundary(entry);
      // The session key holds every input of the rule: equal keys, nothing opened or closed.
      if (entry.sessionKey !== previousKey) for (const listener of this.changeListeners) listener(entry, previous);
    }
  }

  private closeSockets(entry: LivePrincipal, why: CloseReason): void {
    entry.closed = true;
    this.clearBoundary(entry);
    if (this.entries.get(entry.subject) === entry) this.entries.delete(entry.subject);
    for (const socket of [...entry.sockets]) socket.close(why.code, why.reason);
    entry.sockets.clear();
  }

  private slot(): Promise<void> {
    if (this.running < RELOAD_CONCURRENCY) {
      this.running += 1;
      return Promise.resolve();
    }
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  private release(): void {
    const next = this.waiting.shift();
    if (next) next();
    else this.running -= 1;
  }
}
