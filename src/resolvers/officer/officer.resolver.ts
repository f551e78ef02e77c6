import { Arg, Args, Ctx, Field, FieldResolver, ID, InputType, Query, Resolver, Root } from 'type-graphql';
import { PageArgsInput, pageArgs, toConnection } from '../common/connection';
import { OfficerStatusEnum, RoleEnum } from '../common/enums';
import type { HubContext } from '../context';
import { Country, Unit } from '../country/country.type';
import type { OfficerStatus, Role } from '../../policy/levels';
import { Officer, OfficerConnection } from './officer.type';

@InputType('OfficerFilter')
export class OfficerFilter {
  @Field(() => String, { nullable: true }) countryCode?: string | null;
  @Field(() => ID, { nullable: true }) unitId?: string | null;
  @Field(() => OfficerStatusEnum, { nullable: true }) status?: OfficerStatus | null;
  @Field(() => RoleEnum, { nullable: true }) role?: Role | null;
  @Field(() => String, { nullable: true, description: 'Part of the name, any case.' }) name?: string | null;
}

@Resolver(() => Officer)
export class OfficerResolver {
  @Query(() => Officer, { nullable: true, description: 'The officer the token names; null for partner principals.' })
  me(@Ctx() ctx: HubContext) {
    return ctx.principal.kind === 'officer' ? ctx.graph.officer(ctx.principal.officerId) : null;
  }

  @Query(() => Officer, { nullable: true })
  officer(@Arg('id', () => ID) id: string, @Ctx() ctx: HubContext) {
    return ctx.graph.officer(id);
  }

  @Query(() => OfficerConnection)
  officers(
    @Arg('filter', () => OfficerFilter, { nullable: true }) filter: OfficerFilter | null,
    @Args(() => PageArgsInput) args: PageArgsInput,
    @Ctx() ctx: HubContext,
  ) {
    return toConnection(ctx.graph.officers('root', null, { ...filter }, pageArgs(args, ctx.services.config.limits.maxPageSize)));
  }

  @FieldResolver(() => Unit)
  unit(@Root() officer: Officer, @Ctx() ctx: HubContext) {
    return ctx.graph.unit(officer.unitId);
  }

  @FieldResolver(() => Country)
  country(@Root() officer: Officer, @Ctx() ctx: HubContext) {
    return ctx.graph.country(officer.countryCode);
  }
}
