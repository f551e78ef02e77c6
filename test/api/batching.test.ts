import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importFile } from '../../src/graph/import';
import { officerContextQuery } from '../../src/graph/principals';
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
const REPORTS = 12;

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
    subjects: [1, 2, 3].map((n) => ({ id: id(`s-${n}`), kind: 'ORGANIZATION', recordedBy: 'XK', name: `Group ${n}` })),
    reports: Array.from({ length: REPORTS }, (_, i) => ({
      id: id(`r-${String(i).padStart(2, '0')}`), owner: 'XK', author: id('o-XK-1-1'), title: `Report ${i}`, classification: 'OFFICIAL',
      handling: 'H0', releasability: { mode: 'NETWORK', countries: [] }, createdAt: new Date(Date.UTC(2026, 0, 1 + i)).toISOString(),
      subjects: [id(`s-${1 + (i % 3)}`), id(`s-${1 + ((i + 1) % 3)}`)],
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

/**
 * The statements one request sends for its data (their first words, for a failure's message),
 * with its answer: the principal's (PRINCIPAL_CACHE_MS is 0 in tests) and the audit journal's
 * are left out.
 */
async function statementsOf<T>(query: string, variables: Record<string, unknown> = {}): Promise<{ sent: string[]; data: T }> {
  const db = await testDb();
  const sent: string[] = [];
  const stop = db.observe((statement) => {
    if (statement.cypher !== officerContextQuery && !/Audit|AccessEvent/.test(statement.cypher)) sent.push(statement.cypher.replace(/\s+/g, ' ').slice(0, 100));
  });
  try {
    const res = await t.gql<T>(token, query, variables);
    expect(res.errors).toBeUndefined();
    return { sent, data: res.data! };
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

describe('hot selections cost one statement (children embedded: src/graph/includes.ts)', () => {
  type Report = { id: string; owner: { code: string }; subjects: { id: string }[] };
  const subjectsOf = (i: number) => [id(`s-${1 + (i % 3)}`), id(`s-${1 + ((i + 1) % 3)}`)].sort();

  it('operations → participants → units → officers: one statement, the same answer as the loaders give', async () => {
    type Officer = { id: string; name: string; unit: { id: string }; country: { code: string } };
    type Answer = { operations: { edges: { node: { id: string; participants: { code: string; units: { id: string; officers: { edges: { node: Officer }[] } }[] }[] } }[] } };
    // Officers' columns are those the selection reads (id, name, unit, country here).
    const { sent, data } = await statementsOf<Answer>(`{ operations(filter: { leadCountry: "XK" }, first: 50) { edges { node { id codename
      participants { code name units { id name officers(first: 3) { edges { node { id name unit { id } country { code } } } } } } } } } }`);
    expect(sent, sent.join('\n')).toHaveLength(1);
    expect(data.operations.edges).toHaveLength(OPERATIONS);
    // Each operation: XL, its three units in name order, each unit's first three officers by id.
    const expected = [{ code: 'XL', units: [1, 2, 3].map((n) => ({ id: id(`u-XL-${n}`), officers: [1, 2, 3].map((k) => id(`o-XL-${n}-${k}`)) })) }];
    for (const { node } of data.operations.edges) {
      expect(node.participants.map((c) => ({ code: c.code, units: c.units.map((u) => ({ id: u.id, officers: u.officers.edges.map((e) => e.node.id) })) }))).toEqual(expected);
      for (const unit of node.participants[0].units) {
        for (const { node: officer } of unit.officers.edges) {
          expect(officer).toEqual({ id: officer.id, name: `Officer XL${officer.id.slice(-3, -2)}${officer.id.slice(-1)}`, unit: { id: unit.id }, country: { code: 'XL' } });
        }
      }
    }
    // Two pages of officers asked at once are not embedded: each is read by its own loader, as before.
    const two = await statementsOf<Answer>(`{ operations(filter: { leadCountry: "XK" }, first: 2) { edges { node { id
      participants { code units { id a: officers(first: 1) { edges { node { id } } } officers(first: 3) { edges { node { id } } } } } } } } }`);
    expect(two.sent, two.sent.join('\n')).toHaveLength(3);
    for (const { node } of two.data.operations.edges) {
      const units = node.participants[0].units as unknown as { officers: { edges: { node: { id: string } }[] }; a: { edges: { node: { id: string } }[] } }[];
      expect(units.map((u) => u.officers.edges.map((e) => e.node.id))).toEqual(expected[0].units.map((u) => u.officers));
      expect(units.map((u) => u.a.edges.map((e) => e.node.id))).toEqual(expected[0].units.map((u) => u.officers.slice(0, 1)));
    }
  });

  it('a page read with fewer columns is not served to a selection that needs more', async () => {
    type Page = { edges: { node: { id: string; name?: string; email?: string | null; rank?: string | null } }[] };
    type Answer = {
      operations: { edges: { node: { participants: { units: { id: string; officers: Page }[] }[] } }[] };
      unit: { officers: Page };
    };
    // The same unit's first three officers: embedded with the id only, and through Query.unit with more fields.
    const { data } = await statementsOf<Answer>(`{
      operations(filter: { leadCountry: "XK" }, first: 1) { edges { node { participants { units { id officers(first: 3) { edges { node { id } } } } } } } }
      unit(id: "${id('u-XL-1')}") { officers(first: 3) { edges { node { id name email rank } } } } }`);
    const embedded = data.operations.edges[0].node.participants[0].units.find((u) => u.id === id('u-XL-1'))!;
    expect(embedded.officers.edges.map((e) => e.node)).toEqual([1, 2, 3].map((k) => ({ id: id(`o-XL-1-${k}`) })));
    expect(data.unit.officers.edges.map((e) => e.node)).toEqual([1, 2, 3].map((k) => ({ id: id(`o-XL-1-${k}`), name: `Officer XL1${k}`, email: null, rank: null })));
  });

  it('the intel feed with owner and subjects: one statement', async () => {
    const { sent, data } = await statementsOf<{ intelReports: { edges: { node: Report }[] } }>(
      `{ intelReports(filter: { owner: "XK" }, first: 50) { edges { node { id title owner { code name } subjects { id kind } } } } }`,
    );
    expect(sent, sent.join('\n')).toHaveLength(1);
    const reports = data.intelReports.edges.map((e) => e.node);
    expect(reports.map((r) => r.id)).toEqual(Array.from({ length: REPORTS }, (_, i) => id(`r-${String(REPORTS - 1 - i).padStart(2, '0')}`)));
    reports.forEach((r) => {
      const i = Number(r.id.slice(-2));
      expect(r.owner.code).toBe('XK');
      expect(r.subjects.map((s) => s.id)).toEqual(subjectsOf(i));
    });
  });

  it('the feed reads only the report and subject columns its selection reads', async () => {
    const db = await testDb();
    const feeds: string[] = [];
    const stop = db.observe((statement) => {
      if (/MATCH \(r:IntelReport\)/.test(statement.cypher)) feeds.push(statement.cypher);
    });
    try {
      const narrow = await t.gql(token, '{ intelReports(filter: { owner: "XK" }, first: 5) { edges { node { id title subjects { id kind } } } } }');
      const wide = await t.gql(token, '{ intelReports(filter: { owner: "XK" }, first: 5) { edges { node { id summary subjects { id ... on Organization { name } } } } } }');
      expect(narrow.errors ?? wide.errors).toBeUndefined();
    } finally {
      stop();
    }
    expect(feeds).toHaveLength(2);
    const [narrow, wide] = feeds;
    expect(narrow).toContain('.title');
    expect(narrow).not.toMatch(/\.summary|\.sourceDescription|AUTHORED_BY|name: incSubject\.name/);
    expect(wide).toMatch(/\.summary/);
    expect(wide).not.toContain('.title');
    expect(wide).toMatch(/name: incSubject\.name/);
  });

  it('reports and subjects read with fewer columns are not served to a selection that needs more', async () => {
    type Node = { id: string; title?: string; summary?: string | null; handling?: string; releasability?: { mode: string }; subjects: { id: string; name?: string }[] };
    type Answer = { a: { edges: { node: Node }[] }; b: { edges: { node: Node }[] }; one: Node };
    // The same reports and subjects: a page with the ids only, the same page with more fields, and one of them by id.
    const { data } = await statementsOf<Answer>(`{
      a: intelReports(filter: { owner: "XK" }, first: 3) { edges { node { id subjects { id } } } }
      b: intelReports(filter: { owner: "XK" }, first: 3) { edges { node { id title handling releasability { mode } subjects { id ... on Organization { name } } } } }
      one: intelReport(id: "${id('r-11')}") { id title subjects { id ... on Organization { name } } } }`);
    const ids = ['11', '10', '09'].map((i) => id(`r-${i}`));
    const named = (i: number) => subjectsOf(i).map((s) => ({ id: s, name: `Group ${s.slice(-1)}` }));
    expect(data.a.edges.map((e) => e.node)).toEqual(ids.map((r, k) => ({ id: r, subjects: subjectsOf(11 - k).map((s) => ({ id: s })) })));
    expect(data.b.edges.map((e) => e.node)).toEqual(
      ids.map((r, k) => ({ id: r, title: `Report ${11 - k}`, handling: 'H0', releasability: { mode: 'NETWORK' }, subjects: named(11 - k) })),
    );
    expect(data.one).toEqual({ id: id('r-11'), title: 'Report 11', subjects: named(11) });
  });

  it('a report by id with owner and subjects: one statement; without them, one too', async () => {
    const query = `query($id: ID!) { intelReport(id: $id) { id owner { code } subjects { id } } }`;
    const { sent, data } = await statementsOf<{ intelReport: Report }>(query, { id: id('r-04') });
    expect(sent, sent.join('\n')).toHaveLength(1);
    expect(data.intelReport.owner.code).toBe('XK');
    expect(data.intelReport.subjects.map((s) => s.id)).toEqual(subjectsOf(4));
    const bare = await statementsOf<{ intelReport: { id: string } }>(`query($id: ID!) { intelReport(id: $id) { id title } }`, { id: id('r-04') });
    expect(bare.sent).toHaveLength(1);
    // An unknown id: the read, and the existence check that tells a denied read from a missing one (DESIGN §3, Audit).
    const missing = await statementsOf<{ intelReport: null }>(query, { id: id('r-none') });
    expect(missing.data.intelReport).toBeNull();
    expect(missing.sent).toHaveLength(2);
  });
});
