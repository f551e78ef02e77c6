import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ImportFile } from '../../src/import/types';
import { expectOk, startCachingHub, type Caller } from '../support/actors';
import { uniquePrefix } from '../support/db';
import { startTestHub, type TestHub } from '../support/hub';
import { worldBuilder } from '../support/world';
import { ANALYSIS_COUNTRIES } from './network-world';

/**
 * Bounded cost (issue 9, point 7): a shared phone with 10,000 links answers within its limit.
 * 20 reports each concern the phone and 500 persons and link each person to the phone; 10 of
 * the persons also belong to an organisation (a quiet subject two links from the hub).
 */
const { id, members, officer } = worldBuilder(uniquePrefix('hub'));
const PERSONS = 10_000;
const pid = (i: number) => id(`p${String(i).padStart(5, '0')}`);

function world(): ImportFile {
  const persons = Array.from({ length: PERSONS }, (_, i) => ({ id: pid(i), kind: 'PERSON', recordedBy: 'XB', name: `P${i}`, aliases: [], protected: false }));
  const reports = Array.from({ length: 20 }, (_, r) => ({
    id: id(`r${r}`), owner: 'XB', author: id('bOfficer'), title: `r${r}`, classification: 'OFFICIAL', handling: 'H0',
    releasability: { mode: 'NETWORK', countries: [] }, createdAt: '2026-01-10T00:00:00Z',
    subjects: [id('phone'), ...(r === 0 ? [id('org')] : []), ...persons.slice(r * 500, r * 500 + 500).map((p) => p.id)],
  }));
  return {
    ...members(ANALYSIS_COUNTRIES),
    officers: [officer('bOfficer', 'XB', ['OFFICER']), officer('cAnalyst', 'XC', ['ANALYST'])],
    subjects: [{ id: id('phone'), kind: 'PHONE', recordedBy: 'XB', number: '+00 000' }, { id: id('org'), kind: 'ORGANIZATION', recordedBy: 'XB', name: 'Org' }, ...persons],
    reports,
    links: [
      ...persons.map((p, i) => ({ id: id(`l${i}`), from: p.id, to: id('phone'), kind: 'USES_PHONE', report: id(`r${Math.floor(i / 500)}`) })),
      ...Array.from({ length: 10 }, (_, i) => ({ id: id(`m${i}`), from: pid(i), to: id('org'), kind: 'MEMBER_OF', report: id('r0') })),
    ],
  } as ImportFile;
}

let t: TestHub;
let as: Caller;
beforeAll(async () => {
  ({ t, as } = await startCachingHub(world()));
}, 300_000);
afterAll(async () => {
  await t?.stop();
});

const NETWORK = `query($id: ID!, $depth: Int, $limit: Int) {
  subjectNetwork(subjectId: $id, depth: $depth, limit: $limit) { truncated subjects { id } links { id from { id } to { id } } brokers(first: 1) { subject { id } degree } } }`;

interface Answer {
  truncated: boolean;
  subjects: { id: string }[];
  links: { id: string; from: { id: string }; to: { id: string } }[];
  brokers: { subject: { id: string }; degree: number }[];
}

async function network(subject: string, depth: number, limit: number): Promise<Answer> {
  return expectOk(await as<{ subjectNetwork: Answer }>(id('cAnalyst'), NETWORK, { id: subject, depth, limit })).subjectNetwork;
}

function linksAmongSubjects(answer: Answer): boolean {
  const kept = new Set(answer.subjects.map((s) => s.id));
  return answer.links.every((l) => kept.has(l.from.id) && kept.has(l.to.id));
}

describe('a subject with 10,000 links', () => {
  it('answers depth 3 within its limit: the nearest subjects, truncated, links only among them', async () => {
    const answer = await network(id('phone'), 3, 50);
    expect(answer.subjects).toHaveLength(50);
    expect(answer.truncated).toBe(true);
    // Nearest first, ties by id: the organisation's 10 members come first among the persons by id.
    expect(answer.subjects.slice(0, 3).map((s) => s.id)).toEqual([id('phone'), pid(0), pid(1)]);
    expect(answer.links).toHaveLength(49);
    expect(linksAmongSubjects(answer)).toBe(true);
    expect(answer.brokers[0]).toEqual({ subject: { id: id('phone') }, degree: 49 });
  });

  it('answers depth 1 at the largest limit with 2,000 subjects', async () => {
    const answer = await network(id('phone'), 1, 2000);
    expect(answer.subjects).toHaveLength(2000);
    expect(answer.truncated).toBe(true);
    expect(answer.links).toHaveLength(1999);
  });

  it('answers a quiet subject two links from the hub within its limit', async () => {
    const answer = await network(id('org'), 3, 200);
    expect(answer.subjects).toHaveLength(200);
    expect(answer.truncated).toBe(true);
    // The organisation, its 10 members, the phone (2 links away), then persons 3 links away.
    expect(answer.subjects.slice(0, 12).map((s) => s.id)).toEqual([id('org'), ...Array.from({ length: 10 }, (_, i) => pid(i)), id('phone')]);
    expect(linksAmongSubjects(answer)).toBe(true);
  });

  it('answers a path between two persons through the hub', async () => {
    const res = await as<{ connectionPath: { length: number; subjects: { id: string }[] } }>(
      id('cAnalyst'),
      `query($a: ID!, $b: ID!) { connectionPath(fromId: $a, toId: $b, maxHops: 6) { length subjects { id } } }`,
      { a: pid(42), b: pid(9_999) },
    );
    expect(expectOk(res).connectionPath).toEqual({ length: 2, subjects: [{ id: pid(42) }, { id: id('phone') }, { id: pid(9_999) }] });
  });

  it("cuts the export at the request's time budget (REQUEST_TIMEOUT_MS) as it cuts the GraphQL field: 504 TIMEOUT", { timeout: 120_000 }, async () => {
    // 2,000 subjects and links take far longer than 10 ms to read, decode and audit.
    const short = await startTestHub({ env: { REQUEST_TIMEOUT_MS: '10' } });
    try {
      const token = await short.token(id('cAnalyst'));
      const exported = await fetch(`${short.hub.url.replace(/\/graphql$/, '')}/export/network?subjectId=${id('phone')}&depth=1&limit=2000&format=json`, {
        headers: { authorization: `Bearer ${token}` },
      });
      expect(exported.status).toBe(504);
      expect(((await exported.json()) as { errors: { extensions: { code: string } }[] }).errors[0].extensions.code).toBe('TIMEOUT');
      const field = await short.gql(token, NETWORK, { id: id('phone'), depth: 1, limit: 2000 });
      expect(field.status).toBe(504);
      expect(field.errors?.[0].extensions?.code).toBe('TIMEOUT');
    } finally {
      await short.stop();
    }
  });
});
