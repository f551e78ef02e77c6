import type { Logger } from 'pino';
import type { Db } from '../graph/db';
import { reportForDelivery, updateForDelivery } from '../graph/live';
import type { ReportRecord, UpdateRecord } from '../graph/records';
import { GraphSession } from '../graph/session';
import type { PolicyContext, PolicyItem } from '../policy/context';
import { applyRedaction, redactedReportFields } from '../policy/redaction';
import { evaluateItem } from '../policy/rule';
import type { EventBus, HubEvent } from './bus';
import { CLOSE } from './close-codes';
import type { JustWritten } from './just-written';
import type { LivePrincipals } from './live-principals';
import type { LiveEvent, LiveSubscription } from './live-subscription';
import { decisionKey } from './visibility-groups';

/** The key under which subscribers to every operation's updates wait. */
const ALL_OPERATIONS = '';

export type RedactedReport = ReportRecord & { redactedFields: string[] };

/**
 * Routes the bus's events to this hub's subscribers. Each event's item is read from Neo4j
 * once; the sharing rule is then asked once per group of subscribers who see alike (see
 * visibility-groups.ts), with each subscriber's current policy context, and the item is
 * redacted once per group. Reads start as events arrive; deliveries happen in arrival order.
 */
export class LiveDispatcher {
  private readonly updateWatchers = new Map<string, Set<LiveSubscription<UpdateRecord>>>();
  private readonly reportWatchers = new Set<LiveSubscription<RedactedReport>>();
  private tail: Promise<void> = Promise.resolve();
  private readonly unsubscribe: () => void;

  constructor(
    private readonly db: Db,
    events: EventBus,
    readonly principals: LivePrincipals,
    private readonly log: Logger,
    private readonly justWritten?: JustWritten,
  ) {
    this.unsubscribe = events.subscribe((event) => this.heard(event));
  }

  /** `operationId` null: every operation's updates. Returns the unregistration. */
  watchUpdates(subscription: LiveSubscription<UpdateRecord>, operationId: string | null): () => void {
    const key = operationId ?? ALL_OPERATIONS;
    let watchers = this.updateWatchers.get(key);
    if (!watchers) this.updateWatchers.set(key, (watchers = new Set()));
    watchers.add(subscription);
    return () => {
      watchers.delete(subscription);
      if (!watchers.size && this.updateWatchers.get(key) === watchers) this.updateWatchers.delete(key);
    };
  }

  watchReports(subscription: LiveSubscription<RedactedReport>): () => void {
    this.reportWatchers.add(subscription);
    return () => this.reportWatchers.delete(subscription);
  }

  /** How many subscriptions are registered (tests wait for theirs; metrics). */
  watching(): number {
    let n = this.reportWatchers.size;
    for (const watchers of this.updateWatchers.values()) n += watchers.size;
    return n;
  }

  /** Resolves when every event heard so far has been delivered (tests, shutdown). */
  idle(): Promise<void> {
    return this.tail;
  }

  close(): void {
    this.unsubscribe();
  }

  private heard(event: HubEvent): void {
    if (event.type === 'update.posted') {
      if (!this.updateWatchers.has(event.operationId) && !this.updateWatchers.has(ALL_OPERATIONS)) return;
      const written = this.justWritten?.update(event.updateId);
      const item = written ? Promise.resolve(written) : updateForDelivery(this.db, event.updateId);
      this.enqueue(item, () => this.updateTargets(event.operationId), (update) => update, (update) => update.seq);
    } else if (event.type === 'report.changed') {
      if (!this.reportWatchers.size) return;
      const item = reportForDelivery(this.db, event.reportId);
      this.enqueue(item, () => [...this.reportWatchers], (report, ctx) => applyRedaction(report, redactedReportFields(ctx, report)), () => null);
    }
  }

  private updateTargets(operationId: string): LiveSubscription<UpdateRecord>[] {
    return [...(this.updateWatchers.get(operationId) ?? []), ...(this.updateWatchers.get(ALL_OPERATIONS) ?? [])];
  }

  private enqueue<R extends PolicyItem, T>(
    loading: Promise<R | null>,
    targets: () => LiveSubscription<T>[],
    redact: (item: R, ctx: PolicyContext) => T,
    seqOf: (item: R) => number | null,
  ): void {
    // Keep the read's failure for the delivery step, which knows whom it concerns.
    const settled = loading.then(
      (item) => ({ item, error: null }),
      (error: unknown) => ({ item: null, error }),
    );
    this.tail = this.tail.then(async () => {
      const { item, error } = await settled;
      const subscribers = targets();
      if (error) {
        this.log.error({ err: error }, 'live event could not be read; closing its subscribers');
        for (const subscriber of subscribers) subscriber.principal.sockets.forEach((s) => s.close(CLOSE.EVENTS_INTERRUPTED.code, CLOSE.EVENTS_INTERRUPTED.reason));
        return;
      }
      if (item) await this.deliver(item, subscribers, redact, seqOf(item));
    });
  }

  private async deliver<R extends PolicyItem, T>(
    item: R,
    subscribers: LiveSubscription<T>[],
    redact: (item: R, ctx: PolicyContext) => T,
    seq: number | null,
  ): Promise<void> {
    const reloads = this.principals.settled(subscribers.map((s) => s.principal));
    if (reloads) await reloads;
    const now = new Date();
    const decided = new Map<string, T | null>();
    const sessions = new Map<string, () => GraphSession>();
    const memos = new Map<string, Map<string, unknown>>();
    for (const subscriber of subscribers) {
      if (!subscriber.active) continue;
      const { context, sessionKey } = subscriber.principal;
      const key = decisionKey(context, item);
      let visible = decided.get(key);
      if (visible === undefined) {
        visible = evaluateItem(context, item, now).allowed ? redact(item, context) : null;
        decided.set(key, visible);
      }
      if (visible === null) continue;
      let graph = sessions.get(sessionKey);
      if (!graph) sessions.set(sessionKey, (graph = lazySession(this.db, context)));
      const alike = `${key}\u0000${sessionKey}`;
      let memo = memos.get(alike);
      if (!memo) memos.set(alike, (memo = new Map()));
      subscriber.push({ seq, item: visible, context, graph, memo } satisfies LiveEvent<T>);
    }
  }
}

/** One graph session per event and group of subscribers who see alike, made only if a nested field needs it. */
export function lazySession(db: Db, context: PolicyContext): () => GraphSession {
  let session: GraphSession | undefined;
  return () => (session ??= new GraphSession(db, context));
}
