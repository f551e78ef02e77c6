import { Neo4jError } from 'neo4j-driver';
import { ConflictError, TimeoutError, UnavailableError } from '../errors';

/** Neo4j cancelled the transaction because its timeout (Db's transaction config) had passed. */
const TIMED_OUT = new Set(['Neo.ClientError.Transaction.TransactionTimedOut', 'Neo.ClientError.Transaction.TransactionTimedOutClientConfiguration']);
/**
 * A transaction stopped while it waited for a lock: by its timeout, by an operator, or by a
 * database shutting down. Only the first is a TIMEOUT; the caller knows whether the time was up.
 */
const LOCK_WAIT_STOPPED = 'Neo.ClientError.Transaction.LockClientStopped';

/** Neo4j failures mapped to domain errors in one place; anything else stays internal. */
export function mapNeo4jError(error: unknown, timeIsUp = false): unknown {
  if (!(error instanceof Neo4jError)) return error;
  if (error.code === 'Neo.ClientError.Schema.ConstraintValidationFailed') {
    return new ConflictError('a record with this key already exists');
  }
  if (TIMED_OUT.has(error.code) || (error.code === LOCK_WAIT_STOPPED && timeIsUp)) return new TimeoutError();
  if (error.code === 'ServiceUnavailable' || error.code === 'SessionExpired') {
    return new UnavailableError('the graph database is unavailable', { cause: error });
  }
  return error;
}
