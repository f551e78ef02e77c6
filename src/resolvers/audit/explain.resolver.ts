import { Arg, Ctx, ID, Query, Resolver } from 'type-graphql';
import { ForbiddenError, NotFoundError } from '../../errors';
import { itemPolicyFields, type ItemPolicyRecord } from '../../graph/items';
import { loadOfficerContext } from '../../graph/principals';
import type { OfficerContext } from '../../policy/context';
import { LEVELS } from '../../policy/levels';
import { hasRole } from '../../policy/permissions';
import { evaluateItem } from '../../policy/rule';
import type { HubContext } from '../context';
import { AccessExplanation } from './audit.type';

/** Said to an officer about an item they cannot see, and about an unknown id, alike. */
const NOT_VISIBLE = 'This item is not visible to you, or it does not exist. Ask the NCB of the country that owns it.';

@Resolver()
export class ExplainResolver {
  @Query(() => AccessExplanation, {
    description:
      'Why an officer may or may not read an item, step by step as the sharing rule decides it. For NCB administrators of the item\'s owner country, oversight, and officers about themselves.',
  })
  async explainAccess(
    @Arg('itemId', () => ID) itemId: string,
    @Arg('officerId', () => ID) officerId: string,
    @Ctx() ctx: HubContext,
  ): Promise<AccessExplanation> {
    const principal = ctx.principal;
    const now = ctx.graph.now;
    const item = await itemPolicyFields(ctx.services.db, itemId);
    const reviewer =
      hasRole(principal, 'OVERSIGHT') ||
      (principal.kind === 'officer' && hasRole(principal, 'NCB_ADMIN') && item !== null && item.ownerCode === principal.country);
    const self = principal.kind === 'officer' && principal.officerId === officerId;
    if (!reviewer && !self) {
      throw new ForbiddenError('only NCB administrators of the item\'s owner country, oversight, and the officer themselves may ask');
    }
    const officer = await loadOfficerContext(ctx.services.db, officerId, now);
    if (!officer) throw new NotFoundError('officer', officerId);
    if (!item) {
      if (reviewer) throw new NotFoundError('item', itemId);
      ctx.graph.audit.note('EXPLAIN', null, itemId, 'NOT_VISIBLE', { detail: `officer ${officerId}` });
      return this.notVisible(ctx, officer);
    }
    const decision = evaluateItem(officer, item, now);
    ctx.graph.audit.note('EXPLAIN', item.kind, itemId, decision.allowed ? 'ALLOWED' : 'DENIED', { detail: `officer ${officerId}: ${decision.step}` });
    if (!reviewer && !decision.allowed) return this.notVisible(ctx, officer);
    return { ...decision, ...(await this.itemFacts(ctx, item)), ...(await this.officerFacts(ctx, officer)) };
  }

  private async notVisible(ctx: HubContext, officer: OfficerContext): Promise<AccessExplanation> {
    return { allowed: false, step: 'NOT_VISIBLE', reason: NOT_VISIBLE, itemOwner: null, itemClassification: null, ...(await this.officerFacts(ctx, officer)) };
  }

  private async itemFacts(ctx: HubContext, item: ItemPolicyRecord) {
    return { itemOwner: await ctx.graph.country(item.ownerCode), itemClassification: item.classification };
  }

  private async officerFacts(ctx: HubContext, officer: OfficerContext) {
    return { officerCountry: await ctx.graph.country(officer.country), officerClearance: LEVELS[officer.clearanceRank] ?? null };
  }
}
