import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import type { AccessEvent } from '../../src/graph/audit';
import { AuditJournal, parseSegment } from '../../src/graph/audit-journal';
import type { ImportFile } from '../../src/import/types';
import { expectOk, startCachingHub } from '../support/actors';
import { testDb, uniquePrefix } from '../support/db';
import { worldBuilder } from '../support/world';

/**
 * The audit write-ahead journal (AUDIT_JOURNAL_DIR): acknowledged only once on disk, shipped
 * to Neo4j exactly once — across retries, crashes and restarts — and read back through the API
 * as soon as the response that caused it. Country XV (the audit tests' country).
 */
const { id, members, officer } = worldBuilder(uniquePrefix('journal'));
const log = pino({ level: 'silent' });
const dirs: string[] = [];
const open: AuditJournal[] = [];

function tempDir(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'ison-journal-'));
  dirs.push(dir);
  return dir;
}

async function journal(dir: string, options = {}): Promise<AuditJournal> {
  const opened = await AuditJournal.open(await testDb(), dir, log, options);
  open.push(opened);
  return opened;
}

let serial = 0;
function event(item: string): AccessEvent {
  serial += 1;
  return {
    id: `${id('e')}-${serial}`, at: new Date(Date.UTC(2026, 10, 29, 12, 0, 0, serial)).toISOString(), officerId: id('reader'), country: 'XV',
    itemId: id(item), itemKind: 'IntelReport', action: 'READ', outcome: 'GRANTED', redactedFields: ['sourceDescription'], requestId: `r${serial}`, detail: null,
  };
}

async function stored(item: string): Promise<string[]> {
  const rows = await (await testDb()).read<{ id: string }>({
    cypher: 'MATCH (a:AccessEvent {itemId: $itemId}) RETURN a.id AS id ORDER BY a.at',
    params: { itemId: id(item) },
  });
  return rows.map((r) => r.id);
}

function onDisk(dir: string): AccessEvent[] {
  return readdirSync(dir)
    .filter((name) => name.endsWith('.jsonl'))
    .sort()
    .flatMap((name) => parseSegment(readFileSync(path.join(dir, name), 'utf8')))
    .filter((e): e is AccessEvent => e !== null);
}

/** What a previous run had put in Neo4j from `segment` before it stopped: `events`, and its mark at `mark` lines. */
async function shippedBefore(segment: string, events: AccessEvent[], mark: number): Promise<void> {
  await (await testDb()).write({
    cypher: `UNWIND $events AS e CREATE (:AccessEvent {id: e.id, itemId: e.itemId, at: datetime(e.at)})
             WITH count(*) AS n MERGE (j:AuditJournalSegment {name: $segment}) SET j.shipped = $mark`,
    params: { events, segment, mark },
  });
}

const segments = (dir: string) => readdirSync(dir).filter((name) => name.endsWith('.jsonl'));

afterEach(() => vi.restoreAllMocks());
afterAll(async () => {
  for (const j of open) await j.close(1000);
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

describe('the audit journal', () => {
  it('acknowledges events once they are on disk, then ships each to Neo4j once', async () => {
    const dir = tempDir();
    const j = await journal(dir);
    const db = await testDb();
    const write = vi.spyOn(db, 'write');
    // Hold the shipper back so that the acknowledgement can only have come from the disk.
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    write.mockImplementationOnce(async (statement) => {
      await gate;
      write.mockRestore();
      return db.write(statement);
    });
    // Every acknowledgement comes after a flush of the file to disk.
    const file = (j as unknown as { segment: { file: object } }).segment.file;
    const flushedAt: number[] = [];
    const datasync = vi.spyOn(Object.getPrototypeOf(file) as { datasync(): Promise<void> }, 'datasync');
    datasync.mockImplementation(async function (this: { sync(): Promise<void> }) {
      await this.sync();
      flushedAt.push(performance.now());
    });
    const events = Array.from({ length: 30 }, () => event('acked'));
    const ackedAt = await Promise.all(events.map((e) => j.record([e]).then(() => performance.now())));
    expect(flushedAt.length).toBeGreaterThan(0);
    expect(Math.min(...ackedAt)).toBeGreaterThanOrEqual(flushedAt[0]);
    datasync.mockRestore();
    expect(onDisk(dir).map((e) => e.id)).toEqual(events.map((e) => e.id));
    expect(await stored('acked')).toEqual([]);
    release();
    await j.settled();
    expect(await stored('acked')).toEqual(events.map((e) => e.id));
    expect(j.backlog).toBe(0);
  });

  it('lets a trickle of requests gather for lingerMs into one Neo4j transaction, and ships at once for somebody who waits', async () => {
    // A linger well beyond a statement's replanning (a few hundred ms on this machine), so that
    // "shipped at once" and "shipped after the linger" cannot be confused.
    const j = await journal(tempDir(), { lingerMs: 3000 });
    const db = await testDb();
    const write = vi.spyOn(db, 'write');
    // Five requests, one after another, each acknowledged from the disk alone.
    const trickle = Array.from({ length: 5 }, () => event('lingered'));
    for (const e of trickle) await j.record([e]);
    expect(write).not.toHaveBeenCalled();
    expect(j.backlog).toBe(5);
    await vi.waitFor(() => expect(j.backlog).toBe(0), { timeout: 10_000, interval: 20 });
    expect(write).toHaveBeenCalledTimes(1);
    expect(await stored('lingered')).toEqual(trickle.map((e) => e.id));
    // accessLog and close wait on settled(): that ships now, not after the linger.
    const waited = event('lingered');
    await j.record([waited]);
    const started = performance.now();
    await j.settled();
    expect(performance.now() - started).toBeLessThan(1500);
    expect(write).toHaveBeenCalledTimes(2);
    expect(await stored('lingered')).toEqual([...trickle, waited].map((e) => e.id));
  });

  it('stores every field of every event, whatever the mix of requests, actions, partners and details in a batch', async () => {
    const j = await journal(tempDir(), { lingerMs: 0 });
    const base = event('fields');
    const events: AccessEvent[] = [
      { ...base, id: `${base.id}-a`, requestId: 'req-1', redactedFields: [] },
      { ...base, id: `${base.id}-b`, requestId: 'req-1', redactedFields: ['sourceDescription', 'summary'], at: new Date(Date.UTC(2026, 10, 29, 13)).toISOString() },
      { ...base, id: `${base.id}-c`, requestId: 'req-1', action: 'DENY', outcome: 'DENIED', redactedFields: [] },
      { ...base, id: `${base.id}-d`, requestId: 'req-2', officerId: 'partner:p1', country: null, itemKind: null, action: 'SCREEN', outcome: 'NO_HIT', detail: 'XK12345' },
      { ...base, id: `${base.id}-e`, requestId: 'req-1', redactedFields: [] },
    ];
    await j.record(events);
    await j.settled();
    const rows = await (await testDb()).read<AccessEvent>({
      cypher: `MATCH (a:AccessEvent {itemId: $itemId})
        RETURN a.id AS id, a.at AS at, a.officerId AS officerId, a.country AS country, a.itemId AS itemId, a.itemKind AS itemKind,
          a.action AS action, a.outcome AS outcome, a.redactedFields AS redactedFields, a.requestId AS requestId, a.detail AS detail
        ORDER BY a.id`,
      params: { itemId: id('fields') },
    });
    expect(rows).toEqual(events);
  });

  it('ships at once when maxShip events are waiting, whatever lingerMs says', async () => {
    const j = await journal(tempDir(), { lingerMs: 60_000, maxShip: 4 });
    const events = Array.from({ length: 4 }, () => event('full-batch'));
    await j.record(events);
    await vi.waitFor(() => expect(j.backlog).toBe(0), { timeout: 5000, interval: 20 });
    expect(await stored('full-batch')).toEqual(events.map((e) => e.id));
  });

  it('keeps events while Neo4j refuses them and ships them once it takes them again', async () => {
    const j = await journal(tempDir());
    const db = await testDb();
    vi.spyOn(db, 'write').mockRejectedValueOnce(new Error('Neo4j away')).mockRejectedValueOnce(new Error('Neo4j away'));
    const events = [event('retried'), event('retried')];
    await j.record(events);
    await j.settled();
    expect(await stored('retried')).toEqual(events.map((e) => e.id));
  });

  it('creates nothing twice when a batch that did commit is reported failed and sent again', async () => {
    const j = await journal(tempDir());
    const db = await testDb();
    const write = db.write.bind(db);
    vi.spyOn(db, 'write').mockImplementationOnce(async (statement) => {
      await write(statement);
      throw new Error('connection lost after the commit');
    });
    const events = [event('committed-twice'), event('committed-twice'), event('committed-twice')];
    await j.record(events);
    await j.settled();
    expect(await stored('committed-twice')).toEqual(events.map((e) => e.id));
  });

  it('fails the callers of a failed append, and the next append goes to a new segment', async () => {
    const dir = tempDir();
    const j = await journal(dir);
    await j.record([event('failed-append')]);
    expect(segments(dir)).toHaveLength(1);
    // Break the open segment under the journal: its next write fails.
    await (j as unknown as { segment: { file: { close(): Promise<void> } } }).segment.file.close();
    await expect(j.record([event('failed-append')])).rejects.toThrow();
    const after = event('failed-append');
    await j.record([after]);
    await j.settled();
    const ids = await stored('failed-append');
    expect(ids).toHaveLength(2);
    expect(ids[1]).toBe(after.id);
    // The broken segment, shipped in full, is gone; the fresh one is open.
    expect(segments(dir)).toHaveLength(1);
    expect(onDisk(dir).map((e) => e.id)).toEqual([after.id]);
  });

  it('after a crash, ships what the previous run left from its mark on, exactly once, and skips a torn last line', async () => {
    const dir = tempDir();
    const db = await testDb();
    const events = Array.from({ length: 5 }, () => event('recovered'));
    // The previous run had shipped the first two (their mark says so) and died mid-append.
    const segment = 'audit-000000000000001-crashed.jsonl';
    writeFileSync(path.join(dir, segment), `${events.map((e) => JSON.stringify(e)).join('\n')}\n{"id":"torn`);
    await shippedBefore(segment, events.slice(0, 2), 2);
    await journal(dir);
    expect(await stored('recovered')).toEqual(events.map((e) => e.id));
    expect(readdirSync(dir)).not.toContain(segment);
    const [{ marks }] = await db.read<{ marks: number }>({ cypher: 'MATCH (j:AuditJournalSegment {name: $segment}) RETURN count(j) AS marks', params: { segment } });
    expect(marks).toBe(0);
  });

  it('keeps the place of a line it cannot read, so the mark still counts right', async () => {
    const dir = tempDir();
    const events = Array.from({ length: 4 }, () => event('damaged'));
    const segment = 'audit-000000000000002-damaged.jsonl';
    // Lines: e0 e1 <damaged> e2 e3, of which the first three were shipped before the crash.
    const lines = [JSON.stringify(events[0]), JSON.stringify(events[1]), '{"id":"dam', JSON.stringify(events[2]), JSON.stringify(events[3])];
    writeFileSync(path.join(dir, segment), `${lines.join('\n')}\n`);
    await shippedBefore(segment, events.slice(0, 2), 3);
    await journal(dir);
    expect(await stored('damaged')).toEqual(events.map((e) => e.id));
  });

  it('closing while Neo4j is away leaves the events on disk; the next start ships them', async () => {
    const dir = tempDir();
    const db = await testDb();
    const first = await AuditJournal.open(db, dir, log);
    const write = vi.spyOn(db, 'write').mockRejectedValue(new Error('Neo4j away'));
    const events = [event('restart'), event('restart'), event('restart')];
    await first.record(events);
    await first.close(300);
    write.mockRestore();
    expect(onDisk(dir).map((e) => e.id)).toEqual(events.map((e) => e.id));
    expect(await stored('restart')).toEqual([]);
    const second = await journal(dir);
    expect(await stored('restart')).toEqual(events.map((e) => e.id));
    await second.settled();
  });

  it('refuses a second journal on a folder in use', async () => {
    const dir = tempDir();
    await journal(dir);
    await expect(AuditJournal.open(await testDb(), dir, log)).rejects.toThrow(/in use/);
  });

  it('takes over a lock whose holder is gone, also one left by an earlier process with this pid', async () => {
    for (const holder of [{ pid: 2 ** 22 + 17, started: 1 }, { pid: process.pid, started: 1 }]) {
      const dir = tempDir();
      writeFileSync(path.join(dir, 'journal.lock'), JSON.stringify(holder));
      const j = await journal(dir);
      await j.record([event('lock-takeover')]);
    }
  });
});

describe('a hub with an audit journal', () => {
  const world = (): ImportFile => ({
    ...members(['XV']),
    officers: [officer('reader', 'XV', ['OFFICER']), officer('admin', 'XV', ['NCB_ADMIN'])],
    reports: [{
      id: id('hub-report'), owner: 'XV', author: id('reader'), title: 'journalled', classification: 'OFFICIAL', handling: 'H0',
      releasability: { mode: 'NETWORK', countries: [] }, createdAt: '2026-02-01T00:00:00Z',
    }],
  }) as ImportFile;

  it('has each read on disk when the response arrives, and shows it in accessLog at once', async () => {
    const dir = tempDir();
    const { t, as } = await startCachingHub(world(), { AUDIT_JOURNAL_DIR: dir });
    try {
      expectOk(await as(id('reader'), 'query($id: ID!) { intelReport(id: $id) { id title } }', { id: id('hub-report') }));
      // The open segment stays on disk until it is rotated or the journal closes.
      const reads = onDisk(dir).filter((e) => e.itemId === id('hub-report'));
      expect(reads.map((e) => [e.officerId, e.action])).toEqual([[id('reader'), 'READ']]);
      const trail = expectOk(await as<{ accessLog: { edges: { node: { officerId: string; action: string } }[] } }>(id('admin'),
        'query($id: ID!) { accessLog(itemId: $id, first: 10) { edges { node { officerId action } } } }', { id: id('hub-report') })).accessLog;
      expect(trail.edges.map((e) => [e.node.officerId, e.node.action])).toEqual([[id('reader'), 'READ']]);
      // Operators watch the journal's backlog: nothing is waiting once the trail has settled.
      const metrics = await (await fetch(t.hub.url.replace(/\/graphql$/, '/metrics'))).text();
      expect(metrics).toMatch(/^isonhub_audit_journal_backlog 0$/m);
    } finally {
      await t.stop();
    }
  });
});
