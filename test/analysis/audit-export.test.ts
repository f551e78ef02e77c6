import { describe, expect, it } from 'vitest';
import { toGraphml } from '../../src/graph/network-export';
import { expectOk, type Caller } from '../support/actors';
import { analysisHub } from './network-world';

/**
 * The audit of analysis answers (issue 9, point 8) and the network export (point 5): every
 * report whose link an answer disclosed is in its owner's accessLog by the time the answer
 * arrives; the export applies the same token, rule and audit as subjectNetwork.
 */
const { id, hub } = analysisHub('netexport');
const as: Caller = (...args) => hub.as(...args);

const ACCESS_LOG = `query($id: ID!) { accessLog(itemId: $id, first: 100) { edges { node { officerId action outcome detail } } } }`;
type ErrorBody = { errors: { message: string; extensions: { code: string; problems?: { field: string }[] } }[] };
type Event = { officerId: string; action: string; outcome: string; detail: string | null };

async function trail(reportName: string): Promise<Event[]> {
  const data = expectOk(await as<{ accessLog: { edges: { node: Event }[] } }>(id('bAdmin'), ACCESS_LOG, { id: id(reportName) }));
  return data.accessLog.edges.map((e) => e.node);
}

const read = (officer: string, detail: string) => ({ officerId: id(officer), action: 'READ', outcome: 'GRANTED', detail });

async function exportNetwork(token: string | null, query: string): Promise<Response> {
  return fetch(`${hub.t.hub.url.replace(/\/graphql$/, '')}/export/network?${query}`, { headers: token ? { authorization: `Bearer ${token}` } : {} });
}

describe('analysis answers are on the record', () => {
  it('a network answer records a read of each report whose link it disclosed, and of no other', async () => {
    expectOk(await as(id('cAnalyst'), `query($id: ID!) { subjectNetwork(subjectId: $id, depth: 1) { links { id } } }`, { id: id('B') }));
    expect(await trail('rAB')).toContainEqual(read('cAnalyst', 'subjectNetwork'));
    expect(await trail('rBC')).toContainEqual(read('cAnalyst', 'subjectNetwork'));
    expect((await trail('rCD')).filter((e) => e.officerId === id('cAnalyst'))).toEqual([]);
    expect((await trail('rHidden')).filter((e) => e.officerId === id('cAnalyst'))).toEqual([]);
  });

  it('a path answer records a read of each report along the path', async () => {
    expectOk(await as(id('cAnalyst'), `query($a: ID!, $b: ID!) { connectionPath(fromId: $a, toId: $b) { length } }`, { a: id('C'), b: id('E') }));
    expect(await trail('rCD')).toContainEqual(read('cAnalyst', 'connectionPath'));
    expect(await trail('rDE')).toContainEqual(read('cAnalyst', 'connectionPath'));
  });
});

describe('GET /export/network', () => {
  it('exports the same network as subjectNetwork, as a JSON graph with kinds and the asserting report, and records the export', async () => {
    const token = await hub.t.token(id('cAnalyst'));
    const res = await exportNetwork(token, `subjectId=${id('A')}&depth=3&format=json`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    expect(res.headers.get('content-disposition')).toMatch(/attachment; filename="network-.*\.json"/);
    const graph = (await res.json()) as { truncated: boolean; nodes: { id: string; kind: string; distance: number }[]; links: { id: string; kind: string; source: string; target: string; report: string }[] };
    const answer = expectOk(await as<{ subjectNetwork: { subjects: { id: string }[]; links: { id: string }[] } }>(
      id('cAnalyst'), `query($id: ID!) { subjectNetwork(subjectId: $id, depth: 3) { subjects { id } links { id } } }`, { id: id('A') },
    )).subjectNetwork;
    expect(graph.nodes.map((n) => n.id)).toEqual(answer.subjects.map((s) => s.id));
    expect(graph.links.map((l) => l.id)).toEqual(answer.links.map((l) => l.id));
    expect(graph.nodes.map((n) => n.distance)).toEqual([0, 1, 2, 3]);
    expect(graph.links[0]).toEqual({ id: id('lAB'), kind: 'ASSOCIATE_OF', source: id('A'), target: id('B'), report: id('rAB') });
    expect(graph.nodes[0].kind).toBe('PERSON');
    expect(await trail('rCD')).toContainEqual(read('cAnalyst', 'export'));
  });

  it('exports GraphML with one node per subject and one edge per visible link', async () => {
    const res = await exportNetwork(await hub.t.token(id('bOfficer')), `subjectId=${id('A')}&depth=1`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/graphml\+xml/);
    const body = await res.text();
    expect(body).toMatch(/^<\?xml version="1.0" encoding="UTF-8"\?>\n<graphml xmlns="http:\/\/graphml.graphdrawing.org\/xmlns"/);
    expect([...body.matchAll(/<node id="([^"]+)">/g)].map((m) => m[1])).toEqual([id('A'), id('B'), id('E')]);
    expect([...body.matchAll(/<edge id="([^"]+)" source="([^"]+)" target="([^"]+)">/g)].map((m) => m.slice(1))).toEqual([
      [id('lAB'), id('A'), id('B')],
      [id('lAE'), id('E'), id('A')],
    ]);
  });

  it('answers an invisible subject exactly like an unknown one: 404 NOT_FOUND', async () => {
    const token = await hub.t.token(id('cAnalyst'));
    const invisible = await exportNetwork(token, `subjectId=${id('H')}`);
    const unknown = await exportNetwork(token, `subjectId=${id('nobody')}`);
    expect([invisible.status, unknown.status]).toEqual([404, 404]);
    const [a, b] = [(await invisible.json()) as ErrorBody, (await unknown.json()) as ErrorBody];
    expect(JSON.stringify(a).replace(id('H'), '<id>')).toBe(JSON.stringify(b).replace(id('nobody'), '<id>'));
    expect(a.errors[0].extensions.code).toBe('NOT_FOUND');
  });

  it('requires a valid token: 401 UNAUTHENTICATED', async () => {
    const res = await exportNetwork(null, `subjectId=${id('A')}`);
    expect(res.status).toBe(401);
    expect(((await res.json()) as ErrorBody).errors[0].extensions.code).toBe('UNAUTHENTICATED');
  });

  it('refuses a depth beyond 3, a missing subject and an unknown format with 400 BAD_USER_INPUT naming each', async () => {
    const res = await exportNetwork(await hub.t.token(id('cAnalyst')), 'depth=4&format=csv');
    expect(res.status).toBe(400);
    const body = (await res.json()) as ErrorBody;
    expect(body.errors[0].extensions.code).toBe('BAD_USER_INPUT');
    expect(body.errors[0].extensions.problems!.map((p) => p.field)).toEqual(['subjectId', 'depth', 'format']);
  });

  it('escapes names in GraphML', () => {
    const subject = { id: 'x&1', kind: 'ORGANIZATION', name: `O'Brien & <Sons>`, redactedFields: [] } as never;
    const body = toGraphml({ startId: 'x&1', depth: 1, truncated: false, members: [{ subject, distance: 0 }], links: [] });
    expect(body).toContain(`<node id="x&amp;1"><data key="kind">ORGANIZATION</data><data key="label">O&apos;Brien &amp; &lt;Sons&gt;</data>`);
  });
});
