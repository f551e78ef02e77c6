import { Neo4jError } from 'neo4j-driver';
import { ConflictError, UnavailableError } from '../errors';

/** Neo4j failures mapped to domain errors in one place; anything else stays internal. */
export function mapNeo4jError(error: unknown): unknown {
  if (!(error instanceof Neo4jError)) return error;
  if (error.code === 'Neo.ClientError.Schema.ConstraintValidationFailed') {
    return new ConflictError('a record with this key already exists');
  }
  if (error.code === 'ServiceUnavailable' || error.code === 'SessionExpired') {
    return new UnavailableError('the graph database is unavailable', { cause: error });
  }
  return error;
}
