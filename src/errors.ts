import { GraphQLError } from 'graphql';

/**
 * The errors the hub throws on purpose. Each carries a stable `extensions.code` (DESIGN §4);
 * anything else reaching the client is masked as INTERNAL_SERVER_ERROR (see src/server/errors.ts).
 */
export type ErrorCode =
  | 'UNAUTHENTICATED'
  | 'FORBIDDEN'
  | 'NOT_FOUND'
  | 'BAD_USER_INPUT'
  | 'CONFLICT'
  | 'RATE_LIMITED'
  | 'TIMEOUT'
  | 'INTERNAL_SERVER_ERROR';

export class HubError extends GraphQLError {
  constructor(code: ErrorCode, message: string, extra: Record<string, unknown> = {}) {
    super(message, { extensions: { code, ...extra } });
  }
}

export class UnauthenticatedError extends HubError {
  constructor(message = 'a valid bearer token is required') {
    super('UNAUTHENTICATED', message);
  }
}

export class ForbiddenError extends HubError {
  constructor(message = 'not allowed') {
    super('FORBIDDEN', message);
  }
}

/** Used for unknown ids and invisible ones alike: the message never says which. */
export class NotFoundError extends HubError {
  constructor(kind: string, id: string) {
    super('NOT_FOUND', `${kind} ${JSON.stringify(id)} not found`);
  }
}

export interface FieldProblem {
  field: string;
  message: string;
}

export class BadInputError extends HubError {
  constructor(message: string, problems: FieldProblem[] = []) {
    super('BAD_USER_INPUT', message, problems.length ? { problems } : {});
  }
}

export class ConflictError extends HubError {
  constructor(message: string) {
    super('CONFLICT', message);
  }
}

export class RateLimitedError extends HubError {
  constructor(message: string, retryAfterSeconds: number) {
    super('RATE_LIMITED', message, { retryAfterSeconds });
  }
}

/**
 * The work did not finish within its time (a Neo4j transaction's timeout or the request's
 * budget) and was cancelled: nothing of it was written. HTTP 504; the same request will most
 * likely time out again, so it is no hint to retry as it is.
 */
export class TimeoutError extends HubError {
  constructor(message = 'the request took too long and was cancelled') {
    super('TIMEOUT', message, { http: { status: 504 } });
  }
}

/** Infrastructure failure: logged and masked like any internal error, but counted apart. */
export class UnavailableError extends Error {}
