import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { OfficerContext, PartnerContext, PolicyContext, PolicyItem } from '../../src/policy/context';
import { evaluateItem } from '../../src/policy/rule';
import { changeDecisionKey, decisionKey, sessionKey } from '../../src/subscriptions/visibility-groups';

/** Grouping live subscribers is only sound if the key holds every input the rule reads. */
const countries = fc.constantFrom('QS', 'QT', 'QU');
const rank = fc.integer({ min: -1, max: 3 });
const ops = fc.subarray(['op1', 'op2', 'op3']);
const shareRanks = fc.record({ QS: rank, QT: rank, QU: rank });

const officer: fc.Arbitrary<OfficerContext> = fc.record({
  kind: fc.constant('officer' as const),
  officerId: fc.string(),
  country: countries,
  roles: fc.subarray(['OFFICER', 'COORDINATOR', 'ANALYST', 'NCB_ADMIN', 'OVERSIGHT', 'NETWORK_ADMIN'] as const),
  status: fc.constantFrom('NOMINATED', 'ACTIVE', 'SUSPENDED' as const),
  clearanceRank: fc.integer({ min: 0, max: 3 }),
  assignedOperationIds: ops,
  countryOperationIds: ops,
  shareRanks,
});
const partner: fc.Arbitrary<PartnerContext> = fc.record({ kind: fc.constant('partner' as const), partnerId: fc.string(), shareRanks });
const viewer: fc.Arbitrary<PolicyContext> = fc.oneof(officer, partner);

const item: fc.Arbitrary<PolicyItem> = fc.record({
  ownerCode: countries,
  classRank: fc.integer({ min: 0, max: 3 }),
  relMode: fc.constantFrom('NETWORK', 'ALLOW', 'DENY'),
  relCountries: fc.subarray(['QS', 'QT', 'QU']),
  operationId: fc.option(fc.constantFrom('op1', 'op2', 'op3'), { nil: null }),
  expiresAt: fc.option(fc.constantFrom('2000-01-01T00:00:00Z', '2999-01-01T00:00:00Z'), { nil: null }),
});

describe('visibility groups', () => {
  it('viewers with equal decision keys get equal decisions from the rule', () => {
    fc.assert(
      fc.property(viewer, viewer, item, (a, b, i) => {
        if (decisionKey(a, i) !== decisionKey(b, i)) return;
        expect(evaluateItem(a, i).allowed).toBe(evaluateItem(b, i).allowed);
      }),
      { numRuns: 20_000 },
    );
  });

  it('viewers with equal change keys agree whether a change made the item visible to them', () => {
    const becameVisible = (v: PolicyContext, now: PolicyItem, before: PolicyItem | null) =>
      evaluateItem(v, now).allowed && !(before !== null && evaluateItem(v, before).allowed);
    fc.assert(
      fc.property(viewer, viewer, item, fc.option(item, { nil: null }), (a, b, now, before) => {
        if (changeDecisionKey(a, now, before) !== changeDecisionKey(b, now, before)) return;
        expect(becameVisible(a, now, before)).toBe(becameVisible(b, now, before));
      }),
      { numRuns: 20_000 },
    );
  });

  it('viewers with equal session keys differ only in identity', () => {
    fc.assert(
      fc.property(viewer, viewer, item, (a, b, i) => {
        if (sessionKey(a) !== sessionKey(b)) return;
        expect(decisionKey(a, i)).toBe(decisionKey(b, i));
        expect(evaluateItem(a, i)).toEqual(evaluateItem(b, i));
      }),
      { numRuns: 20_000 },
    );
  });
});
