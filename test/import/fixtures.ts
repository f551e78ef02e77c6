import type { Db } from '../../src/graph/db';
import type { ImportFile } from '../../src/import/types';

/**
 * Country codes that ISO 3166-1 does not assign and that the reserved test pools (AA, QM-QZ,
 * XA-XZ, ZZ) do not contain, so this folder's countries never meet another test's.
 */
const UNASSIGNED = [
  ...'ABCDFGHIJKLNQRSTUVWXYZ'.split('').map((c) => `J${c}`),
  ...'ABCDEFGHIJKLNOPQRSTUVWXYZ'.split('').map((c) => `O${c}`),
  ...'ABCDEGHIJKLMNOPQRTUVWXYZ'.split('').map((c) => `W${c}`),
  ...'ABCDFGHIJKLMNOPQRSUVWXYZ'.split('').map((c) => `Y${c}`),
];

/** `count` free codes, in random order so two runs rarely pick the same ones. */
export async function freeCountryCodes(db: Db, count: number): Promise<string[]> {
  const taken = new Set(
    (await db.read<{ code: string }>({ cypher: 'MATCH (c:Country) WHERE c.code IN $codes RETURN c.code AS code', params: { codes: UNASSIGNED } })).map(
      (row) => row.code,
    ),
  );
  const free = UNASSIGNED.filter((code) => !taken.has(code)).sort(() => Math.random() - 0.5);
  if (free.length < count) throw new Error('not enough unassigned country codes left for the import tests');
  return free.slice(0, count);
}

/** A small file touching every section, with every id under `prefix`. */
export function smallFile(prefix: string, [a, b, c]: string[]): ImportFile {
  const p = (id: string): string => `${prefix}-${id}`;
  return {
    countries: [
      { code: a, name: 'Alpha', region: 'AMERICAS', defaultShareLevel: 'OFFICIAL', partnerShareLevel: 'NONE' },
      { code: b, name: 'Beta', region: 'AMERICAS', defaultShareLevel: 'RESTRICTED' },
      { code: c, name: 'Gamma', region: 'EUROPE' },
    ],
    sharingRules: [
      { from: a, to: b, maxLevel: 'CONFIDENTIAL', validFrom: '2026-01-01T00:00:00Z', validUntil: null },
      { from: b, to: a, maxLevel: 'NONE' },
    ],
    partners: [{ id: p('iom'), name: 'IOM' }],
    units: [
      { id: p('u-a'), country: a, name: 'Unit A', specialization: 'MIGRANT_SMUGGLING' },
      { id: p('u-b'), country: b, name: 'Unit B' },
    ],
    officers: [
      { id: p('o-a'), unit: p('u-a'), name: 'Ana', email: 'ana@example.org', rank: 'Inspector', roles: ['OFFICER'], clearance: 'RESTRICTED', status: 'ACTIVE' },
      { id: p('o-b'), unit: p('u-b'), name: 'Bea', roles: ['COORDINATOR', 'OFFICER'], clearance: 'CONFIDENTIAL' },
    ],
    operations: [
      {
        id: p('op-1'),
        codename: 'TEST ONE',
        objective: 'Test',
        leadCountry: b,
        status: 'ACTIVE',
        visibility: 'NETWORK',
        startsAt: '2026-11-01T00:00:00Z',
        endsAt: '2026-12-01T00:00:00Z',
        participants: [a],
        assignments: [{ officer: p('o-a'), role: 'MEMBER' }, { officer: p('o-b'), role: 'COORDINATOR' }],
      },
    ],
    subjects: [
      { id: p('s-1'), kind: 'PERSON', recordedBy: a, name: 'Pedro', aliases: ['El P'], nationality: 'VE', dateOfBirth: '1990-01-01', protected: false },
      { id: p('s-2'), kind: 'TRAVEL_DOCUMENT', recordedBy: a, number: 'x12-345 67', issuingCountry: 'VE', documentType: 'PASSPORT', status: 'STOLEN', reportedAt: '2026-10-02T00:00:00Z' },
      { id: p('s-3'), kind: 'PHONE', recordedBy: b, number: '+57 300 000' },
    ],
    reports: [
      {
        id: p('r-1'),
        owner: a,
        author: p('o-a'),
        title: 'Report one',
        summary: 'Summary',
        classification: 'RESTRICTED',
        handling: 'H1',
        evaluation: 'B2',
        releasability: { mode: 'DENY', countries: [c] },
        operation: p('op-1'),
        createdAt: '2026-11-02T10:00:00Z',
        expiresAt: '2027-11-02T10:00:00Z',
        sourceDescription: 'Informant',
        route: { origin: 'EC', transit: ['CO', 'PA'], destination: 'MX' },
        subjects: [p('s-1'), p('s-2'), p('s-3')],
      },
      { id: p('r-2'), author: p('o-b'), title: 'Report two', classification: 'OFFICIAL', createdAt: '2026-11-03T10:00:00Z', subjects: [p('s-3')] },
    ],
    links: [
      { id: p('l-1'), from: p('s-1'), to: p('s-2'), kind: 'USES_DOCUMENT', report: p('r-1') },
      { id: p('l-2'), from: p('s-1'), to: p('s-3'), kind: 'USES_PHONE', report: p('r-1') },
    ],
    updates: [
      { id: p('up-2'), operation: p('op-1'), author: p('o-b'), kind: 'ARREST', text: 'Two arrests', classification: 'OFFICIAL', postedAt: '2026-11-05T12:00:00Z', metrics: { arrests: 2 } },
      { id: p('up-1'), operation: p('op-1'), author: p('o-a'), kind: 'SITREP', text: 'Started', classification: 'UNCLASSIFIED', postedAt: '2026-11-04T12:00:00Z' },
    ],
  };
}

/** Every node and relationship of this test (by id prefix or country code), as sorted plain data. */
export async function dump(db: Db, prefix: string, codes: string[]): Promise<{ nodes: string[]; relationships: string[] }> {
  const mine = '(n.id STARTS WITH $prefix OR n.code IN $codes)';
  const nodes = await db.read<{ node: unknown }>({
    cypher: `MATCH (n) WHERE ${mine} RETURN {labels: labels(n), props: properties(n)} AS node`,
    params: { prefix, codes },
  });
  const relationships = await db.read<{ rel: unknown }>({
    cypher: `MATCH (n)-[r]->(m) WHERE ${mine} OR (m.id STARTS WITH $prefix OR m.code IN $codes)
      RETURN {from: coalesce(n.id, n.code), type: type(r), to: coalesce(m.id, m.code), props: properties(r)} AS rel`,
    params: { prefix, codes },
  });
  return {
    nodes: nodes.map((row) => stable(row.node)).sort(),
    relationships: relationships.map((row) => stable(row.rel)).sort(),
  };
}

function stable(value: unknown): string {
  return JSON.stringify(value, (_key, inner: unknown) =>
    inner && typeof inner === 'object' && !Array.isArray(inner)
      ? Object.fromEntries(Object.entries(inner as Record<string, unknown>).sort(([x], [y]) => x.localeCompare(y)))
      : inner,
  );
}

/** Deletes only what this test created: its prefixed nodes and the countries it made. */
export async function cleanUp(db: Db, prefix: string, codes: string[]): Promise<void> {
  await db.write({
    cypher: 'MATCH (n) WHERE n.id STARTS WITH $prefix OR (n:Country AND n.code IN $codes) DETACH DELETE n',
    params: { prefix, codes },
  });
}

/** The same file with every id under `prefix` and every country code mapped: for files with fixed ids. */
export function relabel(file: ImportFile, prefix: string, codes: Map<string, string>): ImportFile {
  const ids = new Set<string>();
  for (const section of Object.values(file) as { id?: string }[][]) for (const record of section) if (record.id) ids.add(record.id);
  const walk = (value: unknown): unknown => {
    if (typeof value === 'string') return ids.has(value) ? `${prefix}-${value}` : (codes.get(value) ?? value);
    if (Array.isArray(value)) return value.map(walk);
    if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, walk(v)]));
    return value;
  };
  return walk(file) as ImportFile;
}
