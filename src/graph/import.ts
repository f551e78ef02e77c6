import {
  importProblemsError,
  validateImport,
  referencedKeys,
  type ExistingKeys,
  type ReferencedKeys,
} from '../import/validate';
import {
  METRIC_NAMES,
  SECTIONS,
  countRecords,
  type ImportFile,
  type Level,
  type OfficerRecord,
  type OperationRecord,
  type ReportRecord,
  type Section,
  type SubjectKind,
  type SubjectRecord,
  type UnitRecord,
  type UpdateRecord,
} from '../import/types';
import type { Db, Statement, Tx } from './db';
import { copyReportPolicy, syncLinksOfReportsStatement } from './link-policy';
import { phoneKey } from './phone';
import { SUBJECT_LABELS } from './records';

/**
 * Bulk upsert of an import file (DESIGN §5). Validation first, against the file and the keys it
 * borrows from the database; then one transaction per batch of `UNWIND $rows AS row MERGE ...`,
 * section by section in dependency order (subjects and reports two batches at a time). Every
 * value SET is a function of the file alone (or kept, for the update sequence), so a second
 * import of the same file changes nothing.
 */

export interface ImportProgress {
  section: Section;
  done: number;
  total: number;
}

export interface ImportOptions {
  /** Rows per transaction. Large batches amortise the round trip and the planning. */
  batchSize?: number;
  /** Batches of one section written at the same time (subjects and reports only). */
  concurrency?: number;
  onProgress?: (progress: ImportProgress) => void;
  /** Each batch's time, and how much of it its statements took (the rest: begin, commit, round trips). */
  onBatch?: (timing: BatchTiming) => void;
}

export interface BatchTiming {
  section: Section;
  records: number;
  statementMs: number;
  totalMs: number;
  /** Runs of the transaction: more than 1 when Neo4j refused one (a deadlock, say) and the driver retried it. */
  attempts: number;
}

export interface ImportSummary {
  records: number;
  sections: Partial<Record<Section, number>>;
  lookupMs: number;
  validateMs: number;
  writeMs: number;
}

export const DEFAULT_BATCH_SIZE = 10_000;
export const DEFAULT_CONCURRENCY = 2;
/**
 * Sections whose batches are independent of each other: every record has its own key (the
 * validation refuses duplicates), nothing in one batch reads what another writes. Measured
 * (bench/import-levers.bench.ts): two subjects or reports batches at a time cost Neo4j no more
 * CPU per record than one. Links stay one batch at a time: two at a time, one of two runs cost
 * ten times the CPU per link (not explained yet; two links batches share the subjects at both
 * ends). Updates draw their seq in file order.
 */
const CONCURRENT_SECTIONS: ReadonlySet<Section> = new Set(['subjects', 'reports']);
const LOOKUP_BATCH = 50_000;

const CLASS_RANK: Record<Level | 'NONE', number> = { NONE: -1, UNCLASSIFIED: 0, OFFICIAL: 1, RESTRICTED: 2, CONFIDENTIAL: 3 };

export async function importFile(db: Db, file: ImportFile, options: ImportOptions = {}): Promise<ImportSummary> {
  const started = Date.now();
  const existing = await lookupExisting(db, referencedKeys(file));
  const looked = Date.now();
  const result = validateImport(file, existing);
  if (!result.ok) throw importProblemsError(result.problems);
  const validated = Date.now();
  const sections = await writeImport(db, result.file, existing, options);
  return {
    records: countRecords(result.file),
    sections,
    lookupMs: looked - started,
    validateMs: validated - looked,
    writeMs: Date.now() - validated,
  };
}

// ---------------------------------------------------------------------------------------------
// Looking up the keys the file borrows from the database: one query per label (per 50,000 keys).

/**
 * Every statement that starts from a key names its index (`USING INDEX`). A plan is cached per
 * statement text and made from the statistics of its first run: planned while a label or the
 * LINK type is still empty (the start of an import), a scan costs nothing and wins, and stays
 * the plan — one scan per row — until a replan as the statistics drift, which at scale M left
 * one 10,000-row batch of links running for minutes. With the hint no statistics can change
 * the plan; test/import/import-plans.test.ts checks every statement's plan.
 */
const seek = (alias: string, label: string, key = 'id') => `USING INDEX ${alias}:${label}(${key})`;

const LOOKUPS: Record<keyof ReferencedKeys, string> = {
  countries: `UNWIND $keys AS key MATCH (c:Country {code: key}) ${seek('c', 'Country', 'code')} RETURN c.code AS key`,
  units: `UNWIND $keys AS key MATCH (u:Unit {id: key})-[:OF]->(c:Country) ${seek('u', 'Unit')} RETURN u.id AS key, c.code AS country`,
  officers: `UNWIND $keys AS key
    MATCH (o:Officer {id: key})-[:MEMBER_OF]->(:Unit)-[:OF]->(c:Country) ${seek('o', 'Officer')}
    RETURN o.id AS key, c.code AS country`,
  operations: `UNWIND $keys AS key
    MATCH (op:Operation {id: key}) ${seek('op', 'Operation')}
    RETURN op.id AS key,
      [(op)-[:LED_BY]->(c:Country) | c.code] + [(c:Country)-[:PARTICIPATES_IN]->(op) | c.code] AS countries`,
  subjects: `UNWIND $keys AS key MATCH (s:Subject {id: key}) ${seek('s', 'Subject')} RETURN s.id AS key`,
  reports: `UNWIND $keys AS key
    MATCH (r:IntelReport {id: key}) ${seek('r', 'IntelReport')}
    RETURN r.id AS key, r.ownerCode AS owner, [(r)-[:CONCERNS]->(s:Subject) | s.id] AS subjects`,
};

export function lookupStatements(kind: keyof ReferencedKeys, keys: string[]): Statement[] {
  return chunks(keys, LOOKUP_BATCH).map((batch) => ({ cypher: LOOKUPS[kind], params: { keys: batch } }));
}

interface LookupRow {
  key: string;
  country?: string;
  owner?: string;
  countries?: string[];
  subjects?: string[];
}

export async function lookupExisting(db: Db, refs: ReferencedKeys): Promise<ExistingKeys> {
  const rows = async (kind: keyof ReferencedKeys): Promise<LookupRow[]> => {
    const out: LookupRow[] = [];
    for (const statement of lookupStatements(kind, refs[kind])) out.push(...(await db.read<LookupRow>(statement)));
    return out;
  };
  return {
    countries: new Set((await rows('countries')).map((r) => r.key)),
    units: new Map((await rows('units')).map((r) => [r.key, { country: r.country! }])),
    officers: new Map((await rows('officers')).map((r) => [r.key, { country: r.country! }])),
    operations: new Map((await rows('operations')).map((r) => [r.key, { countries: r.countries ?? [] }])),
    subjects: new Set((await rows('subjects')).map((r) => r.key)),
    reports: new Map((await rows('reports')).map((r) => [r.key, { owner: r.owner!, subjects: r.subjects ?? [] }])),
  };
}

// Statement builders: pure, rows in, `{ cypher, params }` out.
//
// A node section is written per batch as: one upsert of the nodes, one prune of the
// relationships the file no longer lists, then one MERGE per relationship type over flattened
// (node, target) pairs. Simple statements keep the planner on index seeks and free of Eager.

/** A relationship a node section owns; the file's targets are the whole truth for the node. */
interface Relation {
  type: string;
  /** True when the relationship points from the section's node to the target. */
  outgoing: boolean;
  target: { label: string; key: string };
  /** Properties set on the relationship from each target's props. */
  props?: boolean;
}

interface Target {
  key: string;
  props?: Row;
}

type Row = Record<string, unknown>;

/** CREATE for records the database does not hold yet (no lookup, no prune), MERGE for the rest. */
type Verb = 'CREATE' | 'MERGE';

interface NodeRow {
  id: string;
  upsert: Row;
  rels: Record<string, Target[]>;
}

interface NodeSection {
  label: string;
  /**
   * Reads `row`, binds the node as `n`; `props` assigns each of `row.props` by name. Named
   * assignments, unlike `SET n += map`, let the planner see that the key is not written, which
   * keeps an Eager (a full materialisation of the batch) out of the plan.
   */
  upsert: (props: string, verb: Verb) => string;
  relations: Relation[];
}

/** The property names are the row builders' own keys, never the file's. */
function assignments(names: string[]): string {
  return names.map((name) => `n.${name} = row.props.${name}`).join(', ');
}

const COUNTRY: Relation['target'] = { label: 'Country', key: 'code' };
const OFFICER: Relation['target'] = { label: 'Officer', key: 'id' };
const OPERATION: Relation['target'] = { label: 'Operation', key: 'id' };

function arrow(rel: Relation, alias = ''): [string, string] {
  return rel.outgoing ? ['-', `[${alias}:${rel.type}]->`] : ['<-', `[${alias}:${rel.type}]-`];
}

export function pruneCypher(section: NodeSection): string {
  const conditions = section.relations.map(
    (rel) => `(type(old) = '${rel.type}' AND NOT x.${rel.target.key} IN row.rels.${rel.type})`,
  );
  // The subquery expands from each bound node; planned as one pattern, the planner may scan.
  return `UNWIND $rows AS row
  MATCH (n:${section.label} {id: row.id}) ${seek('n', section.label)}
  CALL (n, row) {
    MATCH (n)-[old:${section.relations.map((r) => r.type).join('|')}]-(x)
    WHERE ${conditions.join('\n      OR ')}
    DELETE old
  }`;
}

export function relationCypher(section: NodeSection, rel: Relation, verb: Verb): string {
  const [left, right] = arrow(rel, 'r');
  return `UNWIND $pairs AS p
  MATCH (n:${section.label} {id: p.id}) ${seek('n', section.label)}
  MATCH (x:${rel.target.label} {${rel.target.key}: p.key}) ${seek('x', rel.target.label, rel.target.key)}
  ${verb} (n)${left}${right}(x)${rel.props ? '\n  SET r += p.props' : ''}`;
}

function relationKeys(section: NodeSection, row: NodeRow): Record<string, Target[]> {
  return Object.fromEntries(
    section.relations.map((rel) => [rel.type, (row.rels[rel.type] ?? []).map((t) => (rel.props ? { key: t.key, props: t.props ?? {} } : { key: t.key }))]),
  );
}

export function createWithRelationsCypher(section: NodeSection, props: string): string {
  const calls = section.relations.map((rel) => {
    const [left, right] = arrow(rel, 'r');
    return `CALL (n, row) {
    UNWIND row.rels.${rel.type} AS t
    MATCH (x:${rel.target.label} {${rel.target.key}: t.key}) ${seek('x', rel.target.label, rel.target.key)}
    CREATE (n)${left}${right}(x)${rel.props ? ' SET r += t.props' : ''}
  }`;
  });
  return calls.length ? `${section.upsert(props, 'CREATE')}\n  WITH n, row\n  ${calls.join('\n  ')}` : section.upsert(props, 'CREATE');
}

export function existingIdsStatement(section: NodeSection, ids: string[]): Statement {
  return { cypher: `UNWIND $ids AS id MATCH (n:${section.label} {id: id}) ${seek('n', section.label)} RETURN n.id AS id`, params: { ids } };
}

/** One batch of a node section, given which of its ids the database already holds. */
export function nodeBatchStatements(section: NodeSection, rows: NodeRow[], existing: ReadonlySet<string>): Statement[] {
  const fresh = rows.filter((r) => !existing.has(r.id));
  const stored = rows.filter((r) => existing.has(r.id));
  const statements: Statement[] = [];
  const write = (group: NodeRow[], verb: Verb): void => {
    if (group.length === 0) return;
    const names = Object.keys(group[0].upsert.props as Row);
    if (verb === 'CREATE') {
      // New nodes and all their relationships in one statement: the node is bound once instead
      // of being sought again by id for every kind of relationship.
      statements.push({
        cypher: createWithRelationsCypher(section, assignments(names)),
        params: { rows: group.map((r) => ({ ...r.upsert, rels: relationKeys(section, r) })) },
      });
      return;
    }
    statements.push({ cypher: section.upsert(assignments(names), verb), params: { rows: group.map((r) => r.upsert) } });
    if (section.relations.length > 0) {
      const pruneRows = group.map((r) => ({
        id: r.id,
        rels: Object.fromEntries(section.relations.map((rel) => [rel.type, (r.rels[rel.type] ?? []).map((t) => t.key)])),
      }));
      statements.push({ cypher: pruneCypher(section), params: { rows: pruneRows } });
    }
    for (const rel of section.relations) {
      const pairs = group.flatMap((r) =>
        (r.rels[rel.type] ?? []).map((t) => (rel.props ? { id: r.id, key: t.key, props: t.props ?? {} } : { id: r.id, key: t.key })),
      );
      if (pairs.length > 0) statements.push({ cypher: relationCypher(section, rel, verb), params: { pairs } });
    }
  };
  write(stored, 'MERGE');
  write(fresh, 'CREATE');
  return statements;
}

const COUNTRIES = `UNWIND $rows AS row
  MERGE (c:Country {code: row.code})
  SET c.name = row.name, c.region = row.region,
    c.defaultShareLevel = coalesce(row.defaultShareLevel, c.defaultShareLevel, 'NONE'),
    c.partnerShareLevel = coalesce(row.partnerShareLevel, c.partnerShareLevel, 'NONE')`;

const SHARING_RULES = `UNWIND $rows AS row
  MATCH (a:Country {code: row.from}), (b:Country {code: row.to}) ${seek('a', 'Country', 'code')} ${seek('b', 'Country', 'code')}
  MERGE (a)-[r:SHARES_WITH]->(b)
  SET r.maxLevel = row.maxLevel, r.validFrom = datetime(row.validFrom), r.validUntil = datetime(row.validUntil)`;

const PARTNERS = `UNWIND $rows AS row MERGE (p:Partner {id: row.id}) SET p.name = row.name`;

const UNITS: NodeSection = {
  label: 'Unit',
  upsert: (props, verb) => `UNWIND $rows AS row ${verb} (n:Unit {id: row.id}) SET ${props}`,
  relations: [{ type: 'OF', outgoing: true, target: COUNTRY }],
};

const OFFICERS: NodeSection = {
  label: 'Officer',
  upsert: (props, verb) => `UNWIND $rows AS row ${verb} (n:Officer {id: row.id}) SET ${props}`,
  relations: [{ type: 'MEMBER_OF', outgoing: true, target: { label: 'Unit', key: 'id' } }],
};

const OPERATIONS: NodeSection = {
  label: 'Operation',
  upsert: (props, verb) => `UNWIND $rows AS row
  ${verb} (n:Operation {id: row.id})
  SET n.createdAt = coalesce(n.createdAt, datetime(row.startsAt), datetime()), ${props}, n.startsAt = datetime(row.startsAt), n.endsAt = datetime(row.endsAt)`,
  relations: [
    { type: 'LED_BY', outgoing: true, target: COUNTRY },
    { type: 'PARTICIPATES_IN', outgoing: false, target: COUNTRY },
    { type: 'ASSIGNED_TO', outgoing: false, target: OFFICER, props: true },
  ],
};

/**
 * Wanted persons also carry the `WantedPerson` label, which the screening index covers
 * (migrations.ts); set or removed only when it changes, so a re-import changes nothing.
 */
export const WANTED_LABEL_CYPHER = `FOREACH (_ IN CASE WHEN n.wantedBy IS NOT NULL AND NOT n:WantedPerson THEN [1] ELSE [] END | SET n:WantedPerson)
  FOREACH (_ IN CASE WHEN n.wantedBy IS NULL AND n:WantedPerson THEN [1] ELSE [] END | REMOVE n:WantedPerson)`;

/** Labels come from the fixed table above, never from the file; one statement per kind. */
function subjectSection(kind: SubjectKind): NodeSection {
  const label = SUBJECT_LABELS[kind];
  const others = Object.values(SUBJECT_LABELS).filter((l) => l !== label);
  return {
    label: 'Subject',
    upsert: (props, verb) => `UNWIND $rows AS row
  ${verb} (n:Subject {id: row.id})
  SET n:${label}, ${props}, n.dateOfBirth = date(row.dateOfBirth), n.reportedAt = datetime(row.reportedAt), n.wantedSince = datetime(row.wantedSince)
  REMOVE ${others.map((l) => `n:${l}`).join(', ')}
  ${WANTED_LABEL_CYPHER}`,
    relations: [],
  };
}

const REPORTS: NodeSection = {
  label: 'IntelReport',
  upsert: (props, verb) => `UNWIND $rows AS row
  ${verb} (n:IntelReport {id: row.id})
  SET ${props}, n.createdAt = datetime(row.createdAt), n.expiresAt = datetime(row.expiresAt)`,
  relations: [
    { type: 'OWNED_BY', outgoing: true, target: COUNTRY },
    { type: 'AUTHORED_BY', outgoing: true, target: OFFICER },
    { type: 'SCOPED_TO', outgoing: true, target: OPERATION },
    { type: 'CONCERNS', outgoing: true, target: { label: 'Subject', key: 'id' } },
  ],
};

export const UPDATES: NodeSection = {
  label: 'OperationUpdate',
  upsert: (props, verb) => `UNWIND $rows AS row
  ${verb} (n:OperationUpdate {id: row.id})
  SET ${props}, n.postedAt = datetime(row.postedAt), n.seq = coalesce(n.seq, row.seq)`,
  relations: [
    { type: 'ON', outgoing: true, target: OPERATION },
    { type: 'OWNED_BY', outgoing: true, target: COUNTRY },
    { type: 'AUTHORED_BY', outgoing: true, target: OFFICER },
  ],
};

/**
 * Links are relationships keyed by their own id, found through the link_id index rather than
 * by scanning the ends (a hub subject may have many thousands of links). A link whose ends
 * changed is replaced.
 */
const LINKS = `UNWIND $rows AS row
  MATCH (r:IntelReport {id: row.report}) ${seek('r', 'IntelReport')}
  OPTIONAL MATCH (a:Subject)-[old:LINK {id: row.id}]->(b:Subject) ${seek('old', 'LINK')}
  WITH row, r, old, (a.id = row.from AND b.id = row.to) AS same
  FOREACH (_ IN CASE WHEN same THEN [1] ELSE [] END | SET old.kind = row.kind, old.reportId = row.report, ${copyReportPolicy('old', 'r')})
  FOREACH (_ IN CASE WHEN old IS NOT NULL AND NOT same THEN [1] ELSE [] END | DELETE old)
  WITH row, r WHERE same IS NULL OR NOT same
  MATCH (a:Subject {id: row.from}), (b:Subject {id: row.to}) ${seek('a', 'Subject')} ${seek('b', 'Subject')}
  CREATE (a)-[l:LINK {id: row.id, kind: row.kind, reportId: row.report}]->(b)
  SET ${copyReportPolicy('l', 'r')}`;

const RESERVE_SEQUENCE = `MERGE (s:Sequence {name: 'updates'})
  ON CREATE SET s.value = 0
  SET s.value = s.value + $count
  RETURN s.value AS last`;

// ---------------------------------------------------------------------------------------------
// Rows: each record flattened into the parameters its statements read.

const one = (key: string | null | undefined): Target[] => (key == null ? [] : [{ key }]);
const many = (keys: readonly string[] | undefined): Target[] => (keys ?? []).map((key) => ({ key }));

function unitRow(u: UnitRecord): NodeRow {
  return { id: u.id, upsert: { id: u.id, props: { name: u.name, specialization: u.specialization ?? null } }, rels: { OF: one(u.country) } };
}

function officerRow(o: OfficerRecord): NodeRow {
  const props = {
    name: o.name,
    email: o.email ?? null,
    phone: o.phone ?? null,
    rank: o.rank ?? null,
    roles: o.roles,
    clearance: o.clearance,
    status: o.status ?? 'ACTIVE',
  };
  return { id: o.id, upsert: { id: o.id, props }, rels: { MEMBER_OF: one(o.unit) } };
}

function operationRow(op: OperationRecord): NodeRow {
  return {
    id: op.id,
    upsert: {
      id: op.id,
      startsAt: op.startsAt ?? null,
      endsAt: op.endsAt ?? null,
      props: { codename: op.codename, objective: op.objective ?? null, status: op.status, visibility: op.visibility },
    },
    rels: {
      LED_BY: one(op.leadCountry),
      PARTICIPATES_IN: many(op.participants),
      ASSIGNED_TO: (op.assignments ?? []).map((a) => ({ key: a.officer, props: { role: a.role ?? 'MEMBER' } })),
    },
  };
}

/** Upper case, no spaces or dashes: "x12-345 67" and "X1234567" screen alike. */
export function documentNumberKey(number: string): string {
  return number.toUpperCase().replace(/[\s-]/g, '');
}

/** Every kind's properties, null where they do not apply, so a record replaces all of them. */
const EMPTY_SUBJECT_PROPS: Row = {
  name: null,
  aliases: null,
  nationality: null,
  protected: null,
  number: null,
  numberKey: null,
  issuingCountry: null,
  documentType: null,
  status: null,
  identifier: null,
  countryCode: null,
  phoneKey: null,
  wantedBy: null,
  wantedReference: null,
};

function subjectProps(s: SubjectRecord): Row {
  switch (s.kind) {
    case 'PERSON':
      return {
        name: s.name,
        aliases: s.aliases ?? [],
        nationality: s.nationality ?? null,
        protected: s.protected ?? false,
        wantedBy: s.wanted?.by ?? null,
        wantedReference: s.wanted?.reference ?? null,
      };
    case 'ORGANIZATION':
      return { name: s.name };
    case 'TRAVEL_DOCUMENT':
      return {
        number: s.number,
        numberKey: documentNumberKey(s.number),
        issuingCountry: s.issuingCountry,
        documentType: s.documentType ?? null,
        status: s.status ?? 'VALID',
      };
    case 'VEHICLE':
      return { identifier: s.identifier };
    case 'PHONE':
      return { number: s.number, phoneKey: phoneKey(s.number, s.recordedBy) };
    case 'LOCATION':
      return { name: s.name, countryCode: s.countryCode ?? null };
  }
}

function subjectRow(s: SubjectRecord): NodeRow {
  const upsert = {
    id: s.id,
    dateOfBirth: s.kind === 'PERSON' ? (s.dateOfBirth ?? null) : null,
    reportedAt: s.kind === 'TRAVEL_DOCUMENT' ? (s.reportedAt ?? null) : null,
    wantedSince: s.kind === 'PERSON' ? (s.wanted?.since ?? null) : null,
    props: { ...EMPTY_SUBJECT_PROPS, kind: s.kind, recordedBy: s.recordedBy, ...subjectProps(s) },
  };
  return { id: s.id, upsert, rels: {} };
}

function reportRow(r: ReportRecord, owner: string): NodeRow {
  const props = {
    title: r.title,
    summary: r.summary ?? null,
    classification: r.classification,
    classRank: CLASS_RANK[r.classification],
    handling: r.handling ?? 'H0',
    evaluation: r.evaluation ?? null,
    relMode: r.releasability?.mode ?? 'NETWORK',
    relCountries: r.releasability?.countries ?? [],
    ownerCode: owner,
    operationId: r.operation ?? null,
    sourceDescription: r.sourceDescription ?? null,
    routeOrigin: r.route?.origin ?? null,
    routeTransit: r.route?.transit ?? [],
    routeDestination: r.route?.destination ?? null,
  };
  return {
    id: r.id,
    upsert: { id: r.id, createdAt: r.createdAt, expiresAt: r.expiresAt ?? null, props },
    rels: {
      OWNED_BY: one(owner),
      AUTHORED_BY: one(r.author),
      SCOPED_TO: one(r.operation),
      CONCERNS: many(r.subjects),
    },
  };
}

function updateRow(u: UpdateRecord, owner: string, seq: number | null): NodeRow {
  const props: Row = {
    kind: u.kind,
    text: u.text,
    classification: u.classification,
    classRank: CLASS_RANK[u.classification],
    ownerCode: owner,
    relMode: 'NETWORK',
    relCountries: [],
    operationId: u.operation,
    expiresAt: null,
  };
  for (const name of METRIC_NAMES) props[name] = u.metrics?.[name] ?? null;
  return {
    id: u.id,
    upsert: { id: u.id, postedAt: u.postedAt, seq, props },
    rels: { ON: one(u.operation), OWNED_BY: one(owner), AUTHORED_BY: one(u.author) },
  };
}

export function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/**
 * One batch, written in one transaction: fixed statements, or the rows of a node section whose
 * statements depend on which of its ids already exist.
 */
export type Batch = { records: number } & ({ statements: Statement[] } | { section: NodeSection; rows: NodeRow[] });

/** The batches that write one section (updates are not here: see writeUpdates). */
export function sectionBatches(
  section: Exclude<Section, 'updates'>,
  file: ImportFile,
  ownerOf: (item: ReportRecord) => string,
  size: number,
): Batch[] {
  const simple = (cypher: string, rows: Row[]): Batch[] =>
    chunks(rows, size).map((batch) => ({ records: batch.length, statements: [{ cypher, params: { rows: batch } }] }));
  const nodes = (spec: NodeSection, rows: NodeRow[]): Batch[] =>
    chunks(rows, size).map((batch) => ({ records: batch.length, section: spec, rows: batch }));
  switch (section) {
    case 'countries':
      return simple(
        COUNTRIES,
        (file.countries ?? []).map((c) => ({
          code: c.code,
          name: c.name,
          region: c.region ?? null,
          defaultShareLevel: c.defaultShareLevel ?? null,
          partnerShareLevel: c.partnerShareLevel ?? null,
        })),
      );
    case 'sharingRules':
      return simple(
        SHARING_RULES,
        (file.sharingRules ?? []).map((r) => ({ ...r, validFrom: r.validFrom ?? null, validUntil: r.validUntil ?? null })),
      );
    case 'partners':
      return simple(PARTNERS, (file.partners ?? []).map((p) => ({ id: p.id, name: p.name })));
    case 'units':
      return nodes(UNITS, (file.units ?? []).map(unitRow));
    case 'officers':
      return nodes(OFFICERS, (file.officers ?? []).map(officerRow));
    case 'operations':
      return nodes(OPERATIONS, (file.operations ?? []).map(operationRow));
    case 'subjects': {
      const byKind = new Map<SubjectKind, NodeRow[]>();
      for (const s of file.subjects ?? []) {
        const rows = byKind.get(s.kind) ?? byKind.set(s.kind, []).get(s.kind)!;
        rows.push(subjectRow(s));
      }
      return [...byKind].flatMap(([kind, rows]) => nodes(subjectSection(kind), rows));
    }
    case 'reports':
      return nodes(REPORTS, (file.reports ?? []).map((r) => reportRow(r, ownerOf(r))));
    case 'links':
      return simple(LINKS, (file.links ?? []).map((l) => ({ ...l })));
  }
}

// ---------------------------------------------------------------------------------------------
// Execution.

async function writeImport(
  db: Db,
  file: ImportFile,
  existing: ExistingKeys,
  options: ImportOptions,
): Promise<Partial<Record<Section, number>>> {
  const size = options.batchSize ?? DEFAULT_BATCH_SIZE;
  const officerCountry = officerCountries(file, existing);
  const ownerOf = (item: { owner?: string; author?: string | null }): string =>
    item.owner ?? officerCountry.get(item.author!)!;
  const written: Partial<Record<Section, number>> = {};
  for (const section of SECTIONS) {
    const total = file[section]?.length ?? 0;
    if (total === 0) continue;
    const progress = (done: number): void => options.onProgress?.({ section, done, total });
    if (section === 'updates') {
      await writeUpdates(db, file.updates ?? [], ownerOf, size, options, progress);
    } else {
      let done = 0;
      const limit = CONCURRENT_SECTIONS.has(section) ? (options.concurrency ?? DEFAULT_CONCURRENCY) : 1;
      await eachConcurrently(sectionBatches(section, file, ownerOf, size), limit, async (batch) => {
        await timedBatch(db, section, batch.records, options, async (tx) => {
          let statements: Statement[];
          if ('statements' in batch) statements = batch.statements;
          else {
            const found = await tx.run<{ id: string }>(existingIdsStatement(batch.section, batch.rows.map((r) => r.id)));
            statements = nodeBatchStatements(batch.section, batch.rows, new Set(found.map((row) => row.id)));
            // A stored report may already assert links: they carry its policy fields (src/graph/link-policy.ts).
            if (batch.section === REPORTS && found.length) statements.push(syncLinksOfReportsStatement(found.map((row) => row.id)));
          }
          for (const statement of statements) await tx.run(statement);
        });
        progress((done += batch.records));
      });
    }
    written[section] = total;
  }
  return written;
}

/** One batch in one write transaction, its statements timed apart from the whole when asked. */
async function timedBatch(db: Db, section: Section, records: number, options: ImportOptions, work: (tx: Tx) => Promise<void>): Promise<void> {
  const onBatch = options.onBatch;
  if (!onBatch) return db.writeTx(work);
  const started = performance.now();
  let statementMs = 0;
  let attempts = 0;
  await db.writeTx(async (tx) => {
    statementMs = 0;
    attempts++;
    const timed: Tx = {
      run: async (statement) => {
        const at = performance.now();
        try {
          return await tx.run(statement);
        } finally {
          statementMs += performance.now() - at;
        }
      },
    };
    await work(timed);
  });
  onBatch({ section, records, statementMs, totalMs: performance.now() - started, attempts });
}

/**
 * Runs `work` on each item, at most `limit` at a time, in order of start. After a failure no
 * further item starts; the ones under way are waited for (each is its own transaction, so it
 * commits whole or not at all) and the first error is thrown.
 */
export async function eachConcurrently<T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  let failure: { error: unknown } | undefined;
  const worker = async (): Promise<void> => {
    while (!failure && next < items.length) {
      const item = items[next++];
      try {
        await work(item);
      } catch (error) {
        failure ??= { error };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  if (failure) throw failure.error;
}

function officerCountries(file: ImportFile, existing: ExistingKeys): Map<string, string> {
  const unitCountry = new Map<string, string>([...existing.units].map(([id, u]) => [id, u.country]));
  for (const unit of file.units ?? []) unitCountry.set(unit.id, unit.country);
  const out = new Map<string, string>([...existing.officers].map(([id, o]) => [id, o.country]));
  for (const officer of file.officers ?? []) out.set(officer.id, unitCountry.get(officer.unit)!);
  return out;
}

/**
 * Updates take their `seq` from the shared counter only when they are new, in postedAt order,
 * so the replay order of a subscription follows the file and a re-import keeps every seq.
 */
async function writeUpdates(
  db: Db,
  updates: UpdateRecord[],
  ownerOf: (item: UpdateRecord) => string,
  size: number,
  options: ImportOptions,
  progress: (done: number) => void,
): Promise<void> {
  const ordered = [...updates].sort(
    (a, b) => Date.parse(a.postedAt) - Date.parse(b.postedAt) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0),
  );
  let done = 0;
  for (const batch of chunks(ordered, size)) {
    await timedBatch(db, 'updates', batch.length, options, async (tx) => {
      const found = await tx.run<{ id: string }>(existingIdsStatement(UPDATES, batch.map((u) => u.id)));
      const existing = new Set(found.map((row) => row.id));
      const fresh = batch.filter((u) => !existing.has(u.id)).length;
      let next = 0;
      if (fresh > 0) {
        const [{ last }] = await tx.run<{ last: number }>({ cypher: RESERVE_SEQUENCE, params: { count: fresh } });
        next = last - fresh + 1;
      }
      const rows = batch.map((u) => updateRow(u, ownerOf(u), existing.has(u.id) ? null : next++));
      for (const statement of nodeBatchStatements(UPDATES, rows, existing)) await tx.run(statement);
    });
    progress((done += batch.length));
  }
}
