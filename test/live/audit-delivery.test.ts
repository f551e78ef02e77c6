import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseSegment } from '../../src/graph/audit-journal';
import { updateForDelivery } from '../../src/graph/live';
import type { ImportFile } from '../../src/import/types';
import { expectOk, startCachingHub, type Caller } from '../support/actors';
import { testDb, uniquePrefix } from '../support/db';
import type { TestHub } from '../support/hub';
import { liveClient, until, type LiveClient } from '../support/live';
import { worldBuilder } from '../support/world';

/**
 * A live delivery is a read of item content: it is in the audit trail, for that subscriber,
 * before it reaches the socket; a subscriber who may not see the update gets neither.
 * Countries QS and QT (the live tests' countries; this file states what it relies on).
 */
const { id, members, officer } = worldBuilder(uniquePrefix('live-audit'));

function world(): ImportFile {
  return {
    ...members(['QS', 'QT']),
    sharingRules: [{ from: 'QS', to: 'QT', maxLevel: 'CONFIDENTIAL' }],
    officers: [officer('sCoord', 'QS', ['COORDINATOR']), officer('tAssigned', 'QT', ['OFFICER']), officer('tLow', 'QT', ['OFFICER'], { clearance: 'UNCLASSIFIED' })],
    operations: [
      { id: id('op'), codename: 'AUDITED OP', leadCountry: 'QS', status: 'ACTIVE', visibility: 'PARTICIPANTS', participants: ['QT'],
        assignments: [{ officer: id('sCoord') }, { officer: id('tAssigned') }, { officer: id('tLow') }] },
    ],
  } as ImportFile;
}

const SUB = `subscription($op: ID) { operationUpdates(operationId: $op) { id } }`;
const POST = `mutation($op: ID!, $input: OperationUpdateInput!) { postOperationUpdate(operationId: $op, input: $input) { id } }`;

let t: TestHub, as: Caller;
const clients: LiveClient[] = [];
beforeAll(async () => ({ t, as } = await startCachingHub(world())));
afterAll(async () => {
  await Promise.all(clients.map((c) => c.dispose()));
  await t?.stop();
});

async function reads(officerId: string, itemId: string): Promise<number> {
  const [{ n }] = await (await testDb()).read<{ n: number }>({
    cypher: "MATCH (e:AccessEvent {itemId: $itemId}) WHERE e.officerId = $officerId AND e.action = 'READ' RETURN count(e) AS n",
    params: { itemId, officerId },
  });
  return n;
}

describe('audit of live deliveries', () => {
  it('records each delivery for its subscriber before the client has it, and nothing for one who may not read it', async () => {
    const streams = [];
    for (const name of ['tAssigned', 'tLow']) {
      const client = liveClient(t.hub.url, await t.token(id(name)));
      clients.push(client);
      const before = t.hub.live.dispatcher.watching();
      streams.push(client.subscribe<{ operationUpdates: { id: string } }>(SUB, { op: id('op') }));
      await until(() => t.hub.live.dispatcher.watching() > before, 5000, 'the subscription to register');
    }
    const posted = expectOk(await as<{ postOperationUpdate: { id: string } }>(id('sCoord'), POST, { op: id('op'), input: { kind: 'CHECK', text: 'audited', classification: 'OFFICIAL' } }));
    const updateId = posted.postOperationUpdate.id;
    await streams[0].atLeast(1);
    // Read at once when the client holds the event: the record was committed before it was sent.
    expect(await reads(id('tAssigned'), updateId)).toBe(1);
    await t.hub.live.dispatcher.idle();
    expect(streams[1].results).toEqual([]);
    expect(await reads(id('tLow'), updateId)).toBe(0);
  });

  it('delivers what the write returned, which is the update as the feeds read it, and the author reads it back once', async () => {
    const posted = expectOk(await as<{ postOperationUpdate: { id: string } }>(id('sCoord'), POST, { op: id('op'), input: { kind: 'CHECK', text: 'as written', classification: 'RESTRICTED', metrics: { arrests: 2 } } }));
    const updateId = posted.postOperationUpdate.id;
    const written = t.hub.services.justWritten.update(updateId);
    expect(written).toBeDefined();
    // The dispatcher takes this record instead of reading the update back: it must be the same.
    expect(written).toEqual(await updateForDelivery(await testDb(), updateId));
    // The author's answer came from the same record, judged by the rule in memory and audited as a read.
    expect(await reads(id('sCoord'), updateId)).toBe(1);
  });
});

describe('audit of live deliveries through the audit journal (as npm start runs)', () => {
  it('has each delivery on disk for its subscriber when the client holds the event', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'ison-live-journal-'));
    const journaled = await startCachingHub(world(), { AUDIT_JOURNAL_DIR: dir });
    const client = liveClient(journaled.t.hub.url, await journaled.t.token(id('tAssigned')));
    try {
      const stream = client.subscribe<{ operationUpdates: { id: string } }>(SUB, { op: id('op') });
      await until(() => journaled.t.hub.live.dispatcher.watching() > 0, 5000, 'the subscription to register');
      const posted = expectOk(await journaled.as<{ postOperationUpdate: { id: string } }>(id('sCoord'), POST, {
        op: id('op'), input: { kind: 'CHECK', text: 'journalled delivery', classification: 'OFFICIAL' },
      }));
      const updateId = posted.postOperationUpdate.id;
      await stream.atLeast(1);
      // Read at once when the client holds the event: the open segment holds the delivery's record.
      const onDisk = readdirSync(dir)
        .filter((name) => name.endsWith('.jsonl'))
        .flatMap((name) => parseSegment(readFileSync(path.join(dir, name), 'utf8')))
        .filter((e) => e?.itemId === updateId && e.action === 'READ')
        .map((e) => e!.officerId);
      expect(onDisk).toContain(id('tAssigned'));
    } finally {
      await client.dispose();
      await journaled.t.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
