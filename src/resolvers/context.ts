import type { Logger } from 'pino';
import type { Config } from '../config';
import type { AuditSink } from '../graph/audit';
import type { Db } from '../graph/db';
import type { GraphSession } from '../graph/session';
import type { PolicyCache } from '../policy/cache';
import type { PolicyContext } from '../policy/context';
import type { RateLimiter } from '../server/rate-limit';
import type { EventBus } from '../subscriptions/bus';
import type { JustWritten } from '../subscriptions/just-written';
import type { LiveConnection } from '../subscriptions/live-feeds';

/** Process-wide services, built once at start. */
export interface Services {
  config: Config;
  db: Db;
  policyCache: PolicyCache;
  events: EventBus;
  log: Logger;
  /** Group-committed audit writes; subscription deliveries record through it too. */
  audit: AuditSink;
  screeningLimiter: RateLimiter;
  /** What this hub just committed, so that its own live deliveries need not read it back. */
  justWritten: JustWritten;
}

/** What every resolver receives: built per request (HTTP) or per operation (WebSocket). */
export interface HubContext {
  requestId: string;
  principal: PolicyContext;
  graph: GraphSession;
  services: Services;
  log: Logger;
  /** Over WebSocket only: the socket's principal and feeds, for subscription resolvers. */
  live?: LiveConnection;
}
