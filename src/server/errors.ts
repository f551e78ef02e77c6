import { HeaderMap } from '@apollo/server';
import { unwrapResolverError } from '@apollo/server/errors';
import type { GraphQLError, GraphQLFormattedError } from 'graphql';
import type { Logger } from 'pino';
import { HubError } from '../errors';

/** Codes that GraphQL itself raises for a malformed request: the client's fault. */
const CLIENT_CODES = new Set(['GRAPHQL_PARSE_FAILED', 'GRAPHQL_VALIDATION_FAILED', 'BAD_USER_INPUT', 'BAD_REQUEST', 'OPERATION_RESOLUTION_FAILURE', 'PERSISTED_QUERY_NOT_FOUND', 'PERSISTED_QUERY_NOT_SUPPORTED']);

/**
 * Errors thrown on purpose (HubError) reach the client as they are; a malformed request is
 * BAD_USER_INPUT (the GraphQL reason kept in `extensions.reason`); anything else is logged with
 * the request id and masked as INTERNAL_SERVER_ERROR.
 */
export function formatError(log: Logger, requestId: () => string | undefined) {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const original = unwrapResolverError(error);
    if (original instanceof HubError) {
      // `http` told Apollo the status code; it is not for the client.
      const { http: _http, ...extensions } = original.extensions;
      return { message: original.message, path: formatted.path, locations: formatted.locations, extensions };
    }
    const code = formatted.extensions?.code;
    if (typeof code === 'string' && CLIENT_CODES.has(code)) {
      return {
        ...formatted,
        extensions: { code: 'BAD_USER_INPUT', ...(code !== 'BAD_USER_INPUT' ? { reason: code } : {}) },
      };
    }
    const id = requestId();
    log.error({ err: original, requestId: id, path: formatted.path }, 'internal error');
    return {
      message: 'Internal server error',
      path: formatted.path,
      locations: formatted.locations,
      extensions: { code: 'INTERNAL_SERVER_ERROR', requestId: id },
    };
  };
}

/** An error that tells Apollo its HTTP status and headers; formatError removes them before the client sees it. */
export function withStatus<E extends GraphQLError>(error: E, status: number, headers: Record<string, string> = {}): E {
  Object.assign(error.extensions, { http: { status, headers: new HeaderMap(Object.entries(headers)) } });
  return error;
}
