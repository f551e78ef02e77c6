import type { ApolloServerPlugin } from '@apollo/server';
import type { Logger } from 'pino';
import type { HubContext } from '../resolvers/context';

/**
 * Nothing leaves before the trail holds it (DESIGN §3, Audit): the request's events are
 * committed (group commit, src/graph/audit.ts) before Apollo sends the response. When that
 * write fails the response fails closed: its data is dropped and the client gets a masked
 * INTERNAL_SERVER_ERROR, because an unrecorded read must not happen.
 */
export function auditPlugin(log: Logger): ApolloServerPlugin<HubContext> {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ contextValue, response }) {
          // Requests that failed before their context existed (authentication) read nothing.
          const trail = contextValue?.graph?.audit;
          if (!trail) return;
          try {
            await trail.flush();
          } catch (error) {
            log.error({ err: error, requestId: contextValue.requestId }, 'audit write failed; response withheld');
            response.http.status = 500;
            response.body = {
              kind: 'single',
              singleResult: {
                errors: [{ message: 'Internal server error', extensions: { code: 'INTERNAL_SERVER_ERROR', requestId: contextValue.requestId } }],
              },
            };
          }
        },
      };
    },
  };
}
