import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importFile } from '../../src/graph/import';
import type { ImportFile } from '../../src/import/types';
import { testDb, uniquePrefix } from '../support/db';
import { startTestHub, type GqlResponse, type TestHub } from '../support/hub';

/**
 * graphql-jit (GRAPHQL_EXECUTOR=jit, the default) and graphql-js answer every kind of request
 * alike: the same data, the same redactions, the same errors with the same codes, paths and
 * HTTP status. Countries QA and QB belong to this file; the reader is an officer of QB, so
 * QA's protected person and source descriptions are redacted for them.
 */
const p = uniquePrefix('exec');
const id = (name: string) => `${p}-${name}`;
const WORD = `${p.replace(/[^a-z0-9]/gi, '')}word`;

function world(): ImportFile {
  const countries = ['QA', 'QB'];
  return {
    countries: countries.map((code) => ({ code, name: `${code} land`, defaultShareLevel: 'OFFICIAL', partnerShareLevel: 'NONE' })),
    units: countries.flatMap((code) => [1, 2].map((n) => ({ id: id(`u-${code}-${n}`), country: code, name: `${code} unit ${n}` }))),
    officers: countries.flatMap((code) =>
      [1, 2].flatMap((n) =>
        [1, 2, 3].map((k) => ({
          id: id(`o-${code}-${n}-${k}`), unit: id(`u-${code}-${n}`), name: `Officer ${code}${n}${k}`, rank: k === 1 ? 'Inspector' : undefined,
          roles: ['OFFICER'], clearance: 'OFFICIAL', status: 'ACTIVE',
        })),
      ),
    ),
    operations: [1, 2, 3].map((i) => ({
      id: id(`op-${i}`), codename: `EXEC ${i}`, leadCountry: 'QA', status: 'ACTIVE', visibility: i === 3 ? 'PARTICIPANTS' : 'NETWORK',
      participants: i === 3 ? [] : ['QB'], assignments: [],
    })),
    subjects: [
      { id: id('s-person'), kind: 'PERSON', recordedBy: 'QA', name: `Amira ${WORD}`, aliases: ['Amy'], protected: true },
      { id: id('s-open'), kind: 'PERSON', recordedBy: 'QA', name: `Karim ${WORD}`, dateOfBirth: '1990-02-03' },
      { id: id('s-org'), kind: 'ORGANIZATION', recordedBy: 'QB', name: `${WORD} Logistics` },
      { id: id('s-phone'), kind: 'PHONE', recordedBy: 'QA', number: '+4915112345678' },
    ],
    reports: Array.from({ length: 6 }, (_, i) => ({
      id: id(`r-${i}`), owner: i % 2 ? 'QB' : 'QA', author: id(`o-${i % 2 ? 'QB' : 'QA'}-1-1`), title: `Report ${i} ${WORD}`,
      summary: i === 0 ? null : `Summary ${i}`, classification: 'OFFICIAL', handling: 'H0', sourceDescription: `source ${i}`,
      releasability: { mode: 'NETWORK', countries: [] }, createdAt: new Date(Date.UTC(2026, 1, 1 + i)).toISOString(),
      route: i === 2 ? { origin: 'QA', transit: ['QB'], destination: 'QB' } : undefined,
      subjects: [id('s-person'), id('s-open'), id('s-org'), id('s-phone')].slice(0, 1 + (i % 4)),
    })),
    links: [{ id: id('l-1'), from: id('s-person'), to: id('s-open'), kind: 'ASSOCIATE', report: id('r-2') }],
  } as ImportFile;
}

let jit: TestHub;
let js: TestHub;
let token: string;

beforeAll(async () => {
  await importFile(await testDb(), world());
  jit = await startTestHub({ env: { GRAPHQL_EXECUTOR: 'jit' } });
  js = await startTestHub({ env: { GRAPHQL_EXECUTOR: 'graphql-js' } });
  token = await jit.token(id('o-QB-1-1'));
});

afterAll(async () => {
  await jit?.stop();
  await js?.stop();
});

/** Both executors' answers to one request; errors lose their request ids (one per request). */
async function both(query: string, variables: Record<string, unknown> = {}, operationName?: string): Promise<[GqlResponse<unknown>, GqlResponse<unknown>]> {
  const strip = (r: GqlResponse<unknown>) => ({ ...r, errors: r.errors?.map((e) => ({ ...e, extensions: { ...e.extensions, requestId: undefined } })) });
  const ask = (t: TestHub) => (operationName ? gqlNamed(t, query, variables, operationName) : t.gql(token, query, variables));
  const [a, b] = await Promise.all([ask(jit), ask(js)]);
  return [strip(a), strip(b)];
}

/** A request naming its operation (TestHub.gql sends none). */
async function gqlNamed(t: TestHub, query: string, variables: Record<string, unknown>, operationName: string): Promise<GqlResponse<unknown>> {
  const response = await fetch(t.hub.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query, variables, operationName }),
  });
  const body = (await response.json()) as GqlResponse<unknown>;
  return { status: response.status, data: body.data, errors: body.errors };
}

const REPORT = `id title summary classification handling createdAt sourceDescription redactedFields
  releasability { mode countries } route { origin transit destination } owner { code name } author { id name }
  subjects { __typename id kind recordedBy redactedFields ... on Person { name aliases dateOfBirth protected } ... on Organization { name } ... on Phone { number } }
  links { id kind from { id } to { id } }`;

describe('graphql-jit and graphql-js answer alike', () => {
  it('the intel feed with every field, fragments on the subject types and redactions', async () => {
    const [a, b] = await both(`{ intelReports(filter: { text: "${WORD}" }, first: 4) { totalCount pageInfo { hasNextPage endCursor } edges { cursor node { ${REPORT} } } } }`);
    expect(a.errors).toBeUndefined();
    expect(a).toEqual(b);
    const nodes = (a.data as { intelReports: { edges: { node: { sourceDescription: string | null; owner: { code: string }; subjects: { id: string; name?: string | null }[] } }[] } })
      .intelReports.edges.map((e) => e.node);
    expect(nodes).toHaveLength(4);
    // What the reader may not see is withheld by both alike.
    for (const node of nodes) expect(node.sourceDescription === null).toBe(node.owner.code === 'QA');
    expect(nodes.flatMap((n) => n.subjects).find((s) => s.id === id('s-person'))?.name).toBeNull();
  });

  it('a second page, aliases, variables and @include', async () => {
    const [first] = await both(`{ intelReports(filter: { text: "${WORD}" }, first: 2) { pageInfo { endCursor } } }`);
    const after = (first.data as { intelReports: { pageInfo: { endCursor: string } } }).intelReports.pageInfo.endCursor;
    const query = `query($after: String, $one: ID!, $withSubjects: Boolean!) {
      next: intelReports(filter: { text: "${WORD}" }, first: 2, after: $after) { edges { node { id title subjects @include(if: $withSubjects) { id } } } }
      one: intelReport(id: $one) { ...R }
      none: intelReport(id: "${id('r-missing')}") { id }
    }
    fragment R on IntelReport { id title subjects @include(if: $withSubjects) { id kind } }`;
    for (const withSubjects of [true, false]) {
      const [a, b] = await both(query, { after, one: id('r-3'), withSubjects });
      expect(a.errors).toBeUndefined();
      expect(a).toEqual(b);
      expect((a.data as { none: null }).none).toBeNull();
    }
  });

  it('the nested operations read, a subject with its reports and links, a network and a search', async () => {
    const [a, b] = await both(`{
      operations(filter: { leadCountry: "QA" }, first: 5) { totalCount edges { node { id codename leadCountry { code }
        participants { code units { id name officers(first: 2) { totalCount edges { node { id name rank unit { id } } } } } } } } }
      subject(id: "${id('s-person')}") { __typename id redactedFields ... on Person { name protected } reports(first: 3) { totalCount edges { node { id } } } links { id } }
      subjectNetwork(subjectId: "${id('s-open')}", depth: 2, limit: 20) { truncated subjects { id } links { id from { id } to { id } } }
      search(text: "${WORD}", first: 10) { totalCount edges { score node { __typename ... on IntelReport { id title } ... on Person { id name } ... on Organization { id name } } } }
      byInterface: search(text: "${WORD}", first: 10) { edges { node { __typename ... on IntelReport { id } ... on Subject { id kind } } } }
    }`);
    expect(a.errors).toBeUndefined();
    expect(a).toEqual(b);
    const operations = (a.data as { operations: { totalCount: number } }).operations;
    // The participants-only operation has no participant: the reader's country does not see it.
    expect(operations.totalCount).toBe(2);
  });

  it('a search with its text in a variable, one typo in it', async () => {
    const query = 'query($text: String!) { search(text: $text, first: 20) { totalCount edges { score node { __typename ... on IntelReport { id } ... on Subject { id } } } } }';
    const [a, b] = await both(query, { text: `Karmi ${WORD}` });
    expect(a.errors).toBeUndefined();
    expect(a).toEqual(b);
    expect((a.data as { search: { totalCount: number } }).search.totalCount).toBeGreaterThan(0);
  });

  it('entity references, as a gateway sends them', async () => {
    const representations = [id('r-1'), id('r-missing'), id('r-4')].map((r) => ({ __typename: 'IntelReport', id: r }));
    const [a, b] = await both('query($r: [_Any!]!) { _entities(representations: $r) { __typename ... on IntelReport { id title owner { code } } } }', { r: representations });
    expect(a.errors).toBeUndefined();
    expect(a).toEqual(b);
    expect((a.data as { _entities: unknown[] })._entities[1]).toBeNull();
  });

  it('each hub ran its own executor: queries compiled by graphql-jit, mutations on graphql-js', async () => {
    const executions = async (t: TestHub) => {
      const text = await (await fetch(new URL('/metrics', t.hub.url))).text();
      const count = (executor: string) => Number(text.match(new RegExp(`isonhub_graphql_executions_total\\{executor="${executor}"\\} (\\d+)`))?.[1] ?? 0);
      return { jit: count('graphql-jit'), js: count('graphql-js') };
    };
    const [jitBefore, jsBefore] = [await executions(jit), await executions(js)];
    await both(`{ intelReports(first: 1) { edges { node { id } } } }`);
    await both(`mutation { createSubject(input: { kind: ORGANIZATION, name: "${WORD} executor check" }) { id } }`);
    const [jitAfter, jsAfter] = [await executions(jit), await executions(js)];
    expect([jitAfter.jit - jitBefore.jit, jitAfter.js - jitBefore.js]).toEqual([1, 1]);
    expect([jsAfter.jit - jsBefore.jit, jsAfter.js - jsBefore.js]).toEqual([0, 2]);
  });

  it('errors: the same codes, messages, paths and HTTP status', async () => {
    const cases = [
      // An invalid cursor: the resolver refuses it.
      `{ intelReports(first: 2, after: "not-a-cursor") { edges { node { id } } } }`,
      // The audit trail of an item the reader's country does not own: refused, the rest answered.
      `{ accessLog(itemId: "${id('r-0')}") { edges { node { id } } } intelReport(id: "${id('r-1')}") { id } }`,
      // A page beyond the limit, checked before execution.
      `{ intelReports(first: 100000) { edges { node { id } } } }`,
      // Not valid against the schema.
      `{ intelReports(first: 2) { edges { node { nope } } } }`,
      // A variable of the wrong type.
      [`query($n: Int!) { intelReports(first: $n) { edges { node { id } } } }`, { n: 'two' }],
      // A non-null variable left out.
      [`query($id: ID!) { intelReport(id: $id) { id } }`, {}],
      // An operation name the document does not hold.
      [`query Q { intelReport(id: "${id('r-1')}") { id } }`, {}, 'c'],
    ] as (string | [string, Record<string, unknown>, string?])[];
    for (const entry of cases) {
      const [query, variables, operationName] = typeof entry === 'string' ? [entry, {}] : entry;
      const [a, b] = await both(query, variables, operationName);
      expect(a.errors?.length, query).toBeGreaterThan(0);
      expect(a, query).toEqual(b);
      expect(a.errors!.every((e) => e.extensions?.code && e.extensions.code !== 'INTERNAL_SERVER_ERROR'), query).toBe(true);
    }
  });
});
