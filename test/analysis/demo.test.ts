import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importFile } from '../../src/graph/import';
import { buildDemoData } from '../../src/import/demo';
import { testDb } from '../support/db';
import { actors, expectOk, type Caller } from '../support/actors';
import { startTestHub, type TestHub } from '../support/hub';

/**
 * The demo scenario's smuggling networks are found from a known member (issue 9, point 9), as
 * the README shows for Diego, the Colombian analyst: the Vega network around Ramiro Vega, the
 * path to the Cúcuta network through the people and places they share, and the corridors.
 */
let t: TestHub;
let as: Caller;

beforeAll(async () => {
  await importFile(await testDb(), buildDemoData());
  t = await startTestHub();
  as = actors(t);
});
afterAll(async () => {
  await t?.stop();
});

const NETWORK = `query($id: ID!) { subjectNetwork(subjectId: $id, depth: 2) {
  truncated subjects { id kind } links { id kind report { id } } brokers(first: 3) { subject { id } betweenness degree } } }`;
const PATH = `query($from: ID!, $to: ID!, $hops: Int) { connectionPath(fromId: $from, toId: $to, maxHops: $hops) { length subjects { id } links { kind } } }`;
const CORRIDORS = `{ corridors { origin transit destination reports persons lastSeen } }`;

interface NetworkAnswer {
  truncated: boolean;
  subjects: { id: string; kind: string }[];
  links: { id: string; kind: string; report: { id: string } | null }[];
  brokers: { subject: { id: string }; betweenness: number; degree: number }[];
}

async function network(officer: string, subject: string): Promise<NetworkAnswer> {
  return expectOk(await as<{ subjectNetwork: NetworkAnswer }>(officer, NETWORK, { id: subject })).subjectNetwork;
}

describe('the demo networks, found by a demo analyst', () => {
  it('the Vega network is found from Ramiro Vega: his associates, places, phones and documents, and none of the Andes network', async () => {
    const vega = await network('o-co-diego', 'p-vega');
    const ids = vega.subjects.map((s) => s.id);
    expect(ids[0]).toBe('p-vega');
    expect(ids).toEqual(expect.arrayContaining(['p-moncada', 'p-guia', 'p-coyote', 'org-vega', 'loc-darien', 'ph-vega']));
    expect(ids.filter((s) => ['p-andes-boss', 'p-corumba', 'loc-colchane'].includes(s))).toEqual([]);
    expect(new Set(vega.subjects.map((s) => s.kind))).toEqual(new Set(['PERSON', 'ORGANIZATION', 'LOCATION', 'PHONE', 'VEHICLE', 'TRAVEL_DOCUMENT']));
    // Every link names the asserting report, which the analyst may read.
    expect(vega.links.every((l) => l.report !== null)).toBe(true);
    expect(vega.brokers).toHaveLength(3);
    expect(vega.brokers[0].betweenness).toBeGreaterThan(vega.brokers[2].betweenness);
  });

  it('a low-clearance officer sees a part of the same network: only links the analyst sees too', async () => {
    const analyst = await network('o-co-diego', 'p-vega');
    const low = await network('o-mx-jorge', 'p-vega');
    const seen = new Set(analyst.links.map((l) => l.id));
    expect(low.links.length).toBeGreaterThan(0);
    expect(low.links.length).toBeLessThan(analyst.links.length);
    expect(low.links.filter((l) => !seen.has(l.id))).toEqual([]);
  });

  it('connects the Vega and Cúcuta networks, and not the Andes network', async () => {
    const path = expectOk(await as<{ connectionPath: { length: number; subjects: { id: string }[] } }>('o-co-diego', PATH, { from: 'p-vega', to: 'p-cucuta-boss' })).connectionPath;
    expect(path.length).toBeGreaterThanOrEqual(1);
    expect(path.subjects.map((s) => s.id)).toEqual(expect.arrayContaining(['p-vega', 'p-cucuta-boss']));
    const none = expectOk(await as<{ connectionPath: unknown }>('o-co-diego', PATH, { from: 'p-vega', to: 'p-andes-boss', hops: 6 }));
    expect(none.connectionPath).toBeNull();
  });

  it('the Darién corridor leads the corridor table', async () => {
    const rows = expectOk(await as<{ corridors: { origin: string; transit: string[]; destination: string; reports: number }[] }>('o-co-diego', CORRIDORS)).corridors;
    expect(rows[0]).toMatchObject({ origin: 'EC', transit: ['CO', 'PA', 'CR', 'MX'], destination: 'US' });
    expect(rows.map((r) => `${r.origin}>${r.destination}`)).toEqual(expect.arrayContaining(['VE>PA', 'BR>CL']));
  });
});
