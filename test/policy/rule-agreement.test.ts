import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import type { PolicyContext, PolicyItem, PolicyOperation } from '../../src/policy/context';
import { canRead, canSeeOperation, itemPredicate, operationPredicate, policyParams } from '../../src/policy/rule';
import { testDb, uniquePrefix } from '../support/db';

/**
 * The rule's two forms agree: the Cypher predicate that filters every query and the in-memory
 * decision used for subscriptions and explanations, on random readers and random items.
 */
const CODES = ['AB', 'CD', 'EF', 'GH'];
const OPS = ['op1', 'op2', 'op3'];
const batchBase = uniquePrefix('agree');
const now = new Date();
const DAY = 86_400_000;

const code = fc.constantFrom(...CODES);
const shareRanks = fc.dictionary(code, fc.integer({ min: -1, max: 3 }));

const officer = fc.record({
  kind: fc.constant('officer' as const),
  officerId: fc.constant('o'),
  country: code,
  roles: fc.subarray(['OFFICER', 'COORDINATOR', 'ANALYST', 'NCB_ADMIN', 'OVERSIGHT', 'NETWORK_ADMIN'] as const),
  status: fc.constantFrom('ACTIVE' as const, 'NOMINATED' as const, 'SUSPENDED' as const),
  clearanceRank: fc.integer({ min: 0, max: 3 }),
  assignedOperationIds: fc.subarray(OPS),
  countryOperationIds: fc.subarray(OPS),
  shareRanks,
});
const partner = fc.record({ kind: fc.constant('partner' as const), partnerId: fc.constant('p'), shareRanks });
const context: fc.Arbitrary<PolicyContext> = fc.oneof(officer, officer, partner);

const item: fc.Arbitrary<PolicyItem> = fc.record({
  ownerCode: code,
  classRank: fc.integer({ min: 0, max: 3 }),
  relMode: fc.constantFrom('NETWORK', 'ALLOW', 'DENY'),
  relCountries: fc.subarray(CODES),
  operationId: fc.option(fc.constantFrom(...OPS), { nil: null }),
  expiresAt: fc.option(fc.integer({ min: -5, max: 5 }).map((days) => new Date(now.getTime() + days * DAY + 1000).toISOString()), { nil: null }),
});
const operation: fc.Arbitrary<PolicyOperation> = fc.record({
  id: fc.constantFrom(...OPS),
  visibility: fc.constantFrom('PUBLIC', 'NETWORK', 'PARTICIPANTS'),
  status: fc.constantFrom('PLANNED', 'ACTIVE', 'CONCLUDED'),
});

let runs = 0;

afterAll(async () => {
  const db = await testDb();
  await db.write({ cypher: 'MATCH (n:PolicyProbe) WHERE n.batch STARTS WITH $base DETACH DELETE n', params: { base: batchBase } });
});

describe('the Cypher and in-memory forms of the sharing rule', () => {
  it('select exactly the same items and operations for random readers', { timeout: 600_000 }, async () => {
    const db = await testDb();
    await fc.assert(
      fc.asyncProperty(fc.array(item, { minLength: 1, maxLength: 40 }), fc.array(operation, { maxLength: 6 }), fc.array(context, { minLength: 1, maxLength: 8 }), async (items, operations, contexts) => {
        const batch = `${batchBase}-${runs++}`;
        await db.write({
          cypher: `UNWIND $items AS item
CREATE (n:PolicyProbe {batch: $batch, id: item.id, ownerCode: item.ownerCode, classRank: item.classRank, relMode: item.relMode,
  relCountries: item.relCountries, operationId: item.operationId,
  expiresAt: CASE WHEN item.expiresAt IS NULL THEN null ELSE datetime(item.expiresAt) END})`,
          params: { batch, items: items.map((it, i) => ({ ...it, id: `i${i}` })) },
        });
        await db.write({
          cypher: 'UNWIND $ops AS op CREATE (:PolicyProbe {batch: $batch, id: op.key, opId: op.id, visibility: op.visibility, status: op.status})',
          params: { batch, ops: operations.map((op, i) => ({ ...op, key: `o${i}` })) },
        });
        for (const ctx of contexts) {
          const fromCypher = await db.read<{ id: string }>({
            cypher: `MATCH (r:PolicyProbe {batch: $batch}) WHERE r.classRank IS NOT NULL AND ${itemPredicate(ctx, 'r')} RETURN r.id AS id ORDER BY id`,
            params: { batch, policy: policyParams(ctx, now) },
          });
          const inMemory = items.map((it, i) => ({ it, id: `i${i}` })).filter(({ it }) => canRead(ctx, it, now)).map(({ id }) => id).sort();
          expect(fromCypher.map((row) => row.id)).toEqual(inMemory);

          const opsFromCypher = await db.read<{ id: string }>({
            cypher: `MATCH (o:PolicyProbe {batch: $batch}) WHERE o.visibility IS NOT NULL
              WITH o, o {id: o.opId, visibility: o.visibility} AS view
              WHERE ${operationPredicate(ctx, 'view')} RETURN o.id AS id ORDER BY id`,
            params: { batch, policy: policyParams(ctx, now) },
          });
          const opsInMemory = operations.map((op, i) => ({ op, id: `o${i}` })).filter(({ op }) => canSeeOperation(ctx, op)).map(({ id }) => id).sort();
          expect(opsFromCypher.map((row) => row.id)).toEqual(opsInMemory);
        }
      }),
      { numRuns: Number(process.env.POLICY_AGREEMENT_RUNS ?? 150) },
    );
    expect(runs).toBeGreaterThan(0);
  });
});
