import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importFile } from '../../src/graph/import';
import type { ImportFile } from '../../src/import/types';
import { testDb, uniquePrefix } from '../support/db';
import { startTestHub, type TestHub } from '../support/hub';

/**
 * No N+1: a nested query costs a fixed number of Cypher round trips, whatever the number of
 * rows. Countries XK and XL belong to this file.
 */
const p = uniquePrefix('batch');
const id = (name: string) => `${p}-${name}`;
const OPERATIONS = 50;

function world(): ImportFile {
  const countries = ['XK', 'XL'];
  return {
    countries: countries.map((code) => ({ code, name: `${code} land`, defaultShareLevel: 'OFFICIAL', partnerShareLevel: 'NONE' })),
    units: countries.flatMap((code) => [1, 2, 3].map((n) => ({ id: id(`u-${code}-${n}`), country: code, name: `${code} unit ${n}` }))),
    officers: countries.flatMap((code) =>
      [1, 2, 3].flatMap((n) =>
        [1, 2, 3, 4].map((k) => ({ id: id(`o-${code}-${n}-${k}`), unit: id(`u-${code}-${n}`), name: `Officer ${code}${n}${k}`, roles: ['OFFICER'], clearance: 'OFFICIAL', status: 'ACTIVE' })),
      ),
    ),
    operations: Array.from({ length: OPERATIONS }, (_, i) => ({
      id: id(`op-${String(i).padStart(3, '0')}`),
      codename: `BATCH ${i}`,
      leadCountry: 'XK',
      status: 'ACTIVE',
      visibility: 'NETWORK',
      participants: ['XL'],
      assignments: [],
    })),
  } as ImportFile;
}

let t: TestHub;
let token: string;

beforeAll(async () => {
  await importFile(await testDb(), world());
  t = await startTestHub();
  token = await t.token(id('o-XK-1-1'));
});

afterAll(async () => {
  await t?.stop();
});

const NESTED = `query($first: Int!) {
  operations(filter: { leadCountry: "XK" }, first: $first) {
    totalCount
    edges { node { id codename leadCountry { code } participants { code units { id officers(first: 5) { totalCount edges { node { id name unit { id } } } } } } } }
  }
}`;

async function roundTrips(first: number): Promise<{ trips: number; operations: number; officers: number }> {
  const db = await testDb();
  let trips = 0;
  const stop = db.observe(() => {
    trips += 1;
  });
  try {
    const res = await t.gql<{ operations: { edges: { node: { participants: { units: { officers: { edges: unknown[] } }[] }[] } }[] } }>(token, NESTED, { first });
    expect(res.errors).toBeUndefined();
    const edges = res.data!.operations.edges;
    const officers = edges.flatMap((e) => e.node.participants.flatMap((c) => c.units.flatMap((u) => u.officers.edges))).length;
    return { trips, operations: edges.length, officers };
  } finally {
    stop();
  }
}

describe('nested queries are batched', () => {
  it('50 operations → participants → units → officers cost the same small number of round trips as 2', async () => {
    const small = await roundTrips(2);
    const large = await roundTrips(OPERATIONS);
    expect(large.operations).toBe(OPERATIONS);
    expect(large.officers).toBe(OPERATIONS * 3 * 4); // each operation: XL's 3 units × 4 officers
    expect(large.trips).toBe(small.trips);
    // principal, operations page, its count, lead countries, participants, participant countries,
    // units, officer pages, their counts, officers' units: one statement per level at most.
    expect(large.trips).toBeLessThanOrEqual(10);
  });
});
