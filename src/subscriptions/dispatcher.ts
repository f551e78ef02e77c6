import type { Logger } from 'pino';
import type { Db } from '../graph/db';
import { reportForDelivery, reportsOpenedByPolicyChange, updateForDelivery } from '../graph/live';
import type { ReportRecord, UpdateRecord } from '../graph/records';
import { GraphSession } from '../graph/session';
import type { PolicyContext, PolicyItem } from '../policy/context';
import { applyRedaction, redactedReportFields } from '../policy/redaction';
import { evaluateItem } from '../policy/rule';
import type { EventBus, HubEvent } from './bus';
import { CLOSE } from './close-codes';
import type { JustWritten } from './just-written';
import type { LivePrincipal, LivePrincipals } from './live-principals';
import type { LiveEvent, LiveSubscription } from './live-subscription';
import { changeDecisionKey, contextChangeKey, sessionKey } from './visibility-groups';

/** The key under which subscribers to every operation's updates wait. */
const ALL_OPERATIONS = '';

/**
 * When a change of a subscriber's policy context (a sharing rule, a default share level, their
 * clearance, roles or assignments) opens existing reports to them, intelFeed sends at most this
 * many: the most recent, oldest first. A policy change can open thousands of old reports; those
 * belong in a query of `intelReports`, not in a flood on the live feed.
 */
export const POLICY_OPENED_REPORTS = 100;

export type RedactedReport = ReportRecord & { redactedFields: string[] };

const redactReport = (report: ReportRecord, ctx: PolicyContext): RedactedReport => applyRedaction(report, redactedReportFields(ctx, report));

interface OpenedGroup {
  previous: PolicyContext;
  current: PolicyContext;
  principals: LivePrincipal[];
}

/**
 * Routes the bus's events to this hub's subscribers. Each event's item is read from Neo4j
 * once; the sharing rule is then asked once per group of subscribers who see alike (see
 * visibility-groups.ts), with each subscriber's current policy context, and the item is
 * redacted once per group. Reads start as events arrive; deliveries happen in arrival order.
 *
 * intelFeed sends the reports that become visible to its subscriber (DESIGN §4): a changed
 * report only to those who may read it now and could not before the change (the event carries
 * the report's policy fields from before), and, when a subscriber's policy context changes,
 * the reports the new context opens (one query per group of principals that changed alike).
 */
export class LiveDispatcher {
  private readonly updateWatchers = new Map<string, Set<LiveSubscription<UpdateRecord>>>();
  private readonly reportWatchers = new Map<LivePrincipal, Set<LiveSubscription<RedactedReport>>>();
  /** intelFeed subscribers whose policy context changed since the last look, with the context before. */
  private readonly contextsBefore = new Map<LivePrincipal, PolicyContext>();
  private lookingForOpened: Promise<void> | null = null;
  private tail: Promise<void> = Promise.resolve();
  private readonly unsubscribe: () => void;
  private readonly offContextChange: () => void;

  constructor(
    private readonly db: Db,
    events: EventBus,
    readonly principals: LivePrincipals,
    private readonly log: Logger,
    private readonly justWritten?: JustWritten,
  ) {
    this.unsubscribe = events.subscribe((event) => this.heard(event));
    this.offContextChange = principals.onContextChange((entry, previous) => this.contextChanged(entry, previous));
  }

  /** `operationId` null: every operation's updates. Returns the unregistration. */
  watchUpdates(subscription: LiveSubscription<UpdateRecord>, operationId: string | null): () => void {
    return watchIn(this.updateWatchers, operationId ?? ALL_OPERATIONS, subscription);
  }

  /** Kept by principal: a change of a principal's policy context concerns their intelFeeds. */
  watchReports(subscription: LiveSubscription<RedactedReport>): () => void {
    return watchIn(this.reportWatchers, subscription.principal, subscription);
  }

  /** How many subscriptions are registered (tests wait for theirs; metrics). */
  watching(): number {
    let n = 0;
    for (const watchers of this.reportWatchers.values()) n += watchers.size;
    for (const watchers of this.updateWatchers.values()) n += watchers.size;
    return n;
  }

  /**
   * Resolves when every event heard so far has been delivered, including the reports opened
   * by the policy reloads under way (tests, shutdown).
   */
  async idle(): Promise<void> {
    for (;;) {
      const tail = this.tail;
      await this.principals.settledAll();
      await this.lookingForOpened;
      await tail;
      if (tail === this.tail && !this.lookingForOpened && !this.principals.settledAll()) return;
    }
  }

  close(): void {
    this.unsubscribe();
    this.offContextChange();
  }

  private heard(event: HubEvent): void {
    if (event.type === 'update.posted') {
      if (!this.updateWatchers.has(event.operationId) && !this.updateWatchers.has(ALL_OPERATIONS)) return;
      const written = this.justWritten?.update(event.updateId);
      const item = written ? Promise.resolve(written) : updateForDelivery(this.db, event.updateId);
      // An update is new when posted: nothing was visible before.
      this.enqueue(oneOrNone(item), () => this.updateTargets(event.operationId), (update) => update, (update) => update.seq, null);
    } else if (event.type === 'report.changed') {
      if (!this.reportWatchers.size) return;
      const item = reportForDelivery(this.db, event.reportId);
      // A hub of an earlier version publishes no `before`: judged as new, as it did.
      this.enqueue(oneOrNone(item), () => this.reportTargets(this.reportWatchers.keys()), redactReport, () => null, event.before ?? null);
    }
  }

  private updateTargets(operationId: string): LiveSubscription<UpdateRecord>[] {
    return [...(this.updateWatchers.get(operationId) ?? []), ...(this.updateWatchers.get(ALL_OPERATIONS) ?? [])];
  }

  private reportTargets(principals: Iterable<LivePrincipal>): LiveSubscription<RedactedReport>[] {
    const targets: LiveSubscription<RedactedReport>[] = [];
    for (const principal of principals) targets.push(...(this.reportWatchers.get(principal) ?? []));
    return targets;
  }

  /**
   * A subscriber's policy context changed (LivePrincipals reloaded or refreshed it). Changes
   * heard together (every principal's reload after one invalidation) are looked at together,
   * once the reloads under way are done, so that principals who changed alike share one query.
   */
  private contextChanged(entry: LivePrincipal, previous: PolicyContext): void {
    if (!this.reportWatchers.has(entry)) return;
    // Changed twice before the look: what counts is the context the subscriber last judged with.
    if (!this.contextsBefore.has(entry)) this.contextsBefore.set(entry, previous);
    this.lookingForOpened ??= this.lookForOpened();
  }

  private async lookForOpened(): Promise<void> {
    await (this.principals.settledAll() ?? Promise.resolve());
    this.lookingForOpened = null;
    const groups = new Map<string, OpenedGroup>();
    for (const [entry, previous] of this.contextsBefore) {
      if (entry.closed || !this.reportWatchers.has(entry) || sessionKey(previous) === entry.sessionKey) continue;
      const key = contextChangeKey(previous, entry.context);
      const group = groups.get(key);
      if (group) group.principals.push(entry);
      else groups.set(key, { previous, current: entry.context, principals: [entry] });
    }
    this.contextsBefore.clear();
    const now = new Date();
    for (const group of groups.values()) {
      const opened = reportsOpenedByPolicyChange(this.db, group.previous, group.current, POLICY_OPENED_REPORTS, now);
      // Each report is judged again at delivery with the subscriber's context then, as any event is.
      this.enqueue(opened, () => this.reportTargets(group.principals), redactReport, () => null, null);
    }
  }

  private enqueue<R extends PolicyItem & { id: string }, T>(
    loading: Promise<R[]>,
    targets: () => LiveSubscription<T>[],
    redact: (item: R, ctx: PolicyContext) => T,
    seqOf: (item: R) => number | null,
    before: PolicyItem | null,
  ): void {
    // Keep the read's failure for the delivery step, which knows whom it concerns.
    const settled = loading.then(
      (items) => ({ items, error: null }),
      (error: unknown) => ({ items: [], error }),
    );
    this.tail = this.tail.then(async () => {
      const { items, error } = await settled;
      const subscribers = targets();
      if (error) {
        this.log.error({ err: error }, 'live event could not be read; closing its subscribers');
        for (const subscriber of subscribers) subscriber.principal.sockets.forEach((s) => s.close(CLOSE.EVENTS_INTERRUPTED.code, CLOSE.EVENTS_INTERRUPTED.reason));
        return;
      }
      for (const item of items) await this.deliver(item, subscribers, redact, seqOf(item), before);
    });
  }

  /**
   * Sends `item` to the subscribers who may read it now and could not read it as it was
   * `before` (null: it is new to everybody, or the subscriber's context is what changed).
   */
  private async deliver<R extends PolicyItem & { id: string }, T>(
    item: R,
    subscribers: LiveSubscription<T>[],
    redact: (item: R, ctx: PolicyContext) => T,
    seq: number | null,
    before: PolicyItem | null,
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
      const key = changeDecisionKey(context, item, before);
      let visible = decided.get(key);
      if (visible === undefined) {
        const becameVisible = evaluateItem(context, item, now).allowed && !(before !== null && evaluateItem(context, before, now).allowed);
        visible = becameVisible ? redact(item, context) : null;
        decided.set(key, visible);
      }
      if (visible === null) continue;
      // A report announced by two paths at once (see LiveSubscription.firstOffer) goes out once.
      if (seq === null && !subscriber.firstOffer(item.id)) continue;
      let graph = sessions.get(sessionKey);
      if (!graph) sessions.set(sessionKey, (graph = lazySession(this.db, context)));
      const alike = `${key}\u0000${sessionKey}`;
      let memo = memos.get(alike);
      if (!memo) memos.set(alike, (memo = new Map()));
      subscriber.push({ seq, item: visible, context, graph, memo } satisfies LiveEvent<T>);
    }
  }
}

/** Adds `subscription` under `key`; the returned unregistration drops the key with its last subscription. */
function watchIn<K, S>(watchers: Map<K, Set<S>>, key: K, subscription: S): () => void {
  let set = watchers.get(key);
  if (!set) watchers.set(key, (set = new Set()));
  set.add(subscription);
  return () => {
    set.delete(subscription);
    if (!set.size && watchers.get(key) === set) watchers.delete(key);
  };
}

function oneOrNone<R>(loading: Promise<R | null>): Promise<R[]> {
  return loading.then((item) => (item ? [item] : []));
}

/** One graph session per event and group of subscribers who see alike, made only if a nested field needs it. */
export function lazySession(db: Db, context: PolicyContext): () => GraphSession {
  let session: GraphSession | undefined;
  return () => (session ??= new GraphSession(db, context));
}
