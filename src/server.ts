import { randomUUID } from 'node:crypto';
import http from 'node:http';
import { AsyncLocalStorage } from 'node:async_hooks';
import { ApolloServer, type ApolloServerPlugin } from '@apollo/server';
import { ApolloServerPluginCacheControlDisabled, ApolloServerPluginInlineTraceDisabled, ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { expressMiddleware } from '@as-integrations/express5';
import express, { type ErrorRequestHandler } from 'express';
import type { GraphQLSchema } from 'graphql';
import pino, { type Logger } from 'pino';
import { Authenticator } from './auth/principal';
import { readsOnlyServiceSdl, SDL_READER } from './auth/service-sdl';
import { createVerifier } from './auth/tokens';
import type { Config } from './config';
import { HubError, type ErrorCode } from './errors';
import { type AuditSink, AuditWriter } from './graph/audit';
import { AuditJournal } from './graph/audit-journal';
import { AuditTrail } from './graph/audit-trail';
import { Db, dbOptions } from './graph/db';
import { GraphSession } from './graph/session';
import { PolicyCache } from './policy/cache';
import type { HubContext, Services } from './resolvers/context';
import { hubSchema } from './resolvers/schema';
import { formatError, withStatus } from './server/errors';
import { auditPlugin } from './server/audit-plugin';
import { mountBoard } from './server/board';
import { exportNetwork } from './server/export';
import { InFlight } from './server/in-flight';
import { jitGateway } from './server/jit';
import { startLive, type Live } from './server/live';
import { HubMetrics } from './server/metrics';
import { beforeExecutionPlugin, queryProtection } from './server/protection';
import { RateLimiter } from './server/rate-limit';
import { byIdReadPlugin, limitKey, RequestLimits } from './server/request-limit';
import type { EventBus } from './subscriptions/bus';
import { createBus } from './subscriptions/create-bus';
import { JustWritten } from './subscriptions/just-written';
import { within } from './timeout';

/**
 * One hub: HTTP (GraphQL over POST /graphql, health, readiness, metrics) on one port.
 * Stateless: every principal and policy context comes from the graph.
 */
export interface Hub {
  url: string;
  port: number;
  services: Services;
  metrics: HubMetrics;
  /** Live updates over graphql-ws on the same port and path. */
  live: Live;
  stop(): Promise<void>;
}

export interface HubOptions {
  config: Config;
  db?: Db;
  events?: EventBus;
  log?: Logger;
  /** Another executable schema over the same context (the benchmark's plain graphql-js schema); the hub's own by default. */
  schema?: GraphQLSchema;
  /** Apollo's defaults (indented JSON, the cache-control plugin): the benchmark's reference for what they cost. */
  apolloDefaults?: boolean;
}

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

export async function startHub(options: HubOptions): Promise<Hub> {
  const { config } = options;
  const log = options.log ?? pino({ level: config.logLevel, base: { service: 'ison-hub' } });
  const ownsDb = !options.db;
  const db = options.db ?? new Db(dbOptions(config));
  const events = options.events ?? (await createBus(config, log));
  const policyCache = new PolicyCache(config.limits.principalCacheMs);
  const audit: AuditSink = config.auditJournalDir ? await AuditJournal.open(db, config.auditJournalDir, log) : new AuditWriter(db);
  const screeningLimiter = config.redisUrl
    ? RateLimiter.shared('screening', config.limits.screeningPerMinute, config.redisUrl, log)
    : RateLimiter.inProcess('screening', config.limits.screeningPerMinute);
  const requestLimits = RequestLimits.create(config, log);
  const services: Services = { config, db, policyCache, events, log, audit, screeningLimiter, justWritten: new JustWritten() };
  const metrics = new HubMetrics(() => audit.backlog);
  db.observe(() => metrics.cypher.inc());
  // Invalidation heard from any hub (including this one) drops the cached contexts here.
  events.subscribe((event) => {
    if (event.type === 'policy.invalidate') policyCache.invalidate(event.subject);
  });

  const authenticator = new Authenticator(await createVerifier(config), db, policyCache);
  const requestIds = new AsyncLocalStorage<string>();
  const app = express();
  const httpServer = http.createServer(app);
  const schema = options.schema ?? (await hubSchema());
  // One set of limits for HTTP and the WebSocket.
  const guard = queryProtection(config.limits, config.security);
  const protection = guard.apollo;
  const production = config.security.production;

  const apollo = new ApolloServer<HubContext>({
    ...(config.executor === 'jit' ? { gateway: jitGateway(schema, (executor) => metrics.executions.inc({ executor })) } : { schema }),
    ...protection,
    plugins: [
      ...protection.plugins,
      beforeExecutionPlugin(config.limits.maxPageSize),
      byIdReadPlugin(requestLimits),
      ApolloServerPluginDrainHttpServer({ httpServer }),
      auditPlugin(log),
      metricsPlugin(metrics, config.executor),
      // Apollo's default landing page loads its sandbox from a CDN: never served.
      ApolloServerPluginLandingPageDisabled(),
    ],
    formatError: formatError(log, () => requestIds.getStore()),
    includeStacktraceInErrorResponses: false,
    // Development lets tools read the schema; production does not (`_service` stays, for composition).
    introspection: !production,
    // The process decides how to stop (src/main.ts): Apollo's own SIGINT/SIGTERM handlers would
    // start a second, competing stop that holds `stop()` until its grace period ends.
    stopOnTerminationSignals: false,
    // Compact JSON: Apollo's default indents every response (megabytes for a nested read).
    ...(options.apolloDefaults ? {} : { stringifyResult: (result: unknown) => JSON.stringify(result) }),
  });
  // No field has a @cacheControl hint: the default plugin's hook on every field would only cost.
  if (!options.apolloDefaults) apollo.addPlugin(ApolloServerPluginCacheControlDisabled());
  // As a subgraph, Apollo Server would send field traces (timings, unmasked errors) to any gateway that asks.
  apollo.addPlugin(ApolloServerPluginInlineTraceDisabled());
  await apollo.start();

  const inFlight = new InFlight();
  app.disable('x-powered-by');
  app.use((req, res, next) => {
    const header = req.header('x-request-id');
    const requestId = header && REQUEST_ID.test(header) ? header : randomUUID();
    res.setHeader('x-request-id', requestId);
    requestIds.run(requestId, next);
  });
  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.get('/readyz', async (_req, res) => {
    try {
      if (!(await within(db.verify().then(() => true), 2000, false))) throw new Error('Neo4j did not answer within 2 s');
      const bus = events.health?.();
      if (bus && !bus.ready) {
        res.status(503).json({ status: 'unavailable', reason: `event bus: ${bus.reason ?? 'not ready'}` });
        return;
      }
      res.json({ status: 'ready' });
    } catch (error) {
      res.status(503).json({ status: 'unavailable', reason: 'neo4j unreachable' });
      log.warn({ err: error }, 'readiness check failed');
    }
  });
  app.get('/metrics', async (_req, res) => {
    res.type(metrics.registry.contentType).send(await metrics.registry.metrics());
  });
  mountBoard(app, config);
  app.get(
    '/export/network',
    // The same time budget and request allowance as a GraphQL request.
    (_req, _res, next) => Db.withBudget(config.resilience.requestTimeoutMs, next),
    inFlight.track(exportNetwork({
      authenticator,
      db,
      audit,
      auditEnabled: config.auditEnabled,
      log,
      admit: (principal, address) => requestLimits.admit(limitKey(principal, address)),
    })),
  );
  app.use(
    '/graphql',
    // The request's time budget: its Neo4j transactions share it (src/graph/db.ts).
    (_req, _res, next) => Db.withBudget(config.resilience.requestTimeoutMs, next),
    express.json({ limit: config.security.maxBodyBytes }),
    inFlight.track(expressMiddleware(apollo, {
      context: async ({ req }) => {
        const requestId = requestIds.getStore() ?? randomUUID();
        const principal = await authenticator.authenticate(req.headers.authorization).catch(async (error: unknown) => {
          if (!req.headers.authorization && readsOnlyServiceSdl(req.body, config.limits.maxTokens)) return SDL_READER;
          // Guessing tokens costs allowance too: counted by address, as there is no principal.
          await requestLimits.admit(limitKey(null, req.socket.remoteAddress));
          throw asHttpError(error);
        });
        await requestLimits.admit(limitKey(principal, req.socket.remoteAddress));
        return {
          requestId,
          principal,
          graph: new GraphSession(
            db,
            principal,
            config.auditEnabled ? new AuditTrail(audit, principal, requestId) : AuditTrail.disabled(principal, requestId),
          ),
          services,
          log: log.child({ requestId }),
        };
      },
    })),
  );

  app.use(bodyErrors(log));

  const live = startLive({ httpServer, schema, protection: guard, authenticator, requestLimits, services, log });

  await new Promise<void>((resolve, reject) => {
    httpServer.once('error', reject);
    httpServer.listen(config.port, config.host, () => resolve());
  });
  const address = httpServer.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const url = `http://${config.host}:${port}/graphql`;
  log.info({ url }, 'hub listening');

  return {
    url,
    port,
    services,
    metrics,
    live,
    async stop() {
      const step = async (name: string, work: () => Promise<unknown>) => {
        const started = Date.now();
        await work();
        log.debug({ ms: Date.now() - started }, `stop: ${name}`);
      };
      await step('live sockets closed', () => live.dispose());
      await step('HTTP drained', () => apollo.stop());
      // Requests whose clients left are not held by any connection; their audit events still come.
      await step('requests finished', async () => {
        if (!(await inFlight.idle(config.resilience.requestTimeoutMs + 5000))) {
          log.warn({ running: inFlight.count }, 'stop: requests still running after their time budget');
        }
      });
      await step('event bus closed', () => events.close());
      await step('audit trail settled', () => audit.close());
      await step('limiters closed', () => Promise.all([screeningLimiter.close(), requestLimits.close()]));
      if (ownsDb) await db.close();
    },
  };
}

/** Authentication failures carry their HTTP status: 401 for who, 403 for what. */
function asHttpError(error: unknown): unknown {
  if (!(error instanceof HubError) || error.extensions.http) return error;
  const code = error.extensions.code as ErrorCode;
  return withStatus(error, code === 'UNAUTHENTICATED' ? 401 : code === 'FORBIDDEN' ? 403 : 400);
}

/**
 * A body that never reached GraphQL (too large, not JSON, unsupported encoding) is answered as
 * GraphQL errors are, with a code and no stack trace: Express's default page would show one.
 */
const bodyErrors = (log: Logger): ErrorRequestHandler => (error: { status?: number; type?: string }, _req, res, next) => {
  if (res.headersSent) return next(error);
  if (!error.status || error.status >= 500) log.error({ err: error }, 'request failed before GraphQL');
  const status = typeof error.status === 'number' && error.status >= 400 && error.status < 500 ? error.status : 500;
  const message =
    status === 413 ? 'the request body is too large' : error.type === 'entity.parse.failed' ? 'the request body is not valid JSON' : status < 500 ? 'the request body cannot be read' : 'Internal server error';
  res.status(status).json({ errors: [{ message, extensions: { code: status < 500 ? 'BAD_USER_INPUT' : 'INTERNAL_SERVER_ERROR' } }] });
};

function metricsPlugin(metrics: HubMetrics, executor: Config['executor']): ApolloServerPlugin<HubContext> {
  return {
    async requestDidStart() {
      const started = process.hrtime.bigint();
      return {
        // With GRAPHQL_EXECUTOR=jit the executor counts what it ran (src/server/jit.ts).
        ...(executor === 'graphql-js' ? { async executionDidStart() { metrics.executions.inc({ executor: 'graphql-js' }); } } : {}),
        async willSendResponse({ operation, errors }) {
          const type = operation?.operation ?? 'unknown';
          metrics.requests.inc({ operation: type, outcome: errors?.length ? 'error' : 'ok' });
          metrics.duration.observe({ operation: type }, Number(process.hrtime.bigint() - started) / 1e9);
        },
      };
    },
  };
}
