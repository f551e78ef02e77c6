import { Arg, Ctx, ID, Mutation, Query, Resolver } from 'type-graphql';
import { recordWanted, screenWantedPerson, withdrawWanted } from '../../graph/identity';
import { words } from '../../graph/search-text';
import { requireActive, requireRole } from '../../policy/permissions';
import { toIso } from '../common/scalars';
import { Checker, DATE_PATTERN } from '../common/validate';
import type { HubContext } from '../context';
import { takeScreening } from './screening.resolver';
import { PersonScreeningResult, WantedFlag, WantedInput } from './person-screening.type';

const NO_HIT_ADVICE = 'No wanted person matches. This is not proof that the person is not wanted elsewhere: proceed as usual.';

function validDate(value: string): boolean {
  const parsed = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(parsed.getTime()) && parsed.toISOString().slice(0, 10) === value;
}

@Resolver()
export class PersonScreeningResolver {
  @Query(() => PersonScreeningResult, {
    description:
      'Whether a person is recorded as wanted by a member country: names match in any case, accents and word order, with one typo per name; ' +
      'dateOfBirth (YYYY-MM-DD), when given, must be the same. Any ACTIVE officer; rate-limited with screenDocument; audited.',
  })
  async screenPerson(
    @Arg('name', () => String) name: string,
    @Arg('dateOfBirth', () => String, { nullable: true }) dateOfBirth: string | null,
    @Arg('nationality', () => String, { nullable: true }) nationality: string | null,
    @Ctx() ctx: HubContext,
  ): Promise<PersonScreeningResult> {
    const officer = requireActive(ctx.principal);
    const country = nationality?.trim().toUpperCase() || null;
    const check = new Checker(ctx.services.config.limits.maxStringLength)
      .text('name', name, { required: true, max: 200 })
      .pattern('dateOfBirth', dateOfBirth, DATE_PATTERN, 'must be YYYY-MM-DD')
      .country('nationality', country);
    if (name.length <= 200 && words(name).length === 0) check.add('name', 'must contain letters');
    if (dateOfBirth && DATE_PATTERN.test(dateOfBirth) && !validDate(dateOfBirth)) check.add('dateOfBirth', 'is not a calendar date');
    check.done();
    const detail = `person ${words(name).join(' ')}${dateOfBirth ? ` ${dateOfBirth}` : ''}${country ? ` ${country}` : ''}`;
    await takeScreening(ctx, officer.officerId, detail);
    const hit = await screenWantedPerson(ctx.services.db, { name, dateOfBirth: dateOfBirth ?? null, nationality: country });
    ctx.graph.audit.note('SCREEN', hit ? 'Person' : null, hit?.personId ?? null, hit ? 'HIT' : 'NO_HIT', { detail });
    if (!hit) return { hit: false, wantedBy: null, since: null, advice: NO_HIT_ADVICE };
    return {
      hit: true,
      wantedBy: await ctx.graph.country(hit.wantedBy),
      since: hit.since,
      advice: `Possibly wanted by ${hit.wantedBy}. Do not act on this hit alone: confirm the identity and the wanted status with the NCB of ${hit.wantedBy} first.`,
    };
  }

  @Mutation(() => WantedFlag, {
    description: "Records that the caller's country wants a person it recorded or can see (NCB administrators); audited. Hits from the next request.",
  })
  async recordWanted(@Arg('input', () => WantedInput) input: WantedInput, @Ctx() ctx: HubContext) {
    const admin = requireRole(ctx.principal, 'NCB_ADMIN');
    new Checker(ctx.services.config.limits.maxStringLength).id('personId', input.personId).text('reference', input.reference, { max: 200 }).done();
    const flag = await recordWanted(
      ctx.services.db,
      admin,
      { personId: input.personId, since: toIso(input.since) ?? ctx.graph.now.toISOString(), reference: input.reference ?? null },
      ctx.graph.now,
    );
    ctx.graph.audit.note('UPDATE', 'Person', flag.personId, 'OK', { detail: `wanted recorded by ${admin.country}` });
    return { ...flag, wantedBy: await ctx.graph.country(flag.wantedBy) };
  }

  @Mutation(() => Boolean, { description: "Withdraws the caller's country's wanted flag on a person (NCB administrators); audited. No hit from the next request." })
  async withdrawWanted(@Arg('personId', () => ID) personId: string, @Ctx() ctx: HubContext) {
    const admin = requireRole(ctx.principal, 'NCB_ADMIN');
    new Checker(ctx.services.config.limits.maxStringLength).id('personId', personId).done();
    await withdrawWanted(ctx.services.db, admin, personId, ctx.graph.now);
    ctx.graph.audit.note('UPDATE', 'Person', personId, 'OK', { detail: `wanted withdrawn by ${admin.country}` });
    return true;
  }
}
