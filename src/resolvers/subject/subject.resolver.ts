import { Arg, Args, Ctx, FieldResolver, ID, Query, Resolver, Root } from 'type-graphql';
import { PageArgsInput, pageArgs, toConnection } from '../common/connection';
import type { HubContext } from '../context';
import { ReportFilter } from '../report/report.resolver';
import { IntelReport, IntelReportConnection } from '../report/report.type';
import { Link, Subject } from './subject.type';

@Resolver(() => Subject)
export class SubjectResolver {
  @Query(() => Subject, { nullable: true, description: 'Null when no visible report concerns the subject.' })
  subject(@Arg('id', () => ID) id: string, @Ctx() ctx: HubContext) {
    return ctx.graph.subject(id);
  }

  @FieldResolver(() => IntelReportConnection, { description: 'Visible reports concerning the subject, newest first.' })
  reports(
    @Root() subject: Subject,
    @Arg('filter', () => ReportFilter, { nullable: true }) filter: ReportFilter | null,
    @Args(() => PageArgsInput) args: PageArgsInput,
    @Ctx() ctx: HubContext,
  ) {
    return toConnection(ctx.graph.reports('subject', subject.id, ReportFilter.toGraph(filter), pageArgs(args, ctx.services.config.limits.maxPageSize)));
  }

  @FieldResolver(() => [Link], { description: 'Visible links from or to the subject.' })
  links(@Root() subject: Subject, @Ctx() ctx: HubContext) {
    return ctx.graph.linksOf(subject.id);
  }
}

@Resolver(() => Link)
export class LinkResolver {
  @FieldResolver(() => Subject)
  from(@Root() link: Link, @Ctx() ctx: HubContext) {
    return ctx.graph.subject(link.fromId);
  }

  @FieldResolver(() => Subject)
  to(@Root() link: Link, @Ctx() ctx: HubContext) {
    return ctx.graph.subject(link.toId);
  }

  @FieldResolver(() => IntelReport)
  report(@Root() link: Link, @Ctx() ctx: HubContext) {
    return ctx.graph.report(link.reportId);
  }
}
