import { createSourceEventStream, execute, type ExecutionArgs, type ExecutionResult } from 'graphql';
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
      return step.done ? { value: undefined, done: true } : { value: await run(step.value), done: false };
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

function isAsyncIterable(value: unknown): value is AsyncIterable<unknown> {
  return typeof (value as AsyncIterable<unknown>)?.[Symbol.asyncIterator] === 'function';
}
