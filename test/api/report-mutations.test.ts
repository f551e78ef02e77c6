import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importFile } from '../../src/graph/import';
import type { ImportFile } from '../../src/import/types';
import { testDb, uniquePrefix } from '../support/db';
import { startTestHub, type TestHub } from '../support/hub';

/** Writing intelligence: reports, subjects, links, releasability. Countries XM and XN. */
const p = uniquePrefix('rmut');
const id = (name: string) => `${p}-${name}`;

function world(): ImportFile {
  return {
    countries: [
      { code: 'XM', name: 'Mland', defaultShareLevel: 'RESTRICTED', partnerShareLevel: 'NONE' },
      { code: 'XN', name: 'Nland', defaultShareLevel: 'RESTRICTED', partnerShareLevel: 'NONE' },
    ],
    partners: [{ id: id('partner'), name: 'Partner' }],
    units: [
      { id: id('u-m'), country: 'XM', name: 'M unit' },
      { id: id('u-n'), country: 'XN', name: 'N unit' },
    ],
    officers: [
      { id: id('m1'), unit: id('u-m'), name: 'M One', roles: ['OFFICER'], clearance: 'RESTRICTED', status: 'ACTIVE' },
      { id: id('mAdmin'), unit: id('u-m'), name: 'M Admin', roles: ['NCB_ADMIN'], clearance: 'CONFIDENTIAL', status: 'ACTIVE' },
      { id: id('mOversight'), unit: id('u-m'), name: 'M Oversight', roles: ['OVERSIGHT'], clearance: 'CONFIDENTIAL', status: 'ACTIVE' },
      { id: id('mNet'), unit: id('u-m'), name: 'M Net', roles: ['NETWORK_ADMIN'], clearance: 'CONFIDENTIAL', status: 'ACTIVE' },
      { id: id('n1'), unit: id('u-n'), name: 'N One', roles: ['OFFICER'], clearance: 'CONFIDENTIAL', status: 'ACTIVE' },
      { id: id('nAdmin'), unit: id('u-n'), name: 'N Admin', roles: ['NCB_ADMIN'], clearance: 'CONFIDENTIAL', status: 'ACTIVE' },
    ],
    operations: [{ id: id('op-n'), codename: 'N ONLY', leadCountry: 'XN', status: 'ACTIVE', visibility: 'PARTICIPANTS', participants: [], assignments: [] }],
  } as ImportFile;
}

let t: TestHub;
const tokens: Record<string, string> = {};

beforeAll(async () => {
  await importFile(await testDb(), world());
  t = await startTestHub();
  for (const who of ['m1', 'mAdmin', 'mOversight', 'mNet', 'n1', 'nAdmin']) tokens[who] = await t.token(id(who));
  tokens.partner = await t.token(`partner:${id('partner')}`);
});

afterAll(async () => {
  await t?.stop();
});

const CREATE = `mutation($input: IntelReportInput!) {
  createIntelReport(input: $input) { id title classification handling evaluation owner { code } author { id }
    releasability { mode countries } route { origin transit destination } subjects { id } sourceDescription }
}`;
const READ = `query($id: ID!) { intelReport(id: $id) { id title classification releasability { mode countries } subjects { id } } }`;

type Report = { id: string; title: string; owner: { code: string }; author: { id: string } };

const input = (name: string, extra: Record<string, unknown> = {}) => ({
  id: id(name),
  title: `Report ${name}`,
  summary: 'Boats leaving at night',
  classification: 'OFFICIAL',
  handling: 'H1',
  evaluation: 'B2',
  releasability: { mode: 'NETWORK' },
  route: { origin: 'EC', transit: ['CO', 'PA'], destination: 'MX' },
  sourceDescription: 'a fisherman',
  ...extra,
});

async function exists(reportId: string): Promise<boolean> {
  const res = await t.gql<{ intelReport: { id: string } | null }>(tokens.mAdmin, READ, { id: reportId });
  return res.data?.intelReport !== null && res.data?.intelReport !== undefined;
}

describe('createIntelReport', () => {
  it('creates a report owned by the author\'s country, with its fields', async () => {
    const res = await t.gql<{ createIntelReport: Report }>(tokens.m1, CREATE, { input: input('r1') });
    expect(res.errors).toBeUndefined();
    expect(res.data!.createIntelReport).toMatchObject({
      id: id('r1'), title: 'Report r1', classification: 'OFFICIAL', handling: 'H1', evaluation: 'B2',
      owner: { code: 'XM' }, author: { id: id('m1') }, releasability: { mode: 'NETWORK', countries: [] },
      route: { origin: 'EC', transit: ['CO', 'PA'], destination: 'MX' }, sourceDescription: 'a fisherman',
    });
    const other = await t.gql<{ intelReport: { id: string } }>(tokens.n1, READ, { id: id('r1') });
    expect(other.data!.intelReport.id).toBe(id('r1'));
  });

  it('is idempotent on the client id: the same input twice creates one report', async () => {
    const first = await t.gql<{ createIntelReport: Report }>(tokens.m1, CREATE, { input: input('r2') });
    const again = await t.gql<{ createIntelReport: Report }>(tokens.m1, CREATE, { input: input('r2') });
    expect(again.errors).toBeUndefined();
    expect(again.data).toEqual(first.data);
    const db = await testDb();
    const [{ n }] = await db.read<{ n: number }>({ cypher: 'MATCH (r:IntelReport {id: $id}) RETURN count(r) AS n', params: { id: id('r2') } });
    expect(n).toBe(1);
  });

  it('answers a different input under a used id with CONFLICT and changes nothing', async () => {
    await t.gql(tokens.m1, CREATE, { input: input('r3') });
    const clash = await t.gql(tokens.m1, CREATE, { input: input('r3', { title: 'Something else' }) });
    expect(clash.errors?.[0].extensions?.code).toBe('CONFLICT');
    const read = await t.gql<{ intelReport: { title: string } }>(tokens.m1, READ, { id: id('r3') });
    expect(read.data!.intelReport.title).toBe('Report r3');
  });

  const badInputs: [string, Record<string, unknown>, string][] = [
    ['an empty title', { title: '  ' }, 'title'],
    ['an over-long title', { title: 'x'.repeat(501) }, 'title'],
    ['an over-long summary', { summary: 'x'.repeat(10_001) }, 'summary'],
    ['a malformed evaluation', { evaluation: 'Z9' }, 'evaluation'],
    ['a malformed handling code', { handling: 'H7' }, 'handling'],
    ['a bad country in releasability', { releasability: { mode: 'ALLOW', countries: ['xx'] } }, 'releasability.countries[0]'],
    ['ALLOW without countries', { releasability: { mode: 'ALLOW', countries: [] } }, 'releasability.countries'],
    ['an expiry in the past', { expiresAt: '2001-01-01T00:00:00Z' }, 'expiresAt'],
    ['a bad route country', { route: { origin: 'Ecuador' } }, 'route.origin'],
    ['a malformed id', { id: 'has spaces' }, 'id'],
  ];
  for (const [what, extra, field] of badInputs) {
    it(`answers ${what} with BAD_USER_INPUT naming ${field}, and writes nothing`, async () => {
      const name = `bad-${field.replace(/[^a-z]/gi, '')}`;
      const res = await t.gql(tokens.m1, CREATE, { input: input(name, extra) });
      expect(res.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
      expect((res.errors?.[0].extensions?.problems as { field: string }[]).map((x) => x.field)).toContain(field);
      expect(await exists(id(name))).toBe(false);
    });
  }

  it('answers an invalid enum or a wrong type with BAD_USER_INPUT', async () => {
    expect((await t.gql(tokens.m1, CREATE, { input: input('enum', { classification: 'SECRET' }) })).errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    expect((await t.gql(tokens.m1, CREATE, { input: input('type', { title: 42 }) })).errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    expect(await exists(id('enum'))).toBe(false);
  });

  it('refuses to classify above the author\'s clearance (FORBIDDEN) and writes nothing', async () => {
    const res = await t.gql(tokens.m1, CREATE, { input: input('too-high', { classification: 'CONFIDENTIAL' }) });
    expect(res.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    expect(await exists(id('too-high'))).toBe(false);
  });

  it('answers an operation the author cannot see, or an unknown one, with NOT_FOUND', async () => {
    const hidden = await t.gql(tokens.m1, CREATE, { input: input('scoped', { operationId: id('op-n') }) });
    const unknown = await t.gql(tokens.m1, CREATE, { input: input('scoped', { operationId: id('op-none') }) });
    expect(hidden.errors?.[0].extensions?.code).toBe('NOT_FOUND');
    expect(unknown.errors?.[0].extensions?.code).toBe('NOT_FOUND');
    expect(await exists(id('scoped'))).toBe(false);
  });

  for (const who of ['mOversight', 'mNet', 'partner']) {
    it(`refuses ${who}: no role that writes intelligence`, async () => {
      const res = await t.gql(tokens[who], CREATE, { input: input(`by-${who}`) });
      expect(res.errors?.[0].extensions?.code).toBe('FORBIDDEN');
      expect(await exists(id(`by-${who}`))).toBe(false);
    });
  }
});

describe('updateIntelReport and setReleasability', () => {
  const UPDATE = `mutation($id: ID!, $patch: IntelReportPatch!) { updateIntelReport(id: $id, patch: $patch) { id title classification } }`;
  const RELEASE = `mutation($id: ID!, $r: ReleasabilityInput!) { setReleasability(reportId: $id, releasability: $r) { id releasability { mode countries } } }`;

  beforeAll(async () => {
    await t.gql(tokens.m1, CREATE, { input: input('u1') });
  });

  it('lets an officer of the owner country change a report', async () => {
    const res = await t.gql(tokens.m1, UPDATE, { id: id('u1'), patch: { title: 'Renamed' } });
    expect(res.errors).toBeUndefined();
    expect(res.data).toEqual({ updateIntelReport: { id: id('u1'), title: 'Renamed', classification: 'OFFICIAL' } });
  });

  it('refuses an officer of another country who can see it (FORBIDDEN), and an unknown id is NOT_FOUND', async () => {
    expect((await t.gql(tokens.n1, UPDATE, { id: id('u1'), patch: { title: 'Mine now' } })).errors?.[0].extensions?.code).toBe('FORBIDDEN');
    expect((await t.gql(tokens.n1, UPDATE, { id: id('nope'), patch: { title: 'x' } })).errors?.[0].extensions?.code).toBe('NOT_FOUND');
  });

  it('lets only NCB administrators of the owner country change releasability, effective on the next request', async () => {
    expect((await t.gql(tokens.m1, RELEASE, { id: id('u1'), r: { mode: 'DENY', countries: ['XN'] } })).errors?.[0].extensions?.code).toBe('FORBIDDEN');
    expect((await t.gql(tokens.nAdmin, RELEASE, { id: id('u1'), r: { mode: 'DENY', countries: ['XN'] } })).errors?.[0].extensions?.code).toBe('FORBIDDEN');
    const res = await t.gql(tokens.mAdmin, RELEASE, { id: id('u1'), r: { mode: 'DENY', countries: ['XN'] } });
    expect(res.data).toEqual({ setReleasability: { id: id('u1'), releasability: { mode: 'DENY', countries: ['XN'] } } });
    expect((await t.gql(tokens.n1, READ, { id: id('u1') })).data).toEqual({ intelReport: null });
    await t.gql(tokens.mAdmin, RELEASE, { id: id('u1'), r: { mode: 'NETWORK' } });
    expect((await t.gql<{ intelReport: { id: string } }>(tokens.n1, READ, { id: id('u1') })).data!.intelReport.id).toBe(id('u1'));
  });
});

describe('subjects and links', () => {
  const SUBJECT = `mutation($input: SubjectInput!) { createSubject(input: $input) { id kind recordedBy ... on Person { name protected } ... on TravelDocument { number status } } }`;
  const LINK = `mutation($input: LinkInput!) { linkSubjects(input: $input) { id kind from { id } to { id } report { id } } }`;

  it('creates subjects, attaches them to a report, and links them through it', async () => {
    const person = await t.gql(tokens.m1, SUBJECT, { input: { id: id('s-p'), kind: 'PERSON', name: 'Coyote', protected: false } });
    expect(person.data).toEqual({ createSubject: { id: id('s-p'), kind: 'PERSON', recordedBy: 'XM', name: 'Coyote', protected: false } });
    const doc = await t.gql(tokens.m1, SUBJECT, { input: { id: id('s-d'), kind: 'TRAVEL_DOCUMENT', number: 'ab-12 34', issuingCountry: 'VE', status: 'STOLEN' } });
    expect(doc.data).toEqual({ createSubject: { id: id('s-d'), kind: 'TRAVEL_DOCUMENT', recordedBy: 'XM', number: 'ab-12 34', status: 'STOLEN' } });
    const report = await t.gql(tokens.m1, CREATE, { input: input('with-subjects', { subjectIds: [id('s-p'), id('s-d')] }) });
    expect(report.errors).toBeUndefined();
    const link = await t.gql(tokens.m1, LINK, { input: { id: id('l'), reportId: id('with-subjects'), fromId: id('s-p'), toId: id('s-d'), kind: 'USES_DOCUMENT' } });
    expect(link.data).toEqual({ linkSubjects: { id: id('l'), kind: 'USES_DOCUMENT', from: { id: id('s-p') }, to: { id: id('s-d') }, report: { id: id('with-subjects') } } });
    const again = await t.gql(tokens.m1, LINK, { input: { id: id('l'), reportId: id('with-subjects'), fromId: id('s-p'), toId: id('s-d'), kind: 'USES_DOCUMENT' } });
    expect(again.data).toEqual(link.data);
  });

  it('refuses a link whose ends are not subjects of its report, and a subject missing its required fields', async () => {
    await t.gql(tokens.m1, SUBJECT, { input: { id: id('s-x'), kind: 'PHONE', number: '+1 555 0100' } });
    const link = await t.gql(tokens.m1, LINK, { input: { id: id('l-bad'), reportId: id('with-subjects'), fromId: id('s-p'), toId: id('s-x'), kind: 'CALLS' } });
    expect(link.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    expect((link.errors?.[0].extensions?.problems as { field: string }[]).map((x) => x.field)).toEqual(['toId']);
    const subject = await t.gql(tokens.m1, SUBJECT, { input: { id: id('s-bad'), kind: 'TRAVEL_DOCUMENT', number: 'X1' } });
    expect(subject.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
  });

  it('keeps another country\'s unreported subject out of reach: attaching it is NOT_FOUND', async () => {
    await t.gql(tokens.n1, SUBJECT, { input: { id: id('s-n'), kind: 'VEHICLE', identifier: 'ABC-123' } });
    const res = await t.gql(tokens.m1, CREATE, { input: input('steal', { subjectIds: [id('s-n')] }) });
    expect(res.errors?.[0].extensions?.code).toBe('NOT_FOUND');
    expect(await exists(id('steal'))).toBe(false);
  });
});
