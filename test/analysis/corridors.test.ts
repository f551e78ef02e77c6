import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CorridorRecord } from '../../src/graph/analysis';
import type { ImportFile } from '../../src/import/types';
import { expectCode, expectOk, startCachingHub, type Caller } from '../support/actors';
import { uniquePrefix } from '../support/db';
import type { TestHub } from '../support/hub';
import { worldBuilder } from '../support/world';
import { ANALYSIS_COUNTRIES } from './network-world';

/**
 * corridors (DESIGN §4): one row per route of the visible reports, counted in Cypher. Routes
 * run between this file's own country codes (XB, XC, XF), so rows of other tests never mix in.
 */
const { id, members, officer } = worldBuilder(uniquePrefix('corridors'));
const DARIEN = { origin: 'XF', transit: ['XC'], destination: 'XB' };
const DIRECT = { origin: 'XF', transit: [], destination: 'XB' };

function world(): ImportFile {
  const person = (name: string) => ({ id: id(name), kind: 'PERSON', recordedBy: 'XB', name, aliases: [], protected: false });
  const report = (name: string, createdAt: string, route: unknown, subjects: string[], extra: Record<string, unknown> = {}) => ({
    id: id(name), owner: 'XB', author: id('bOfficer'), title: name, classification: 'OFFICIAL', handling: 'H0',
    releasability: { mode: 'NETWORK', countries: [] }, createdAt, route, subjects: subjects.map(id), ...extra,
  });
  return {
    ...members(ANALYSIS_COUNTRIES),
    officers: [officer('bOfficer', 'XB', ['OFFICER']), officer('bAdmin', 'XB', ['NCB_ADMIN']), officer('cAnalyst', 'XC', ['ANALYST'])],
    subjects: [person('p1'), person('p2'), person('p3'), { id: id('phone'), kind: 'PHONE', recordedBy: 'XB', number: '+000' }],
    reports: [
      report('jan', '2026-01-10T00:00:00Z', DARIEN, ['p1', 'phone']),
      report('feb1', '2026-02-05T00:00:00Z', DARIEN, ['p1', 'p2']),
      report('feb2', '2026-02-20T00:00:00Z', DARIEN, ['p3']),
      report('secret', '2026-02-01T00:00:00Z', DIRECT, ['p2'], { classification: 'RESTRICTED' }),
      report('noRoute', '2026-02-02T00:00:00Z', null, ['p2']),
    ],
  } as ImportFile;
}

let t: TestHub;
let as: Caller;
beforeAll(async () => {
  ({ t, as } = await startCachingHub(world()));
});
afterAll(async () => {
  await t?.stop();
});

const CORRIDORS = `query($since: DateTime, $until: DateTime, $byMonth: Boolean) {
  corridors(since: $since, until: $until, byMonth: $byMonth) { origin transit destination month reports persons lastSeen } }`;
const RELEASE = `mutation($id: ID!, $rel: ReleasabilityInput!) { setReleasability(reportId: $id, releasability: $rel) { id } }`;

type Row = CorridorRecord;

async function corridors(officer: string, variables: Record<string, unknown> = {}): Promise<Row[]> {
  const rows = expectOk(await as<{ corridors: Row[] }>(id(officer), CORRIDORS, variables)).corridors;
  return rows.filter((row) => ANALYSIS_COUNTRIES.includes(row.origin) && ANALYSIS_COUNTRIES.includes(row.destination));
}

describe('corridors', () => {
  it('counts the visible reports of each route, the distinct persons they concern and when the route was last seen', async () => {
    expect(await corridors('cAnalyst')).toEqual([
      { ...DARIEN, month: null, reports: 3, persons: 3, lastSeen: '2026-02-20T00:00:00.000Z' },
    ]);
  });

  it('counts routes the viewer may see only: the owner country sees the RESTRICTED report too, most reports first', async () => {
    expect(await corridors('bOfficer')).toEqual([
      { ...DARIEN, month: null, reports: 3, persons: 3, lastSeen: '2026-02-20T00:00:00.000Z' },
      { ...DIRECT, month: null, reports: 1, persons: 1, lastSeen: '2026-02-01T00:00:00.000Z' },
    ]);
  });

  it('splits rows by UTC month with byMonth, so a growing corridor stands out', async () => {
    expect(await corridors('cAnalyst', { byMonth: true })).toEqual([
      { ...DARIEN, month: '2026-02', reports: 2, persons: 3, lastSeen: '2026-02-20T00:00:00.000Z' },
      { ...DARIEN, month: '2026-01', reports: 1, persons: 1, lastSeen: '2026-01-10T00:00:00.000Z' },
    ]);
  });

  it('counts only reports created in [since, until)', async () => {
    expect(await corridors('cAnalyst', { since: '2026-02-05T00:00:00Z', until: '2026-02-20T00:00:00Z' })).toEqual([
      { ...DARIEN, month: null, reports: 1, persons: 2, lastSeen: '2026-02-05T00:00:00.000Z' },
    ]);
    expect(await corridors('cAnalyst', { since: '2026-02-21T00:00:00Z' })).toEqual([]);
  });

  it('changes exactly when a report\'s visibility changes', async () => {
    expectOk(await as(id('bAdmin'), RELEASE, { id: id('feb2'), rel: { mode: 'DENY', countries: ['XC'] } }));
    try {
      expect(await corridors('cAnalyst')).toEqual([{ ...DARIEN, month: null, reports: 2, persons: 2, lastSeen: '2026-02-05T00:00:00.000Z' }]);
      // The owner's own answer does not change.
      expect((await corridors('bOfficer'))[0]).toMatchObject({ reports: 3, persons: 3 });
    } finally {
      expectOk(await as(id('bAdmin'), RELEASE, { id: id('feb2'), rel: { mode: 'NETWORK', countries: [] } }));
    }
    expect((await corridors('cAnalyst'))[0]).toMatchObject({ reports: 3, persons: 3 });
  });

  it('refuses an until that is not after since with BAD_USER_INPUT', async () => {
    const res = await as(id('cAnalyst'), CORRIDORS, { since: '2026-02-01T00:00:00Z', until: '2026-02-01T00:00:00Z' });
    expectCode(res, 'BAD_USER_INPUT');
    expect(res.status).toBe(400);
  });
});
