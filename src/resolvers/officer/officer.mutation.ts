import { randomUUID } from 'node:crypto';
import { Arg, Ctx, Field, ID, InputType, Mutation, Resolver } from 'type-graphql';
import { NotFoundError } from '../../errors';
import { activateOfficer, nominateOfficer, setClearance, suspendOfficer } from '../../graph/writes/officers';
import type { Level, Role } from '../../policy/levels';
import { requireRole } from '../../policy/permissions';
import { LevelEnum, RoleEnum } from '../common/enums';
import { invalidatePolicy } from '../common/invalidate';
import { Checker } from '../common/validate';
import type { HubContext } from '../context';
import { Officer } from './officer.type';

/** Deliberately loose: one @, something on both sides, a dot in the domain; the mail server decides the rest. */
const EMAIL_PATTERN = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const PHONE_PATTERN = /^\+?[0-9][0-9 ().-]{2,31}$/;

@InputType('NominationInput')
export class NominationInput {
  @Field(() => ID, { nullable: true, description: 'Client id: the mutation is idempotent on it.' }) id?: string | null;
  @Field(() => ID) unitId: string;
  @Field(() => String) name: string;
  @Field(() => String, { nullable: true }) email?: string | null;
  @Field(() => String, { nullable: true }) phone?: string | null;
  @Field(() => String, { nullable: true }) rank?: string | null;
  @Field(() => [RoleEnum]) roles: Role[];
  @Field(() => LevelEnum) clearance: Level;
}

@Resolver()
export class OfficerMutationResolver {
  @Mutation(() => Officer, { description: 'Nominates an officer of a unit; they read nothing until activated.' })
  async nominateOfficer(@Arg('input', () => NominationInput) input: NominationInput, @Ctx() ctx: HubContext) {
    const actor = requireRole(ctx.principal, 'NCB_ADMIN', 'NETWORK_ADMIN');
    const check = new Checker(ctx.services.config.limits.maxStringLength);
    check
      .id('id', input.id)
      .id('unitId', input.unitId)
      .text('name', input.name, { required: true, max: 200 })
      .text('email', input.email, { max: 254 })
      .pattern('email', input.email, EMAIL_PATTERN, 'must be an e-mail address')
      .text('phone', input.phone, { max: 32 })
      .pattern('phone', input.phone, PHONE_PATTERN, 'must be a phone number of digits, spaces, ( ) . - and an optional leading +')
      .text('rank', input.rank, { max: 100 });
    if (!input.roles.length) check.add('roles', 'must list at least one role');
    check.done();
    const id = await nominateOfficer(
      ctx.services.db,
      actor,
      {
        id: input.id ?? randomUUID(),
        unitId: input.unitId,
        name: input.name,
        email: input.email ?? null,
        phone: input.phone ?? null,
        rank: input.rank ?? null,
        roles: [...new Set(input.roles)].sort(),
        clearance: input.clearance,
      },
      ctx.graph.now,
    );
    await invalidatePolicy(ctx, id);
    return this.readBack(ctx, id);
  }

  @Mutation(() => Officer, { description: 'NOMINATED or SUSPENDED → ACTIVE.' })
  async activateOfficer(@Arg('officerId', () => ID) officerId: string, @Ctx() ctx: HubContext) {
    const actor = requireRole(ctx.principal, 'NCB_ADMIN', 'NETWORK_ADMIN');
    await activateOfficer(ctx.services.db, actor, officerId, ctx.graph.now);
    await invalidatePolicy(ctx, officerId);
    return this.readBack(ctx, officerId);
  }

  @Mutation(() => Officer, { description: 'Suspends an officer: their next request is refused.' })
  async suspendOfficer(
    @Arg('officerId', () => ID) officerId: string,
    @Arg('reason', () => String) reason: string,
    @Ctx() ctx: HubContext,
  ) {
    const actor = requireRole(ctx.principal, 'NCB_ADMIN', 'NETWORK_ADMIN');
    new Checker(ctx.services.config.limits.maxStringLength).text('reason', reason, { required: true, max: 2000 }).done();
    await suspendOfficer(ctx.services.db, actor, officerId, reason, ctx.graph.now);
    await invalidatePolicy(ctx, officerId);
    return this.readBack(ctx, officerId);
  }

  @Mutation(() => Officer, { description: 'NCB administrators set the clearance of their own country\'s officers.' })
  async setClearance(
    @Arg('officerId', () => ID) officerId: string,
    @Arg('clearance', () => LevelEnum) clearance: Level,
    @Ctx() ctx: HubContext,
  ) {
    const actor = requireRole(ctx.principal, 'NCB_ADMIN');
    await setClearance(ctx.services.db, actor, officerId, clearance, ctx.graph.now);
    await invalidatePolicy(ctx, officerId);
    return this.readBack(ctx, officerId);
  }

  private async readBack(ctx: HubContext, id: string) {
    const officer = await ctx.graph.officer(id);
    if (!officer) throw new NotFoundError('officer', id);
    return officer;
  }
}
