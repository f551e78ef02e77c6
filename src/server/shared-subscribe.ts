import { createSourceEventStream, execute, type ExecutionArgs, type ExecutionResult } from 'graphql';
import { AuditTrail } from '../graph/audit-trail';
import type { HubContext } from '../resolvers/context';
import type { LiveEvent } from '../subscriptions/live-subscription';

/**
 * graphql's `subscribe`, except that an event delivered alike to many subscribers (see
 * LiveEvent.memo) is executed once per distinct operation (document, variables, operation
 * name) and the result reused: with thousands of subscribers to the same feed, the hub does
 * one execution per group instead of one per socket.
 *
 * Documents are compared by identity; the socket's parse cache gives equal queries one
 * document. Nothing in an execution depends on who the subscriber is beyond what the group
 * shares (their session key holds the whole policy context but the id).
 */
export async function sharedSubscribe(args: ExecutionArgs): Promise<AsyncIterableIterator<ExecutionResult> | ExecutionResult> {
  const source = await createSourceEventStream(args);
  if (!isAsyncIterable(source)) return source;
  const iterator = source[Symbol.asyncIterator]();
  const key = `${args.operationName ?? ''}\u0000${JSON.stringify(args.variableValues ?? {})}`;
  const run = (event: unknown): Promise<ExecutionResult> | ExecutionResult => {
    const memo = (event as Partial<LiveEvent<unknown>>)?.memo;
    if (!memo) return execute({ ...args, rootValue: event });
    let perDocument = memo.get(key) as WeakMap<object, Promise<ExecutionResult> | ExecutionResult> | undefined;
    if (!perDocument) memo.set(key, (perDocument = new WeakMap()));
    let result = perDocument.get(args.document);
    if (!result) perDocument.set(args.document, (result = execute({ ...args, rootValue: event })));
    return result;
  };
  // Not an async generator: return() must reach the source at once, even while it waits.
  const mapped: AsyncIterableIterator<ExecutionResult> = {
    async next() {
      const step = await iterator.next();
      if (step.done) return { value: undefined, done: true };
      const result = await run(step.value);
      await recordDelivery(args.contextValue as HubContext, step.value as LiveEvent<DeliveredItem>, result);
      return { value: result, done: false };
    },
    async return() {
      await iterator.return?.();
      return { value: undefined, done: true };
    },
    async throw(error?: unknown) {
      await iterator.return?.();
      throw error;
    },
    [Symbol.asyncIterator]() {
      return mapped;
    },
  };
  return mapped;
}

type DeliveredItem = { id: string; seq?: number; redactedFields?: string[] };

/**
 * A delivered event is a read of item content by this subscriber: it is in the audit trail
 * (group-committed with every other delivery and request) before it goes out on the socket.
 * Shared executions are shared work, not shared reads: each subscriber gets its own record.
 */
async function recordDelivery(ctx: HubContext, event: LiveEvent<DeliveredItem>, result: ExecutionResult): Promise<void> {
  if (!ctx?.services?.config.auditEnabled || !event?.item || !result.data) return;
  const trail = new AuditTrail(ctx.services.audit, event.context, ctx.requestId);
  const kind = typeof event.item.seq === 'number' ? 'OperationUpdate' : 'IntelReport';
  trail.read(kind, event.item.id, event.item.redactedFields ?? []);
  await trail.flush();
}

function isAsyncIterable(value: unknown): value is AsyncIterable<unknown> {
  return typeof (value as AsyncIterable<unknown>)?.[Symbol.asyncIterator] === 'function';
}
