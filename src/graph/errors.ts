import { Neo4jError } from 'neo4j-driver';
import { ConflictError, TimeoutError, UnavailableError } from '../errors';

/**
 * Neo4j cancelled the transaction because its timeout (Db's transaction config) had passed.
 * A transaction that was waiting for a lock when it timed out reports LockClientStopped.
 */
const TIMED_OUT = new Set([
  'Neo.ClientError.Transaction.TransactionTimedOut',
  'Neo.ClientError.Transaction.TransactionTimedOutClientConfiguration',
  'Neo.ClientError.Transaction.LockClientStopped',
]);

/** Neo4j failures mapped to domain errors in one place; anything else stays internal. */
export function mapNeo4jError(error: unknown): unknown {
  if (!(error instanceof Neo4jError)) return error;
  if (error.code === 'Neo.ClientError.Schema.ConstraintValidationFailed') {
    return new ConflictError('a record with this key already exists');
  }
  if (TIMED_OUT.has(error.code)) return new TimeoutError();
  if (error.code === 'ServiceUnavailable' || error.code === 'SessionExpired') {
    return new UnavailableError('the graph database is unavailable', { cause: error });
  }
  return error;
}
