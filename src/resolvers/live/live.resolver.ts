import { Arg, Ctx, ID, Resolver, Root, Subscription, type PubSub, type SubscribeResolverData } from 'type-graphql';
import { BadInputError, NotFoundError } from '../../errors';
import type { ReportRecord, UpdateRecord } from '../../graph/records';
import { GraphSession } from '../../graph/session';
import { POLICY_OPENED_REPORTS } from '../../subscriptions/dispatcher';
import type { LiveConnection } from '../../subscriptions/live-feeds';
import type { LiveEvent } from '../../subscriptions/live-subscription';
import type { HubContext } from '../context';
import { toUpdate } from '../operation/operation.resolver';
import { OperationUpdate } from '../operation/operation.type';
import { parseUpdateCursor } from '../operation/update-cursor';
import { IntelReport } from '../report/report.type';

/**
 * Live updates (DESIGN §4, Subscriptions). Streams come from src/subscriptions, where every
 * event is judged by the sharing rule for each subscriber at delivery time; these resolvers
 * only open them and shape what they deliver.
 */

interface OperationUpdatesArgs {
  operationId?: string | null;
  after?: string | null;
}

function liveOf(ctx: HubContext): LiveConnection {
  if (!ctx.live) throw new BadInputError('subscriptions are served over WebSocket (graphql-ws) at this same path');
  return ctx.live;
}

/** Nested fields of this event read with the subscriber's context at delivery time, in a session shared with those who see alike. */
function useEventView(ctx: HubContext, event: LiveEvent<unknown>): void {
  // graphql-ws executes one event of a subscription at a time, so the swap cannot leak between events.
  ctx.principal = event.context;
  ctx.graph = event.graph();
}

async function openOperationUpdates({ args, context }: SubscribeResolverData<unknown, OperationUpdatesArgs, HubContext>) {
  const live = liveOf(context);
  const afterSeq = args.after ? parseUpdateCursor(args.after) : null;
  const operationId = args.operationId ?? null;
  // Unknown and invisible operations answer alike. A session for this check only: an idle
  // subscriber keeps none (each event brings the one it shares with its group, useEventView).
  if (operationId !== null && !(await new GraphSession(context.services.db, context.principal).operation(operationId))) {
    throw new NotFoundError('operation', operationId);
  }
  return live.feeds.operationUpdates(live, operationId, afterSeq);
}

@Resolver()
export class LiveResolver {
  @Subscription(() => OperationUpdate, {
    description:
      'The updates of one operation (or of every operation, without operationId) as they are posted, each only if the subscriber may see it then. ' +
      'With `after` (an update cursor), the visible updates posted since are replayed first, in order, then it goes live: no gap, no duplicate.',
    subscribe: openOperationUpdates,
  })
  operationUpdates(
    @Root() event: LiveEvent<UpdateRecord>,
    @Arg('operationId', () => ID, { nullable: true }) _operationId: string | null,
    @Arg('after', () => String, { nullable: true, description: 'The cursor of the last update received.' }) _after: string | null,
    @Ctx() ctx: HubContext,
  ): OperationUpdate {
    useEventView(ctx, event);
    return toUpdate(event.item);
  }

  @Subscription(() => IntelReport, {
    description:
      'The reports that become visible to the subscriber, sent when they do: a report created visible to them; ' +
      'a report whose change (classification, releasability, expiry…) makes it visible to them, but not one they could already see; ' +
      'and, when a change of the subscriber\'s policy (a sharing rule or default share level of an owner country, their clearance, ' +
      `roles or operation assignments) makes existing reports visible to them, the ${POLICY_OPENED_REPORTS} most recent of those, oldest first ` +
      '(older ones are found with `intelReports`). Reports that stop being visible are not announced.',
    subscribe: ({ context }: SubscribeResolverData<unknown, object, HubContext>) => {
      const live = liveOf(context);
      return live.feeds.intelFeed(live);
    },
  })
  intelFeed(@Root() event: LiveEvent<ReportRecord & { redactedFields: string[] }>, @Ctx() ctx: HubContext): IntelReport {
    useEventView(ctx, event);
    return event.item;
  }
}

/**
 * type-graphql insists on a PubSub once any subscription exists, even when every subscription
 * brings its own `subscribe`, as these do. This one is never used.
 */
export const unusedPubSub: PubSub = {
  publish: () => undefined,
  subscribe: () => {
    throw new Error('subscriptions bring their own streams');
  },
};
