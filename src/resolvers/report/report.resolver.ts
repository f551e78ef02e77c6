import type { GraphQLResolveInfo } from 'graphql';
import { Arg, Args, Ctx, Field, FieldResolver, ID, Info, InputType, Query, Resolver, Root } from 'type-graphql';
import type { ReportFilter as GraphReportFilter } from '../../graph/reports';
import type { Level } from '../../policy/levels';
import { PageArgsInput, pageArgs, toConnection } from '../common/connection';
import { LevelEnum } from '../common/enums';
import { reportListIncludes, reportReadIncludes, subjectListColumns } from '../common/lookahead';
import { DateTimeScalar, toIso } from '../common/scalars';
import type { HubContext } from '../context';
import { Country } from '../country/country.type';
import { Officer } from '../officer/officer.type';
import { Operation } from '../operation/operation.type';
import { Link, Subject } from '../subject/subject.type';
import { IntelReport, IntelReportConnection, Releasability, Route } from './report.type';

@InputType('IntelReportFilter')
export class ReportFilter {
  @Field(() => String, { nullable: true, description: 'Owner country code.' }) owner?: string | null;
  @Field(() => LevelEnum, { nullable: true }) classification?: Level | null;
  @Field(() => ID, { nullable: true }) operationId?: string | null;
  @Field(() => DateTimeScalar, { nullable: true }) createdAfter?: Date | null;
  @Field(() => DateTimeScalar, { nullable: true }) createdBefore?: Date | null;
  @Field(() => String, { nullable: true, description: 'Words in the title or summary, any case.' }) text?: string | null;

  static toGraph(filter: ReportFilter | null | undefined): GraphReportFilter {
    return {
      ownerCode: filter?.owner ?? null,
      classification: filter?.classification ?? null,
      operationId: filter?.operationId ?? null,
      createdAfter: toIso(filter?.createdAfter),
      createdBefore: toIso(filter?.createdBefore),
      text: filter?.text ?? null,
    };
  }
}

@Resolver(() => IntelReport)
export class ReportResolver {
  @Query(() => IntelReport, { nullable: true, description: 'Null when the report does not exist or is not visible.' })
  intelReport(@Arg('id', () => ID) id: string, @Ctx() ctx: HubContext, @Info() info: GraphQLResolveInfo) {
    return ctx.graph.report(id, reportReadIncludes(info));
  }

  @Query(() => IntelReportConnection, { description: 'Visible reports, newest first.' })
  intelReports(
    @Arg('filter', () => ReportFilter, { nullable: true }) filter: ReportFilter | null,
    @Args(() => PageArgsInput) args: PageArgsInput,
    @Ctx() ctx: HubContext,
    @Info() info: GraphQLResolveInfo,
  ) {
    const page = pageArgs(args, ctx.services.config.limits.maxPageSize);
    return toConnection(ctx.graph.reports('root', null, ReportFilter.toGraph(filter), page, reportListIncludes(info)));
  }

  @FieldResolver(() => Releasability)
  releasability(@Root() report: IntelReport): Releasability {
    return { mode: report.relMode, countries: report.relCountries ?? [] };
  }

  @FieldResolver(() => Route, { nullable: true })
  route(@Root() report: IntelReport): Route | null {
    if (!report.routeOrigin && !report.routeDestination && !report.routeTransit?.length) return null;
    return { origin: report.routeOrigin, transit: report.routeTransit ?? [], destination: report.routeDestination };
  }

  @FieldResolver(() => Country)
  owner(@Root() report: IntelReport, @Ctx() ctx: HubContext) {
    return ctx.graph.country(report.ownerCode);
  }

  @FieldResolver(() => Officer, { nullable: true })
  author(@Root() report: IntelReport, @Ctx() ctx: HubContext) {
    return report.authorId ? ctx.graph.officer(report.authorId) : null;
  }

  @FieldResolver(() => Operation, { nullable: true, description: 'The operation the report is scoped to, when the viewer may see it.' })
  operation(@Root() report: IntelReport, @Ctx() ctx: HubContext) {
    return report.operationId ? ctx.graph.operation(report.operationId) : null;
  }

  @FieldResolver(() => [Subject])
  subjects(@Root() report: IntelReport, @Ctx() ctx: HubContext, @Info() info: GraphQLResolveInfo) {
    return ctx.graph.subjectsOfVisibleReport(report.id, subjectListColumns(info));
  }

  @FieldResolver(() => [Link])
  links(@Root() report: IntelReport, @Ctx() ctx: HubContext) {
    return ctx.graph.linksOfVisibleReport(report.id);
  }
}
