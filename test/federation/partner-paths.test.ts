import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importFile } from '../../src/graph/import';
import { testDb, uniquePrefix } from '../support/db';
import { expectOk } from '../support/actors';
import { startTestHub, type TestHub } from '../support/hub';
import { federationWorld } from './world';

/**
 * Every path a partner principal (`partner:<id>`, DESIGN §3) can reach on the hub: PUBLIC
 * operations and their published outcome, the items owners release to partners, never officer
 * contact details, nothing else.
 */
const p = uniquePrefix('fed-partner');
const id = (name: string) => `${p}-${name}`;
const strip = (value: string) => value.slice(p.length + 1);

let t: TestHub;
let partner: string;

beforeAll(async () => {
  await importFile(await testDb(), federationWorld(p));
  t = await startTestHub();
  partner = await t.token(`partner:${id('partner')}`);
});

afterAll(async () => {
  await t?.stop();
});

const ZERO = { arrests: 0, migrantsDetected: 0, victimsRescued: 0, checks: 0, seizures: 0 };

describe('partners on root fields', () => {
  it('operations lists only the PUBLIC ones, and totalCount agrees', async () => {
    const data = expectOk(await t.gql<{ operations: { totalCount: number; edges: { node: { id: string; visibility: string } }[] } }>(
      partner,
      `{ operations(filter: { codename: "FED " }, first: 50) { totalCount edges { node { id visibility } } } }`,
    ));
    const mine = data.operations.edges.map((e) => e.node).filter((o) => o.id.startsWith(p));
    expect(mine.map((o) => strip(o.id)).sort()).toEqual(['opPub', 'opPubLive']);
    expect(data.operations.edges.every((e) => e.node.visibility === 'PUBLIC')).toBe(true);
    expect(data.operations.totalCount).toBe(data.operations.edges.length);
  });

  it('operation(id) of a PARTICIPANTS or NETWORK operation is null, like an unknown one', async () => {
    for (const name of ['opR', 'opNet', 'no-such-op']) {
      expect(expectOk(await t.gql(partner, `query($id: ID!) { operation(id: $id) { id } }`, { id: id(name) }))).toEqual({ operation: null });
    }
  });

  it('intelReports lists exactly the released report of this world, and only NETWORK, unscoped reports of any', async () => {
    for (const owner of ['XR', 'XS', 'XT', 'XU']) {
      const data = expectOk(await t.gql<{ intelReports: { totalCount: number; edges: { node: { id: string; releasability: { mode: string }; operation: null } }[] } }>(
        partner,
        `query($owner: String) { intelReports(filter: { owner: $owner }, first: 500) { totalCount edges { node { id releasability { mode } operation { id } } } } }`,
        { owner },
      ));
      const mine = data.intelReports.edges.filter((e) => e.node.id.startsWith(`${p}-`)).map((e) => strip(e.node.id));
      expect(mine, owner).toEqual(owner === 'XR' ? ['rPub'] : []);
      // Other files share these countries: whatever they imported, partners only get released items.
      for (const { node } of data.intelReports.edges) expect({ mode: node.releasability.mode, operation: node.operation }).toEqual({ mode: 'NETWORK', operation: null });
      expect(data.intelReports.totalCount).toBe(data.intelReports.edges.length);
    }
  });

  it('me is null, sharingPolicy is FORBIDDEN, officer contact details are redacted', async () => {
    expect(expectOk(await t.gql(partner, '{ me { id } }'))).toEqual({ me: null });
    expect((await t.gql(partner, '{ sharingPolicy(countryCode: "XR") { defaultShareLevel } }')).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const officers = expectOk(await t.gql<{ officers: { edges: { node: { email: string | null; phone: string | null; redactedFields: string[] } }[] } }>(
      partner,
      `{ officers(filter: { countryCode: "XR" }, first: 50) { edges { node { email phone redactedFields } } } }`,
    ));
    expect(officers.officers.edges.length).toBeGreaterThan(0);
    for (const { node } of officers.officers.edges) expect(node).toEqual({ email: null, phone: null, redactedFields: ['email', 'phone'] });
  });
  it('the audit trail, access explanations, the review queue and screening give partners nothing', async () => {
    const denied = [
      ['accessLog', `query($id: ID!) { accessLog(itemId: $id, first: 5) { totalCount edges { node { itemId } } } }`],
      ['explainAccess', `query($id: ID!) { explainAccess(officerId: "${id('r1')}", itemId: $id) { allowed } }`],
      ['screenDocument', `{ screenDocument(issuingCountry: "XR", number: "X1") { hit } }`],
    ] as const;
    for (const [field, query] of denied) {
      const res = await t.gql(partner, query, { id: id('rPub') });
      expect(res.data ?? null, field).toBeNull();
      expect(res.errors?.[0]?.extensions?.code, field).toBe('FORBIDDEN');
    }
    const review = await t.gql<{ reviewDue: { totalCount: number } }>(partner, '{ reviewDue { totalCount } }');
    expect(review.data?.reviewDue?.totalCount ?? 0).toBe(0);
  });
});

describe('partners on nested fields', () => {
  const OPERATION = `query($id: ID!) { operation(id: $id) {
    outcome { arrests migrantsDetected victimsRescued checks seizures }
    updates(first: 50) { totalCount edges { node { id } } }
    reports(first: 50) { totalCount edges { node { id } } }
    assignments { role officer { name email phone } }
    leadCountry { code } participants { code }
  } }`;
  type Op = {
    outcome: typeof ZERO;
    updates: { totalCount: number; edges: unknown[] };
    reports: { totalCount: number; edges: unknown[] };
    assignments: { role: string; officer: { name: string; email: string | null; phone: string | null } }[];
  };

  it('a PUBLIC CONCLUDED operation shows its published totals over all updates, but no update and no report', async () => {
    const op = expectOk(await t.gql<{ operation: Op }>(partner, OPERATION, { id: id('opPub') })).operation;
    expect(op.outcome).toEqual({ ...ZERO, arrests: 7, victimsRescued: 1, seizures: 4 });
    expect(op.updates).toEqual({ totalCount: 0, edges: [] });
    expect(op.reports).toEqual({ totalCount: 0, edges: [] });
    expect(op.assignments).toEqual([{ role: 'LEAD', officer: { name: 'T One', email: null, phone: null } }]);
  });

  it('a PUBLIC operation still running publishes nothing: its outcome is zero for partners', async () => {
    const op = expectOk(await t.gql<{ operation: Op }>(partner, OPERATION, { id: id('opPubLive') })).operation;
    expect(op.outcome).toEqual(ZERO);
    expect(op.updates.totalCount).toBe(0);
  });

  it('the released report: no source, no operation, author without contact details, protected person redacted, links visible', async () => {
    const report = expectOk(await t.gql<{ intelReport: Record<string, unknown> }>(
      partner,
      `query($id: ID!) { intelReport(id: $id) {
        sourceDescription redactedFields operation { id } author { name email phone } owner { code }
        subjects { id ... on Person { name aliases dateOfBirth redactedFields } }
        links { kind from { id } to { id } report { id } }
      } }`,
      { id: id('rPub') },
    )).intelReport;
    expect(report.sourceDescription).toBeNull();
    expect(report.redactedFields).toEqual(['sourceDescription']);
    expect(report.operation).toBeNull();
    expect(report.author).toEqual({ name: 'R One', email: null, phone: null });
    const subjects = report.subjects as { id: string; name: string | null; redactedFields: string[] }[];
    const victim = subjects.find((s) => s.id === id('victim'))!;
    expect(victim).toEqual({ id: id('victim'), name: null, aliases: null, dateOfBirth: null, redactedFields: ['name', 'aliases', 'dateOfBirth'] });
    expect(subjects.find((s) => s.id === id('smuggler'))!.name).toBe('Known Smuggler');
    expect(report.links).toEqual([{ kind: 'EXPLOITS', from: { id: id('smuggler') }, to: { id: id('victim') }, report: { id: id('rPub') } }]);
  });

  it('a subject shows only the released reports that concern it', async () => {
    const data = expectOk(await t.gql<{ subject: { reports: { totalCount: number; edges: { node: { id: string } }[] } } }>(
      partner,
      `query($id: ID!) { subject(id: $id) { reports(first: 50) { totalCount edges { node { id } } } } }`,
      { id: id('smuggler') },
    ));
    expect(data.subject.reports).toEqual({ totalCount: 1, edges: [{ node: { id: id('rPub') } }] });
  });

  it('a unit lists its officers without contact details', async () => {
    const data = expectOk(await t.gql<{ unit: { officers: { edges: { node: { email: string | null } }[] } } }>(
      partner,
      `query($id: ID!) { unit(id: $id) { officers(first: 10) { edges { node { email } } } } }`,
      { id: id('u-XR') },
    ));
    expect(data.unit.officers.edges).toEqual([{ node: { email: null } }]);
  });
});
