import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../src/graph/db';
import { importFile } from '../../src/graph/import';
import { backfillLinkPolicy, LINK_POLICY_FIELDS } from '../../src/graph/link-policy';
import type { ImportFile } from '../../src/import/types';
import { expectOk, startCachingHub, type Caller } from '../support/actors';
import { uniquePrefix } from '../support/db';
import type { TestHub } from '../support/hub';
import { worldBuilder } from '../support/world';
import { ANALYSIS_COUNTRIES } from './network-world';

/**
 * Each LINK carries its report's policy fields (src/graph/link-policy.ts), so traversals can
 * judge links directly. They must never drift from the report's: after every kind of write
 * that changes a report or its links, every link of this file's world equals its report.
 */
const prefix = uniquePrefix('linkpolicy');
const { id, members, officer } = worldBuilder(prefix);

function world(classification = 'OFFICIAL'): ImportFile {
  const person = (name: string) => ({ id: id(name), kind: 'PERSON', recordedBy: 'XB', name, aliases: [], protected: false });
  return {
    ...members(ANALYSIS_COUNTRIES),
    officers: [officer('bOfficer', 'XB', ['OFFICER'], { clearance: 'CONFIDENTIAL' }), officer('bAdmin', 'XB', ['NCB_ADMIN'])],
    subjects: ['a', 'b', 'c'].map(person),
    reports: ['r1', 'r2'].map((name) => ({
      id: id(name), owner: 'XB', author: id('bOfficer'), title: name, classification, handling: 'H0',
      releasability: { mode: 'NETWORK', countries: [] }, createdAt: '2026-01-10T00:00:00Z', subjects: [id('a'), id('b'), id('c')],
    })),
    links: [
      { id: id('l1'), from: id('a'), to: id('b'), kind: 'ASSOCIATE_OF', report: id('r1') },
      { id: id('l2'), from: id('b'), to: id('c'), kind: 'ASSOCIATE_OF', report: id('r1') },
      { id: id('l3'), from: id('c'), to: id('a'), kind: 'ASSOCIATE_OF', report: id('r2') },
    ],
  } as ImportFile;
}

let t: TestHub;
let db: Db;
let as: Caller;
beforeAll(async () => {
  ({ t, db, as } = await startCachingHub(world()));
});
afterAll(async () => {
  await t?.stop();
});

/** Links of this world whose policy fields differ from their report's (by id), and how many links there are. */
async function drift(): Promise<{ links: number; drifted: string[] }> {
  const [row] = await db.read<{ links: number; drifted: string[] }>({
    cypher: `MATCH ()-[l:LINK]->() WHERE l.id STARTS WITH $prefix
MATCH (r:IntelReport {id: l.reportId})
RETURN count(l) AS links, [x IN collect(CASE WHEN [f IN $fields | l[f]] <> [f IN $fields | r[f]] THEN l.id END) WHERE x IS NOT NULL] AS drifted`,
    params: { prefix, fields: [...LINK_POLICY_FIELDS] },
  });
  return row;
}

async function expectNoDrift(links: number): Promise<void> {
  expect(await drift()).toEqual({ links, drifted: [] });
}

const UPDATE = `mutation($id: ID!, $patch: IntelReportPatch!) { updateIntelReport(id: $id, patch: $patch) { id } }`;
const RELEASE = `mutation($id: ID!, $rel: ReleasabilityInput!) { setReleasability(reportId: $id, releasability: $rel) { id } }`;
const LINK = `mutation($input: LinkInput!) { linkSubjects(input: $input) { id } }`;

describe('link policy fields follow their report', () => {
  it('are copied by the import', async () => {
    await expectNoDrift(3);
  });

  it('follow a reclassification, a new expiry and a releasability change, in the same write', async () => {
    expectOk(await as(id('bOfficer'), UPDATE, { id: id('r1'), patch: { classification: 'RESTRICTED', expiresAt: '2030-01-01T00:00:00Z' } }));
    await expectNoDrift(3);
    expectOk(await as(id('bAdmin'), RELEASE, { id: id('r1'), rel: { mode: 'ALLOW', countries: ['XC'] } }));
    await expectNoDrift(3);
  });

  it('are set on a link created through linkSubjects', async () => {
    expectOk(await as(id('bOfficer'), LINK, { input: { id: id('l4'), reportId: id('r1'), fromId: id('a'), toId: id('c'), kind: 'CALLED' } }));
    await expectNoDrift(4);
  });

  it('follow a report re-imported with another classification', async () => {
    await importFile(db, world('UNCLASSIFIED'));
    await expectNoDrift(4);
  });

  it('never drift under any sequence of report changes', async () => {
    const change = fc.oneof(
      fc.record({ kind: fc.constant('classify' as const), report: fc.constantFrom('r1', 'r2'), level: fc.constantFrom('UNCLASSIFIED', 'OFFICIAL', 'RESTRICTED', 'CONFIDENTIAL') }),
      fc.record({ kind: fc.constant('expire' as const), report: fc.constantFrom('r1', 'r2'), at: fc.constantFrom('2020-01-01T00:00:00Z', '2031-05-01T00:00:00Z') }),
      fc.record({ kind: fc.constant('release' as const), report: fc.constantFrom('r1', 'r2'), mode: fc.constantFrom('NETWORK', 'ALLOW', 'DENY'), countries: fc.subarray(['XC', 'XF'], { minLength: 1 }) }),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(change, { minLength: 1, maxLength: 4 }), async (changes) => {
        for (const c of changes) {
          if (c.kind === 'classify') expectOk(await as(id('bOfficer'), UPDATE, { id: id(c.report), patch: { classification: c.level } }));
          if (c.kind === 'expire') expectOk(await as(id('bOfficer'), UPDATE, { id: id(c.report), patch: { expiresAt: c.at } }));
          if (c.kind === 'release') expectOk(await as(id('bAdmin'), RELEASE, { id: id(c.report), rel: { mode: c.mode, countries: c.mode === 'NETWORK' ? [] : c.countries } }));
        }
        await expectNoDrift(4);
      }),
      { numRuns: 12 },
    );
  });

  it('are filled in by the backfill for links stored without them; a link without its report becomes invisible to all', async () => {
    const unset = LINK_POLICY_FIELDS.map((f) => `l.${f}`).join(', ');
    await db.write({ cypher: `MATCH ()-[l:LINK]->() WHERE l.id STARTS WITH $prefix REMOVE ${unset}`, params: { prefix } });
    await db.write({
      cypher: `MATCH (a:Subject {id: $a}), (b:Subject {id: $b}) CREATE (a)-[:LINK {id: $orphan, kind: 'CALLED', reportId: $missing}]->(b)`,
      params: { a: id('a'), b: id('b'), orphan: id('orphan'), missing: id('no-such-report') },
    });
    expect(await backfillLinkPolicy(db)).toBeGreaterThanOrEqual(5);
    await expectNoDrift(4);
    const [orphan] = await db.read<{ classRank: number; ownerCode: string | null }>({
      cypher: 'MATCH ()-[l:LINK {id: $id}]->() RETURN l.classRank AS classRank, l.ownerCode AS ownerCode',
      params: { id: id('orphan') },
    });
    expect(orphan).toEqual({ classRank: 1000, ownerCode: null });
    await db.write({ cypher: 'MATCH ()-[l:LINK {id: $id}]->() DELETE l', params: { id: id('orphan') } });
  });
});
