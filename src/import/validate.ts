import Ajv2020, { type ErrorObject, type ValidateFunction } from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { BadInputError } from '../errors';
import schema from '../../schema/import.schema.json';
import { SECTIONS, type ImportFile, type ReportRecord, type Section, type UpdateRecord } from './types';

export interface ImportProblem {
  /** The record, e.g. "reports[12] (id r-9)"; "file" for the file as a whole. */
  record: string;
  /** The field inside the record, e.g. "releasability.countries[0]"; "" for the record itself. */
  field: string;
  message: string;
}

export type ValidationResult = { ok: true; file: ImportFile } | { ok: false; problems: ImportProblem[] };

/**
 * What the database already holds of the records the file refers to but does not define, with
 * the facts the cross-record rules need (an officer's country, an operation's countries...).
 */
export interface ExistingKeys {
  countries: ReadonlySet<string>;
  units: ReadonlyMap<string, { country: string }>;
  officers: ReadonlyMap<string, { country: string }>;
  operations: ReadonlyMap<string, { countries: readonly string[] }>;
  subjects: ReadonlySet<string>;
  reports: ReadonlyMap<string, { owner: string; subjects: readonly string[] }>;
}

/** Keys the file refers to without defining them, per kind: the caller looks these up. */
export interface ReferencedKeys {
  countries: string[];
  units: string[];
  officers: string[];
  operations: string[];
  subjects: string[];
  reports: string[];
}

export const NO_EXISTING_KEYS: ExistingKeys = {
  countries: new Set(),
  units: new Map(),
  officers: new Map(),
  operations: new Map(),
  subjects: new Set(),
  reports: new Map(),
};

const MAX_PROBLEMS_IN_MESSAGE = 50;

let compiled: ValidateFunction | undefined;

function shapeValidator(): ValidateFunction {
  if (!compiled) {
    const ajv = new Ajv2020({ allErrors: true, discriminator: true, strict: false });
    addFormats(ajv);
    compiled = ajv.compile(schema);
  }
  return compiled;
}

/** Readable messages for the patterns a reader cannot be expected to decode. */
const PATTERN_MESSAGES: Record<string, string> = {
  id: 'must be 1-128 characters of letters, digits, ".", "_", ":" and "-"',
  optionalId: 'must be 1-128 characters of letters, digits, ".", "_", ":" and "-"',
  countryCode: 'must be a country code of two upper-case letters (ISO 3166-1 alpha-2)',
  optionalCountryCode: 'must be a country code of two upper-case letters (ISO 3166-1 alpha-2)',
  dateTime: 'must be an ISO 8601 date and time in UTC, e.g. 2023-11-28T10:00:00Z',
  optionalDateTime: 'must be an ISO 8601 date and time in UTC, e.g. 2023-11-28T10:00:00Z',
};

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function asString(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

function keyOf(section: Section, record: unknown): string | undefined {
  if (!isRecord(record)) return undefined;
  if (section === 'countries') return asString(record.code);
  if (section === 'sharingRules') {
    const from = asString(record.from);
    const to = asString(record.to);
    return from !== undefined && to !== undefined ? `${from}->${to}` : undefined;
  }
  return asString(record.id);
}

function recordLabel(section: string, index: number, record: unknown): string {
  const key = SECTIONS.includes(section as Section) ? keyOf(section as Section, record) : undefined;
  if (key === undefined) return `${section}[${index}]`;
  const name = section === 'countries' ? 'code' : section === 'sharingRules' ? 'rule' : 'id';
  return `${section}[${index}] (${name} ${key})`;
}

function fieldPath(segments: string[]): string {
  return segments.map((s, i) => (/^\d+$/.test(s) ? `[${s}]` : i === 0 ? s : `.${s}`)).join('');
}

function shapeProblem(file: Record<string, unknown>, error: ErrorObject): ImportProblem {
  const segments = error.instancePath
    .split('/')
    .slice(1)
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
  let extra: string | undefined;
  let message = error.message ?? 'is invalid';
  if (error.keyword === 'required') {
    extra = (error.params as { missingProperty: string }).missingProperty;
    message = 'is required';
  } else if (error.keyword === 'additionalProperties') {
    extra = (error.params as { additionalProperty: string }).additionalProperty;
    message = 'is not a known field';
  } else if (error.keyword === 'discriminator') {
    extra = 'kind';
    message = 'must be one of PERSON, ORGANIZATION, TRAVEL_DOCUMENT, VEHICLE, PHONE, LOCATION';
  } else if (error.keyword === 'enum') {
    message = `must be one of ${(error.params as { allowedValues: unknown[] }).allowedValues.join(', ')}`;
  } else if (error.keyword === 'pattern' || error.keyword === 'format') {
    const def = /\$defs\/(\w+)\/(?:pattern|format)$/.exec(error.schemaPath)?.[1];
    if (def && PATTERN_MESSAGES[def]) message = PATTERN_MESSAGES[def];
  }
  const fieldSegments = extra === undefined ? segments.slice(2) : [...segments.slice(2), extra];
  if (segments.length < 2) {
    return { record: segments.length === 0 ? 'file' : segments[0], field: fieldPath(fieldSegments.slice(0)) || (extra ?? ''), message };
  }
  const section = segments[0];
  const index = Number(segments[1]);
  const records = file[section];
  const record = Array.isArray(records) ? records[index] : undefined;
  return { record: recordLabel(section, index, record), field: fieldPath(fieldSegments), message };
}

function sectionOf(file: Record<string, unknown>, section: Section): unknown[] {
  const records = file[section];
  return Array.isArray(records) ? records : [];
}

/** Where each section refers to other records: a field, a list ("[]") or a list of objects. */
const REFERENCES: Partial<Record<Section, [path: string, kind: keyof ReferencedKeys][]>> = {
  sharingRules: [['from', 'countries'], ['to', 'countries']],
  units: [['country', 'countries']],
  officers: [['unit', 'units']],
  operations: [['leadCountry', 'countries'], ['participants[]', 'countries'], ['assignments[].officer', 'officers']],
  subjects: [['recordedBy', 'countries'], ['wanted.by', 'countries']],
  reports: [['owner', 'countries'], ['author', 'officers'], ['operation', 'operations'], ['subjects[]', 'subjects']],
  links: [['from', 'subjects'], ['to', 'subjects'], ['report', 'reports']],
  updates: [['operation', 'operations'], ['author', 'officers'], ['owner', 'countries']],
};

const DEFINES: Partial<Record<Section, keyof ReferencedKeys>> = {
  countries: 'countries',
  units: 'units',
  officers: 'officers',
  operations: 'operations',
  subjects: 'subjects',
  reports: 'reports',
};

/** The string values at a reference path; tolerant of any shape, since it runs before validation. */
function valuesAt(record: unknown, path: string): string[] {
  const [head, ...rest] = path.split('[].');
  if (!isRecord(record)) return [];
  if (rest.length > 0) {
    const list = record[head];
    return Array.isArray(list) ? list.flatMap((item) => valuesAt(item, rest.join('[].'))) : [];
  }
  const dot = head.indexOf('.');
  if (dot > 0) return valuesAt(record[head.slice(0, dot)], head.slice(dot + 1));
  if (head.endsWith('[]')) {
    const list = record[head.slice(0, -2)];
    return Array.isArray(list) ? list.filter((v): v is string => typeof v === 'string') : [];
  }
  const value = record[head];
  return typeof value === 'string' ? [value] : [];
}

/** Keys referenced but not defined in the file, per kind, each listed once. Any input shape. */
export function referencedKeys(file: unknown): ReferencedKeys {
  const raw = isRecord(file) ? file : {};
  const kinds: (keyof ReferencedKeys)[] = ['countries', 'units', 'officers', 'operations', 'subjects', 'reports'];
  const defined = new Map(kinds.map((kind) => [kind, new Set<string>()]));
  const wanted = new Map(kinds.map((kind) => [kind, new Set<string>()]));
  for (const section of SECTIONS) {
    const kind = DEFINES[section];
    if (kind) for (const record of sectionOf(raw, section)) for (const key of valuesAt(record, section === 'countries' ? 'code' : 'id')) defined.get(kind)!.add(key);
  }
  for (const section of SECTIONS) {
    for (const [path, kind] of REFERENCES[section] ?? []) {
      for (const record of sectionOf(raw, section)) {
        for (const key of valuesAt(record, path)) if (!defined.get(kind)!.has(key)) wanted.get(kind)!.add(key);
      }
    }
  }
  return Object.fromEntries(kinds.map((kind) => [kind, [...wanted.get(kind)!]])) as unknown as ReferencedKeys;
}

/**
 * Checks the whole file: shapes against schema/import.schema.json, then the rules that join
 * records. Every problem is collected, so one run names every bad record.
 */
export function validateImport(input: unknown, existing: ExistingKeys = NO_EXISTING_KEYS): ValidationResult {
  if (!isRecord(input)) {
    return { ok: false, problems: [{ record: 'file', field: '', message: 'must be a JSON object of sections' }] };
  }
  const validate = shapeValidator();
  const problems: ImportProblem[] = [];
  const invalid = new Set<string>();
  if (!validate(input)) {
    for (const error of validate.errors ?? []) {
      problems.push(shapeProblem(input, error));
      const [section, index] = error.instancePath.split('/').slice(1);
      if (index !== undefined) invalid.add(`${section}/${index}`);
    }
  }
  // A section that is not an array has no records to join.
  if (SECTIONS.some((s) => input[s] !== undefined && !Array.isArray(input[s]))) return { ok: false, problems };
  new CrossChecks(input as ImportFile, existing, invalid, problems).run();
  return problems.length === 0 ? { ok: true, file: input as ImportFile } : { ok: false, problems };
}

/**
 * The rules between records. Lookups read defensively (records may be shape-invalid); the
 * per-record checks run only on records whose shape is valid, so one mistake is reported once.
 */
class CrossChecks {
  private readonly countries: Set<string>;
  private readonly unitCountry = new Map<string, string>();
  private readonly officerCountry = new Map<string, string>();
  private readonly operationCountries = new Map<string, Set<string>>();
  private readonly subjects: Set<string>;
  private readonly reportSubjects = new Map<string, ReadonlySet<string>>();
  private readonly raw: Record<string, unknown>;

  constructor(
    private readonly file: ImportFile,
    private readonly existing: ExistingKeys,
    private readonly invalid: ReadonlySet<string>,
    private readonly problems: ImportProblem[],
  ) {
    this.raw = file as Record<string, unknown>;
    this.countries = new Set(existing.countries);
    for (const c of sectionOf(this.raw, 'countries')) if (isRecord(c) && typeof c.code === 'string') this.countries.add(c.code);
    for (const [id, unit] of existing.units) this.unitCountry.set(id, unit.country);
    for (const u of sectionOf(this.raw, 'units')) {
      if (isRecord(u) && typeof u.id === 'string' && typeof u.country === 'string') this.unitCountry.set(u.id, u.country);
    }
    for (const [id, officer] of existing.officers) this.officerCountry.set(id, officer.country);
    for (const o of sectionOf(this.raw, 'officers')) {
      const country = isRecord(o) && typeof o.unit === 'string' ? this.unitCountry.get(o.unit) : undefined;
      if (isRecord(o) && typeof o.id === 'string' && country !== undefined) this.officerCountry.set(o.id, country);
    }
    for (const [id, op] of existing.operations) this.operationCountries.set(id, new Set(op.countries));
    for (const op of sectionOf(this.raw, 'operations')) {
      if (!isRecord(op) || typeof op.id !== 'string') continue;
      const members = new Set<string>(Array.isArray(op.participants) ? op.participants.filter((p) => typeof p === 'string') : []);
      if (typeof op.leadCountry === 'string') members.add(op.leadCountry);
      this.operationCountries.set(op.id, members);
    }
    this.subjects = new Set(existing.subjects);
    for (const s of sectionOf(this.raw, 'subjects')) if (isRecord(s) && typeof s.id === 'string') this.subjects.add(s.id);
    for (const [id, report] of existing.reports) this.reportSubjects.set(id, new Set(report.subjects));
    for (const r of sectionOf(this.raw, 'reports')) {
      if (isRecord(r) && typeof r.id === 'string') {
        this.reportSubjects.set(r.id, new Set(Array.isArray(r.subjects) ? r.subjects.filter((s) => typeof s === 'string') : []));
      }
    }
  }

  run(): void {
    for (const section of SECTIONS) this.checkDuplicates(section);
    this.each('sharingRules', (rule, at) => {
      this.reference(at, 'from', 'country', rule.from, this.countries);
      this.reference(at, 'to', 'country', rule.to, this.countries);
      if (rule.from === rule.to) this.problem(at, 'to', 'a country cannot have a sharing rule with itself');
      this.ordered(at, 'validUntil', rule.validFrom, rule.validUntil, 'validFrom');
    });
    this.each('units', (unit, at) => this.reference(at, 'country', 'country', unit.country, this.countries));
    this.each('officers', (officer, at) => this.reference(at, 'unit', 'unit', officer.unit, this.unitCountry));
    this.each('operations', (op, at) => {
      this.reference(at, 'leadCountry', 'country', op.leadCountry, this.countries);
      (op.participants ?? []).forEach((code, i) => this.reference(at, `participants[${i}]`, 'country', code, this.countries));
      this.ordered(at, 'endsAt', op.startsAt, op.endsAt, 'startsAt');
      const members = this.operationCountries.get(op.id) ?? new Set<string>();
      const seen = new Set<string>();
      (op.assignments ?? []).forEach((assignment, i) => {
        const field = `assignments[${i}].officer`;
        if (seen.has(assignment.officer)) this.problem(at, field, `officer "${assignment.officer}" is assigned twice`);
        seen.add(assignment.officer);
        if (!this.reference(at, field, 'officer', assignment.officer, this.officerCountry)) return;
        const country = this.officerCountry.get(assignment.officer);
        if (country !== undefined && !members.has(country)) {
          this.problem(at, field, `officer "${assignment.officer}" is from ${country}, which neither leads nor participates in the operation`);
        }
      });
    });
    this.each('subjects', (subject, at) => {
      this.reference(at, 'recordedBy', 'country', subject.recordedBy, this.countries);
      if (subject.kind === 'PERSON' && subject.wanted) this.reference(at, 'wanted.by', 'country', subject.wanted.by, this.countries);
    });
    this.each('reports', (report, at) => this.checkReport(report, at));
    this.each('links', (link, at) => {
      const fromKnown = this.reference(at, 'from', 'subject', link.from, this.subjects);
      const toKnown = this.reference(at, 'to', 'subject', link.to, this.subjects);
      if (link.from === link.to) this.problem(at, 'to', 'a link must join two different subjects');
      if (!this.reference(at, 'report', 'report', link.report, this.reportSubjects)) return;
      const subjects = this.reportSubjects.get(link.report) ?? new Set<string>();
      if (fromKnown && !subjects.has(link.from)) this.problem(at, 'from', `subject "${link.from}" is not a subject of report "${link.report}"`);
      if (toKnown && !subjects.has(link.to)) this.problem(at, 'to', `subject "${link.to}" is not a subject of report "${link.report}"`);
    });
    this.each('updates', (update, at) => this.checkUpdate(update, at));
  }

  private checkReport(report: ReportRecord, at: string): void {
    this.checkOwnership(report, at);
    if (report.operation != null && this.reference(at, 'operation', 'operation', report.operation, this.operationCountries)) {
      const owner = this.ownerOf(report);
      const members = this.operationCountries.get(report.operation);
      if (owner !== undefined && members && !members.has(owner)) {
        this.problem(at, 'operation', `owner ${owner} neither leads nor participates in operation "${report.operation}"`);
      }
    }
    (report.subjects ?? []).forEach((id, i) => this.reference(at, `subjects[${i}]`, 'subject', id, this.subjects));
    this.ordered(at, 'expiresAt', report.createdAt, report.expiresAt, 'createdAt', true);
  }

  private checkUpdate(update: UpdateRecord, at: string): void {
    this.checkOwnership(update, at);
    if (!this.reference(at, 'operation', 'operation', update.operation, this.operationCountries)) return;
    const owner = this.ownerOf(update);
    const members = this.operationCountries.get(update.operation);
    if (owner !== undefined && members && !members.has(owner)) {
      this.problem(at, update.author ? 'author' : 'owner', `${owner} neither leads nor participates in operation "${update.operation}"`);
    }
  }

  /** An item is owned by its author's country: owner may be omitted, never contradict it. */
  private checkOwnership(item: ReportRecord | UpdateRecord, at: string): void {
    if (item.owner !== undefined) this.reference(at, 'owner', 'country', item.owner, this.countries);
    if (item.author == null) {
      if (item.owner === undefined) this.problem(at, 'author', 'is required when owner is omitted');
      return;
    }
    if (!this.reference(at, 'author', 'officer', item.author, this.officerCountry)) return;
    const country = this.officerCountry.get(item.author);
    if (item.owner !== undefined && country !== undefined && item.owner !== country) {
      this.problem(at, 'owner', `must be the author's country ${country}, not ${item.owner}`);
    }
  }

  private ownerOf(item: ReportRecord | UpdateRecord): string | undefined {
    return item.owner ?? (item.author != null ? this.officerCountry.get(item.author) : undefined);
  }

  private checkDuplicates(section: Section): void {
    const first = new Map<string, number>();
    sectionOf(this.raw, section).forEach((record, index) => {
      const key = keyOf(section, record);
      if (key === undefined) return;
      const earlier = first.get(key);
      if (earlier === undefined) first.set(key, index);
      else {
        const field = section === 'countries' ? 'code' : section === 'sharingRules' ? 'to' : 'id';
        this.problem(recordLabel(section, index, record), field, `duplicate of ${recordLabel(section, earlier, record)}`);
      }
    });
  }

  private each<S extends Section>(section: S, check: (record: NonNullable<ImportFile[S]>[number], at: string) => void): void {
    const records = (this.file[section] ?? []) as NonNullable<ImportFile[S]>;
    records.forEach((record: NonNullable<ImportFile[S]>[number], index: number) => {
      if (!this.invalid.has(`${section}/${index}`)) check(record, recordLabel(section, index, record));
    });
  }

  private reference(at: string, field: string, kind: string, key: string, known: ReadonlySet<string> | ReadonlyMap<string, unknown>): boolean {
    if (known.has(key)) return true;
    this.problem(at, field, `unknown ${kind} "${key}"`);
    return false;
  }

  private ordered(at: string, field: string, earlier: string | null | undefined, later: string | null | undefined, earlierName: string, strict = false): void {
    if (earlier == null || later == null) return;
    const a = Date.parse(earlier);
    const b = Date.parse(later);
    if (strict ? b <= a : b < a) this.problem(at, field, `must be ${strict ? 'after' : 'at or after'} ${earlierName}`);
  }

  private problem(record: string, field: string, message: string): void {
    this.problems.push({ record, field, message });
  }
}

/** The error an import fails with: every problem in extensions, the first fifty in the message. */
export function importProblemsError(problems: ImportProblem[]): BadInputError {
  const lines = problems
    .slice(0, MAX_PROBLEMS_IN_MESSAGE)
    .map((p) => `- ${p.record}${p.field ? ` ${p.field}` : ''}: ${p.message}`);
  if (problems.length > MAX_PROBLEMS_IN_MESSAGE) lines.push(`- ... and ${problems.length - MAX_PROBLEMS_IN_MESSAGE} more`);
  const noun = problems.length === 1 ? 'problem' : 'problems';
  return new BadInputError(
    `the import file has ${problems.length} ${noun}; nothing was written:\n${lines.join('\n')}`,
    problems.map((p) => ({ record: p.record, field: p.field, message: p.message })),
  );
}
