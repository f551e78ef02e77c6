/**
 * Why the hub closes a live socket. 44xx mirror HTTP statuses as graphql-ws does (4408 is its
 * own init timeout); 1013 "try again later" always means: reconnect and resubscribe with the
 * last cursor you received — the replay from Neo4j fills the gap.
 */
export const CLOSE = {
  /** No valid bearer token in connection_init. */
  UNAUTHENTICATED: { code: 4401, reason: 'Unauthorized: a valid bearer token is required' },
  /** The principal may not connect (suspended), or no longer may. */
  FORBIDDEN: { code: 4403, reason: 'Forbidden' },
  TOO_MANY_SOCKETS: { code: 4429, reason: 'Too many sockets for this principal' },
  SLOW_CONSUMER: { code: 1013, reason: 'Slow consumer: resume with your last cursor' },
  EVENTS_INTERRUPTED: { code: 1013, reason: 'Live events interrupted: resume with your last cursor' },
  POLICY_UNKNOWN: { code: 1013, reason: 'Policy reload failed: resume with your last cursor' },
  /** The token could not be checked (Neo4j unreachable or too slow): not the client's fault. */
  UNAVAILABLE: { code: 1013, reason: 'Graph database unavailable: resume with your last cursor' },
} as const;

export type CloseReason = (typeof CLOSE)[keyof typeof CLOSE];

/** Anything a principal's sockets can be closed through. */
export interface Closable {
  close(code: number, reason: string): void;
}
