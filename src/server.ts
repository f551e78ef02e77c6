import { randomUUID } from 'node:crypto';
import http from 'node:http';
import { AsyncLocalStorage } from 'node:async_hooks';
import { ApolloServer, type ApolloServerPlugin } from '@apollo/server';
import { ApolloServerPluginInlineTraceDisabled } from '@apollo/server/plugin/disabled';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { expressMiddleware } from '@as-integrations/express5';
import express from 'express';
import pino, { type Logger } from 'pino';
import { Authenticator } from './auth/principal';
import { readsOnlyServiceSdl, SDL_READER } from './auth/service-sdl';
import { createVerifier } from './auth/tokens';
import type { Config } from './config';
import { HubError, type ErrorCode } from './errors';
import { type AuditSink, AuditWriter } from './graph/audit';
import { AuditJournal } from './graph/audit-journal';
import { AuditTrail } from './graph/audit-trail';
import { Db } from './graph/db';
import { GraphSession } from './graph/session';
import { PolicyCache } from './policy/cache';
import type { HubContext, Services } from './resolvers/context';
import { hubSchema } from './resolvers/schema';
import { formatError } from './server/errors';
import { auditPlugin } from './server/audit-plugin';
import { exportNetwork } from './server/export';
import { startLive, type Live } from './server/live';
import { HubMetrics } from './server/metrics';
import { queryProtection } from './server/protection';
import { RateLimiter } from './server/rate-limit';
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
}

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

export async function startHub(options: HubOptions): Promise<Hub> {
  const { config } = options;
  const log = options.log ?? pino({ level: config.logLevel, base: { service: 'ison-hub' } });
  const ownsDb = !options.db;
  const db =
    options.db ??
    new Db({ uri: config.neo4j.uri!, username: config.neo4j.username, password: config.neo4j.password, database: config.neo4j.database });
  const events = options.events ?? (await createBus(config, log));
  const policyCache = new PolicyCache(config.limits.principalCacheMs);
  const audit: AuditSink = config.auditJournalDir ? await AuditJournal.open(db, config.auditJournalDir, log) : new AuditWriter(db);
  const screeningLimiter = config.redisUrl
    ? RateLimiter.shared('screening', config.limits.screeningPerMinute, config.redisUrl, log)
    : RateLimiter.inProcess('screening', config.limits.screeningPerMinute);
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
  const schema = await hubSchema();
  // One set of limits for HTTP and the WebSocket.
  const guard = queryProtection(config.limits);
  const protection = guard.apollo;

  const apollo = new ApolloServer<HubContext>({
    schema,
    ...protection,
    plugins: [...protection.plugins, ApolloServerPluginDrainHttpServer({ httpServer }), auditPlugin(log), metricsPlugin(metrics)],
    formatError: formatError(log, () => requestIds.getStore()),
    includeStacktraceInErrorResponses: false,
    introspection: true,
    // The process decides how to stop (src/main.ts): Apollo's own SIGINT/SIGTERM handlers would
    // start a second, competing stop that holds `stop()` until its grace period ends.
    stopOnTerminationSignals: false,
  });
  // As a subgraph, Apollo Server would send field traces (timings, unmasked errors) to any gateway that asks.
  apollo.addPlugin(ApolloServerPluginInlineTraceDisabled());
  await apollo.start();

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
  app.get('/export/network', exportNetwork({ authenticator, db, audit, auditEnabled: config.auditEnabled, log }));
  app.use(
    '/graphql',
    express.json({ limit: '1mb' }),
    expressMiddleware(apollo, {
      context: async ({ req }) => {
        const requestId = requestIds.getStore() ?? randomUUID();
        const principal = await authenticator.authenticate(req.headers.authorization).catch((error: unknown) => {
          if (!req.headers.authorization && readsOnlyServiceSdl(req.body)) return SDL_READER;
          throw asHttpError(error);
        });
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
    }),
  );

  const live = startLive({ httpServer, schema, protection: guard, authenticator, services, log });

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
      await step('event bus closed', () => events.close());
      await step('audit trail settled', () => audit.close());
      await step('limiter closed', () => screeningLimiter.close());
      if (ownsDb) await db.close();
    },
  };
}

/** Authentication failures carry their HTTP status: 401 for who, 403 for what. */
function asHttpError(error: unknown): unknown {
  if (!(error instanceof HubError)) return error;
  const status = error.extensions.code === 'UNAUTHENTICATED' ? 401 : error.extensions.code === 'FORBIDDEN' ? 403 : 400;
  const { code, ...extra } = error.extensions as { code: ErrorCode };
  return new HubError(code, error.message, { ...extra, http: { status } });
}

function metricsPlugin(metrics: HubMetrics): ApolloServerPlugin<HubContext> {
  return {
    async requestDidStart() {
      const started = process.hrtime.bigint();
      return {
        async willSendResponse({ operation, errors }) {
          const type = operation?.operation ?? 'unknown';
          metrics.requests.inc({ operation: type, outcome: errors?.length ? 'error' : 'ok' });
          metrics.duration.observe({ operation: type }, Number(process.hrtime.bigint() - started) / 1e9);
        },
      };
    },
  };
}
