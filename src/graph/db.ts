import neo4j, { type Driver, type ManagedTransaction, type QueryResult, type RecordShape } from 'neo4j-driver';
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
}

/** Counts round trips; the N+1 tests and the metrics read it. */
export interface QueryObserver {
  (statement: Statement): void;
}

export class Db {
  readonly driver: Driver;
  readonly database: string | undefined;
  private observers = new Set<QueryObserver>();
  roundTrips = 0;

  constructor(options: DbOptions) {
    this.driver = neo4j.driver(options.uri, neo4j.auth.basic(options.username, options.password), {
      disableLosslessIntegers: true,
      maxConnectionPoolSize: 100,
      connectionAcquisitionTimeout: 30_000,
      userAgent: 'ison-hub',
    });
    this.database = options.database;
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

  /** One read statement, as plain objects. */
  async read<T extends RecordShape = RecordShape>(statement: Statement): Promise<T[]> {
    return this.readTx((tx) => runIn<T>(tx, statement));
  }

  /** One write statement, as plain objects. */
  async write<T extends RecordShape = RecordShape>(statement: Statement): Promise<T[]> {
    return this.writeTx((tx) => runIn<T>(tx, statement));
  }

  /** Several statements in one read transaction (one round trip each; used sparingly). */
  async readTx<T>(work: (tx: Tx) => Promise<T>): Promise<T> {
    const session = this.driver.session({ database: this.database, defaultAccessMode: neo4j.session.READ });
    try {
      return await session.executeRead((tx) => work(this.wrap(tx)));
    } catch (error) {
      throw mapNeo4jError(error);
    } finally {
      await session.close();
    }
  }

  /** Several statements in one write transaction: all or nothing. */
  async writeTx<T>(work: (tx: Tx) => Promise<T>): Promise<T> {
    const session = this.driver.session({ database: this.database, defaultAccessMode: neo4j.session.WRITE });
    try {
      return await session.executeWrite((tx) => work(this.wrap(tx)));
    } catch (error) {
      throw mapNeo4jError(error);
    } finally {
      await session.close();
    }
  }

  private wrap(tx: ManagedTransaction): Tx {
    return {
      run: async <T extends RecordShape>(statement: Statement): Promise<T[]> => {
        this.notify(statement);
        return toObjects<T>(await tx.run(statement.cypher, toNeo4jParams(statement.params ?? {})));
      },
    };
  }

  /** The planner's plan for a statement (EXPLAIN: nothing runs), as plain operators. */
  async plan(statement: Statement): Promise<PlanOperator> {
    const session = this.driver.session({ database: this.database, defaultAccessMode: neo4j.session.READ });
    try {
      const result = await session.run(`EXPLAIN ${statement.cypher}`, toNeo4jParams(statement.params ?? {}));
      return toOperator(result.summary.plan as unknown as RawPlan);
    } finally {
      await session.close();
    }
  }

  async close(): Promise<void> {
    await this.driver.close();
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

/** Temporal values become ISO 8601 strings in UTC; maps and lists are converted deeply. */
export function fromNeo4j(value: unknown): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (neo4j.isDateTime(value)) {
    const n = (part: unknown) => Number(part ?? 0);
    const millis =
      Date.UTC(n(value.year), n(value.month) - 1, n(value.day), n(value.hour), n(value.minute), n(value.second)) +
      Math.floor(n(value.nanosecond) / 1e6) -
      n(value.timeZoneOffsetSeconds) * 1000;
    return new Date(millis).toISOString();
  }
  if (neo4j.isDate(value)) return value.toString();
  if (Array.isArray(value)) return value.map(fromNeo4j);
  if (Object.getPrototypeOf(value) === Object.prototype) {
    const out: Record<string, unknown> = {};
    for (const [key, inner] of Object.entries(value)) out[key] = fromNeo4j(inner);
    return out;
  }
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
