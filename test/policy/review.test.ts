import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ImportFile } from '../../src/import/types';
import { expectCode, expectOk, startCachingHub, type Caller } from '../support/actors';
import { uniquePrefix } from '../support/db';
import type { TestHub } from '../support/hub';
import { worldBuilder } from '../support/world';
import { AUDIT_COUNTRIES, storedEvents } from './audit-support';

/**
 * reviewDue: the viewer's own country's reports that have expired or expire soon, soonest
 * first. XY owns this file's expiring reports; other files of XV–XY leave XY's expiry alone.
 */
const { id, members, officer } = worldBuilder(uniquePrefix('review'));
const inDays = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString();

function world(): ImportFile {
  const report = (name: string, owner: string, expiresAt: string | null, extra: Record<string, unknown> = {}) => ({
    id: id(name), owner, author: id(owner === 'XY' ? 'yOfficer' : 'vOfficer'), title: name, classification: 'OFFICIAL', handling: 'H0',
    releasability: { mode: 'NETWORK', countries: [] }, createdAt: '2026-01-01T00:00:00Z', expiresAt, subjects: [], ...extra,
  });
  return {
    ...members(AUDIT_COUNTRIES),
    officers: [
      officer('yOfficer', 'XY', ['OFFICER'], { clearance: 'RESTRICTED' }),
      officer('yNet', 'XY', ['NETWORK_ADMIN']),
      officer('vOfficer', 'XV', ['OFFICER']),
    ],
    reports: [
      report('in20', 'XY', inDays(20)),
      report('expired', 'XY', '2021-06-01T00:00:00Z', { createdAt: '2021-01-01T00:00:00Z' }),
      report('in5', 'XY', inDays(5)),
      report('in60', 'XY', inDays(60)),
      report('open', 'XY', null),
      report('aboveClearance', 'XY', inDays(3), { classification: 'CONFIDENTIAL' }),
      report('foreign', 'XV', inDays(2)),
    ],
  } as ImportFile;
}

const REVIEW = `query($within: Int, $first: Int, $after: String) { reviewDue(withinDays: $within, first: $first, after: $after) {
  totalCount edges { node { id expiresAt } } pageInfo { hasNextPage endCursor } } }`;
type Review = { reviewDue: { totalCount: number; edges: { node: { id: string; expiresAt: string } }[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } } };

let t: TestHub;
let as: Caller;

beforeAll(async () => {
  ({ t, as } = await startCachingHub(world()));
});
afterAll(async () => {
  await t?.stop();
});

/** This file's reports in the answer, in order (earlier runs may have left XY reports too). */
async function due(who: string, variables: Record<string, unknown> = {}): Promise<string[]> {
  const data = expectOk(await as<Review>(id(who), REVIEW, { first: 500, ...variables }));
  return data.reviewDue.edges.map((e) => e.node.id).filter((reportId) => reportId.startsWith(id('')));
}

describe('reviewDue', () => {
  it('lists expired reports and those expiring within 30 days by default, soonest first', async () => {
    expect(await due('yOfficer')).toEqual([id('expired'), id('in5'), id('in20')]);
  });

  it('takes another horizon, and 0 for the expired ones only', async () => {
    expect(await due('yOfficer', { within: 90 })).toEqual([id('expired'), id('in5'), id('in20'), id('in60')]);
    expect(await due('yOfficer', { within: 0 })).toEqual([id('expired')]);
  });

  it('pages with cursors in the same order', async () => {
    const all = expectOk(await as<Review>(id('yOfficer'), REVIEW, { within: 90, first: 500 })).reviewDue;
    const seen: string[] = [];
    let after: string | null = null;
    do {
      const page: Review['reviewDue'] = expectOk(await as<Review>(id('yOfficer'), REVIEW, { within: 90, first: 2, after })).reviewDue;
      seen.push(...page.edges.map((e) => e.node.id));
      after = page.pageInfo.hasNextPage ? page.pageInfo.endCursor : null;
    } while (after);
    expect(seen).toEqual(all.edges.map((e) => e.node.id));
    expect(all.totalCount).toBe(seen.length);
  });

  it('keeps to the viewer\'s own country and clearance', async () => {
    const mine = await due('yOfficer', { within: 90 });
    expect(mine).not.toContain(id('foreign'));
    expect(mine).not.toContain(id('aboveClearance'));
    expect(await due('vOfficer', { within: 90 })).toEqual([id('foreign')]);
  });

  it('is audited like every read of content', async () => {
    const reads = () => storedEvents({ itemId: id('in5'), officerId: id('yOfficer'), action: 'READ' });
    const before = (await reads()).length;
    await due('yOfficer');
    expect((await reads()).length).toBe(before + 1);
  });

  it('is for officers who read content', async () => {
    expectCode(await as(id('yNet'), REVIEW, {}), 'FORBIDDEN');
    expectCode(await as(id('yOfficer'), REVIEW, { within: -1 }), 'BAD_USER_INPUT');
  });
});
