import type http from 'node:http';
import type { GraphQLSchema } from 'graphql';
import type { Logger } from 'pino';
import type { Authenticator } from '../auth/principal';
import type { Services } from '../resolvers/context';
import { CLOSE } from '../subscriptions/close-codes';
import { LiveDispatcher } from '../subscriptions/dispatcher';
import { LiveFeeds } from '../subscriptions/live-feeds';
import { LivePrincipals } from '../subscriptions/live-principals';
import { serveLiveSocket } from './live-socket';
import type { QueryProtection } from './protection';
import type { RequestLimits } from './request-limit';

export interface Live {
  principals: LivePrincipals;
  dispatcher: LiveDispatcher;
  dispose(): Promise<void>;
}

/**
 * Live updates on this hub: the principals with open sockets (kept current by policy
 * invalidations), the dispatcher that routes bus events to them, and the graphql-ws socket.
 */
export function startLive(options: {
  httpServer: http.Server;
  schema: GraphQLSchema;
  protection: QueryProtection;
  authenticator: Authenticator;
  requestLimits: RequestLimits;
  services: Services;
  log: Logger;
}): Live {
  const { services, log } = options;
  const principals = new LivePrincipals((subject) => options.authenticator.contextOf(subject), services.config.live, log);
  // The policy cache hears every invalidation, from this hub directly and from the others through the bus.
  const offInvalidate = services.policyCache.onInvalidate((subject) => principals.invalidate(subject));
  const offHealth = services.events.onHealthChange?.((health) => {
    if (!health.ready) principals.closeAll(CLOSE.EVENTS_INTERRUPTED);
  });
  const dispatcher = new LiveDispatcher(services.db, services.events, principals, log, services.justWritten);
  const feeds = new LiveFeeds(services.db, dispatcher, services.config.live.bufferedEvents);
  const socket = serveLiveSocket({ ...options, principals, feeds });
  return {
    principals,
    dispatcher,
    async dispose() {
      offInvalidate();
      offHealth?.();
      dispatcher.close();
      principals.close();
      await socket.dispose();
    },
  };
}
