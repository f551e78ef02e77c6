import { Arg, Ctx, Query, Resolver } from 'type-graphql';
import { RateLimitedError } from '../../errors';
import { documentNumberKey } from '../../graph/import';
import { screenTravelDocument } from '../../graph/screening';
import { requireActive } from '../../policy/permissions';
import { Checker } from '../common/validate';
import type { HubContext } from '../context';
import { ScreeningResult } from './screening.type';

const NO_HIT_ADVICE =
  'No report of this document as stolen, lost or revoked. This is not proof that the document is valid: check it as usual.';

/**
 * One screening from the officer's allowance (SCREENING_PER_MINUTE, shared by document and
 * person screenings and, with Redis, across hubs); a refusal is audited and RATE_LIMITED.
 */
export async function takeScreening(ctx: HubContext, officerId: string, detail: string): Promise<void> {
  const wait = await ctx.services.screeningLimiter.take(officerId);
  if (wait > 0) {
    ctx.graph.audit.note('SCREEN', null, null, 'RATE_LIMITED', { detail });
    throw new RateLimitedError(`at most ${ctx.services.config.limits.screeningPerMinute} screenings per minute; retry in ${wait} s`, wait);
  }
}

@Resolver()
export class ScreeningResolver {
  @Query(() => ScreeningResult, {
    description: 'Whether a travel document is reported STOLEN, LOST or REVOKED (any case, spaces and dashes ignored). Any ACTIVE officer; rate-limited; audited.',
  })
  async screenDocument(
    @Arg('number', () => String) number: string,
    @Arg('issuingCountry', () => String) issuingCountry: string,
    @Ctx() ctx: HubContext,
  ): Promise<ScreeningResult> {
    const officer = requireActive(ctx.principal);
    const country = issuingCountry.trim().toUpperCase();
    const check = new Checker(ctx.services.config.limits.maxStringLength).text('number', number, { required: true, max: 100 }).country('issuingCountry', country);
    if (number.length <= 100 && documentNumberKey(number) === '') check.add('number', 'must contain letters or digits');
    check.done();
    const detail = `${country} ${documentNumberKey(number)}`;
    await takeScreening(ctx, officer.officerId, detail);
    const hit = await screenTravelDocument(ctx.services.db, number, country);
    ctx.graph.audit.note('SCREEN', hit ? 'TravelDocument' : null, hit?.id ?? null, hit ? 'HIT' : 'NO_HIT', { detail });
    if (!hit) return { hit: false, status: null, reportedBy: null, reportedAt: null, advice: NO_HIT_ADVICE };
    return {
      hit: true,
      status: hit.status,
      reportedBy: await ctx.graph.country(hit.recordedBy),
      reportedAt: hit.reportedAt,
      advice: `Reported ${hit.status} by ${hit.recordedBy}. Do not act on this hit alone: confirm it with the NCB of ${hit.recordedBy} first.`,
    };
  }
}
