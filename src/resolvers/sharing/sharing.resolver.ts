import { Arg, Ctx, Mutation, Query, Resolver } from 'type-graphql';
import { ForbiddenError, NotFoundError } from '../../errors';
import { removeSharingRule, setShareLevel, setSharingRule, type ShareSetting } from '../../graph/writes/sharing';
import type { ShareLevel } from '../../policy/levels';
import { hasRole, requireRole } from '../../policy/permissions';
import { ShareLevelEnum } from '../common/enums';
import { invalidatePolicy } from '../common/invalidate';
import { toIso } from '../common/scalars';
import { Checker } from '../common/validate';
import type { HubContext } from '../context';
import { Country } from '../country/country.type';
import { SharingPolicy, SharingRule, SharingRuleInput } from './sharing.type';

/**
 * A country's sharing settings. NCB administrators change only their own country's (the
 * country is never an argument); every change drops all cached policy contexts, so it holds
 * from the very next request on every hub.
 */
@Resolver()
export class SharingResolver {
  @Query(() => SharingPolicy, { nullable: true, description: 'For NCB administrators of the country, oversight and network administrators.' })
  async sharingPolicy(@Arg('countryCode', () => String) countryCode: string, @Ctx() ctx: HubContext): Promise<SharingPolicy | null> {
    const principal = ctx.principal;
    const ownAdmin = principal.kind === 'officer' && hasRole(principal, 'NCB_ADMIN') && principal.country === countryCode;
    if (!ownAdmin && !hasRole(principal, 'OVERSIGHT', 'NETWORK_ADMIN')) {
      throw new ForbiddenError(`only NCB administrators of ${countryCode}, oversight and network administrators read its sharing policy`);
    }
    const country = await ctx.graph.country(countryCode);
    if (!country) return null;
    return {
      country,
      defaultShareLevel: country.defaultShareLevel,
      partnerShareLevel: country.partnerShareLevel,
      rules: await ctx.graph.sharingRules(countryCode),
    };
  }

  @Mutation(() => Country, { description: 'What any other member may see of the admin\'s country when no rule applies.' })
  setDefaultShareLevel(@Arg('level', () => ShareLevelEnum) level: ShareLevel, @Ctx() ctx: HubContext) {
    return this.setLevel(ctx, 'defaultShareLevel', level);
  }

  @Mutation(() => Country, { description: 'What partner organisations may see of the admin\'s country.' })
  setPartnerShareLevel(@Arg('level', () => ShareLevelEnum) level: ShareLevel, @Ctx() ctx: HubContext) {
    return this.setLevel(ctx, 'partnerShareLevel', level);
  }

  @Mutation(() => SharingRule, { description: 'Sets the admin\'s country\'s rule for one recipient country, replacing any before.' })
  async setSharingRule(@Arg('input', () => SharingRuleInput) input: SharingRuleInput, @Ctx() ctx: HubContext) {
    const admin = requireRole(ctx.principal, 'NCB_ADMIN');
    const check = new Checker(ctx.services.config.limits.maxStringLength).country('to', input.to);
    if (input.validFrom && input.validUntil && input.validFrom.getTime() > input.validUntil.getTime()) {
      check.add('validUntil', 'must not be before validFrom');
    }
    check.done();
    const rule = await setSharingRule(
      ctx.services.db,
      admin,
      { to: input.to, maxLevel: input.maxLevel, validFrom: toIso(input.validFrom), validUntil: toIso(input.validUntil) },
      ctx.graph.now,
    );
    await invalidatePolicy(ctx, null);
    return rule;
  }

  @Mutation(() => Boolean, { description: 'Removes the admin\'s country\'s rule for a country; false when there was none.' })
  async removeSharingRule(@Arg('to', () => String) to: string, @Ctx() ctx: HubContext) {
    const admin = requireRole(ctx.principal, 'NCB_ADMIN');
    new Checker(ctx.services.config.limits.maxStringLength).country('to', to).done();
    const removed = await removeSharingRule(ctx.services.db, admin, to);
    if (removed) await invalidatePolicy(ctx, null);
    return removed;
  }

  private async setLevel(ctx: HubContext, setting: ShareSetting, level: ShareLevel) {
    const admin = requireRole(ctx.principal, 'NCB_ADMIN');
    await setShareLevel(ctx.services.db, admin, setting, level);
    await invalidatePolicy(ctx, null);
    const country = await ctx.graph.country(admin.country);
    if (!country) throw new NotFoundError('country', admin.country);
    return country;
  }
}
