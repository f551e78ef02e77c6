import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importFile } from '../../src/graph/import';
import { testDb, uniquePrefix } from '../support/db';
import { startTestHub, type TestHub } from '../support/hub';
import { CODES, feedOrder, materialise, modelSees, modelSeesOperation, worldSpec, type Viewer, type World } from './world-model';
import { checkSearch, searchReads } from './world-model-search';

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
    .map((r, i) => `${alias('r', i)}: intelReport(id: "${r.id}") { id subjects { id } links { id } }`)
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
  const feeds = CODES.map((code) => `feed${code}: intelReports(filter: { owner: "${code}" }, first: 50) { totalCount edges { node { id } } }`).join('\n');
  // What a gateway sends: entity references, resolved through the same loaders as root fields.
  const entities = '_entities(representations: $representations) { ... on IntelReport { id } ... on Operation { id } }';
  // Search (issue 10): its own block, checked by world-model-search.ts.
  const search = searchReads(base);
  return `query($representations: [_Any!]!) { ${reports}\n${subjects}\n${operations}\n${feeds}\n${entities}\n${search} }`;
}

function representations(world: World): { __typename: string; id: string }[] {
  return [
    ...world.reports.map((r) => ({ __typename: 'IntelReport', id: r.id })),
    ...world.operations.map((op) => ({ __typename: 'Operation', id: op.id })),
  ];
}

type Connection = { totalCount: number; edges: { node: { id: string } }[] };
type Everything = { _entities?: ({ id: string } | null)[] } & Record<string, ({ id: string; subjects?: { id: string }[]; links: { id: string }[]; reports?: Connection; updates?: Connection } & Connection) | null>;

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
