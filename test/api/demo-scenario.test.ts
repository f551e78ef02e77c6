import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importFile } from '../../src/graph/import';
import { buildDemoData } from '../../src/import/demo';
import { IntelFeedDocument, MeDocument, OperationBoardDocument } from '../generated/operations';
import { testDb } from '../support/db';
import { startTestHub, type TestHub } from '../support/hub';

/** The README's documented operations, typed by codegen, against the demo scenario. */
let t: TestHub;

beforeAll(async () => {
  await importFile(await testDb(), buildDemoData());
  t = await startTestHub();
});

afterAll(async () => {
  await t?.stop();
});

const LEVEL_ORDER = ['UNCLASSIFIED', 'OFFICIAL', 'RESTRICTED', 'CONFIDENTIAL'];

describe('demo scenario through the documented operations', () => {
  it('Me answers with the officer, their country and unit', async () => {
    const res = await t.run(await t.token('o-co-diego'), MeDocument);
    expect(res.data?.me).toMatchObject({ id: 'o-co-diego', roles: ['ANALYST'], country: { code: 'CO' } });
  });

  it('IntelFeed never shows an officer anything above their clearance', async () => {
    const res = await t.run(await t.token('o-mx-jorge'), IntelFeedDocument, { first: 100 });
    expect(res.errors).toBeUndefined();
    const levels = res.data!.intelReports.edges.map((e) => e.node.classification);
    expect(levels.length).toBeGreaterThan(0);
    expect(new Set(levels)).toEqual(new Set(['UNCLASSIFIED']));
  });

  it('IntelFeed shows nothing to oversight and network administrators, who read no content', async () => {
    for (const officer of ['o-es-elena', 'o-us-sam']) {
      const res = await t.run(await t.token(officer), IntelFeedDocument, { first: 10 });
      expect(res.data!.intelReports.totalCount).toBe(0);
    }
  });

  it('an analyst of a participating country sees more than a low-clearance officer, and never another country\'s source', async () => {
    const analyst = await t.run(await t.token('o-co-diego'), IntelFeedDocument, { first: 100 });
    const low = await t.run(await t.token('o-mx-jorge'), IntelFeedDocument, { first: 100 });
    expect(analyst.data!.intelReports.totalCount).toBeGreaterThan(low.data!.intelReports.totalCount);
    for (const edge of analyst.data!.intelReports.edges) {
      expect(LEVEL_ORDER.indexOf(edge.node.classification)).toBeLessThanOrEqual(3);
      if (edge.node.owner.code !== 'CO') expect(edge.node.redactedFields).toContain('sourceDescription');
    }
  });

  it('OperationBoard of the concluded public TURQUESA IV shows its published totals to everyone', async () => {
    const coordinator = await t.run(await t.token('o-cr-carla'), OperationBoardDocument, { id: 'op-turquesa-4', first: 50 });
    const low = await t.run(await t.token('o-mx-jorge'), OperationBoardDocument, { id: 'op-turquesa-4', first: 50 });
    expect(coordinator.data!.operation!.status).toBe('CONCLUDED');
    expect(low.data!.operation!.outcome).toEqual(coordinator.data!.operation!.outcome);
    expect(low.data!.operation!.outcome.migrantsDetected).toBeGreaterThan(0);
  });
});
