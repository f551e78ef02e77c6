import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import type { ImportFile } from '../../src/import/types';
import { sleep, wsUrl } from '../support/live';
import { worldBuilder } from '../support/world';

/**
 * The load the fault tests put on a hub while they break its servers: writers that post
 * operation updates under client ids and retry the same id until it is acknowledged (so a
 * retry can never apply a write twice), readers, and a live subscriber that resumes by cursor
 * after every close. Everything real: HTTP through fetch, the graphql-ws client over `ws`.
 */
/**
 * The fault tests' world: operation `op` led by XD with XE participating; `dCoord` (XD) posts
 * its updates, `eOfficer` (XE, assigned) may read them all (OFFICIAL, shared by default),
 * `dAdmin` is XD's NCB administrator.
 */
export function operationWorld(prefix: string): { id: (name: string) => string; world: ImportFile } {
  const { id, members, officer } = worldBuilder(prefix);
  const world = {
    ...members(['XD', 'XE']),
    officers: [officer('dCoord', 'XD', ['COORDINATOR']), officer('dAdmin', 'XD', ['NCB_ADMIN']), officer('eOfficer', 'XE', ['OFFICER'])],
    operations: [
      { id: id('op'), codename: 'RESILIENCE', leadCountry: 'XD', status: 'ACTIVE', visibility: 'PARTICIPANTS', participants: ['XE'],
        assignments: [{ officer: id('dCoord') }, { officer: id('eOfficer') }] },
    ],
  } as ImportFile;
  return { id, world };
}

const POST = 'mutation($op: ID!, $input: OperationUpdateInput!) { postOperationUpdate(operationId: $op, input: $input) { id cursor } }';
const READ = 'query($op: ID!) { operation(id: $op) { updates(first: 1) { totalCount } } }';
const SUB = 'subscription($op: ID, $after: String) { operationUpdates(operationId: $op, after: $after) { id cursor } }';

type Body = { data?: Record<string, unknown> | null; errors?: { extensions?: { code?: string } }[] };

async function post(url: string, token: string, query: string, variables: Record<string, unknown>): Promise<{ status: number; body: Body }> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query, variables }),
    signal: AbortSignal.timeout(60_000),
  });
  return { status: response.status, body: (await response.json()) as Body };
}

/** Why a request failed: the error's code, or the HTTP status, or the transport error's name. */
function failure(result: { status: number; body: Body } | Error): string {
  if (result instanceof Error) return `transport:${(result.cause as { code?: string } | undefined)?.code ?? result.name}`;
  return result.body.errors?.[0]?.extensions?.code ?? `HTTP ${result.status}`;
}

export interface Writers {
  /** Ids acknowledged (HTTP 200, no error), in the order the acknowledgements arrived. */
  acknowledged: string[];
  /** Every id a writer tried, acknowledged or not. */
  attempted: Set<string>;
  failures: Map<string, number>;
  /** Requests sent that have not settled yet. */
  inFlight(): number;
  stop(): Promise<void>;
}

export function startWriters(options: { url: () => string; token: string; operationId: string; prefix: string; writers: number; pauseMs?: number }): Writers {
  const acknowledged: string[] = [];
  const attempted = new Set<string>();
  const failures = new Map<string, number>();
  let stopped = false;
  let pending = 0;
  const loop = async (writer: number) => {
    for (let n = 0; !stopped; n += 1) {
      const id = `${options.prefix}-w${writer}-${n}`;
      attempted.add(id);
      // The same client id until acknowledged: idempotent, so a lost answer is safe to retry.
      while (!stopped) {
        pending += 1;
        const result = await post(options.url(), options.token, POST, {
          op: options.operationId,
          input: { id, kind: 'CHECK', text: `write ${id}`, classification: 'OFFICIAL' },
        }).catch((error: Error) => error);
        pending -= 1;
        if (!(result instanceof Error) && result.status === 200 && !result.body.errors) {
          acknowledged.push(id);
          break;
        }
        failures.set(failure(result), (failures.get(failure(result)) ?? 0) + 1);
        await sleep(200);
      }
      await sleep(options.pauseMs ?? 20);
    }
  };
  const loops = Array.from({ length: options.writers }, (_, writer) => loop(writer));
  return {
    acknowledged,
    attempted,
    failures,
    inFlight: () => pending,
    async stop() {
      stopped = true;
      await Promise.all(loops);
    },
  };
}

export interface Readers {
  ok: number;
  failed: number;
  stop(): Promise<void>;
}

export function startReaders(options: { url: () => string; token: string; operationId: string; readers: number }): Readers {
  const counts = { ok: 0, failed: 0 };
  let stopped = false;
  const loop = async () => {
    while (!stopped) {
      const result = await post(options.url(), options.token, READ, { op: options.operationId }).catch((error: Error) => error);
      if (!(result instanceof Error) && result.status === 200 && !result.body.errors) counts.ok += 1;
      else counts.failed += 1;
      await sleep(50);
    }
  };
  const loops = Array.from({ length: options.readers }, loop);
  return {
    get ok() {
      return counts.ok;
    },
    get failed() {
      return counts.failed;
    },
    async stop() {
      stopped = true;
      await Promise.all(loops);
    },
  };
}

export interface ResumingSubscriber {
  /** Every update delivered, duplicates included, in delivery order. */
  received: { id: string; cursor: string }[];
  /** The close code of every socket that ended, and every subscribe that failed. */
  closes: number[];
  /** Subscriptions made (the first, and each resumption by cursor). */
  subscriptions: number;
  /** Drops the socket from the client's side (a network blip); the subscriber resumes by cursor. */
  reconnect(): Promise<void>;
  stop(): Promise<void>;
}

/** Subscribes to one operation's updates; after any close, resubscribes with the last cursor received. */
export function resumingSubscriber(options: { url: () => string; token: string; operationId: string }): ResumingSubscriber {
  const state: ResumingSubscriber = { received: [], closes: [], subscriptions: 0, reconnect: async () => undefined, stop: async () => undefined };
  let stopped = false;
  let current: (() => Promise<void>) | undefined;
  const loop = async () => {
    while (!stopped) {
      state.subscriptions += 1;
      const after = state.received.at(-1)?.cursor ?? null;
      let closed: (code: number) => void = () => {};
      const ended = new Promise<number>((resolve) => (closed = resolve));
      const client = createClient({
        url: wsUrl(options.url()),
        webSocketImpl: WebSocket,
        retryAttempts: 0,
        // Lazy: the one subscription opens the socket, so a refused socket (1013 while Neo4j is
        // away) ends in the subscription's error handler instead of a promise nobody awaits.
        connectionParams: { authorization: `Bearer ${options.token}` },
        on: { closed: (event) => closed((event as { code?: number }).code ?? -1) },
      });
      current = () => client.dispose() as Promise<void>;
      client.subscribe<{ operationUpdates: { id: string; cursor: string } }>(
        { query: SUB, variables: { op: options.operationId, after } },
        {
          next: (value) => {
            if (value.data) state.received.push(value.data.operationUpdates);
          },
          error: () => closed(-2),
          complete: () => closed(-3),
        },
      );
      state.closes.push(await ended);
      await client.dispose();
      if (!stopped) await sleep(300);
    }
  };
  const running = loop();
  state.reconnect = async () => {
    await current?.();
  };
  state.stop = async () => {
    stopped = true;
    await current?.();
    await running;
  };
  return state;
}
