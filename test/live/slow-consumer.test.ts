import WebSocket from 'ws';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { importFile } from '../../src/graph/import';
import type { ImportFile } from '../../src/import/types';
import { actors, expectOk } from '../support/actors';
import { testDb, uniquePrefix } from '../support/db';
import { startTestHub, type TestHub } from '../support/hub';
import { liveClient, until, wsUrl, type LiveClient } from '../support/live';
import { worldBuilder } from '../support/world';

/**
 * A subscriber that stops reading fills its bounded buffer and has its socket closed with 1013
 * ("resume with your last cursor"), while another subscriber keeps receiving every update.
 * Country QW belongs to the live tests.
 */
const { id, members, officer } = worldBuilder(uniquePrefix('slow'));
const SUB = `subscription { operationUpdates(operationId: "${id('op')}") { id text } }`;
const POST = 'mutation($op: ID!, $input: OperationUpdateInput!) { postOperationUpdate(operationId: $op, input: $input) { id } }';

let t: TestHub;
let healthy: LiveClient;
beforeAll(async () => {
  await importFile(await testDb(), {
    ...members(['QW']),
    officers: [officer('coord', 'QW', ['COORDINATOR']), officer('reader', 'QW', ['OFFICER'])],
    operations: [{ id: id('op'), codename: 'SLOW OP', leadCountry: 'QW', status: 'ACTIVE', visibility: 'PARTICIPANTS', participants: [], assignments: [] }],
  } as ImportFile);
  t = await startTestHub({ env: { WS_BUFFERED_EVENTS: '2', MAX_STRING_LENGTH: '200000' } });
});
afterAll(async () => {
  await healthy?.dispose();
  await t?.stop();
});

/** A bare graphql-transport-ws client whose TCP reads can be paused. */
async function pausedSubscriber(token: string): Promise<{ socket: WebSocket; closed: Promise<number> }> {
  const socket = new WebSocket(wsUrl(t.hub.url), 'graphql-transport-ws');
  const closed = new Promise<number>((resolve) => socket.on('close', (code) => resolve(code)));
  await new Promise((resolve) => socket.once('open', resolve));
  socket.send(JSON.stringify({ type: 'connection_init', payload: { authorization: `Bearer ${token}` } }));
  await new Promise((resolve) => socket.once('message', resolve));
  socket.send(JSON.stringify({ id: '1', type: 'subscribe', payload: { query: SUB } }));
  return { socket, closed };
}

it('closes a slow consumer with 1013 without stalling the others', async () => {
  const as = actors(t);
  healthy = liveClient(t.hub.url, await t.token(id('reader')));
  const stream = healthy.subscribe<{ operationUpdates: { id: string } }>(SUB);
  const slow = await pausedSubscriber(await t.token(id('reader')));
  await until(() => t.hub.live.dispatcher.watching() === 2, 5000, 'both subscriptions');
  (slow.socket as unknown as { _socket: { pause(): void } })._socket.pause();

  const big = 'x'.repeat(150_000);
  const posted: string[] = [];
  for (let i = 0; i < 200 && t.hub.live.dispatcher.watching() === 2; i += 1) {
    const data = expectOk(await as<{ postOperationUpdate: { id: string } }>(id('coord'), POST, { op: id('op'), input: { kind: 'CHECK', text: big, classification: 'OFFICIAL' } }));
    posted.push(data.postOperationUpdate.id);
    await t.hub.live.dispatcher.idle();
  }
  expect(t.hub.live.dispatcher.watching()).toBe(1);

  await stream.atLeast(posted.length, 30_000);
  expect(stream.results.map((r) => r.operationUpdates.id)).toEqual(posted);
  (slow.socket as unknown as { _socket: { resume(): void } })._socket.resume();
  expect(await slow.closed).toBe(1013);
}, 120_000);
