import type { GraphQLResolveInfo } from 'graphql';
import { Arg, Args, Ctx, Field, FieldResolver, ID, Info, InputType, Query, Resolver, Root } from 'type-graphql';
import type { OperationRecord, UpdateRecord } from '../../graph/records';
import type { OperationStatus, Visibility } from '../../policy/levels';
import { PageArgsInput, pageArgs, toConnection } from '../common/connection';
import { OperationStatusEnum, VisibilityEnum } from '../common/enums';
import { operationListIncludes } from '../common/lookahead';
import type { HubContext } from '../context';
import { Country } from '../country/country.type';
import { Officer } from '../officer/officer.type';
import { ReportFilter } from '../report/report.resolver';
import { IntelReportConnection } from '../report/report.type';
import {
  Assignment,
  Operation,
  OperationConnection,
  OperationOutcome,
  OperationUpdate,
  OperationUpdateConnection,
} from './operation.type';
import { updateCursor } from './update-cursor';

@InputType('OperationFilter')
export class OperationFilter {
  @Field(() => OperationStatusEnum, { nullable: true }) status?: OperationStatus | null;
  @Field(() => VisibilityEnum, { nullable: true }) visibility?: Visibility | null;
  @Field(() => String, { nullable: true }) leadCountry?: string | null;
  @Field(() => String, { nullable: true, description: 'A participating country.' }) participant?: string | null;
  @Field(() => String, { nullable: true, description: 'Part of the codename, any case.' }) codename?: string | null;
}

export function toUpdate(record: UpdateRecord): OperationUpdate {
  return { ...record, operationId: record.operationId!, cursor: updateCursor(record.seq) };
}

@Resolver(() => Operation)
export class OperationResolver {
  @Query(() => Operation, { nullable: true, description: 'Null when the operation does not exist or is not visible.' })
  operation(@Arg('id', () => ID) id: string, @Ctx() ctx: HubContext) {
    return ctx.graph.operation(id);
  }

  @Query(() => OperationConnection)
  operations(
    @Arg('filter', () => OperationFilter, { nullable: true }) filter: OperationFilter | null,
    @Args(() => PageArgsInput) args: PageArgsInput,
    @Ctx() ctx: HubContext,
    @Info() info: GraphQLResolveInfo,
  ) {
    const { maxPageSize } = ctx.services.config.limits;
    return toConnection(ctx.graph.operations({ ...filter }, pageArgs(args, maxPageSize), operationListIncludes(info, maxPageSize)));
  }

  @FieldResolver(() => Country)
  leadCountry(@Root() operation: OperationRecord, @Ctx() ctx: HubContext) {
    return ctx.graph.country(operation.leadCode);
  }

  @FieldResolver(() => [Country])
  async participants(@Root() operation: OperationRecord, @Ctx() ctx: HubContext) {
    const codes = await ctx.graph.participants(operation.id);
    return (await Promise.all(codes.map((code) => ctx.graph.country(code)))).filter((c) => c !== null);
  }

  @FieldResolver(() => [Assignment])
  assignments(@Root() operation: OperationRecord, @Ctx() ctx: HubContext) {
    return ctx.graph.assignments(operation.id);
  }

  @FieldResolver(() => OperationUpdateConnection, { description: 'The updates the viewer may see, oldest first.' })
  updates(@Root() operation: OperationRecord, @Args(() => PageArgsInput) args: PageArgsInput, @Ctx() ctx: HubContext) {
    return toConnection(ctx.graph.updates(operation.id, pageArgs(args, ctx.services.config.limits.maxPageSize)), toUpdate);
  }

  @FieldResolver(() => IntelReportConnection, { description: 'Reports scoped to this operation that the viewer may see.' })
  reports(
    @Root() operation: OperationRecord,
    @Arg('filter', () => ReportFilter, { nullable: true }) filter: ReportFilter | null,
    @Args(() => PageArgsInput) args: PageArgsInput,
    @Ctx() ctx: HubContext,
  ) {
    return toConnection(
      ctx.graph.reports('operation', operation.id, ReportFilter.toGraph(filter), pageArgs(args, ctx.services.config.limits.maxPageSize)),
    );
  }

  @FieldResolver(() => OperationOutcome)
  outcome(@Root() operation: OperationRecord, @Ctx() ctx: HubContext) {
    return ctx.graph.outcome(operation);
  }
}

@Resolver(() => Assignment)
export class AssignmentResolver {
  @FieldResolver(() => Officer)
  officer(@Root() assignment: Assignment, @Ctx() ctx: HubContext) {
    return ctx.graph.officer(assignment.officerId);
  }
}

@Resolver(() => OperationUpdate)
export class OperationUpdateResolver {
  @FieldResolver(() => Operation, { description: 'The operation; visible whenever one of its updates is.' })
  operation(@Root() update: OperationUpdate, @Ctx() ctx: HubContext) {
    return ctx.graph.operation(update.operationId);
  }

  @FieldResolver(() => Country)
  owner(@Root() update: OperationUpdate, @Ctx() ctx: HubContext) {
    return ctx.graph.country(update.ownerCode);
  }

  @FieldResolver(() => Officer, { nullable: true })
  author(@Root() update: OperationUpdate, @Ctx() ctx: HubContext) {
    return update.authorId ? ctx.graph.officer(update.authorId) : null;
  }
}
