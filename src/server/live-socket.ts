import { randomUUID } from 'node:crypto';
import type http from 'node:http';
import { getOperationAST, GraphQLError, type GraphQLFormattedError, type GraphQLSchema } from 'graphql';
import type { Context } from 'graphql-ws';
import { useServer } from 'graphql-ws/use/ws';
import type { Logger } from 'pino';
import { WebSocketServer } from 'ws';
import type { Authenticator } from '../auth/principal';
import { BadInputError, HubError, RateLimitedError } from '../errors';
import { GraphSession } from '../graph/session';
import type { HubContext, Services } from '../resolvers/context';
import { CLOSE } from '../subscriptions/close-codes';
import type { LiveConnection, LiveFeeds } from '../subscriptions/live-feeds';
import type { LivePrincipals } from '../subscriptions/live-principals';
import { formatError } from './errors';
import { checkPageSizes, parseAndValidate, variableErrors, type QueryProtection } from './protection';
import { limitKey, type RequestLimits } from './request-limit';
import { sharedSubscribe } from './shared-subscribe';

export interface LiveSocketOptions {
  httpServer: http.Server;
  schema: GraphQLSchema;
  protection: QueryProtection;
  authenticator: Authenticator;
  requestLimits: RequestLimits;
  services: Services;
  principals: LivePrincipals;
  feeds: LiveFeeds;
  log: Logger;
}

type ConnectionParams = { authorization?: unknown };
type LiveContext = Context<ConnectionParams, { live?: LiveConnection; requestId?: string }>;

/**
 * graphql-ws on the HTTP server's port and path. The token comes in connection_init; the same
 * parse and validation limits and the same error masking as over HTTP apply. Subscriptions
 * only: queries and mutations go over HTTP, where the audit trail and metrics see them.
 */
export function serveLiveSocket(options: LiveSocketOptions): { dispose(): Promise<void> } {
  const { services, principals, log } = options;
  const { live } = services.config;
  const wss = new WebSocketServer({ server: options.httpServer, path: '/graphql', maxPayload: live.maxPayloadBytes });
  const format = (requestId: string | undefined, errors: readonly GraphQLError[]): GraphQLFormattedError[] => {
    // graphql-ws wraps what an iterator throws in a fresh GraphQLError; judge the original.
    return errors.map((error) => {
      const original = error.originalError instanceof HubError ? error.originalError : error;
      return formatError(log, () => requestId)(error.toJSON(), original);
    });
  };

  const server = useServer<ConnectionParams, { live?: LiveConnection; requestId?: string }>(
    {
      schema: options.schema,
      subscribe: sharedSubscribe,
      connectionInitWaitTimeout: live.initTimeoutMs,
      onConnect: async (ctx) => {
        const socket = ctx.extra.socket;
        const bus = services.events.health?.();
        if (bus && !bus.ready) {
          socket.close(CLOSE.EVENTS_INTERRUPTED.code, CLOSE.EVENTS_INTERRUPTED.reason);
          return false;
        }
        const authorization = ctx.connectionParams?.authorization;
        let context;
        try {
          context = await options.authenticator.authenticate(typeof authorization === 'string' ? authorization : undefined);
        } catch (error) {
          // A principal that could not be loaded is no bad token: the client should come back, not sign in again.
          const code = error instanceof HubError ? error.extensions.code : 'UNAVAILABLE';
          const why = code === 'FORBIDDEN' ? CLOSE.FORBIDDEN : code === 'UNAVAILABLE' || code === 'TIMEOUT' ? CLOSE.UNAVAILABLE : CLOSE.UNAUTHENTICATED;
          if (!(error instanceof HubError)) log.error({ err: error }, 'live socket authentication failed');
          socket.close(why.code, why.reason);
          return false;
        }
        const principal = principals.attach(context, socket);
        if (!principal) {
          socket.close(CLOSE.TOO_MANY_SOCKETS.code, CLOSE.TOO_MANY_SOCKETS.reason);
          return false;
        }
        ctx.extra.live = { principal, socket, feeds: options.feeds };
        return true;
      },
      onClose: (ctx) => {
        if (ctx.extra.live) principals.detach(ctx.extra.live.principal, ctx.extra.socket);
      },
      onSubscribe: async (ctx, _id, payload) => {
        const connection = ctx.extra.live!;
        const requestId = randomUUID();
        ctx.extra.requestId = requestId;
        // This operation is already counted among the socket's subscriptions.
        if (Object.keys(ctx.subscriptions).length > live.subscriptionsPerSocket) {
          return [new RateLimitedError(`at most ${live.subscriptionsPerSocket} subscriptions per socket`, 1)];
        }
        const principal = connection.principal.context;
        try {
          // The same allowance as the principal's HTTP requests.
          await options.requestLimits.admit(limitKey(principal));
        } catch (error) {
          if (error instanceof HubError) return [error];
          throw error;
        }
        const document = parseAndValidate(options.schema, options.protection, payload.query);
        if (Array.isArray(document)) return document;
        const operation = getOperationAST(document, payload.operationName);
        if (operation && operation.operation !== 'subscription') {
          return [new BadInputError('only subscriptions are served over WebSocket; send queries and mutations to POST /graphql')];
        }
        if (operation) {
          const badVariables = variableErrors(options.schema, operation, payload.variables);
          if (badVariables.length) return badVariables;
          try {
            checkPageSizes(document, operation, payload.variables ?? undefined, options.protection.maxPageSize);
          } catch (error) {
            if (error instanceof HubError) return [error];
            throw error;
          }
        }
        // A graph session (with its loaders) only if the subscribe step reads the graph: an idle
        // subscriber holds none; each event brings the session it shares with its group.
        let graph: GraphSession | undefined;
        const contextValue = {
          requestId,
          principal,
          get graph(): GraphSession {
            return (graph ??= new GraphSession(services.db, principal));
          },
          set graph(value: GraphSession) {
            graph = value;
          },
          services,
          log: log.child({ requestId, live: true }),
          live: connection,
        } satisfies HubContext as HubContext;
        return { schema: options.schema, document, operationName: payload.operationName, variableValues: payload.variables, contextValue };
      },
      onNext: (_ctx, _id, _payload, args, result) =>
        result.errors ? { ...result, errors: format((args.contextValue as HubContext).requestId, result.errors) } : undefined,
      onError: (ctx: LiveContext, _id, _payload, errors) => format(ctx.extra.requestId, errors),
    },
    wss,
  );
  return {
    async dispose() {
      await server.dispose();
    },
  };
}

