import neo4j, { Neo4jError, type Session } from 'neo4j-driver';
import { afterEach, describe, expect, inject, it, vi } from 'vitest';
import { Db } from '../../src/graph/db';
import { UnavailableError } from '../../src/errors';

/**
 * `Db.read` sends one statement as an auto-commit query (one round trip) instead of a managed
 * transaction, so the driver no longer retries it: Db does, for the failures Neo4j calls
 * retryable and for at most `retryMs`, as the driver does for its transactions. The faults are
 * injected into the first `run` calls of a real session against the test run's real Neo4j.
 */
const uri = () => inject('neo4jUri');
const open: Db[] = [];

function db(retryMs: number): Db {
  const made = new Db({ uri: uri(), username: 'neo4j', password: 'neo4j', retryMs });
  open.push(made);
  return made;
}

/** The next `failures` runs of any session of `target` fail with `error` before reaching Neo4j; then they run. */
function failRuns(target: Db, failures: number, error: () => Error): { runs: () => number } {
  let runs = 0;
  const session = target.driver.session.bind(target.driver);
  vi.spyOn(target.driver, 'session').mockImplementation((config) => {
    const real: Session = session(config);
    const run = real.run.bind(real);
    vi.spyOn(real, 'run').mockImplementation(((...args: Parameters<Session['run']>) => {
      runs += 1;
      if (runs <= failures) throw error();
      return run(...args);
    }) as Session['run']);
    return real;
  });
  return { runs: () => runs };
}

const transient = () => new Neo4jError('the database is briefly unavailable', 'Neo.TransientError.General.DatabaseUnavailable', '50N42', 'error: general processing exception');
const unavailable = () => new Neo4jError('no connection to the database', 'ServiceUnavailable', '50N42', 'error: general processing exception');

afterEach(async () => {
  vi.restoreAllMocks();
  for (const made of open.splice(0)) await made.close();
});

describe('Db.read as an auto-commit query', () => {
  it('retries a retryable failure and answers once Neo4j takes the read', async () => {
    const target = db(5000);
    const faults = failRuns(target, 2, transient);
    expect(neo4j.isRetryableError(transient())).toBe(true);
    expect(await target.read<{ answer: number }>({ cypher: 'RETURN $n AS answer', params: { n: 42 } })).toEqual([{ answer: 42 }]);
    expect(faults.runs()).toBe(3);
  });

  it('gives up after retryMs with the error mapped as every outage is', async () => {
    const target = db(300);
    const faults = failRuns(target, 1000, unavailable);
    expect(neo4j.isRetryableError(unavailable())).toBe(true);
    const started = Date.now();
    const failure = await target.read({ cypher: 'RETURN 1' }).catch((error: unknown) => error);
    // Unavailable, not a timeout or a bad request: the error formatter answers it masked, as any outage.
    expect(failure).toBeInstanceOf(UnavailableError);
    expect(Date.now() - started).toBeLessThan(2000);
    // 200 ms, then 400 ms would pass 300 ms: two attempts.
    expect(faults.runs()).toBe(2);
  });

  it('does not retry a failure that is not retryable (a syntax error)', async () => {
    const target = db(5000);
    let runs = 0;
    const session = target.driver.session.bind(target.driver);
    vi.spyOn(target.driver, 'session').mockImplementation((config) => {
      const real = session(config);
      const run = real.run.bind(real);
      vi.spyOn(real, 'run').mockImplementation(((...args: Parameters<Session['run']>) => {
        runs += 1;
        return run(...args);
      }) as Session['run']);
      return real;
    });
    await expect(target.read({ cypher: 'RETURN (' })).rejects.toThrow();
    expect(runs).toBe(1);
  });
});
