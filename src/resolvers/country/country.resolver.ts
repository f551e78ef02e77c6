import type { GraphQLResolveInfo } from 'graphql';
import { Arg, Args, Ctx, Directive, FieldResolver, ID, Info, Query, Resolver, Root } from 'type-graphql';
import { PageArgsInput, pageArgs, toConnection } from '../common/connection';
import { officerListColumns } from '../common/lookahead';
import type { HubContext } from '../context';
import { OfficerConnection } from '../officer/officer.type';
import { Country, Unit } from './country.type';

@Resolver(() => Country)
export class CountryResolver {
  // The country directory is the same for every principal, so another subgraph may answer it too.
  @Directive('@shareable')
  @Query(() => Country, { nullable: true })
  country(@Arg('code', () => ID) code: string, @Ctx() ctx: HubContext) {
    return ctx.graph.country(code);
  }

  @Directive('@shareable')
  @Query(() => [Country])
  countries(@Ctx() ctx: HubContext) {
    return ctx.graph.countries();
  }

  @FieldResolver(() => [Unit])
  units(@Root() country: Country, @Ctx() ctx: HubContext) {
    return ctx.graph.unitsOf(country.code);
  }
}

@Resolver(() => Unit)
export class UnitResolver {
  @Query(() => Unit, { nullable: true })
  unit(@Arg('id', () => ID) id: string, @Ctx() ctx: HubContext) {
    return ctx.graph.unit(id);
  }

  @FieldResolver(() => Country)
  country(@Root() unit: Unit, @Ctx() ctx: HubContext) {
    return ctx.graph.country(unit.countryCode);
  }

  @FieldResolver(() => OfficerConnection)
  officers(@Root() unit: Unit, @Args(() => PageArgsInput) args: PageArgsInput, @Ctx() ctx: HubContext, @Info() info: GraphQLResolveInfo) {
    const page = pageArgs(args, ctx.services.config.limits.maxPageSize);
    return toConnection(ctx.graph.officers('unit', unit.id, {}, page, officerListColumns(info)));
  }
}
