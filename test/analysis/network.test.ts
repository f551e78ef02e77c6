import { describe, expect, it } from 'vitest';
import { expectCode, expectOk, type Caller } from '../support/actors';
import { analysisHub } from './network-world';

/**
 * subjectNetwork, brokers and connectionPath through the real hub (DESIGN §4, "Analysis"), on
 * the small world of network-world.ts: XC's analyst sees the chain A…E; XB's officer also sees
 * the shortcut A ─ E.
 */
const { id, hub } = analysisHub('network');
const as: Caller = (...args) => hub.as(...args);

const NETWORK = `query($id: ID!, $depth: Int, $limit: Int, $first: Int) {
  subjectNetwork(subjectId: $id, depth: $depth, limit: $limit) {
    truncated subjects { id } links { id from { id } to { id } report { id } }
    brokers(first: $first) { subject { id } betweenness degree }
  } }`;
const PATH = `query($from: ID!, $to: ID!, $hops: Int) {
  connectionPath(fromId: $from, toId: $to, maxHops: $hops) { length subjects { id } links { id from { id } to { id } } } }`;
const RELEASE = `mutation($id: ID!, $rel: ReleasabilityInput!) { setReleasability(reportId: $id, releasability: $rel) { id } }`;

interface NetworkAnswer {
  truncated: boolean;
  subjects: { id: string }[];
  links: { id: string; from: { id: string }; to: { id: string }; report: { id: string } }[];
  brokers: { subject: { id: string }; betweenness: number; degree: number }[];
}
interface PathAnswer {
  length: number;
  subjects: { id: string }[];
  links: { id: string; from: { id: string }; to: { id: string } }[];
}

async function network(officer: string, subject: string, variables: Record<string, unknown> = {}): Promise<NetworkAnswer | null> {
  return expectOk(await as<{ subjectNetwork: NetworkAnswer | null }>(id(officer), NETWORK, { id: id(subject), ...variables })).subjectNetwork;
}

async function path(officer: string, from: string, to: string, hops?: number): Promise<PathAnswer | null> {
  return expectOk(await as<{ connectionPath: PathAnswer | null }>(id(officer), PATH, { from: id(from), to: id(to), hops })).connectionPath;
}

const names = (list: { id: string }[]) => list.map((x) => x.id.slice(x.id.lastIndexOf('-') + 1));

describe('subjectNetwork', () => {
  it('returns the subjects within depth links, nearest first, over visible links only', async () => {
    const seen = await network('cAnalyst', 'A', { depth: 2 });
    expect(names(seen!.subjects)).toEqual(['A', 'B', 'C']);
    expect(names(seen!.links)).toEqual(['lAB', 'lBC']);
    expect(seen!.truncated).toBe(false);
  });

  it('uses a link the viewer may see (the shortcut) and leaves out links between two subjects exactly depth away', async () => {
    const seen = await network('bOfficer', 'A', { depth: 2 });
    // B and E at 1; C (via B) and D (via E) at 2: the link C ─ D joins two subjects both 2 away.
    expect(names(seen!.subjects)).toEqual(['A', 'B', 'E', 'C', 'D']);
    expect(names(seen!.links).sort()).toEqual(['lAB', 'lAE', 'lBC', 'lDE']);
  });

  it('ignores link direction', async () => {
    // lAE points from E to A: reached from either end.
    expect(names((await network('bOfficer', 'E', { depth: 1 }))!.subjects)).toEqual(['E', 'A', 'D']);
  });

  it('caps the subjects at limit, nearest first, marks the answer truncated and keeps only links among the subjects kept', async () => {
    const seen = await network('cAnalyst', 'A', { depth: 3, limit: 3 });
    expect(names(seen!.subjects)).toEqual(['A', 'B', 'C']);
    expect(names(seen!.links)).toEqual(['lAB', 'lBC']);
    expect(seen!.truncated).toBe(true);
  });

  it('is not truncated when the limit holds exactly every subject within depth', async () => {
    const seen = await network('cAnalyst', 'A', { depth: 3, limit: 4 });
    expect(names(seen!.subjects)).toEqual(['A', 'B', 'C', 'D']);
    expect(seen!.truncated).toBe(false);
  });

  it('answers null for an invisible start subject, exactly as for an unknown one', async () => {
    const invisible = await as(id('cAnalyst'), NETWORK, { id: id('H') });
    const unknown = await as(id('cAnalyst'), NETWORK, { id: id('nobody') });
    expect(invisible).toEqual(unknown);
    expect(invisible.data).toEqual({ subjectNetwork: null });
    // The owner country sees it.
    expect(names((await network('bOfficer', 'H', { depth: 1 }))!.subjects)).toEqual(['H']);
  });

  it('answers null to a principal whose roles read no content (oversight)', async () => {
    expect(await network('fOversight', 'A')).toBeNull();
  });

  it('ranks brokers by betweenness centrality within the network answered', async () => {
    const seen = await network('cAnalyst', 'C', { depth: 2, first: 3 });
    // The path A ─ B ─ C ─ D ─ E: C lies on the shortest paths of 4 pairs, B and D on 3 each.
    expect(seen!.brokers).toEqual([
      { subject: { id: id('C') }, betweenness: 4, degree: 2 },
      { subject: { id: id('B') }, betweenness: 3, degree: 2 },
      { subject: { id: id('D') }, betweenness: 3, degree: 2 },
    ]);
  });

  it('computes brokers on the network the viewer sees: the shortcut makes a cycle of five, where every subject is equal', async () => {
    const seen = await network('bOfficer', 'C', { depth: 3, first: 5 });
    expect(seen!.brokers.map((b) => b.betweenness)).toEqual([1, 1, 1, 1, 1]);
  });
});

describe('connectionPath', () => {
  it('never takes a hidden shortcut: the longer visible path is returned', async () => {
    const found = await path('cAnalyst', 'A', 'E', 6);
    expect(found!.length).toBe(4);
    expect(names(found!.subjects)).toEqual(['A', 'B', 'C', 'D', 'E']);
    expect(names(found!.links)).toEqual(['lAB', 'lBC', 'lCD', 'lDE']);
    // links[k] joins subjects[k] and subjects[k+1], whatever the direction the link was stored in.
    found!.links.forEach((link, k) => {
      expect([link.from.id, link.to.id].sort()).toEqual([found!.subjects[k].id, found!.subjects[k + 1].id].sort());
    });
  });

  it('takes the shortcut for a viewer who may see it', async () => {
    const found = await path('bOfficer', 'A', 'E');
    expect(found).toMatchObject({ length: 1, links: [{ id: id('lAE') }] });
    expect(names(found!.subjects)).toEqual(['A', 'E']);
  });

  it('answers null when the only visible path is longer than maxHops, even though a hidden shorter one exists', async () => {
    expect(await path('cAnalyst', 'A', 'E', 3)).toBeNull();
  });

  it('answers null when an end is invisible, exactly as for an unknown subject', async () => {
    const invisible = await as(id('cAnalyst'), PATH, { from: id('A'), to: id('H') });
    const unknown = await as(id('cAnalyst'), PATH, { from: id('A'), to: id('nobody') });
    expect(invisible).toEqual(unknown);
    expect(invisible.data).toEqual({ connectionPath: null });
  });

  it('answers a path of length 0 from a visible subject to itself', async () => {
    expect(await path('cAnalyst', 'B', 'B')).toEqual({ length: 0, subjects: [{ id: id('B') }], links: [] });
  });
});

describe('hiding one link', () => {
  it('removes exactly the paths and network members reached through it, and restoring it brings them back', async () => {
    const before = await network('cAnalyst', 'A', { depth: 3 });
    expect(names(before!.subjects)).toEqual(['A', 'B', 'C', 'D']);
    expectOk(await as(id('bAdmin'), RELEASE, { id: id('rCD'), rel: { mode: 'DENY', countries: ['XC'] } }));
    try {
      const after = await network('cAnalyst', 'A', { depth: 3 });
      expect(names(after!.subjects)).toEqual(['A', 'B', 'C']);
      expect(names(after!.links)).toEqual(['lAB', 'lBC']);
      expect(await path('cAnalyst', 'A', 'E', 6)).toBeNull();
      // Paths that do not use the link are untouched.
      expect((await path('cAnalyst', 'A', 'C'))!.length).toBe(2);
      expect((await path('cAnalyst', 'D', 'E'))!.length).toBe(1);
      // The owner country still sees everything.
      expect((await path('bOfficer', 'B', 'D'))!.length).toBe(2);
    } finally {
      expectOk(await as(id('bAdmin'), RELEASE, { id: id('rCD'), rel: { mode: 'NETWORK', countries: [] } }));
    }
    expect(names((await network('cAnalyst', 'A', { depth: 3 }))!.subjects)).toEqual(['A', 'B', 'C', 'D']);
    expect((await path('cAnalyst', 'A', 'E', 6))!.length).toBe(4);
  });
});

describe('hard caps', () => {
  const cases: [string, string, Record<string, unknown>, string][] = [
    ['depth above 3', NETWORK, { id: 'A', depth: 4 }, 'depth'],
    ['depth below 1', NETWORK, { id: 'A', depth: 0 }, 'depth'],
    ['limit above 2,000', NETWORK, { id: 'A', limit: 2001 }, 'limit'],
    ['limit below 1', NETWORK, { id: 'A', limit: 0 }, 'limit'],
    ['brokers first below 1', NETWORK, { id: 'A', first: 0 }, 'first'],
    ['maxHops above 6', PATH, { from: 'A', to: 'E', hops: 7 }, 'maxHops'],
    ['maxHops below 1', PATH, { from: 'A', to: 'E', hops: 0 }, 'maxHops'],
  ];
  it.each(cases)('%s is BAD_USER_INPUT naming the argument, with HTTP 400', async (_name, query, raw, field) => {
    const variables = Object.fromEntries(Object.entries(raw).map(([k, v]) => [k, typeof v === 'string' ? id(v) : v]));
    const res = await as(id('cAnalyst'), query, variables);
    expectCode(res, 'BAD_USER_INPUT');
    expect(res.errors![0].extensions!.problems).toEqual([expect.objectContaining({ field })]);
    expect(res.status).toBe(400);
  });
});
