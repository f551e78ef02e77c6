import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importFile } from '../../src/graph/import';
import type { ImportFile } from '../../src/import/types';
import { testDb, uniquePrefix } from '../support/db';
import { startTestHub, type TestHub } from '../support/hub';

/**
 * Every read path of the core API under the sharing rule, on a small world whose expected
 * visibility is worked out by hand from DESIGN §3. Countries XG, XH, XI belong to this file.
 */
const p = uniquePrefix('read');
const id = (name: string) => `${p}-${name}`;
const past = '2020-01-01T00:00:00Z';

function world(): ImportFile {
  return {
    countries: [
      { code: 'XG', name: 'Gland', region: 'TEST', defaultShareLevel: 'OFFICIAL', partnerShareLevel: 'UNCLASSIFIED' },
      { code: 'XH', name: 'Hland', region: 'TEST', defaultShareLevel: 'RESTRICTED', partnerShareLevel: 'NONE' },
      { code: 'XI', name: 'Iland', region: 'TEST', defaultShareLevel: 'NONE', partnerShareLevel: 'NONE' },
    ],
    sharingRules: [{ from: 'XG', to: 'XH', maxLevel: 'CONFIDENTIAL', validFrom: past, validUntil: null }],
    partners: [{ id: id('partner'), name: 'Test partner' }],
    units: [
      { id: id('u-g'), country: 'XG', name: 'G unit' },
      { id: id('u-h'), country: 'XH', name: 'H unit' },
      { id: id('u-i'), country: 'XI', name: 'I unit' },
    ],
    officers: [
      { id: id('g1'), unit: id('u-g'), name: 'G One', email: 'g1@example.org', roles: ['OFFICER'], clearance: 'CONFIDENTIAL', status: 'ACTIVE' },
      { id: id('h1'), unit: id('u-h'), name: 'H One', roles: ['OFFICER'], clearance: 'RESTRICTED', status: 'ACTIVE' },
      { id: id('h2'), unit: id('u-h'), name: 'H Two', roles: ['ANALYST'], clearance: 'CONFIDENTIAL', status: 'ACTIVE' },
      { id: id('i1'), unit: id('u-i'), name: 'I One', roles: ['OFFICER'], clearance: 'CONFIDENTIAL', status: 'ACTIVE' },
      { id: id('hNet'), unit: id('u-h'), name: 'H Net', roles: ['NETWORK_ADMIN'], clearance: 'CONFIDENTIAL', status: 'ACTIVE' },
      { id: id('hNom'), unit: id('u-h'), name: 'H Nominated', roles: ['OFFICER'], clearance: 'CONFIDENTIAL', status: 'NOMINATED' },
    ],
    operations: [
      {
        id: id('op'), codename: 'TEST OP', leadCountry: 'XG', status: 'ACTIVE', visibility: 'PARTICIPANTS',
        participants: ['XH'], assignments: [{ officer: id('g1'), role: 'LEAD' }, { officer: id('h2'), role: 'MEMBER' }],
      },
      { id: id('op-pub'), codename: 'TEST PUBLIC', leadCountry: 'XI', status: 'CONCLUDED', visibility: 'PUBLIC', participants: [], assignments: [] },
    ],
    subjects: [
      { id: id('p1'), kind: 'PERSON', recordedBy: 'XG', name: 'Smuggler One', aliases: ['S1'], nationality: 'XG', protected: false },
      { id: id('p2'), kind: 'PERSON', recordedBy: 'XG', name: 'Smuggler Two', aliases: [], nationality: 'XH', protected: false },
      { id: id('v1'), kind: 'PERSON', recordedBy: 'XG', name: 'Victim', aliases: [], dateOfBirth: '2010-01-01', protected: true },
    ],
    reports: [
      { id: id('rA'), owner: 'XG', author: id('g1'), title: `${p} A official network`, classification: 'OFFICIAL', handling: 'H0', releasability: { mode: 'NETWORK', countries: [] }, createdAt: '2026-01-01T00:00:00Z', sourceDescription: 'informant G', subjects: [id('p2'), id('v1')] },
      { id: id('rB'), owner: 'XG', author: id('g1'), title: `${p} B confidential`, classification: 'CONFIDENTIAL', handling: 'H1', releasability: { mode: 'NETWORK', countries: [] }, createdAt: '2026-01-02T00:00:00Z', subjects: [id('p1'), id('p2')] },
      { id: id('rC'), owner: 'XG', author: id('g1'), title: `${p} C deny XH`, classification: 'OFFICIAL', handling: 'H0', releasability: { mode: 'DENY', countries: ['XH'] }, createdAt: '2026-01-03T00:00:00Z', subjects: [] },
      { id: id('rD'), owner: 'XG', author: id('g1'), title: `${p} D scoped`, classification: 'RESTRICTED', handling: 'H0', releasability: { mode: 'NETWORK', countries: [] }, operation: id('op'), createdAt: '2026-01-04T00:00:00Z', subjects: [] },
      { id: id('rE'), owner: 'XG', author: id('g1'), title: `${p} E expired`, classification: 'OFFICIAL', handling: 'H0', releasability: { mode: 'NETWORK', countries: [] }, createdAt: '2019-01-01T00:00:00Z', expiresAt: past, subjects: [] },
      { id: id('rF'), owner: 'XH', author: id('h1'), title: `${p} F allow XI`, classification: 'UNCLASSIFIED', handling: 'H0', releasability: { mode: 'ALLOW', countries: ['XI'] }, createdAt: '2026-01-05T00:00:00Z', subjects: [] },
      { id: id('rG'), owner: 'XG', author: id('g1'), title: `${p} G unclassified`, classification: 'UNCLASSIFIED', handling: 'H0', releasability: { mode: 'NETWORK', countries: [] }, createdAt: '2026-01-06T00:00:00Z', subjects: [] },
    ],
    links: [{ id: id('l1'), from: id('p1'), to: id('p2'), kind: 'ASSOCIATE', report: id('rB') }],
    updates: [
      { id: id('up1'), operation: id('op'), author: id('g1'), kind: 'ARREST', text: 'three arrested', classification: 'OFFICIAL', postedAt: '2026-01-10T00:00:00Z', metrics: { arrests: 3 } },
      { id: id('up2'), operation: id('op'), author: id('h2'), kind: 'ARREST', text: 'five arrested', classification: 'CONFIDENTIAL', postedAt: '2026-01-11T00:00:00Z', metrics: { arrests: 5 } },
    ],
  } as ImportFile;
}

/** Who sees which report, worked out from DESIGN §3. */
const EXPECTED_REPORTS: Record<string, string[]> = {
  g1: ['rA', 'rB', 'rC', 'rD', 'rE', 'rG'],
  h1: ['rA', 'rF', 'rG'], // rB above clearance, rC denied, rD not assigned, rE expired
  h2: ['rA', 'rB', 'rD', 'rF', 'rG'],
  i1: ['rA', 'rC', 'rF', 'rG'], // XG shares OFFICIAL by default with XI; rF allows XI
  hNet: [],
  partner: ['rG'],
};

let t: TestHub;
const tokens: Record<string, string> = {};

beforeAll(async () => {
  await importFile(await testDb(), world());
  t = await startTestHub();
  for (const who of ['g1', 'h1', 'h2', 'i1', 'hNet', 'hNom']) tokens[who] = await t.token(id(who));
  tokens.partner = await t.token(`partner:${id('partner')}`);
});

afterAll(async () => {
  await t?.stop();
});

// Filtering on this run's prefix (every title starts with it) keeps earlier runs' data out.
const REPORT_IDS = `query Reports($owner: String, $text: String, $first: Int, $after: String) {
  intelReports(filter: { owner: $owner, text: $text }, first: $first, after: $after) {
    totalCount edges { cursor node { id } } pageInfo { hasNextPage endCursor }
  }
}`;

async function visibleReports(who: string): Promise<{ ids: string[]; total: number }> {
  let total = 0;
  const ids: string[] = [];
  for (const owner of ['XG', 'XH', 'XI']) {
    const res = await t.gql<{ intelReports: { totalCount: number; edges: { node: { id: string } }[] } }>(tokens[who], REPORT_IDS, { owner, text: p, first: 100 });
    expect(res.errors).toBeUndefined();
    total += res.data!.intelReports.totalCount;
    ids.push(...res.data!.intelReports.edges.map((e) => e.node.id));
  }
  return { ids: ids.map((x) => x.slice(p.length + 1)).sort(), total };
}

describe('intelReports and intelReport apply the sharing rule', () => {
  for (const [who, expected] of Object.entries(EXPECTED_REPORTS)) {
    it(`${who} sees exactly ${expected.join(', ') || 'nothing'}, and totalCount agrees`, async () => {
      const { ids, total } = await visibleReports(who);
      expect(ids).toEqual([...expected].sort());
      expect(total).toBe(expected.length);
      for (const report of ['rA', 'rB', 'rC', 'rD', 'rE', 'rF', 'rG']) {
        const res = await t.gql<{ intelReport: { id: string } | null }>(tokens[who], `query($id: ID!) { intelReport(id: $id) { id } }`, { id: id(report) });
        expect(res.errors).toBeUndefined();
        expect(res.data!.intelReport?.id ?? null).toBe(expected.includes(report) ? id(report) : null);
      }
    });
  }

  it('an invisible report answers exactly like an unknown one', async () => {
    const query = `query($id: ID!) { intelReport(id: $id) { id title } }`;
    const invisible = await t.gql(tokens.h1, query, { id: id('rB') });
    const unknown = await t.gql(tokens.h1, query, { id: id('no-such-report') });
    expect(invisible).toEqual(unknown);
    expect(invisible.data).toEqual({ intelReport: null });
  });

  it('pages newest first with cursors, and the pages add up to totalCount', async () => {
    const seen: string[] = [];
    type Page = { totalCount: number; edges: { node: { id: string } }[]; pageInfo: { hasNextPage: boolean; endCursor: string } };
    let after: string | null = null;
    for (;;) {
      const res: { data?: { intelReports: Page } | null } = await t.gql<{ intelReports: Page }>(tokens.g1, REPORT_IDS, { owner: 'XG', text: p, first: 2, after });
      const page: Page = res.data!.intelReports;
      expect(page.totalCount).toBe(6);
      seen.push(...page.edges.map((e) => e.node.id));
      if (!page.pageInfo.hasNextPage) break;
      after = page.pageInfo.endCursor;
    }
    expect(seen).toEqual(['rG', 'rD', 'rC', 'rB', 'rA', 'rE'].map(id));
  });

  it('rejects a forged cursor and an oversized page with BAD_USER_INPUT', async () => {
    const forged = await t.gql(tokens.g1, REPORT_IDS, { owner: 'XG', after: 'not-a-cursor' });
    expect(forged.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    const huge = await t.gql(tokens.g1, REPORT_IDS, { owner: 'XG', first: 100000 });
    expect(huge.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
  });
});

describe('nested lists and derived visibility', () => {
  const SUBJECT = `query($id: ID!) { subject(id: $id) { id ... on Person { name aliases dateOfBirth protected } redactedFields
    reports(first: 10) { totalCount edges { node { id } } } links { id from { id } to { id } report { id } } } }`;

  it('a subject is visible only through a visible report, and lists only visible reports', async () => {
    const g1 = await t.gql<{ subject: { reports: { totalCount: number } } }>(tokens.g1, SUBJECT, { id: id('p1') });
    expect(g1.data!.subject.reports.totalCount).toBe(1);
    const h1 = await t.gql(tokens.h1, SUBJECT, { id: id('p1') }); // only rB concerns p1, above h1's clearance
    expect(h1.data).toEqual({ subject: null });
    const p2 = await t.gql<{ subject: { reports: { totalCount: number; edges: { node: { id: string } }[] } } }>(tokens.h1, SUBJECT, { id: id('p2') });
    expect(p2.data!.subject.reports.edges.map((e) => e.node.id)).toEqual([id('rA')]);
    expect(p2.data!.subject.reports.totalCount).toBe(1);
  });

  it('a link is visible only through its asserting report', async () => {
    const h2 = await t.gql<{ subject: { links: { id: string }[] } }>(tokens.h2, SUBJECT, { id: id('p2') });
    expect(h2.data!.subject.links.map((l) => l.id)).toEqual([id('l1')]);
    const h1 = await t.gql<{ subject: { links: { id: string }[] } }>(tokens.h1, SUBJECT, { id: id('p2') });
    expect(h1.data!.subject.links).toEqual([]);
    const viaReport = await t.gql<{ intelReport: { links: { id: string }[]; subjects: { id: string }[] } }>(
      tokens.h2, `query($id: ID!) { intelReport(id: $id) { links { id } subjects { id } } }`, { id: id('rB') });
    expect(viaReport.data!.intelReport.links.map((l) => l.id)).toEqual([id('l1')]);
    expect(viaReport.data!.intelReport.subjects.map((s) => s.id).sort()).toEqual([id('p1'), id('p2')].sort());
  });

  it('redacts a protected person for other countries and lists the redacted fields', async () => {
    const own = await t.gql<{ subject: { name: string; redactedFields: string[] } }>(tokens.g1, SUBJECT, { id: id('v1') });
    expect(own.data!.subject).toMatchObject({ name: 'Victim', redactedFields: [] });
    const other = await t.gql<{ subject: Record<string, unknown> }>(tokens.h1, SUBJECT, { id: id('v1') });
    expect(other.data!.subject).toMatchObject({ name: null, aliases: null, dateOfBirth: null, protected: true, redactedFields: ['name', 'aliases', 'dateOfBirth'] });
  });

  it('shows sourceDescription to the owner country only', async () => {
    const query = `query($id: ID!) { intelReport(id: $id) { sourceDescription redactedFields } }`;
    expect((await t.gql(tokens.g1, query, { id: id('rA') })).data).toEqual({ intelReport: { sourceDescription: 'informant G', redactedFields: [] } });
    expect((await t.gql(tokens.h1, query, { id: id('rA') })).data).toEqual({ intelReport: { sourceDescription: null, redactedFields: ['sourceDescription'] } });
  });

  it('operation updates, reports and outcome count only what the viewer may see', async () => {
    const query = `query($id: ID!) { operation(id: $id) { id participants { code } assignments { role officer { id } }
      updates(first: 10) { totalCount edges { node { id cursor metrics { arrests } } } }
      reports(first: 10) { totalCount edges { node { id } } } outcome { arrests } } }`;
    type Op = { operation: { updates: { totalCount: number }; reports: { totalCount: number }; outcome: { arrests: number } } | null };
    const g1 = await t.gql<Op>(tokens.g1, query, { id: id('op') });
    expect(g1.data!.operation).toMatchObject({ updates: { totalCount: 1 }, reports: { totalCount: 1 }, outcome: { arrests: 3 } });
    const h2 = await t.gql<Op>(tokens.h2, query, { id: id('op') });
    expect(h2.data!.operation).toMatchObject({ updates: { totalCount: 2 }, reports: { totalCount: 1 }, outcome: { arrests: 8 } });
    const h1 = await t.gql<Op>(tokens.h1, query, { id: id('op') }); // XH participates; h1 is not assigned
    expect(h1.data!.operation).toMatchObject({ updates: { totalCount: 0 }, reports: { totalCount: 0 }, outcome: { arrests: 0 } });
    const i1 = await t.gql<Op>(tokens.i1, query, { id: id('op') }); // PARTICIPANTS-only, XI not in it
    expect(i1.data).toEqual({ operation: null });
  });

  it('partners see PUBLIC operations only, and never officer contact details', async () => {
    const ops = await t.gql<{ operation: { id: string } | null }>(tokens.partner, `query($id: ID!) { operation(id: $id) { id } }`, { id: id('op') });
    expect(ops.data).toEqual({ operation: null });
    const pub = await t.gql<{ operation: { id: string } | null }>(tokens.partner, `query($id: ID!) { operation(id: $id) { id } }`, { id: id('op-pub') });
    expect(pub.data!.operation?.id).toBe(id('op-pub'));
    const officer = await t.gql(tokens.partner, `query($id: ID!) { officer(id: $id) { name email phone redactedFields } }`, { id: id('g1') });
    expect(officer.data).toEqual({ officer: { name: 'G One', email: null, phone: null, redactedFields: ['email', 'phone'] } });
    const me = await t.gql(tokens.partner, `{ me { id } }`);
    expect(me.data).toEqual({ me: null });
  });

  it('officers of a NOMINATED status read no content but see themselves', async () => {
    const res = await t.gql<{ me: { id: string; status: string } }>(tokens.hNom, `{ me { id status } }`);
    expect(res.data!.me).toEqual({ id: id('hNom'), status: 'NOMINATED' });
    expect((await visibleReports('hNom')).ids).toEqual([]);
  });
});

describe('directory', () => {
  it('lists countries, units and officers with filters and connections', async () => {
    const res = await t.gql<{ country: { code: string; units: { id: string }[] }; unit: { officers: { totalCount: number; edges: unknown[] } }; officers: { totalCount: number } }>(
      tokens.h1,
      `query($unit: ID!) { country(code: "XH") { code units { id } }
         unit(id: $unit) { officers(first: 2) { totalCount edges { node { id } } } }
         officers(filter: { unitId: $unit, status: ACTIVE }, first: 10) { totalCount } }`,
      { unit: id('u-h') },
    );
    expect(res.errors).toBeUndefined();
    expect(res.data!.country.units.map((u) => u.id)).toContain(id('u-h'));
    expect(res.data!.unit.officers.totalCount).toBe(4);
    expect(res.data!.unit.officers.edges).toHaveLength(2);
    expect(res.data!.officers.totalCount).toBe(3);
  });
});
