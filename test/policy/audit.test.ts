import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { AuditWriter } from '../../src/graph/audit';
import type { ImportFile } from '../../src/import/types';
import { expectCode, expectOk, startCachingHub, type Caller } from '../support/actors';
import { testDb, uniquePrefix } from '../support/db';
import type { TestHub } from '../support/hub';
import { worldBuilder } from '../support/world';
import { AUDIT_COUNTRIES, storedEvents } from './audit-support';

/**
 * The audit trail through the real HTTP hub: every read, denial and change is in Neo4j by the
 * time its response arrives, and a failed audit write withholds the response.
 */
const { id, members, officer } = worldBuilder(uniquePrefix('audit'));

function world(): ImportFile {
  const report = (name: string, extra: Record<string, unknown> = {}) => ({
    id: id(name), owner: 'XV', author: id('vOfficer'), title: `title ${name}`, summary: `summary ${name}`, classification: 'OFFICIAL',
    handling: 'H0', releasability: { mode: 'NETWORK', countries: [] }, createdAt: '2026-02-01T00:00:00Z',
    sourceDescription: 'informant', subjects: [id('p1')], ...extra,
  });
  return {
    ...members(AUDIT_COUNTRIES),
    officers: [
      officer('vOfficer', 'XV', ['OFFICER']),
      officer('vAdmin', 'XV', ['NCB_ADMIN']),
      officer('wOfficer', 'XW', ['OFFICER']),
      officer('wAdmin', 'XW', ['NCB_ADMIN']),
      officer('oversight', 'XY', ['OVERSIGHT']),
    ],
    operations: [
      { id: id('op'), codename: 'AUDIT OP', leadCountry: 'XV', status: 'ACTIVE', visibility: 'NETWORK', participants: ['XW'],
        assignments: [{ officer: id('vOfficer'), role: 'LEAD' }, { officer: id('wOfficer'), role: 'MEMBER' }] },
    ],
    subjects: [{ id: id('p1'), kind: 'PERSON', recordedBy: 'XV', name: 'Subject One', aliases: [], protected: false }],
    reports: [
      report('shared'),
      report('scoped', { operation: id('op'), createdAt: '2026-02-02T00:00:00Z' }),
      report('secret', { classification: 'CONFIDENTIAL', subjects: [] }),
    ],
    updates: [{ id: id('up1'), operation: id('op'), author: id('vOfficer'), kind: 'CHECK', text: 'checkpoint', classification: 'OFFICIAL', postedAt: '2026-02-03T00:00:00Z' }],
  } as ImportFile;
}

let t: TestHub;
let as: Caller;

beforeAll(async () => {
  ({ t, as } = await startCachingHub(world()));
});
afterAll(async () => {
  vi.restoreAllMocks();
  await t?.stop();
});

const REPORT = `query($id: ID!) { intelReport(id: $id) { id title redactedFields } }`;
const ACCESS_LOG = `query($id: ID!, $first: Int, $after: String) { accessLog(itemId: $id, first: $first, after: $after) {
  totalCount edges { cursor node { id at officerId country itemId action outcome redactedFields requestId } } pageInfo { hasNextPage endCursor } } }`;

describe('reads are in the trail before the response arrives', () => {
  it('records a direct read with the redacted fields and the request id', async () => {
    const before = Date.now();
    const data = expectOk(await as<{ intelReport: { redactedFields: string[] } }>(id('wOfficer'), REPORT, { id: id('shared') }));
    expect(data.intelReport.redactedFields).toEqual(['sourceDescription']);
    const [event] = (await storedEvents({ itemId: id('shared'), officerId: id('wOfficer') })).filter((e) => e.action === 'READ');
    expect(event).toMatchObject({ country: 'XW', itemKind: 'IntelReport', outcome: 'GRANTED', redactedFields: ['sourceDescription'] });
    expect(Date.parse(event.at)).toBeGreaterThanOrEqual(before - 1000);
    expect(event.requestId).toMatch(/./);
  });

  it('records every item of a root list, and of nested lists (operation updates and reports, subject reports)', async () => {
    expectOk(await as(id('wOfficer'), `query($op: ID!, $s: ID!) {
      operation(id: $op) { updates { edges { node { id } } } reports { edges { node { id } } } }
      subject(id: $s) { reports { edges { node { id } } } } }`, { op: id('op'), s: id('p1') }));
    const reads = await storedEvents({ officerId: id('wOfficer'), action: 'READ' });
    const items = new Set(reads.map((e) => e.itemId));
    expect(items.has(id('up1'))).toBe(true);
    expect(items.has(id('scoped'))).toBe(true);
    const scoped = reads.find((e) => e.itemId === id('scoped'))!;
    expect(scoped.redactedFields).toEqual(['sourceDescription']);
  });

  it('records the owner country\'s reads without redaction, and one event per item per request', async () => {
    const response = await as(id('vOfficer'), `{ a: intelReports(first: 50, filter: { owner: "XV", text: "title" }) { edges { node { id } } }
      b: intelReport(id: "${id('shared')}") { id } }`);
    expectOk(response);
    const shared = (await storedEvents({ itemId: id('shared'), officerId: id('vOfficer'), action: 'READ' }));
    expect(shared).toHaveLength(1);
    expect(shared[0].redactedFields).toEqual([]);
  });

  it('records a denied direct read of an existing invisible item, answered like an unknown id', async () => {
    const denied = await as<{ intelReport: unknown }>(id('wOfficer'), REPORT, { id: id('secret') });
    const unknown = await as<{ intelReport: unknown }>(id('wOfficer'), REPORT, { id: id('nothing') });
    expect(denied).toEqual(unknown);
    expect(denied.data?.intelReport).toBeNull();
    const events = await storedEvents({ itemId: id('secret'), officerId: id('wOfficer') });
    expect(events.map((e) => [e.action, e.outcome])).toEqual([['DENY', 'DENIED']]);
    expect(await storedEvents({ itemId: id('nothing') })).toEqual([]);
  });
});

describe('changes are in the trail before the response arrives', () => {
  it('records create, update and releasability of a report, and a posted operation update', async () => {
    const created = expectOk(await as<{ createIntelReport: { id: string } }>(id('vOfficer'),
      `mutation($i: IntelReportInput!) { createIntelReport(input: $i) { id } }`, { i: { id: id('new'), title: 'new', classification: 'OFFICIAL' } }));
    expect(created.createIntelReport.id).toBe(id('new'));
    expectOk(await as(id('vOfficer'), `mutation($id: ID!) { updateIntelReport(id: $id, patch: { title: "renamed" }) { id } }`, { id: id('new') }));
    expectOk(await as(id('vAdmin'), `mutation($id: ID!) { setReleasability(reportId: $id, releasability: { mode: DENY, countries: ["XX"] }) { id } }`, { id: id('new') }));
    const events = await storedEvents({ itemId: id('new') });
    const changes = events.filter((e) => e.action !== 'READ').map((e) => [e.action, e.officerId, e.detail]);
    expect(changes).toEqual([
      ['CREATE', id('vOfficer'), null],
      ['UPDATE', id('vOfficer'), 'title'],
      ['RELEASABILITY', id('vAdmin'), 'DENY XX'],
    ]);
    // The mutations' answers were reads of the report, recorded too.
    expect(events.filter((e) => e.action === 'READ')).toHaveLength(3);

    expectOk(await as(id('vOfficer'), `mutation($op: ID!) { postOperationUpdate(operationId: $op, input: { id: "${id('up2')}", kind: "ARREST", text: "two", classification: OFFICIAL }) { id } }`, { op: id('op') }));
    expect((await storedEvents({ itemId: id('up2'), action: 'CREATE' })).map((e) => e.outcome)).toEqual(['OK']);
  });
});

describe('fail closed', () => {
  it('withholds the data and answers INTERNAL_SERVER_ERROR when the audit write fails', async () => {
    const persist = vi.spyOn(t.hub.services.audit as AuditWriter, 'persist').mockRejectedValueOnce(new Error('disk full'));
    const response = await as(id('wOfficer'), REPORT, { id: id('shared') });
    persist.mockRestore();
    expect(response.status).toBe(500);
    expect(response.data).toBeUndefined();
    expectCode(response, 'INTERNAL_SERVER_ERROR');
    expect(JSON.stringify(response)).not.toContain('title shared');
  });

  it('serves again once the trail is writable', async () => {
    expectOk(await as(id('wOfficer'), REPORT, { id: id('shared') }));
  });
});

describe('group commit', () => {
  it('merges the events of concurrent callers into few transactions, and resolves each caller after its commit', async () => {
    const writer = new AuditWriter(await testDb(), { maxInFlight: 1 });
    const persist = vi.spyOn(writer, 'persist');
    const event = (n: number) => ({
      id: `${id('gc')}-${n}`, at: new Date().toISOString(), officerId: id('gc'), country: 'XV', itemId: id('gc-item'), itemKind: 'IntelReport',
      action: 'READ' as const, outcome: 'GRANTED', redactedFields: [], requestId: `r${n}`, detail: null,
    });
    await Promise.all(Array.from({ length: 40 }, (_, n) => writer.record([event(n)])));
    expect(persist.mock.calls.length).toBeLessThanOrEqual(3);
    expect(await storedEvents({ itemId: id('gc-item') })).toHaveLength(40);
  });
});

describe('accessLog', () => {
  it('shows the owner country\'s NCB administrators the trail of their item, newest first, paged', async () => {
    const first = expectOk(await as<{ accessLog: { totalCount: number; edges: { cursor: string; node: { at: string; action: string } }[]; pageInfo: { hasNextPage: boolean; endCursor: string } } }>(
      id('vAdmin'), ACCESS_LOG, { id: id('shared'), first: 2 })).accessLog;
    expect(first.totalCount).toBeGreaterThanOrEqual(4);
    expect(first.edges).toHaveLength(2);
    expect(first.pageInfo.hasNextPage).toBe(true);
    const next = expectOk(await as<{ accessLog: { edges: { node: { at: string } }[] } }>(id('vAdmin'), ACCESS_LOG, { id: id('shared'), first: 50, after: first.pageInfo.endCursor })).accessLog;
    const times = [...first.edges, ...next.edges].map((e) => Date.parse(e.node.at));
    expect(times).toEqual([...times].sort((a, b) => b - a));
    expect(times).toHaveLength(first.totalCount);
  });

  it('lets oversight read every trail', async () => {
    const log = expectOk(await as<{ accessLog: { totalCount: number } }>(id('oversight'), ACCESS_LOG, { id: id('shared') })).accessLog;
    expect(log.totalCount).toBeGreaterThan(0);
  });

  it('refuses another country\'s administrators and plain officers, and treats an unknown item like a foreign one', async () => {
    const foreign = expectCode(await as(id('wAdmin'), ACCESS_LOG, { id: id('shared') }), 'FORBIDDEN');
    const unknown = expectCode(await as(id('wAdmin'), ACCESS_LOG, { id: id('nothing') }), 'FORBIDDEN');
    expect(unknown).toBe(foreign);
    expectCode(await as(id('vOfficer'), ACCESS_LOG, { id: id('shared') }), 'FORBIDDEN');
    expectCode(await as(id('vAdmin'), ACCESS_LOG, { id: id('nothing') }), 'FORBIDDEN');
  });
});
