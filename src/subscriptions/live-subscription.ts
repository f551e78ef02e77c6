import type { GraphSession } from '../graph/session';
import type { PolicyContext } from '../policy/context';
import type { LivePrincipal } from './live-principals';

/** One delivery to one subscriber: the item as this subscriber may see it. */
export interface LiveEvent<T> {
  /** The update's place in the global sequence; null for reports. */
  seq: number | null;
  item: T;
  /** The subscriber's policy context the item was judged with. */
  context: PolicyContext;
  /** A graph session for nested fields, shared by the subscribers who see alike, made on first use. */
  graph: () => GraphSession;
  /**
   * Shared by the subscribers this event reached alike (same item, same session): the socket
   * layer keeps each operation's execution result here, so identical subscriptions are
   * executed once per group, not once per subscriber.
   */
  memo: Map<string, unknown>;
}

export interface LiveSubscriptionOptions<T> {
  principal: LivePrincipal;
  maxBuffered: number;
  /** Called when the socket cannot keep up: the hub closes it so the client resumes by cursor. */
  overflow(): void;
  /** Unregisters from the dispatcher. */
  ended(): void;
  /** With a cursor: the visible events after `afterSeq`, a page at a time, [] when caught up. */
  replay?: { afterSeq: number; page(afterSeq: number): Promise<LiveEvent<T>[]> };
}

/** How long replayed positions are remembered to drop their live twins (late publishers). */
const REPLAY_MEMORY_MS = 60_000;

/**
 * How long a report sent on this subscription is remembered so that it is not sent twice when
 * two paths announce it becoming visible together: its own event judged after a policy reload,
 * and the look for reports that reload opened.
 */
const SENT_MEMORY_MS = 10_000;

/**
 * One subscriber's stream. Registered with the dispatcher before the replay is read, so live
 * events that arrive meanwhile wait in the bounded buffer; they are then served after the
 * replay, minus any already replayed or at or before the client's cursor: no gap, no
 * duplicate. A full buffer means a slow consumer: `overflow` closes its socket, and nobody
 * else waits for it.
 *
 * A class, not an async generator, so that `return()` ends a subscriber blocked waiting for
 * the next event at once.
 */
export class LiveSubscription<T> implements AsyncIterableIterator<LiveEvent<T>> {
  private readonly buffer: LiveEvent<T>[] = [];
  private replaying: LiveEvent<T>[] | null;
  private lastReplayedSeq: number;
  private replayed = new Set<number>();
  private readonly floorSeq: number;
  private waiter: ((result: IteratorResult<LiveEvent<T>>) => void) | null = null;
  private done = false;
  /** Items without a sequence (reports) sent lately: id → when. */
  private readonly sent = new Map<string, number>();

  constructor(private readonly options: LiveSubscriptionOptions<T>) {
    this.replaying = options.replay ? [] : null;
    this.floorSeq = options.replay?.afterSeq ?? -1;
    this.lastReplayedSeq = this.floorSeq;
  }

  get principal(): LivePrincipal {
    return this.options.principal;
  }

  get active(): boolean {
    return !this.done && !this.options.principal.closed;
  }

  /**
   * True the first time an item (a report: no sequence) is offered within SENT_MEMORY_MS; the
   * dispatcher asks before pushing it.
   */
  firstOffer(itemId: string, now = Date.now()): boolean {
    for (const [id, at] of this.sent) {
      if (now - at < SENT_MEMORY_MS) break;
      this.sent.delete(id);
    }
    if (this.sent.has(itemId)) return false;
    this.sent.set(itemId, now);
    return true;
  }

  /** From the dispatcher: never blocks. */
  push(event: LiveEvent<T>): void {
    if (this.done) return;
    if (this.waiter && this.replaying === null) {
      if (this.isDuplicate(event)) return;
      const resolve = this.waiter;
      this.waiter = null;
      resolve({ value: event, done: false });
      return;
    }
    if (this.buffer.length >= this.options.maxBuffered) {
      this.finish();
      this.options.overflow();
      return;
    }
    this.buffer.push(event);
  }

  async next(): Promise<IteratorResult<LiveEvent<T>>> {
    while (this.replaying !== null && !this.done) {
      const replayed = this.replaying.shift();
      if (replayed) return { value: replayed, done: false };
      const page = await this.options.replay!.page(this.lastReplayedSeq);
      if (!page.length) {
        this.replaying = null;
        setTimeout(() => (this.replayed = new Set()), REPLAY_MEMORY_MS).unref();
        break;
      }
      for (const event of page) this.replayed.add(event.seq!);
      this.lastReplayedSeq = page[page.length - 1].seq!;
      this.replaying.push(...page);
    }
    while (!this.done) {
      const event = this.buffer.shift();
      if (!event) break;
      if (!this.isDuplicate(event)) return { value: event, done: false };
    }
    if (this.done) return { value: undefined, done: true };
    return new Promise((resolve) => (this.waiter = resolve));
  }

  async return(): Promise<IteratorResult<LiveEvent<T>>> {
    this.finish();
    return { value: undefined, done: true };
  }

  async throw(error?: unknown): Promise<IteratorResult<LiveEvent<T>>> {
    this.finish();
    throw error;
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  private isDuplicate(event: LiveEvent<T>): boolean {
    return event.seq !== null && (event.seq <= this.floorSeq || this.replayed.has(event.seq));
  }

  private finish(): void {
    if (this.done) return;
    this.done = true;
    this.buffer.length = 0;
    this.options.ended();
    const waiter = this.waiter;
    this.waiter = null;
    waiter?.({ value: undefined, done: true });
  }
}
