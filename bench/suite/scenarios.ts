import { searchQueryOf } from '../../src/graph/search';

/**
 * The benchmark's questions, each asked of every server that can answer it, in that server's
 * own language (GraphQL for the hub, the plain-schema hub and @neo4j/graphql; a route for the
 * hand-written handler), and each answer reduced to one canonical form so the suite can check
 * that all servers return the same data before it measures them.
 */
export type ServerName = 'hub' | 'hubGraphqlJs' | 'hubApolloDefaults' | 'plain' | 'hubNoAudit' | 'peer' | 'cypher';

export interface Request {
  path: string;
  body: string;
}

export interface Scenario {
  name: string;
  title: string;
  servers: ServerName[];
  request(server: ServerName): Request;
  /** The answer in canonical form; throws on errors. */
  canonical(server: ServerName, body: unknown): unknown;
  /** For mixed load: the requests autocannon cycles through, in order. */
  cycle?: (server: ServerName) => Request[];
}

export interface ScenarioInputs {
  reportId: string;
  entityIds: string[];
  /** A subject the reader sees, with a network of a few dozen subjects. */
  subjectId: string;
  /** Words of a visible subject's name, one letter swapped (a typo search must forgive). */
  searchText: string;
}

type Json = Record<string, unknown> & { data?: Record<string, unknown>; errors?: unknown[] };

const graphql = (query: string, variables: Record<string, unknown> = {}): Request => ({ path: '/graphql', body: JSON.stringify({ query, variables }) });
const route = (name: string, variables: Record<string, unknown>): Request => ({ path: `/${name}`, body: JSON.stringify(variables) });
const HUBS: ServerName[] = ['hub', 'hubApolloDefaults', 'plain'];
/** The hub with graphql-js executing its queries instead of graphql-jit: on the scenarios whose answers are large or many. */
const EXECUTOR: ServerName[] = ['hubGraphqlJs'];

function data(body: unknown): Record<string, unknown> {
  const json = body as Json;
  if (json.errors?.length) throw new Error(`errors in the answer: ${JSON.stringify(json.errors).slice(0, 400)}`);
  if (!json.data) throw new Error('no data in the answer');
  return json.data;
}

type Node = Record<string, unknown>;
const edges = (connection: unknown): Node[] => ((connection as { edges: { node: Node }[] }).edges ?? []).map((e) => e.node);
const list = (value: unknown): Node[] => (value as Node[]) ?? [];

function nested(first: number): Scenario {
  const officers = 20;
  const hubQuery = `query Nested($first: Int!, $officers: Int!) { operations(first: $first) { edges { node { id codename
    participants { code name units { id name officers(first: $officers) { edges { node { id name rank } } } } } } } } }`;
  const peerQuery = `query Nested($first: Int!, $officers: Int!) { operationsConnection(first: $first, sort: [{ id: ASC }]) { edges { node { id codename
    participants(sort: [{ code: ASC }]) { code name units(sort: [{ name: ASC }, { id: ASC }]) { id name
      officersConnection(first: $officers, sort: [{ node: { id: ASC } }]) { edges { node { id name rank } } } } } } } } }`;
  const canonicalOperation = (o: Node, officersOf: (u: Node) => Node[]) => [
    o.id,
    o.codename,
    list(o.participants).map((c) => [c.code, c.name, list(c.units).map((u) => [u.id, u.name, officersOf(u).map((x) => [x.id, x.name, x.rank ?? null])])]),
  ];
  return {
    name: `nested-${first}`,
    title: `nested read operations(first: ${first}) → participants → units → officers(first: 20)`,
    servers: [...HUBS, ...EXECUTOR, 'peer', 'cypher'],
    request: (server) =>
      server === 'cypher' ? route('nested', { first, officers }) : graphql(server === 'peer' ? peerQuery : hubQuery, { first, officers }),
    canonical(server, body) {
      if (server === 'cypher') return list(data(body)).map((o) => canonicalOperation(o, (u) => list(u.officers)));
      if (server === 'peer') return edges(data(body).operationsConnection).map((o) => canonicalOperation(o, (u) => edges(u.officersConnection)));
      return edges(data(body).operations).map((o) => canonicalOperation(o, (u) => edges(u.officers)));
    },
  };
}

// No DateTime field: @neo4j/graphql formats those with APOC, which a plain Neo4j does not have.
const reportSelection = 'id title classification owner { code } subjects { id kind }';
const peerReportSelection = 'id title classification owner { code } subjects(sort: [{ id: ASC }]) { id kind }';
const canonicalReport = (r: Node) => [
  r.id,
  r.title,
  r.classification,
  (r.owner as Node).code,
  list(r.subjects).map((s) => [s.id, s.kind]),
];

const feed: Scenario = {
  name: 'feed',
  title: 'intel feed intelReports(first: 50) { … owner subjects } with the sharing rule',
  servers: [...HUBS, ...EXECUTOR, 'hubNoAudit', 'peer', 'cypher'],
  request(server) {
    if (server === 'cypher') return route('feed', { first: 50 });
    if (server === 'peer') {
      return graphql(`{ intelReportsConnection(first: 50, sort: [{ createdAt: DESC }, { id: DESC }]) { edges { node { ${peerReportSelection} } } } }`);
    }
    return graphql(`{ intelReports(first: 50) { edges { node { ${reportSelection} } } } }`);
  },
  canonical(server, body) {
    if (server === 'cypher') return list(data(body)).map(canonicalReport);
    return edges(data(body)[server === 'peer' ? 'intelReportsConnection' : 'intelReports']).map(canonicalReport);
  },
};

function byId(inputs: ScenarioInputs): Scenario {
  const id = inputs.reportId;
  return {
    name: 'by-id',
    title: 'by-id read intelReport(id) { … owner subjects }',
    servers: [...HUBS, ...EXECUTOR, 'peer', 'cypher'],
    request(server) {
      if (server === 'cypher') return route('report', { id });
      if (server === 'peer') return graphql(`query($id: ID!) { intelReports(where: { id: { eq: $id } }) { ${peerReportSelection} } }`, { id });
      return graphql(`query($id: ID!) { intelReport(id: $id) { ${reportSelection} } }`, { id });
    },
    canonical(server, body) {
      if (server === 'cypher') return list(data(body)).map(canonicalReport);
      if (server === 'peer') return list(data(body).intelReports).map(canonicalReport);
      const report = data(body).intelReport as Node | null;
      return report ? [canonicalReport(report)] : [];
    },
  };
}

function entities(inputs: ScenarioInputs): Scenario {
  const ids = inputs.entityIds;
  const query = 'query($r: [_Any!]!) { _entities(representations: $r) { ... on IntelReport { id title classification } } }';
  return {
    name: 'entities',
    title: `_entities with ${ids.length} IntelReport representations`,
    servers: ['hub', 'peer', 'cypher'],
    request: (server) =>
      server === 'cypher' ? route('entities', { ids }) : graphql(query, { r: ids.map((id) => ({ __typename: 'IntelReport', id })) }),
    canonical(server, body) {
      if (server === 'cypher') {
        const found = new Map(list(data(body)).map((r) => [r.id, r]));
        return ids.map((id) => found.get(id) ?? null).map((r) => r && [r.id, r.title, r.classification]);
      }
      return list(data(body)._entities).map((r) => (r && r.id ? [r.id, r.title, r.classification] : null));
    },
  };
}

/** Four feed reads to one report written, with the audit trail on (the hub) and off. */
const mixed: Scenario = {
  name: 'mixed',
  title: 'mixed load: 4 feed reads (first: 20) : 1 createIntelReport',
  servers: ['hub', 'hubNoAudit'],
  request: () => graphql('{ intelReports(first: 20) { edges { node { id title classification owner { code } } } } }'),
  canonical: (_server, body) => edges(data(body).intelReports).map((r) => r.id),
  cycle(server) {
    const read = mixed.request(server);
    const write = graphql(
      'mutation($input: IntelReportInput!) { createIntelReport(input: $input) { id } }',
      { input: { title: 'Benchmark report', summary: 'mixed load', classification: 'OFFICIAL' } },
    );
    return [read, read, read, read, write];
  },
};

/**
 * `subjectNetwork` around one subject. @neo4j/graphql has no equivalent of a bounded traversal
 * over visible links (its generated fields follow one relationship type per level, and its
 * `@authorization` filter cannot sit inside a variable-length pattern), so the references are
 * the hand-written statement and the plain schema.
 */
function network(inputs: ScenarioInputs, depth: 2 | 3): Scenario {
  const limit = 200;
  return {
    name: `network-${depth}`,
    title: `subjectNetwork(depth: ${depth}, limit: ${limit}) around a subject with a few dozen links`,
    servers: [...HUBS, 'hubNoAudit', 'cypher'],
    request: (server) =>
      server === 'cypher'
        ? route(`network${depth}`, { id: inputs.subjectId, limit: limit - 1 })
        : graphql(`query($id: ID!) { subjectNetwork(subjectId: $id, depth: ${depth}, limit: ${limit}) { subjects { id kind } links { id kind from { id } to { id } } } }`, { id: inputs.subjectId }),
    canonical(server, body) {
      if (server === 'cypher') {
        const [row] = list(data(body));
        return {
          subjects: list(row.subjects).map((x) => x.id),
          links: list(row.links).map((l) => [l.id, l.kind, l.fromId, l.toId]).sort(),
        };
      }
      const answer = data(body).subjectNetwork as { subjects: Node[]; links: { id: string; kind: string; from: Node; to: Node }[] };
      return { subjects: answer.subjects.map((x) => x.id), links: answer.links.map((l) => [l.id, l.kind, l.from.id, l.to.id]).sort() };
    },
  };
}

/** `search` over reports and subjects, 20 best hits with the total over visible hits. */
function search(inputs: ScenarioInputs): Scenario {
  return {
    name: 'search',
    title: `search(text: "${inputs.searchText}", first: 20) { totalCount edges { score node } }`,
    servers: [...HUBS, 'hubNoAudit', 'cypher'],
    request: (server) =>
      server === 'cypher'
        ? route('search', { query: searchQueryOf(inputs.searchText) })
        : graphql(`query($text: String!) { search(text: $text, first: 20) { totalCount edges { score node { __typename ... on IntelReport { id } ... on Subject { id } } } } }`, { text: inputs.searchText }),
    canonical(server, body) {
      if (server === 'cypher') {
        const [row] = list(data(body));
        return { total: row.total, hits: list(row.page).map((h) => h.id) };
      }
      const answer = data(body).search as { totalCount: number; edges: { node: Node }[] };
      return { total: answer.totalCount, hits: answer.edges.map((e) => e.node.id) };
    },
  };
}

export function scenarios(inputs: ScenarioInputs): Scenario[] {
  return [nested(50), nested(5), feed, byId(inputs), entities(inputs), network(inputs, 2), network(inputs, 3), search(inputs), mixed];
}
