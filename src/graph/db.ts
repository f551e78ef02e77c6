import { AsyncLocalStorage } from 'node:async_hooks';
import neo4j, { type BookmarkManager, type Driver, type ManagedTransaction, type QueryResult, type RecordShape, type SessionMode } from 'neo4j-driver';
import { TimeoutError } from '../errors';
import { mapNeo4jError } from './errors';

/**
 * The one owner of the driver and its sessions. Cypher is built elsewhere in src/graph as
 * plain `{ cypher, params }`; this module runs it.
 *
 * Integer policy: the driver returns JavaScript numbers (`disableLosslessIntegers`), and every
 * integer-valued parameter is sent as a Neo4j integer, so `LIMIT $first` and integer
 * comparisons behave. No value in this model comes near 2^53.
 */
export interface Statement {
  cypher: string;
  params?: Record<string, unknown>;
}

export interface DbOptions {
  uri: string;
  username: string;
  password: string;
  database?: string;
  /** Every transaction carries this timeout (ms); Neo4j cancels one that runs longer. Default 30 s. */
  transactionTimeoutMs?: number;
  /** How long the driver retries a transaction Neo4j could not take (ms). Default 5 s. */
  retryMs?: number;
  /** Shared by every session of this Db; a test passes its own to watch it. Default: the driver's. */
  bookmarkManager?: BookmarkManager;
}

/** The Db options of a configuration (src/config.ts), against `uri` (the local Neo4j's when NEO4J_URI is unset). */
export function dbOptions(
  config: { neo4j: Omit<DbOptions, 'uri'> & { uri?: string }; resilience: { transactionTimeoutMs: number; retryMs: number } },
  uri = config.neo4j.uri,
): DbOptions {
  if (!uri) throw new Error('no Neo4j URI: set NEO4J_URI or start the local Neo4j first');
  const { username, password, database } = config.neo4j;
  const { transactionTimeoutMs, retryMs } = config.resilience;
  return { uri, username, password, database, transactionTimeoutMs, retryMs };
}

/** The deadline (epoch ms) of the work running now, e.g. one HTTP request. */
const deadlines = new AsyncLocalStorage<number>();

/** Whether the work running now has a budget and has spent it. */
function budgetSpent(): boolean {
  const deadline = deadlines.getStore();
  return deadline !== undefined && Date.now() > deadline;
}

/** Counts round trips; the N+1 tests and the metrics read it. */
export interface QueryObserver {
  (statement: Statement): void;
}

export class Db {
  readonly driver: Driver;
  readonly database: string | undefined;
  readonly transactionTimeoutMs: number;
  /** How long a read Neo4j could not take is retried (ms): the driver's own budget for transactions. */
  readonly retryMs: number;
  /**
   * Read-your-writes beyond one machine: every session of this hub starts from the bookmarks
   * of the hub's latest transactions, so on a `neo4j://` cluster a read routed to a secondary
   * waits until that secondary has applied this hub's last write. One Neo4j: always true.
   */
  readonly bookmarks: BookmarkManager;
  private observers = new Set<QueryObserver>();
  roundTrips = 0;

  constructor(options: DbOptions) {
    this.transactionTimeoutMs = options.transactionTimeoutMs ?? 30_000;
    this.retryMs = options.retryMs ?? 5_000;
    this.driver = neo4j.driver(options.uri, neo4j.auth.basic(options.username, options.password), {
      disableLosslessIntegers: true,
      maxConnectionPoolSize: 100,
      connectionAcquisitionTimeout: 30_000,
      maxTransactionRetryTime: this.retryMs,
      userAgent: 'ison-hub',
    });
    this.database = options.database;
    this.bookmarks = options.bookmarkManager ?? neo4j.bookmarkManager();
  }

  /**
   * Runs `work` with a time budget: every transaction it starts gets at most what is left of
   * `ms` as its timeout, none starts once it is spent, and a read that ends after it is refused
   * (TimeoutError).
   */
  static withBudget<T>(ms: number, work: () => T): T {
    return deadlines.run(Date.now() + ms, work);
  }

  /** Runs `work` outside any request's budget: shared work (audit batches) that many requests wait for. */
  static unbudgeted<T>(work: () => T): T {
    return deadlines.exit(work);
  }

  /** This transaction's timeout: the configured one, or less when the budget of the work running now is nearly spent. */
  private transactionConfig(): { timeout: number } {
    const deadline = deadlines.getStore();
    if (deadline === undefined) return { timeout: this.transactionTimeoutMs };
    const left = deadline - Date.now();
    if (left <= 0) throw new TimeoutError();
    return { timeout: Math.max(1, Math.min(this.transactionTimeoutMs, Math.ceil(left))) };
  }

  private session(mode: SessionMode) {
    return this.driver.session({ database: this.database, defaultAccessMode: mode, bookmarkManager: this.bookmarks });
  }

  async verify(): Promise<void> {
    await this.driver.verifyConnectivity({ database: this.database });
  }

  observe(observer: QueryObserver): () => void {
    this.observers.add(observer);
    return () => this.observers.delete(observer);
  }

  private notify(statement: Statement): void {
    this.roundTrips += 1;
    for (const observer of this.observers) observer(statement);
  }

  /**
   * One read statement, as plain objects. Sent as an auto-commit query: RUN and PULL only, where
   * a managed transaction adds the BEGIN and COMMIT exchanges for the same single statement;
   * measured on this project's machine for a trivial read, p50 1.2 ms against 1.75 ms warm
   * (2.7 against 4.4 ms on a colder first pass).
   * A failure Neo4j calls retryable (a leader change, a lost connection, a transient error) is
   * retried for up to `retryMs`, as the driver retries a managed transaction; a read has
   * nothing to undo.
   */
  async read<T extends RecordShape = RecordShape>(statement: Statement): Promise<T[]> {
    const started = Date.now();
    for (let delay = 200; ; delay *= 2) {
      const config = this.transactionConfig();
      const attempt = Date.now();
      const wait = delay * (0.8 + Math.random() * 0.4);
      const session = this.session(neo4j.session.READ);
      try {
        this.notify(statement);
        const rows = toObjects<T>(await withoutCallerStack(() => session.run(statement.cypher, toNeo4jParams(statement.params ?? {}), config)));
        // Neo4j checks transaction timeouts periodically, not to the millisecond: a read that
        // ends after the budget is spent is refused as one Neo4j cancelled would be, so the
        // budget bounds the answer whatever the load.
        if (budgetSpent()) throw new TimeoutError();
        return rows;
      } catch (error) {
        if (error instanceof TimeoutError) throw error;
        if (!neo4j.isRetryableError(error) || Date.now() + wait - started > this.retryMs) throw mapNeo4jError(error, Date.now() - attempt >= config.timeout);
      } finally {
        await session.close();
      }
      // The session is closed while the read waits for its next attempt.
      await new Promise((resolve) => setTimeout(resolve, wait));
    }
  }

  /** One write statement, as plain objects. */
  async write<T extends RecordShape = RecordShape>(statement: Statement): Promise<T[]> {
    return this.writeTx((tx) => runIn<T>(tx, statement));
  }

  /** Several statements in one read transaction (one round trip each; used sparingly). */
  readTx<T>(work: (tx: Tx) => Promise<T>): Promise<T> {
    return this.transaction(neo4j.session.READ, work);
  }

  /** Several statements in one write transaction: all or nothing. */
  writeTx<T>(work: (tx: Tx) => Promise<T>): Promise<T> {
    return this.transaction(neo4j.session.WRITE, work);
  }

  private async transaction<T>(mode: SessionMode, work: (tx: Tx) => Promise<T>): Promise<T> {
    const config = this.transactionConfig();
    const started = Date.now();
    const session = this.session(mode);
    try {
      const run = (tx: ManagedTransaction) => work(this.wrap(tx));
      return await (mode === neo4j.session.READ ? session.executeRead(run, config) : session.executeWrite(run, config));
    } catch (error) {
      throw mapNeo4jError(error, Date.now() - started >= config.timeout);
    } finally {
      await session.close();
    }
  }

  private wrap(tx: ManagedTransaction): Tx {
    return {
      run: async <T extends RecordShape>(statement: Statement): Promise<T[]> => {
        this.notify(statement);
        return toObjects<T>(await withoutCallerStack(() => tx.run(statement.cypher, toNeo4jParams(statement.params ?? {}))));
      },
    };
  }

  /** The planner's plan for a statement (EXPLAIN: nothing runs), as plain operators. */
  async plan(statement: Statement): Promise<PlanOperator> {
    const config = this.transactionConfig();
    const session = this.session(neo4j.session.READ);
    try {
      const result = await withoutCallerStack(() => session.run(`EXPLAIN ${statement.cypher}`, toNeo4jParams(statement.params ?? {}), config));
      return toOperator(result.summary.plan as unknown as RawPlan);
    } finally {
      await session.close();
    }
  }

  async close(): Promise<void> {
    await this.driver.close();
  }
}

/**
 * A driver call that makes a Result, with no stack captured. The driver captures its caller's
 * stack for every statement it runs, to put on the error should the statement fail. Formatting
 * that stack with source maps costs ~100 µs a time under `--enable-source-maps` (as `npm start`
 * runs) and 170–220 µs under source-map-support, against 20–30 µs without
 * (bench/stack-cost.bench.ts): more Node CPU than a by-id read's own decoding. With no frames to
 * capture it costs nothing. A failed statement's error keeps its message and code; only the
 * driver's copy of the call site is gone. The call is synchronous, so no other code runs under
 * the limit.
 */
function withoutCallerStack<T>(run: () => T): T {
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  try {
    return run();
  } finally {
    Error.stackTraceLimit = limit;
  }
}

export interface PlanOperator {
  operator: string;
  details: string;
  children: PlanOperator[];
}

interface RawPlan {
  operatorType: string;
  arguments?: { Details?: unknown };
  children?: RawPlan[];
}

function toOperator(plan: RawPlan): PlanOperator {
  return {
    operator: plan.operatorType.replace(/@.*$/, ''),
    details: String(plan.arguments?.Details ?? ''),
    children: (plan.children ?? []).map(toOperator),
  };
}

export interface Tx {
  run<T extends RecordShape = RecordShape>(statement: Statement): Promise<T[]>;
}

function runIn<T extends RecordShape>(tx: Tx, statement: Statement): Promise<T[]> {
  return tx.run<T>(statement);
}

function toObjects<T extends RecordShape>(result: QueryResult): T[] {
  return result.records.map((record) => fromNeo4j(record.toObject()) as T);
}

/**
 * Temporal values become ISO 8601 strings in UTC; maps and lists are converted deeply, in place:
 * they are the driver's fresh objects for this result, held by nothing else, and a nested read
 * holds thousands of them (a copy of each was a fifth of the read's garbage).
 */
export function fromNeo4j(value: unknown): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i += 1) {
      const inner: unknown = value[i];
      if (inner !== null && typeof inner === 'object') value[i] = fromNeo4j(inner);
    }
    return value;
  }
  if (Object.getPrototypeOf(value) === Object.prototype) {
    const map = value as Record<string, unknown>;
    for (const key in map) {
      const inner = map[key];
      if (inner !== null && typeof inner === 'object') map[key] = fromNeo4j(inner);
    }
    return map;
  }
  if (neo4j.isDateTime(value)) {
    const n = (part: unknown) => Number(part ?? 0);
    const millis =
      Date.UTC(n(value.year), n(value.month) - 1, n(value.day), n(value.hour), n(value.minute), n(value.second)) +
      Math.floor(n(value.nanosecond) / 1e6) -
      n(value.timeZoneOffsetSeconds) * 1000;
    return new Date(millis).toISOString();
  }
  if (neo4j.isDate(value)) return value.toString();
  return value;
}

/** Integer-valued numbers become Neo4j integers; everything else passes through. */
export function toNeo4jParams(value: Record<string, unknown>): Record<string, unknown> {
  return convert(value) as Record<string, unknown>;
}

function convert(value: unknown): unknown {
  if (typeof value === 'number') return Number.isInteger(value) ? neo4j.int(value) : value;
  if (Array.isArray(value)) return value.map(convert);
  if (value && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    const out: Record<string, unknown> = {};
    for (const [key, inner] of Object.entries(value)) out[key] = convert(inner);
    return out;
  }
  return value;
}
