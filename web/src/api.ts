import { createClient, type Client } from 'graphql-ws';

/**
 * How the pages talk to the hub: GraphQL over HTTP on this origin's /graphql and graphql-ws on
 * the same path. Nothing else is ever contacted.
 */
export const GRAPHQL_PATH = '/graphql';
const TOKEN_KEY = 'isonhub.token';

export const tokenStore = {
  get: (): string | null => sessionStorage.getItem(TOKEN_KEY),
  set: (token: string) => sessionStorage.setItem(TOKEN_KEY, token),
  clear: () => sessionStorage.removeItem(TOKEN_KEY),
};

export interface GqlError {
  message: string;
  extensions?: { code?: string; problems?: { field: string; message: string }[] };
}

/** A GraphQL error answer, with the hub's stable code. */
export class HubRequestError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export async function gql<T>(token: string, query: string, variables?: Record<string, unknown>): Promise<T> {
  const response = await fetch(GRAPHQL_PATH, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json, application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query, variables }),
  });
  let body: { data?: T; errors?: GqlError[] };
  try {
    body = (await response.json()) as typeof body;
  } catch {
    throw new HubRequestError('INTERNAL_SERVER_ERROR', `the hub answered HTTP ${response.status}`);
  }
  if (body.errors?.length) {
    const [first] = body.errors;
    const problems = first.extensions?.problems?.map((p) => `${p.field}: ${p.message}`).join('; ');
    throw new HubRequestError(first.extensions?.code ?? 'INTERNAL_SERVER_ERROR', problems ? `${first.message} (${problems})` : first.message);
  }
  return body.data as T;
}

export function wsUrl(): string {
  return `${location.protocol === 'https:' ? 'wss:' : 'ws:'}//${location.host}${GRAPHQL_PATH}`;
}

export type LiveState = 'connecting' | 'live' | 'reconnecting' | 'closed';

/**
 * One graphql-ws client per signed-in page. It reconnects on its own after any drop (1013
 * "resume with your last cursor" included); subscriptions that carry their last cursor in their
 * variables resume from it (see subscribeResumable).
 */
export function liveClient(token: string, onState: (state: LiveState, detail?: string) => void): Client {
  return createClient({
    url: wsUrl(),
    connectionParams: { authorization: `Bearer ${token}` },
    lazy: false,
    keepAlive: 10_000,
    retryAttempts: Infinity,
    // Retry every close but a refused token or a suspension: those need the officer.
    shouldRetry: (event) => !isCloseEvent(event) || ![4401, 4403].includes(event.code),
    retryWait: async (retries) => new Promise((resolve) => setTimeout(resolve, Math.min(500 * 2 ** retries, 8000))),
    onNonLazyError: () => {},
    on: {
      connecting: (retrying) => onState(retrying ? 'reconnecting' : 'connecting'),
      connected: () => onState('live'),
      // 4401 (token refused) and 4403 (suspended) end the connection; every other close is retried.
      closed: (event) =>
        isCloseEvent(event)
          ? onState([4401, 4403].includes(event.code) ? 'closed' : 'reconnecting', `${event.code} ${event.reason}`)
          : onState('reconnecting'),
    },
  });
}

function isCloseEvent(value: unknown): value is { code: number; reason: string } {
  return typeof value === 'object' && value !== null && 'code' in value;
}

export interface Resumable {
  stop(): void;
}

/**
 * A subscription that resumes where it left off. graphql-ws sends the same payload object again
 * when it resubscribes after a reconnect, so keeping the last cursor in its variables makes the
 * hub replay exactly the updates missed meanwhile (no gap); ids already seen are dropped (no
 * duplicate, whatever the network did).
 */
export function subscribeResumable<T extends { id: string; cursor: string }>(
  client: Client,
  query: string,
  variables: Record<string, unknown> & { after: string | null },
  pick: (data: Record<string, unknown>) => T,
  sink: { next(item: T): void; error(error: GqlError): void },
): Resumable {
  const payload = { query, variables: { ...variables } };
  const seen = new Set<string>();
  const stop = client.subscribe<Record<string, unknown>>(payload, {
    next: (result) => {
      if (result.errors?.length) {
        sink.error(result.errors[0] as GqlError);
        return;
      }
      if (!result.data) return;
      const item = pick(result.data);
      payload.variables.after = item.cursor;
      if (seen.has(item.id)) return;
      seen.add(item.id);
      sink.next(item);
    },
    error: (error) => {
      if (Array.isArray(error)) sink.error(error[0] as GqlError);
      else if (isCloseEvent(error)) sink.error({ message: `live connection closed: ${error.code} ${error.reason}`, extensions: { code: 'CLOSED' } });
      else sink.error({ message: String(error) });
    },
    complete: () => {},
  });
  return { stop };
}
