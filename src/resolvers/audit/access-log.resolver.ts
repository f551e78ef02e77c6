import { Arg, Args, Ctx, ID, Query, Resolver } from 'type-graphql';
import { ForbiddenError, UnavailableError } from '../../errors';
import { accessLog } from '../../graph/access-log';
import { itemPolicyFields } from '../../graph/items';
import { hasRole } from '../../policy/permissions';
import { within } from '../../timeout';
import { PageArgsInput, pageArgs, toConnection } from '../common/connection';
import type { HubContext } from '../context';
import { AccessEventConnection } from './audit.type';

@Resolver()
export class AccessLogResolver {
  @Query(() => AccessEventConnection, {
    description: 'The audit trail of one item, newest first: for NCB administrators of its owner country, and oversight.',
  })
  async accessLog(@Arg('itemId', () => ID) itemId: string, @Args(() => PageArgsInput) args: PageArgsInput, @Ctx() ctx: HubContext) {
    const page = pageArgs(args, ctx.services.config.limits.maxPageSize);
    if (!hasRole(ctx.principal, 'OVERSIGHT')) await requireOwnerAdmin(ctx, itemId);
    await trailSettled(ctx);
    return toConnection(accessLog(ctx.services.db, itemId, page));
  }
}

/** This hub's own latest events are in the trail it shows (with a write-ahead journal they reach Neo4j a moment after the response). */
async function trailSettled(ctx: HubContext): Promise<void> {
  const settled = await within(ctx.services.audit.settled().then(() => true), SETTLE_TIMEOUT_MS, false);
  if (!settled) throw new UnavailableError('the audit trail has events that are not in the graph database yet');
}

const SETTLE_TIMEOUT_MS = 10_000;

/**
 * An unknown item and another country's item are refused alike, so the trail never confirms
 * to an outsider that an item exists.
 */
async function requireOwnerAdmin(ctx: HubContext, itemId: string): Promise<void> {
  const principal = ctx.principal;
  if (principal.kind === 'officer' && hasRole(principal, 'NCB_ADMIN')) {
    const item = await itemPolicyFields(ctx.services.db, itemId);
    if (item && item.ownerCode === principal.country) return;
  }
  throw new ForbiddenError('only NCB administrators of the item\'s owner country and oversight read its audit trail');
}
