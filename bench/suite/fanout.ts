import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import type { ImportFile, OfficerRecord } from '../../src/import/types';
import { CONTENT_ROLES, LEVELS, levelRank, type Level } from '../../src/policy/levels';
import type { ServerName } from './scenarios';
import { post, processCpuMicros, type ServerProcess } from './servers';
import type { Measurement } from './suite';

/**
 * Subscription fan-out: many real graphql-ws subscribers on one operation's updates, and
 * updates posted over HTTP one at a time. Each event is timed from just before its
 * `postOperationUpdate` is sent to its last subscriber's receipt, so the write transaction,
 * the sharing rule judged per subscriber group, the audit of every delivery and the sockets
 * are all in it. The clients run in the suite's process, on the same clock: with a thousand of
 * them, the last receipt also holds the time they take to read their messages in turn.
 *
 * Only the hubs serve subscriptions. @neo4j/graphql has them only over Neo4j's change data
 * capture, which Neo4j Community Edition (the suite's Neo4j) does not have; the hand-written
 * handler has no live updates.
 */
export const fanoutScenario = {
  name: 'fanout',
  title: 'subscription fan-out: operationUpdates to N graphql-ws subscribers, postOperationUpdate one at a time',
  servers: ['hub', 'hubApolloDefaults', 'plain', 'hubNoAudit'] as ServerName[],
};

export interface FanoutPlan {
  operationId: string;
  /** The generated operation is not ACTIVE (updates are posted only on ACTIVE ones): the suite makes it so. */
  activate: boolean;
  /** An officer assigned to the operation, of the highest clearance among them. */
  poster: string;
  /** The levels posted in turn: every level up to the poster's clearance. */
  levels: Level[];
  /** Subscriber i is officer `subscribers[i]`. */
  subscribers: string[];
}

const readsContent = (o: OfficerRecord) => (o.status ?? 'ACTIVE') === 'ACTIVE' && o.roles.some((r) => CONTENT_ROLES.includes(r));

/**
 * The operation with the most assigned officers who read content (ACTIVE ones first). Its
 * subscribers are those officers (who see its updates up to their clearance and their
 * country's share level with the poster's) and as many officers of its countries who are not
 * assigned (who may watch it but see none of its updates), in turn.
 */
export function planFanout(file: ImportFile, subscribers: number): FanoutPlan {
  const officers = new Map((file.officers ?? []).map((o) => [o.id, o]));
  const unitCountry = new Map((file.units ?? []).map((u) => [u.id, u.country]));
  const candidates = (file.operations ?? []).map((operation) => ({
    operation,
    assigned: (operation.assignments ?? []).map((a) => officers.get(a.officer)!).filter(readsContent),
  }));
  candidates.sort((a, b) =>
    Number(b.operation.status === 'ACTIVE') - Number(a.operation.status === 'ACTIVE') ||
    b.assigned.length - a.assigned.length || a.operation.id.localeCompare(b.operation.id));
  const [{ operation, assigned }] = candidates;
  if (assigned.length < 2) throw new Error('fanout: no operation with two assigned officers who read content');
  const [poster] = [...assigned].sort((a, b) => levelRank(b.clearance) - levelRank(a.clearance) || a.id.localeCompare(b.id));
  const countries = new Set([operation.leadCountry, ...(operation.participants ?? [])]);
  const assignedIds = new Set(assigned.map((o) => o.id));
  const watchers = (file.officers ?? [])
    .filter((o) => readsContent(o) && !assignedIds.has(o.id) && countries.has(unitCountry.get(o.unit)!))
    .slice(0, assigned.length);
  const pool = [...assigned, ...watchers].map((o) => o.id);
  return {
    operationId: operation.id,
    activate: operation.status !== 'ACTIVE',
    poster: poster.id,
    levels: LEVELS.slice(0, levelRank(poster.clearance) + 1),
    subscribers: Array.from({ length: subscribers }, (_, i) => pool[i % pool.length]),
  };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const now = () => performance.now();

async function until(condition: () => Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  for (const deadline = now() + timeoutMs; !(await condition()); await sleep(100)) {
    if (now() > deadline) throw new Error(`fanout: ${what} after ${timeoutMs / 1000} s`);
  }
}

interface Receipt {
  subscriber: number;
  at: number;
}

/** N graphql-ws clients, one subscription each, recording every update they receive. */
class Subscribers {
  /** Update id → its receipts, in arrival order. */
  readonly receipts = new Map<string, Receipt[]>();
  readonly failures: string[] = [];
  lastReceiptAt = 0;
  private clients: Client[] = [];
  private waiter: { id: string; count: number; resolve: () => void } | null = null;

  private constructor(private readonly server: ServerProcess) {}

  static async open(server: ServerProcess, plan: FanoutPlan, tokens: Map<string, string>): Promise<Subscribers> {
    const subscribers = new Subscribers(server);
    const url = `${server.base.replace(/^http/, 'ws')}/graphql`;
    const query = 'subscription($operationId: ID!) { operationUpdates(operationId: $operationId) { id classification } }';
    const subscribe = (officer: string, subscriber: number) => {
      const client = createClient({ url, webSocketImpl: WebSocket, retryAttempts: 0, connectionParams: { authorization: tokens.get(officer) } });
      subscribers.clients.push(client);
      client.subscribe<{ operationUpdates: { id: string } }>({ query, variables: { operationId: plan.operationId } }, {
        next: (value) => {
          const id = value.data?.operationUpdates.id;
          if (id) subscribers.received(id, subscriber);
          else subscribers.failures.push(`subscriber ${subscriber}: ${JSON.stringify(value.errors).slice(0, 300)}`);
        },
        // An Error, a close event (code, reason) or GraphQL errors.
        error: (error) => subscribers.failures.push(`subscriber ${subscriber}: ${JSON.stringify(error, ['message', 'code', 'reason', 'extensions']).slice(0, 300)}`),
        complete: () => undefined,
      });
    };
    try {
      // A hundred at a time, each hundred registered before the next: a thousand connection_inits
      // at once would outlast the hub's wait for them (WS_INIT_TIMEOUT_MS) on a small machine.
      for (let start = 0; start < plan.subscribers.length; start += 100) {
        plan.subscribers.slice(start, start + 100).forEach((officer, k) => subscribe(officer, start + k));
        const registered = Math.min(start + 100, plan.subscribers.length);
        await until(async () => {
          if (subscribers.failures.length) throw new Error(`fanout: ${server.name}: ${subscribers.failures.length} subscribers failed: ${subscribers.failures[0]}`);
          return (await server.stats()).watching >= registered;
        }, 60_000, `${server.name} registered fewer than ${registered} subscriptions`);
      }
    } catch (error) {
      await subscribers.close();
      throw error;
    }
    return subscribers;
  }

  private received(id: string, subscriber: number): void {
    const at = now();
    this.lastReceiptAt = at;
    const list = this.receipts.get(id) ?? this.receipts.set(id, []).get(id)!;
    list.push({ subscriber, at });
    if (this.waiter?.id === id && list.length >= this.waiter.count) this.waiter.resolve();
  }

  /** Resolves when `id` has `count` receipts, or after `timeoutMs` (the tally then finds what is missing). */
  waitFor(id: string, count: number, timeoutMs = 10_000): Promise<void> {
    if ((this.receipts.get(id)?.length ?? 0) >= count) return Promise.resolve();
    return new Promise<void>((resolve) => {
      const timer = setTimeout(done, timeoutMs);
      this.waiter = { id, count, resolve: done };
      function done() {
        clearTimeout(timer);
        resolve();
      }
    }).finally(() => (this.waiter = null));
  }

  /** Waits until no receipt has come for `quietMs`: late and unexpected deliveries are then in. */
  async settle(quietMs: number): Promise<void> {
    while (now() - this.lastReceiptAt < quietMs) await sleep(quietMs / 5);
  }

  async close(): Promise<void> {
    await Promise.all(this.clients.map((client) => client.dispose()));
    await until(async () => (await this.server.stats()).watching === 0, 30_000, `${this.server.name} still holds subscriptions`);
  }
}

async function postUpdate(server: ServerProcess, authorization: string, plan: FanoutPlan, level: Level, text: string): Promise<string> {
  const body = JSON.stringify({
    query: 'mutation($operationId: ID!, $input: OperationUpdateInput!) { postOperationUpdate(operationId: $operationId, input: $input) { id } }',
    variables: { operationId: plan.operationId, input: { kind: 'BENCHMARK', text, classification: level } },
  });
  const answer = (await post(server, { path: '/graphql', body }, authorization)) as { data?: { postOperationUpdate: { id: string } }; errors?: unknown[] };
  if (!answer.data?.postOperationUpdate) throw new Error(`fanout: ${server.name} did not post the update: ${JSON.stringify(answer.errors).slice(0, 300)}`);
  return answer.data.postOperationUpdate.id;
}

/** The ids of the operation's updates that `authorization` reads over HTTP, every page. */
async function visibleUpdateIds(server: ServerProcess, authorization: string, operationId: string): Promise<Set<string>> {
  const query = `query($id: ID!, $after: String) { operation(id: $id) { updates(first: 500, after: $after) {
    edges { node { id } } pageInfo { hasNextPage endCursor } } } }`;
  const ids = new Set<string>();
  for (let after: string | null = null; ; ) {
    const answer = (await post(server, { path: '/graphql', body: JSON.stringify({ query, variables: { id: operationId, after } }) }, authorization)) as {
      data?: { operation: { updates: { edges: { node: { id: string } }[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } } } | null };
      errors?: unknown[];
    };
    const updates = answer.data?.operation?.updates;
    if (!updates) throw new Error(`fanout: reading the operation's updates failed: ${JSON.stringify(answer.errors).slice(0, 300)}`);
    for (const edge of updates.edges) ids.add(edge.node.id);
    if (!updates.pageInfo.hasNextPage) return ids;
    after = updates.pageInfo.endCursor;
  }
}

export interface FanoutExpectation {
  /** Level index → the subscribers that receive an update of that level. */
  recipients: Set<number>[];
  /** Subscribers that receive every level, some, none. */
  summary: string;
}

/**
 * Equal answers: on every server, one update of each level; each subscriber must receive
 * exactly the ones its officer reads over HTTP (on `reader`), and every server must deliver the
 * same levels to the same subscribers as the hub. Throws otherwise, or if nobody receives any.
 */
export async function checkFanout(
  servers: ServerProcess[],
  reader: ServerProcess,
  plan: FanoutPlan,
  tokens: Map<string, string>,
): Promise<FanoutExpectation> {
  const posted = new Map<ServerName, string[]>();
  const delivered = new Map<ServerName, number[][]>();
  for (const server of servers) {
    const subscribers = await Subscribers.open(server, plan, tokens);
    try {
      const ids: string[] = [];
      for (const level of plan.levels) {
        ids.push(await postUpdate(server, tokens.get(plan.poster)!, plan, level, `fan-out check ${level}`));
        // No count to wait for yet: at least a second, then until the deliveries stop for one.
        await sleep(1000);
        await subscribers.settle(1000);
      }
      if (subscribers.failures.length) throw new Error(`fanout: ${server.name}: ${subscribers.failures[0]}`);
      const levels = plan.subscribers.map(() => [] as number[]);
      for (const [id, receipts] of subscribers.receipts) {
        const at = ids.indexOf(id);
        for (const receipt of receipts) levels[receipt.subscriber].push(at);
      }
      posted.set(server.name, ids);
      delivered.set(server.name, levels);
    } finally {
      await subscribers.close();
    }
  }
  const visible = new Map<string, Set<string>>();
  for (const officer of new Set(plan.subscribers)) visible.set(officer, await visibleUpdateIds(reader, tokens.get(officer)!, plan.operationId));
  const hub = JSON.stringify(delivered.get(servers[0].name));
  for (const server of servers) {
    const ids = posted.get(server.name)!;
    delivered.get(server.name)!.forEach((levels, subscriber) => {
      const officer = plan.subscribers[subscriber];
      const read = ids.flatMap((id, at) => (visible.get(officer)!.has(id) ? [at] : []));
      if (JSON.stringify(levels) !== JSON.stringify(read)) {
        throw new Error(`fanout: on ${server.name}, subscriber ${subscriber} (${officer}) received levels [${levels}] but reads [${read}] over HTTP`);
      }
    });
    if (JSON.stringify(delivered.get(server.name)) !== hub) throw new Error(`fanout: ${server.name} delivers differently from ${servers[0].name}`);
  }
  const perSubscriber = delivered.get(servers[0].name)!;
  const recipients = plan.levels.map((_, at) => new Set(perSubscriber.flatMap((levels, subscriber) => (levels.includes(at) ? [subscriber] : []))));
  if (recipients.every((set) => set.size === 0)) throw new Error('fanout: no subscriber receives any update');
  const all = perSubscriber.filter((levels) => levels.length === plan.levels.length).length;
  const none = perSubscriber.filter((levels) => levels.length === 0).length;
  return { recipients, summary: `${all} receive every level, ${perSubscriber.length - all - none} some, ${none} none` };
}

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] : NaN;
};

/**
 * `events` updates posted one at a time (the levels in turn), each once the previous one was
 * answered and had reached all its recipients. One unmeasured update first: the subscribers' first event.
 */
export async function measureFanout(
  server: ServerProcess,
  neo4jPid: number,
  plan: FanoutPlan,
  tokens: Map<string, string>,
  expectation: FanoutExpectation,
  events: number,
  round: number,
): Promise<Measurement> {
  const poster = tokens.get(plan.poster)!;
  const subscribers = await Subscribers.open(server, plan, tokens);
  try {
    const first = await postUpdate(server, poster, plan, plan.levels[0], 'fan-out warm-up');
    await subscribers.waitFor(first, expectation.recipients[0].size);
    await subscribers.settle(300);
    const posted: { id: string; level: number; sentAt: number }[] = [];
    let errors = 0;
    const before = await server.stats();
    const neoBefore = processCpuMicros(neo4jPid);
    const startedAt = now();
    for (let event = 0; event < events; event++) {
      const level = event % plan.levels.length;
      const sentAt = now();
      try {
        const id = await postUpdate(server, poster, plan, plan.levels[level], `fan-out ${round} ${event}`);
        posted.push({ id, level, sentAt });
        await subscribers.waitFor(id, expectation.recipients[level].size);
      } catch {
        errors += 1;
      }
    }
    const endedAt = now();
    await subscribers.settle(300);
    const after = await server.stats();
    const neoAfter = processCpuMicros(neo4jPid);
    const lastLatencies: number[] = [];
    const deliveryLatencies: number[] = [];
    let deliveries = 0;
    let expected = 0;
    for (const { id, level, sentAt } of posted) {
      const recipients = expectation.recipients[level];
      const receipts = subscribers.receipts.get(id) ?? [];
      const seen = new Set<number>();
      for (const receipt of receipts) {
        // Unexpected (not a recipient) or twice: an error either way.
        if (!recipients.has(receipt.subscriber) || seen.has(receipt.subscriber)) errors += 1;
        else deliveryLatencies.push(receipt.at - sentAt);
        seen.add(receipt.subscriber);
      }
      const missing = [...recipients].filter((subscriber) => !seen.has(subscriber)).length;
      errors += missing;
      deliveries += receipts.length;
      expected += recipients.size;
      if (!missing && receipts.length) lastLatencies.push(Math.max(...receipts.map((r) => r.at)) - sentAt);
    }
    errors += subscribers.failures.length;
    const done = Math.max(1, posted.length);
    const seconds = (endedAt - startedAt) / 1000;
    return {
      scenario: fanoutScenario.name,
      server: server.name,
      round,
      requests: posted.length,
      seconds,
      reqPerSec: posted.length / seconds,
      p50: percentile(lastLatencies, 50),
      p99: percentile(lastLatencies, 99),
      deliveryP50: percentile(deliveryLatencies, 50),
      deliveryP99: percentile(deliveryLatencies, 99),
      deliveries,
      expectedDeliveries: expected,
      errors,
      statementsPerRequest: (after.statements - before.statements) / done,
      nodeCpuMsPerRequest: (after.cpuMicros - before.cpuMicros) / 1000 / done,
      neo4jCpuMsPerRequest: (neoAfter - neoBefore) / 1000 / done,
    };
  } finally {
    await subscribers.close();
  }
}
