import type { PolicyContext } from '../policy/context';
import { itemPredicate, policyParams } from '../policy/rule';
import type { ListSpec } from './paging';
import { reportProjection } from './reports';

/**
 * Reports due for review: the country's own reports that have expired (gone for every other
 * country) or will within `withinDays`, soonest first. The sharing rule still applies, so an
 * officer never learns of own-country reports above their clearance.
 */
export function reviewDueSpec(ctx: PolicyContext, country: string, withinDays: number, now: Date): ListSpec {
  return {
    match: 'MATCH (r:IntelReport {ownerCode: $review.country})',
    alias: 'r',
    where: [itemPredicate(ctx, 'r'), 'r.expiresAt IS NOT NULL', 'r.expiresAt <= datetime($policy.now) + duration({days: $review.withinDays})'],
    orderBy: [
      { expr: 'r.expiresAt', desc: false, datetime: true },
      { expr: 'r.id', desc: false },
    ],
    projection: reportProjection('r'),
    params: { policy: policyParams(ctx, now), review: { country, withinDays } },
  };
}
