import { Arg, Args, Ctx, Int, Query, Resolver } from 'type-graphql';
import { requireContentRole } from '../../policy/permissions';
import { PageArgsInput, pageArgs, toConnection } from '../common/connection';
import { Checker } from '../common/validate';
import type { HubContext } from '../context';
import { IntelReportConnection } from './report.type';

@Resolver()
export class ReviewResolver {
  @Query(() => IntelReportConnection, {
    description:
      'Reports of the viewer\'s own country that have expired (hidden from every other country) or expire within `withinDays`, soonest first: the review queue.',
  })
  reviewDue(
    @Args(() => PageArgsInput) args: PageArgsInput,
    @Arg('withinDays', () => Int, { defaultValue: 30 }) withinDays: number,
    @Ctx() ctx: HubContext,
  ) {
    const officer = requireContentRole(ctx.principal);
    new Checker(ctx.services.config.limits.maxStringLength).nonNegative('withinDays', withinDays, 3650).done();
    return toConnection(ctx.graph.reviewDue(officer.country, withinDays, pageArgs(args, ctx.services.config.limits.maxPageSize)));
  }
}
