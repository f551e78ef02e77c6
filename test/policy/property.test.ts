import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importFile } from '../../src/graph/import';
import { testDb, uniquePrefix } from '../support/db';
import { startTestHub, type TestHub } from '../support/hub';
import { CODES, feedOrder, materialise, modelSees, modelSeesOperation, worldSpec, type Viewer, type World } from './world-model';
import { checkSearch, searchReads } from './world-model-search';
import { modelCorridors, modelNetwork, modelPathLength, visibleLinks, withAnalysis, type AnalysisWorld, type ModelCorridor } from './world-model-analysis';

/**
 * The sharing rule, proven on random worlds: each world is loaded into the real Neo4j, and for
 * every principal each read path of the API returns exactly what the model of DESIGN §3
 * (world-model.ts) says. POLICY_WORLDS sets how many worlds (CI: 200).
 */
const WORLDS = Number(process.env.POLICY_WORLDS ?? 200);
const base = uniquePrefix('prop');
let t: TestHub;
let worldCount = 0;

beforeAll(async () => {
  // One request reads every path of a world for a principal: far above any client's size, so
  // its time budget is the test's, not production's (a loaded CI machine must not cut it).
  t = await startTestHub({
    env: { MAX_QUERY_ALIASES: '500', MAX_QUERY_COMPLEXITY: '100000000', MAX_QUERY_DEPTH: '20', REQUEST_TIMEOUT_MS: '600000', NEO4J_TX_TIMEOUT_MS: '600000' },
  });
});

afterAll(async () => {
  await clearWorlds();
  await t?.stop();
});

async function clearWorlds(): Promise<void> {
  const db = await testDb();
  await db.write({ cypher: 'MATCH (n) WHERE n.id STARTS WITH $base DETACH DELETE n', params: { base } });
  await db.write({ cypher: 'MATCH (c:Country)-[s:SHARES_WITH]->() WHERE c.code IN $codes DELETE s', params: { codes: [...CODES] } });
}

async function load(world: World): Promise<void> {
  await clearWorlds();
  await importFile(await testDb(), world.file);
}

const alias = (prefix: string, i: number) => `${prefix}${i}`;

/** One request per principal reads every path at once; aliases keep the answers apart. */
function readEverything(world: World): string {
  const reports = world.reports
    .map((r, i) => `${alias('r', i)}: intelReport(id: "${r.id}") { id owner { code } subjects { id } links { id } }`)
    .join('\n');
  const subjects = world.subjects
    .map((s, i) => `${alias('s', i)}: subject(id: "${s}") { id reports(first: 50) { totalCount edges { node { id } } } links { id } }`)
    .join('\n');
  const operations = world.operations
    .map(
      (op, i) =>
        `${alias('o', i)}: operation(id: "${op.id}") { id updates(first: 50) { totalCount edges { node { id } } } reports(first: 50) { totalCount edges { node { id } } } }`,
    )
    .join('\n');
  // Owner and subjects are embedded in the page's statement (src/graph/includes.ts), which reads
  // only the report and subject columns selected: the owner-only source must stay redacted.
  const feeds = CODES.map((code) => `feed${code}: intelReports(filter: { owner: "${code}" }, first: 50) { totalCount edges { node {
    id sourceDescription redactedFields owner { code } subjects { id ... on Organization { name } } } } }
  source${code}: intelReports(filter: { owner: "${code}" }, first: 50) { edges { node { id sourceDescription redactedFields } } }`).join('\n');
  // The root list of this world's operations (codenames are the ids), its children embedded.
  // `<world>-op` matches this world's operations only (not those of `<world>0…`).
  const operationList = `operationList: operations(filter: { codename: "${world.file.operations?.[0]?.id.replace(/-op\d+$/, '-op') ?? 'none'}" }, first: 50) {
    totalCount edges { node { id participants { code units { id officers(first: 50) { edges { node { id name } } } } } } } }`;
  // What a gateway sends: entity references, resolved through the same loaders as root fields.
  const entities = '_entities(representations: $representations) { ... on IntelReport { id } ... on Operation { id } }';
  // Search (issue 10): its own block, checked by world-model-search.ts.
  const search = searchReads(base);
  return `query($representations: [_Any!]!) { ${reports}\n${subjects}\n${operations}\n${feeds}\n${operationList}\n${entities}\n${search} }`;
}

function representations(world: World): { __typename: string; id: string }[] {
  return [
    ...world.reports.map((r) => ({ __typename: 'IntelReport', id: r.id })),
    ...world.operations.map((op) => ({ __typename: 'Operation', id: op.id })),
  ];
}

type Connection = { totalCount: number; edges: { node: { id: string } }[] };
type Node = { id: string; owner?: { code: string }; subjects?: { id: string; name?: string }[]; sourceDescription?: string | null; redactedFields?: string[] };
type ReportConnection = { totalCount: number; edges: { node: Node }[] };
type OperationList = { totalCount: number; edges: { node: { id: string; participants: { code: string; units: { id: string; officers: Connection }[] }[] } }[] };
type Everything = { _entities?: ({ id: string } | null)[]; operationList?: OperationList } & Record<
  string,
  ({ id: string; owner?: { code: string }; subjects?: { id: string }[]; links: { id: string }[]; reports?: Connection; updates?: Connection } & ReportConnection) | null
>;

const ids = (connection: Connection) => connection.edges.map((e) => e.node.id);

function checkViewer(world: World, viewer: Viewer, data: Everything): void {
  const sees = (item: World['reports'][number] | World['updates'][number]) => modelSees(world, viewer, item);
  const visibleReports = world.reports.filter(sees);
  const visibleIds = new Set(visibleReports.map((r) => r.id));

  world.reports.forEach((report, i) => {
    const got = data[alias('r', i)];
    if (!visibleIds.has(report.id)) {
      expect(got, `report ${report.id}`).toBeNull();
      return;
    }
    expect(got?.id).toBe(report.id);
    expect(got!.owner?.code).toBe(report.owner);
    expect(got!.subjects!.map((s) => s.id).sort()).toEqual([...report.subjects].sort());
    expect(got!.links.map((l) => l.id).sort()).toEqual(world.links.filter((l) => l.report === report.id).map((l) => l.id).sort());
  });

  world.subjects.forEach((subject, i) => {
    const got = data[alias('s', i)];
    const concerning = visibleReports.filter((r) => r.subjects.includes(subject)).sort(feedOrder);
    if (!concerning.length) {
      expect(got, `subject ${subject}`).toBeNull();
      return;
    }
    expect(ids(got!.reports!)).toEqual(concerning.map((r) => r.id));
    expect(got!.reports!.totalCount).toBe(concerning.length);
    const links = world.links.filter((l) => visibleIds.has(l.report) && (l.from === subject || l.to === subject));
    expect(got!.links.map((l) => l.id).sort()).toEqual(links.map((l) => l.id).sort());
  });

  world.operations.forEach((op, i) => {
    const got = data[alias('o', i)];
    if (!modelSeesOperation(viewer, op)) {
      expect(got, `operation ${op.id}`).toBeNull();
      return;
    }
    const updates = world.updates.filter((u) => u.operation === op.id && sees(u)).map((u) => u.id);
    expect(ids(got!.updates!).sort()).toEqual(updates.sort());
    expect(got!.updates!.totalCount).toBe(updates.length);
    const scoped = visibleReports.filter((r) => r.operation === op.id).sort(feedOrder).map((r) => r.id);
    expect(ids(got!.reports!)).toEqual(scoped);
    expect(got!.reports!.totalCount).toBe(scoped.length);
  });

  const expectedEntities = [
    ...world.reports.map((r) => (visibleIds.has(r.id) ? { id: r.id } : null)),
    ...world.operations.map((op) => (modelSeesOperation(viewer, op) ? { id: op.id } : null)),
  ];
  expect(data._entities, '_entities').toEqual(expectedEntities);

  for (const code of CODES) {
    const feed = data[`feed${code}`]!;
    const expected = visibleReports.filter((r) => r.owner === code).sort(feedOrder).map((r) => r.id);
    // Other test files never use these country codes, so the feed holds this world only.
    expect(ids(feed)).toEqual(expected);
    expect(feed.totalCount).toBe(expected.length);
    const byId = new Map(visibleReports.map((r) => [r.id, r]));
    for (const { node } of feed.edges) {
      expect(node.owner?.code, `owner of ${node.id}`).toBe(code);
      expect(node.subjects!.map((s) => s.id), `subjects of ${node.id}`).toEqual([...byId.get(node.id)!.subjects].sort());
      // The subjects' names are their ids in the world file.
      expect(node.subjects!.map((s) => s.name), `subject names of ${node.id}`).toEqual([...byId.get(node.id)!.subjects].sort());
      const ownCountry = viewer.kind === 'officer' && viewer.officer.country === code;
      expect(node.sourceDescription, `source of ${node.id}`).toBe(ownCountry ? `source of ${node.id}` : null);
      expect(node.redactedFields, `redacted fields of ${node.id}`).toEqual(ownCountry ? [] : ['sourceDescription']);
    }
    // The same page without the owner selected: redaction still knows the owner.
    const source = data[`source${code}`]!;
    expect(ids(source)).toEqual(expected);
    const ownCountry = viewer.kind === 'officer' && viewer.officer.country === code;
    for (const { node } of source.edges) {
      expect(node.sourceDescription, `source of ${node.id} (owner not selected)`).toBe(ownCountry ? `source of ${node.id}` : null);
      expect(node.redactedFields, `redacted fields of ${node.id} (owner not selected)`).toEqual(ownCountry ? [] : ['sourceDescription']);
    }
  }

  // Operations the viewer may see, and under them the directory (not items: as in the file).
  const seenOperations = world.operations.filter((op) => modelSeesOperation(viewer, op)).sort((a, b) => (a.id < b.id ? -1 : 1));
  const list = data.operationList!;
  expect(list.edges.map((e) => e.node.id), 'operations list').toEqual(seenOperations.slice(0, 50).map((op) => op.id));
  expect(list.totalCount).toBe(seenOperations.length);
  const units = world.file.units ?? [];
  const officers = world.file.officers ?? [];
  for (const { node } of list.edges) {
    const op = seenOperations.find((o) => o.id === node.id)!;
    const expected = [...op.participants].sort().map((code) => ({
      code,
      units: units.filter((u) => u.country === code).map((u) => ({
        id: u.id,
        // An officer's name is its id in these worlds.
        officers: { edges: officers.filter((o) => o.unit === u.id).map((o) => o.id).sort().slice(0, 50).map((id) => ({ node: { id, name: id } })) },
      })),
    }));
    expect(node.participants, `participants of ${node.id}`).toEqual(expected);
  }
}

/**
 * Invisible and unknown ids must fail the same way on the write path too. A failing mutation
 * field nulls the whole response, so each id gets its own request (a few per principal).
 */
async function checkErrorsLookAlike(world: World, viewer: Viewer & { kind: 'officer' }, token: string): Promise<void> {
  const hidden = world.reports.filter((r) => !modelSees(world, viewer, r)).slice(0, 3);
  if (!hidden.length) return;
  const attempt = async (id: string) => {
    const res = await t.gql(token, `mutation($id: ID!) { updateIntelReport(id: $id, patch: { title: "x" }) { id } }`, { id });
    expect(res.data ?? null).toBeNull();
    return { code: res.errors?.[0].extensions?.code, message: res.errors?.[0].message.replace(id, '<id>') };
  };
  const unknown = await attempt(`${world.reports[0].id}-unknown`);
  const readsContent = viewer.officer.status === 'ACTIVE' && viewer.officer.roles.some((r) => ['OFFICER', 'COORDINATOR', 'ANALYST', 'NCB_ADMIN'].includes(r));
  expect(unknown.code).toBe(readsContent ? 'NOT_FOUND' : 'FORBIDDEN');
  for (const report of hidden) expect(await attempt(report.id), `update of hidden ${report.id}`).toEqual(unknown);
}

describe('the sharing rule on random worlds', () => {
  it(`every read path returns exactly what DESIGN §3 allows, for every principal (${WORLDS} worlds)`, { timeout: 1_800_000 }, async () => {
    await fc.assert(
      fc.asyncProperty(worldSpec, async (spec) => {
        const world = materialise(spec, `${base}-w${worldCount++}`);
        await load(world);
        const query = readEverything(world);
        const viewers: Viewer[] = [...world.officers.map((officer) => ({ kind: 'officer' as const, officer })), { kind: 'partner' }];
        // Principals are independent: read for all of them at once.
        await Promise.all(
          viewers.map(async (viewer, index) => {
            const token = await t.token(viewer.kind === 'partner' ? `partner:${world.partnerId}` : viewer.officer.id);
            const res = await t.gql<Everything>(token, query, { representations: representations(world) });
            if (viewer.kind === 'officer' && viewer.officer.status === 'SUSPENDED') {
              expect(res.errors?.[0].extensions?.code).toBe('FORBIDDEN');
              expect(res.data ?? null).toBeNull();
              return;
            }
            expect(res.errors).toBeUndefined();
            checkViewer(world, viewer, res.data!);
            checkSearch(world, viewer, res.data!);
            // The write path's errors for a rotating pair of principals per world.
            if (viewer.kind === 'officer' && (index + worldCount) % 3 === 0) await checkErrorsLookAlike(world, viewer, token);
          }),
        );
      }),
      { numRuns: WORLDS, endOnFailure: true },
    );
    expect(worldCount).toBeGreaterThanOrEqual(WORLDS);
  });
});

/* ------------------------------------------------------------ network analysis (issue 9) */

/**
 * subjectNetwork, connectionPath and corridors on random worlds, for every principal, against
 * the model in world-model-analysis.ts. ANALYSIS_WORLDS sets how many worlds (CI: 12;
 * each world costs ~30 queries per principal).
 */
const ANALYSIS_WORLDS = Number(process.env.ANALYSIS_WORLDS ?? 12);
/** Every depth in full, and one truncated case: each root field is a query of its own. */
const NETWORK_CASES: [number, number][] = [[1, 200], [2, 200], [3, 200], [3, 2]];

function readAnalysis(world: AnalysisWorld): string {
  const networks = world.subjects.flatMap((s, i) =>
    NETWORK_CASES.map(([depth, limit]) => `${alias(`n${depth}x${limit}s`, i)}: subjectNetwork(subjectId: "${s}", depth: ${depth}, limit: ${limit}) { truncated subjects { id } links { id } }`),
  );
  const paths = pathPairs(world).map(
    ([i, j]) => `p${i}x${j}: connectionPath(fromId: "${world.subjects[i]}", toId: "${world.subjects[j]}", maxHops: 3) { length subjects { id } links { id from { id } to { id } } }`,
  );
  const corridor = 'origin transit destination month reports persons lastSeen';
  return `{ ${networks.join('\n')}\n${paths.join('\n')}
  corridorsAll: corridors { ${corridor} }
  corridorsByMonth: corridors(byMonth: true) { ${corridor} }
  corridorsSince: corridors(since: "${world.since}") { ${corridor} } }`;
}

type AnalysisAnswer = Record<string, unknown>;
/** Each unordered pair once, alternating its direction, and each subject to itself. */
const pathPairs = (world: World): [number, number][] =>
  world.subjects.flatMap((_, i) => world.subjects.map((_s, j) => [i, j] as [number, number]).filter(([a, b]) => a === b || (a < b) === ((a + b) % 2 === 0)));
const inWorld = (rows: ModelCorridor[]) => rows.filter((r) => (CODES as readonly string[]).includes(r.origin) && (CODES as readonly string[]).includes(r.destination));
const byRoute = (rows: ModelCorridor[]) => [...rows].sort((a, b) => (JSON.stringify(a) < JSON.stringify(b) ? -1 : 1));
const instant = (rows: ModelCorridor[]) => rows.map((r) => ({ ...r, lastSeen: new Date(r.lastSeen).toISOString() }));

function checkAnalysis(world: AnalysisWorld, viewer: Viewer, data: AnalysisAnswer): void {
  world.subjects.forEach((s, i) => {
    for (const [depth, limit] of NETWORK_CASES) {
      const got = data[alias(`n${depth}x${limit}s`, i)] as { truncated: boolean; subjects: { id: string }[]; links: { id: string }[] } | null;
      const answer = got && { subjects: got.subjects.map((x) => x.id), links: got.links.map((l) => l.id).sort(), truncated: got.truncated };
      expect(answer, `network of ${s}, depth ${depth}, limit ${limit}`).toEqual(modelNetwork(world, viewer, s, depth, limit));
    }
  });
  const visible = new Set(visibleLinks(world, viewer).map((l) => l.id));
  for (const [i, j] of pathPairs(world)) {
    const [from, to] = [world.subjects[i], world.subjects[j]];
    const got = data[`p${i}x${j}`] as { length: number; subjects: { id: string }[]; links: { id: string; from: { id: string }; to: { id: string } }[] } | null;
    expect(got?.length ?? null, `path ${from} → ${to}`).toBe(modelPathLength(world, viewer, from, to, 3));
    if (!got) continue;
    expect(got.subjects[0].id).toBe(from);
    expect(got.subjects.at(-1)!.id).toBe(to);
    got.links.forEach((link, k) => {
      expect(visible.has(link.id), `link ${link.id} is visible`).toBe(true);
      expect([link.from.id, link.to.id].sort()).toEqual([got.subjects[k].id, got.subjects[k + 1].id].sort());
    });
  }
  const corridorCases: [string, ModelCorridor[]][] = [
    ['corridorsAll', modelCorridors(world, viewer)],
    ['corridorsByMonth', modelCorridors(world, viewer, { byMonth: true })],
    ['corridorsSince', modelCorridors(world, viewer, { since: world.since })],
  ];
  for (const [field, expected] of corridorCases) {
    const got = inWorld(data[field] as ModelCorridor[]);
    expect(byRoute(got), field).toEqual(byRoute(instant(expected)));
    // Most reports first.
    expect(got.map((r) => r.reports)).toEqual([...got.map((r) => r.reports)].sort((a, b) => b - a));
  }
}

/**
 * GET /export/network, the same network as a file: for each subject of the world, the JSON graph
 * holds exactly the model's network (one depth and limit per subject, rotating through the
 * cases), its GraphML the same nodes and edges, and a subject the viewer may not see is the same
 * 404 as a subject that does not exist — body and all.
 */
async function checkExports(world: AnalysisWorld, viewer: Viewer, token: string): Promise<void> {
  const root = t.hub.url.replace(/\/graphql$/, '');
  const get = (subjectId: string, depth: number, limit: number, format: 'json' | 'graphml') =>
    fetch(`${root}/export/network?${new URLSearchParams({ subjectId, depth: String(depth), limit: String(limit), format })}`, { headers: { authorization: `Bearer ${token}` } });
  const missingId = `${world.subjects[0]}-missing`;
  const missing = await get(missingId, 1, 200, 'json');
  expect(missing.status).toBe(404);
  const missingBody = (await missing.text()).replaceAll(missingId, '<id>');
  expect(JSON.parse(missingBody).errors[0].extensions.code).toBe('NOT_FOUND');
  for (const [i, s] of world.subjects.entries()) {
    const [depth, limit] = NETWORK_CASES[i % NETWORK_CASES.length];
    const expected = modelNetwork(world, viewer, s, depth, limit);
    const [json, graphml] = await Promise.all([get(s, depth, limit, 'json'), get(s, depth, limit, 'graphml')]);
    if (!expected) {
      for (const res of [json, graphml]) {
        expect(res.status, `export of invisible ${s}`).toBe(404);
        expect((await res.text()).replaceAll(s, '<id>'), `export of invisible ${s} reads as a missing subject`).toBe(missingBody);
      }
      continue;
    }
    expect(json.status, `export of ${s}`).toBe(200);
    const graph = (await json.json()) as { truncated: boolean; nodes: { id: string }[]; links: { id: string; report: string }[] };
    expect({ subjects: graph.nodes.map((n) => n.id), links: graph.links.map((l) => l.id).sort(), truncated: graph.truncated }, `export of ${s}, depth ${depth}, limit ${limit}`).toEqual(expected);
    const xml = await graphml.text();
    expect(graphml.status).toBe(200);
    expect([...xml.matchAll(/<node id="([^"]+)"/g)].map((m) => m[1])).toEqual(expected.subjects);
    expect([...xml.matchAll(/<edge id="([^"]+)"/g)].map((m) => m[1]).sort()).toEqual(expected.links);
  }
}

describe('network analysis on random worlds', () => {
  it(`subjectNetwork, connectionPath and corridors answer exactly over the links and reports DESIGN §3 allows, for every principal (${ANALYSIS_WORLDS} worlds)`, { timeout: 1_800_000 }, async () => {
    let analysed = 0;
    await fc.assert(
      fc.asyncProperty(worldSpec, async (spec) => {
        const world = withAnalysis(materialise(spec, `${base}-a${worldCount++}`));
        await load(world);
        const query = readAnalysis(world);
        const viewers: Viewer[] = [...world.officers.map((officer) => ({ kind: 'officer' as const, officer })), { kind: 'partner' }];
        // Three principals at a time: each request runs its ~30 root fields at once, and the
        // driver's pool holds 100 connections.
        for (let i = 0; i < viewers.length; i += 3) {
          await Promise.all(
            viewers.slice(i, i + 3).map(async (viewer) => {
              const token = await t.token(viewer.kind === 'partner' ? `partner:${world.partnerId}` : viewer.officer.id);
              const res = await t.gql<AnalysisAnswer>(token, query);
              if (viewer.kind === 'officer' && viewer.officer.status === 'SUSPENDED') {
                expect(res.errors?.[0].extensions?.code).toBe('FORBIDDEN');
                return;
              }
              expect(res.errors).toBeUndefined();
              checkAnalysis(world, viewer, res.data!);
              await checkExports(world, viewer, token);
            }),
          );
        }
        analysed += 1;
      }),
      { numRuns: ANALYSIS_WORLDS, endOnFailure: true },
    );
    expect(analysed).toBeGreaterThanOrEqual(ANALYSIS_WORLDS);
  });
});
