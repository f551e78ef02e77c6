import { Db } from './db';

/**
 * The audit trail's durable writer (DESIGN §3, Audit). Requests hand it their events and wait;
 * it merges the events of concurrent requests into one `UNWIND … CREATE` transaction, so the
 * trail costs a few transactions per second under load instead of one per request.
 *
 * Batching adapts to load: a batch leaves on the next turn of the event loop while fewer than
 * `maxInFlight` writes are running; otherwise events accumulate until a write finishes or the
 * batch is full. A failed write rejects every caller of its batch (they fail closed).
 */

export const ACCESS_ACTIONS = ['READ', 'DENY', 'SCREEN', 'CREATE', 'UPDATE', 'RELEASABILITY', 'EXPLAIN'] as const;
export type AccessAction = (typeof ACCESS_ACTIONS)[number];

export interface AccessEvent {
  id: string;
  /** ISO 8601. */
  at: string;
  /** The officer's id, or `partner:<id>` for a partner organisation. */
  officerId: string;
  /** The officer's country; null for partners. */
  country: string | null;
  /** Null only for a screening without a hit. */
  itemId: string | null;
  itemKind: string | null;
  action: AccessAction;
  outcome: string;
  redactedFields: string[];
  requestId: string;
  /** What was asked, where the item id alone does not say it (a screened document number). */
  detail: string | null;
}

/**
 * Events as they are sent to Neo4j: consecutive events of one request and action share who,
 * country, request and action, sent once for the group; each event is a list, not a map, so
 * its property names are not packed (by the hub) and unpacked (by Neo4j) for every event.
 * Measured in bench/audit-ship.bench.ts.
 */
export interface EventGroup {
  officerId: string;
  country: string | null;
  requestId: string;
  action: AccessAction;
  /** `[id, at, itemId, itemKind, outcome, redactedFields, detail]` per event, in order. */
  items: [string, string, string | null, string | null, string, string[], string | null][];
}

export function eventGroups(events: readonly AccessEvent[]): EventGroup[] {
  const groups: EventGroup[] = [];
  let last: EventGroup | undefined;
  for (const e of events) {
    if (!last || last.requestId !== e.requestId || last.action !== e.action || last.officerId !== e.officerId || last.country !== e.country) {
      last = { officerId: e.officerId, country: e.country, requestId: e.requestId, action: e.action, items: [] };
      groups.push(last);
    }
    last.items.push([e.id, e.at, e.itemId, e.itemKind, e.outcome, e.redactedFields, e.detail]);
  }
  return groups;
}

/**
 * Creates the access events of `groups` (a list of `EventGroup`s). Properties are named in the
 * CREATE (rather than `SET a = e`): about a fifth cheaper per event.
 */
export function createEventsCypher(groups: string): string {
  return `UNWIND ${groups} AS g
  UNWIND g.items AS e
  CREATE (:AccessEvent {id: e[0], at: datetime(e[1]), officerId: g.officerId, country: g.country, itemId: e[2], itemKind: e[3],
    action: g.action, outcome: e[4], redactedFields: e[5], requestId: g.requestId, detail: e[6]})`;
}

const insertEventsCypher = createEventsCypher('$groups');

/** Where requests and live deliveries hand their audit events (src/graph/audit-trail.ts). */
export interface AuditSink {
  /** Resolves once `events` are durable; a rejection withholds the response (fail closed). */
  record(events: readonly AccessEvent[]): Promise<void>;
  /** Resolves once every event recorded before the call can be read from Neo4j. */
  settled(): Promise<void>;
  /** Events acknowledged but not yet in Neo4j (metrics): only a journal has any. */
  readonly backlog: number;
  close(): Promise<void>;
}

export interface AuditWriterOptions {
  maxBatch?: number;
  maxInFlight?: number;
}

interface Batch {
  events: AccessEvent[];
  waiters: { resolve(): void; reject(error: unknown): void }[];
}

/** Writes straight to Neo4j: a response waits for the transaction holding its events. */
export class AuditWriter implements AuditSink {
  private batch: Batch | null = null;
  private scheduled = false;
  private inFlight = 0;
  private readonly writes = new Set<Promise<unknown>>();
  private readonly maxBatch: number;
  private readonly maxInFlight: number;

  constructor(
    private readonly db: Db,
    options: AuditWriterOptions = {},
  ) {
    this.maxBatch = options.maxBatch ?? 2000;
    this.maxInFlight = options.maxInFlight ?? 2;
  }

  /** Resolves once `events` are committed; for HTTP requests and subscription deliveries alike. */
  record(events: readonly AccessEvent[]): Promise<void> {
    if (!events.length) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      this.batch ??= { events: [], waiters: [] };
      this.batch.events.push(...events);
      this.batch.waiters.push({ resolve, reject });
      if (this.batch.events.length >= this.maxBatch) this.send();
      else this.schedule();
    });
  }

  /** Nothing is acknowledged before it is in Neo4j. */
  readonly backlog = 0;

  settled(): Promise<void> {
    const waits: Promise<unknown>[] = [...this.writes];
    if (this.batch) waits.push(new Promise<void>((resolve) => this.batch!.waiters.push({ resolve, reject: () => resolve() })));
    return Promise.all(waits).then(() => undefined);
  }

  async close(): Promise<void> {
    await this.settled();
  }

  private schedule(): void {
    if (this.scheduled || this.inFlight >= this.maxInFlight) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      if (this.inFlight < this.maxInFlight) this.send();
    });
  }

  private send(): void {
    const batch = this.batch;
    if (!batch) return;
    this.batch = null;
    this.inFlight += 1;
    const write = this.persist(batch.events).then(
      () => batch.waiters.forEach((w) => w.resolve()),
      (error: unknown) => batch.waiters.forEach((w) => w.reject(error)),
    ).finally(() => {
      this.inFlight -= 1;
      this.writes.delete(write);
      if (this.batch) this.schedule();
    });
    this.writes.add(write);
  }

  /** The one write; tests replace it to prove that a failed audit withholds the response. */
  persist(events: AccessEvent[]): Promise<unknown> {
    // One batch serves many requests: no single request's time budget may cut it short.
    return Db.unbudgeted(() => this.db.write({ cypher: insertEventsCypher, params: { groups: eventGroups(events) } }));
  }
}
