import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../src/graph/db';
import { importFile } from '../../src/graph/import';
import { DEMO_OFFICERS, buildDemoData } from '../../src/import/demo';
import { validateImport } from '../../src/import/validate';
import { testDb, uniquePrefix } from '../support/db';
import { cleanUp, dump, freeCountryCodes, relabel } from './fixtures';

describe('demo data', () => {
  const demo = buildDemoData();

  it('is valid and deterministic', () => {
    expect(validateImport(demo)).toEqual({ ok: true, file: demo });
    expect(buildDemoData()).toEqual(demo);
  });

  it('has the scenario the hub demonstrates', () => {
    expect(demo.countries!.length).toBeGreaterThanOrEqual(28);
    expect(demo.officers!.length).toBeGreaterThanOrEqual(90);
    expect(demo.reports!.length).toBeGreaterThanOrEqual(200);
    expect(demo.operations!.map((op) => `${op.codename}:${op.status}:${op.visibility}`)).toEqual([
      'TURQUESA IV:CONCLUDED:PUBLIC',
      'TURQUESA V:ACTIVE:NETWORK',
      'ANDES SHIELD:ACTIVE:PARTICIPANTS',
    ]);
    const roles = new Set(demo.officers!.flatMap((o) => o.roles));
    expect([...roles].sort()).toEqual(['ANALYST', 'COORDINATOR', 'NCB_ADMIN', 'NETWORK_ADMIN', 'OFFICER', 'OVERSIGHT']);
    expect(new Set(demo.officers!.map((o) => o.status))).toEqual(new Set(['ACTIVE', 'NOMINATED', 'SUSPENDED']));
    const statuses = demo.subjects!.flatMap((s) => (s.kind === 'TRAVEL_DOCUMENT' ? [s.status] : []));
    expect(statuses).toEqual(expect.arrayContaining(['STOLEN', 'LOST', 'REVOKED', 'VALID']));
    expect(demo.subjects!.some((s) => s.kind === 'PERSON' && s.protected)).toBe(true);
    const wantedBy = demo.subjects!.flatMap((s) => (s.kind === 'PERSON' && s.wanted ? [s.wanted.by] : []));
    expect(new Set(wantedBy).size).toBeGreaterThanOrEqual(2);
    const now = Date.parse('2026-11-29T00:00:00Z');
    expect(demo.reports!.some((r) => r.expiresAt && Date.parse(r.expiresAt) < now)).toBe(true);
    expect(new Set(demo.reports!.map((r) => r.releasability!.mode))).toEqual(new Set(['NETWORK', 'ALLOW', 'DENY']));
    expect(demo.reports!.some((r) => r.operation)).toBe(true);
  });

  it('describes each showcase officer as the data does', () => {
    const units = new Map(demo.units!.map((u) => [u.id, u.country]));
    const ids = DEMO_OFFICERS.map((o) => o.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const showcase of DEMO_OFFICERS) {
      const officer = demo.officers!.find((o) => o.id === showcase.id)!;
      expect(officer).toMatchObject({ name: showcase.name, roles: showcase.roles, clearance: showcase.clearance, status: 'ACTIVE' });
      expect(units.get(officer.unit)).toBe(showcase.country);
    }
    const roles = DEMO_OFFICERS.flatMap((o) => o.roles);
    expect(roles).toEqual(expect.arrayContaining(['NCB_ADMIN', 'COORDINATOR', 'ANALYST', 'OVERSIGHT']));
    expect(DEMO_OFFICERS.some((o) => o.clearance === 'UNCLASSIFIED')).toBe(true);
  });

  describe('imported', () => {
    let db: Db;
    let prefix: string;
    let codes: string[];
    let file: ReturnType<typeof buildDemoData>;

    beforeAll(async () => {
      db = await testDb();
      prefix = uniquePrefix('demo');
      const demoCodes = demo.countries!.map((c) => c.code);
      codes = await freeCountryCodes(db, demoCodes.length);
      // Fresh ids and codes: the shared test database may hold other tests' countries.
      file = relabel(demo, prefix, new Map(demoCodes.map((code, i) => [code, codes[i]])));
    });

    afterAll(async () => {
      await cleanUp(db, prefix, codes);
    });

    it('imports, and a second import changes nothing', async () => {
      const summary = await importFile(db, file);
      expect(summary.records).toBeGreaterThan(900);
      const before = await dump(db, prefix, codes);
      expect(before.nodes.length).toBe(summary.records - demo.sharingRules!.length - demo.links!.length);
      await importFile(db, file);
      expect(await dump(db, prefix, codes)).toEqual(before);
    });
  });
});
