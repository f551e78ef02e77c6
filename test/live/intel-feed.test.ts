import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Statement } from '../../src/graph/db';
import type { ImportFile } from '../../src/import/types';
import { POLICY_OPENED_REPORTS } from '../../src/subscriptions/dispatcher';
import { expectOk, startCachingHub, type Caller } from '../support/actors';
import { testDb, uniquePrefix } from '../support/db';
import type { TestHub } from '../support/hub';
import { liveClient, sleep, until, type LiveClient, type LiveStream } from '../support/live';
import { worldBuilder } from '../support/world';

/**
 * intelFeed sends the reports that become visible to the subscriber (DESIGN §4): once when a
 * report is created or changed into their view, never again for an edit of one they already
 * see, and, when their policy changes, the existing reports it opens to them. Countries KA, KB
 * and KC belong to this file: KA owns the reports and shares OFFICIAL with KB and nothing with
 * KC; KB's reports are shared with nobody until the last test opens them to KA.
 *
 * The tests run in order and leave no report of KA that is RESTRICTED and releasable to KB
 * before the sharing-rule test, which expects exactly its own reports to open.
 */
const { id, members, officer } = worldBuilder(uniquePrefix('feed'));
const OPENED_BY_KB = POLICY_OPENED_REPORTS + 5;
const kbReportId = (n: number) => id(`kb-${String(n).padStart(3, '0')}`);

function world(): ImportFile {
  return {
    ...members(['KA', 'KB', 'KC']),
    // Stated, not assumed: the sharing-rule tests change them, and a re-import sets them back.
    sharingRules: [
      { from: 'KA', to: 'KB', maxLevel: 'OFFICIAL' },
      { from: 'KA', to: 'KC', maxLevel: 'NONE' },
      { from: 'KB', to: 'KA', maxLevel: 'NONE' },
      { from: 'KB', to: 'KC', maxLevel: 'NONE' },
    ],
    officers: [
      officer('kaOfficer', 'KA', ['OFFICER']),
      officer('kaAdmin', 'KA', ['NCB_ADMIN']),
      officer('kbOfficer', 'KB', ['OFFICER']),
      officer('kbColleague', 'KB', ['OFFICER']),
      officer('kbAdmin', 'KB', ['NCB_ADMIN']),
      officer('kcOfficer', 'KC', ['OFFICER']),
    ],
    reports: Array.from({ length: OPENED_BY_KB }, (_, n) => ({
      id: kbReportId(n), owner: 'KB', author: id('kbOfficer'), title: `kb ${n}`, classification: 'RESTRICTED', handling: 'H0',
      releasability: { mode: 'NETWORK', countries: [] }, createdAt: new Date(Date.UTC(2025, 0, 1, 0, n)).toISOString(), subjects: [],
    })),
  } as ImportFile;
}

const FEED = 'subscription { intelFeed { id title sourceDescription redactedFields } }';
type Feed = { intelFeed: { id: string; title: string; sourceDescription: string | null; redactedFields: string[] } };
const CREATE = `mutation($input: IntelReportInput!) { createIntelReport(input: $input) { id } }`;
const UPDATE = `mutation($id: ID!, $patch: IntelReportPatch!) { updateIntelReport(id: $id, patch: $patch) { id } }`;
const RELEASE = `mutation($id: ID!, $r: ReleasabilityInput!) { setReleasability(reportId: $id, releasability: $r) { id } }`;
const SET_RULE = `mutation($input: SharingRuleInput!) { setSharingRule(input: $input) { to maxLevel inForce } }`;

let t: TestHub, as: Caller;
const clients: LiveClient[] = [];
/** KC has no access to anything in this file: its feed stays empty from the first test to the last. */
let kcFeed: LiveStream<Feed>;
/** The statements that look for reports opened by a policy change (they judge with a second context). */
const openingQueries: Statement[] = [];

beforeAll(async () => {
  // Reports of these countries left by an earlier run against the same database would open too.
  await (await testDb()).write({ cypher: "MATCH (r:IntelReport) WHERE r.ownerCode IN ['KA', 'KB', 'KC'] DETACH DELETE r" });
  ({ t, as } = await startCachingHub(world()));
  t.hub.services.db.observe((statement) => {
    if (statement.cypher.includes('$previous.')) openingQueries.push(statement);
  });
  kcFeed = await subscribe('kcOfficer');
});
afterAll(async () => {
  await Promise.all(clients.map((c) => c.dispose()));
  await t?.stop();
});

/** A fresh socket and intelFeed subscription for the officer, registered with the dispatcher when this resolves. */
async function subscribe(name: string): Promise<LiveStream<Feed>> {
  const client = liveClient(t.hub.url, await t.token(id(name)));
  clients.push(client);
  const before = t.hub.live.dispatcher.watching();
  const stream = client.subscribe<Feed>(FEED);
  await until(() => t.hub.live.dispatcher.watching() > before, 5000, `${name}'s intelFeed to register`);
  return stream;
}

async function create(input: Record<string, unknown>): Promise<string> {
  const created = expectOk(await as<{ createIntelReport: { id: string } }>(id('kaOfficer'), CREATE, { input: { sourceDescription: 'informant', ...input } }));
  return created.createIntelReport.id;
}

const update = async (report: string, patch: Record<string, unknown>) => expectOk(await as(id('kaOfficer'), UPDATE, { id: report, patch }));
const release = async (report: string, mode: string, countries: string[]) => expectOk(await as(id('kaAdmin'), RELEASE, { id: report, r: { mode, countries } }));

/** Waits for `n` results, then for every event under way, then a little more, and returns the ids received. */
async function received(feed: LiveStream<Feed>, n: number): Promise<string[]> {
  await feed.atLeast(n);
  await t.hub.live.dispatcher.idle();
  await sleep(100);
  return feed.results.map((r) => r.intelFeed.id);
}

describe('intelFeed: changes of a report', () => {
  it('sends a report created visible to the subscriber once, and none they may not see', async () => {
    const feed = await subscribe('kbOfficer');
    const visible = await create({ title: 'official', classification: 'OFFICIAL' });
    const above = await create({ title: 'confidential', classification: 'CONFIDENTIAL' });
    const denied = await create({ title: 'deny KB', classification: 'OFFICIAL', releasability: { mode: 'DENY', countries: ['KB'] } });
    const marker = await create({ title: 'marker', classification: 'UNCLASSIFIED' });
    expect(await received(feed, 2), JSON.stringify({ above, denied })).toEqual([visible, marker]);
    expect(feed.results[0].intelFeed).toMatchObject({ title: 'official', sourceDescription: null, redactedFields: ['sourceDescription'] });
  });

  it('sends a report once when two announcements of it becoming visible meet (its event after a policy reload, and the look for opened reports)', async () => {
    const feed = await subscribe('kbOfficer');
    const report = await create({ title: 'announced twice', classification: 'OFFICIAL' });
    await feed.atLeast(1);
    // What the race amounts to: the same report judged as new to the subscriber a second time.
    await t.hub.services.events.publish({ type: 'report.changed', reportId: report, before: null });
    const marker = await create({ title: 'marker', classification: 'UNCLASSIFIED' });
    expect(await received(feed, 2)).toEqual([report, marker]);
  });

  it('does not send again a report whose edit leaves it visible', async () => {
    const feed = await subscribe('kbOfficer');
    const report = await create({ title: 'seen', classification: 'OFFICIAL' });
    await feed.atLeast(1);
    await update(report, { title: 'seen, edited', summary: 'more detail' });
    await update(report, { classification: 'UNCLASSIFIED' });
    // Deliveries keep the order of events: once the marker is in, the edits have been judged.
    const marker = await create({ title: 'marker', classification: 'UNCLASSIFIED' });
    expect(await received(feed, 2)).toEqual([report, marker]);
  });

  it('sends a report reclassified from above the share level to within it, once', async () => {
    const feed = await subscribe('kbOfficer');
    const report = await create({ title: 'restricted at first', classification: 'RESTRICTED' });
    await update(report, { classification: 'OFFICIAL' });
    await update(report, { title: 'still official' });
    const marker = await create({ title: 'marker', classification: 'UNCLASSIFIED' });
    expect(await received(feed, 2)).toEqual([report, marker]);
    expect(feed.results[0].intelFeed.title).toBe('restricted at first');
  });

  it('sends a report whose releasability comes to include the subscriber, and nothing for one that excludes them', async () => {
    const feed = await subscribe('kbOfficer');
    const opened = await create({ title: 'for KC only', classification: 'OFFICIAL', releasability: { mode: 'ALLOW', countries: ['KC'] } });
    const excluded = await create({ title: 'for KC only too', classification: 'OFFICIAL', releasability: { mode: 'ALLOW', countries: ['KC'] } });
    await release(opened, 'ALLOW', ['KB']);
    await feed.atLeast(1);
    // Still visible to KB: not sent again. Opened to all but KB: nothing for KB.
    await release(opened, 'ALLOW', ['KB', 'KC']);
    await release(excluded, 'DENY', ['KB']);
    const marker = await create({ title: 'marker', classification: 'UNCLASSIFIED' });
    expect(await received(feed, 2)).toEqual([opened, marker]);
  });
});

describe('intelFeed: changes of the subscriber\'s policy', () => {
  it('sends the existing reports a sharing rule opens to a connected subscriber, and only those, with one query for all alike', async () => {
    const feed = await subscribe('kbOfficer');
    const colleague = await subscribe('kbColleague');
    const seen = await create({ title: 'already visible', classification: 'OFFICIAL' });
    const first = await create({ title: 'restricted one', classification: 'RESTRICTED' });
    const second = await create({ title: 'restricted two', classification: 'RESTRICTED' });
    const above = await create({ title: 'above the new level', classification: 'CONFIDENTIAL' });
    const notReleasable = await create({ title: 'restricted, not for KB', classification: 'RESTRICTED', releasability: { mode: 'ALLOW', countries: ['KC'] } });
    expect(await received(feed, 1)).toEqual([seen]);
    const queriesBefore = openingQueries.length;

    const rule = expectOk(await as<{ setSharingRule: { to: string; maxLevel: string; inForce: boolean } }>(id('kaAdmin'), SET_RULE, { input: { to: 'KB', maxLevel: 'RESTRICTED' } }));
    expect(rule.setSharingRule).toEqual({ to: 'KB', maxLevel: 'RESTRICTED', inForce: true });

    expect(await received(feed, 3), JSON.stringify({ above, notReleasable })).toEqual([seen, first, second]);
    expect(await received(colleague, 3)).toEqual([seen, first, second]);
    expect(feed.results[1].intelFeed).toMatchObject({ title: 'restricted one', sourceDescription: null, redactedFields: ['sourceDescription'] });
    // Both KB officers changed alike (KC's and KA's contexts did not change at all).
    expect(openingQueries.length - queriesBefore).toBe(1);
  });

  it('asks Neo4j nothing about opened reports for a principal whose policy changed but who has no intelFeed', async () => {
    const changed: string[] = [];
    const off = t.hub.live.principals.onContextChange((entry) => changed.push(entry.subject));
    try {
      const client = liveClient(t.hub.url, await t.token(id('kaOfficer')));
      clients.push(client);
      const before = t.hub.live.dispatcher.watching();
      client.subscribe('subscription { operationUpdates { id } }');
      await until(() => t.hub.live.dispatcher.watching() > before, 5000, 'the operationUpdates subscription');
      const queriesBefore = openingQueries.length;
      expectOk(await as(id('kbAdmin'), SET_RULE, { input: { to: 'KA', maxLevel: 'UNCLASSIFIED' } }));
      await t.hub.live.dispatcher.idle();
      expect(changed).toContain(id('kaOfficer'));
      expect(openingQueries.length - queriesBefore).toBe(0);
    } finally {
      off();
    }
  });

  it(`sends at most the ${POLICY_OPENED_REPORTS} most recent reports a policy change opens, oldest first`, async () => {
    const feed = await subscribe('kaOfficer');
    expectOk(await as(id('kbAdmin'), SET_RULE, { input: { to: 'KA', maxLevel: 'RESTRICTED' } }));
    const newest = Array.from({ length: OPENED_BY_KB }, (_, n) => kbReportId(n)).slice(-POLICY_OPENED_REPORTS);
    expect(await received(feed, POLICY_OPENED_REPORTS)).toEqual(newest);
  });

  it('sends nothing throughout to a subscriber of a country with no access', async () => {
    await t.hub.live.dispatcher.idle();
    expect(kcFeed.errors).toEqual([]);
    expect(kcFeed.results).toEqual([]);
  });
});
