import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import {
  SECTIONS,
  type CountryRecord,
  type ImportFile,
  type Level,
  type LinkRecord,
  type OfficerRecord,
  type OperationRecord,
  type PartnerRecord,
  type ReportRecord,
  type Role,
  type Section,
  type SharingRuleRecord,
  type ShareLevel,
  type SubjectKind,
  type SubjectRecord,
  type UnitRecord,
  type UpdateRecord,
} from './types';

/**
 * A deterministic synthetic network for load tests and benchmarks. Every record is a pure
 * function of (seed, section, index), so sections can be streamed to disk one record at a time
 * and a report's links can be derived again from the report's index without keeping reports.
 *
 * Skew, as in real intelligence data: a few corridor countries hold most units, reports and
 * routes; subject degrees follow a power law (a few hubs appear in thousands of reports), which
 * joins the links into a few large networks.
 */

export type Scale = 'S' | 'M' | 'L';

export interface GenerateOptions {
  scale: Scale;
  seed: number;
  /** Multiplies every count relative to scale M; overrides `scale` (e.g. 0.65 for ~1M records). */
  factor?: number;
}

const FACTORS: Record<Scale, number> = { S: 0.01, M: 1, L: 3 };

/** Corridor countries first: they get the most units, officers and reports. */
const CODES = (
  'EC CO PA CR MX US VE BR BO CL GT HN SV NI PE AR DO HT CU PY UY ' +
  'SY TR GR MK RS HU AT DE IT LY NE NG ES MA FR GB AF IR PK IN BD LK TH MY ID AU ' +
  'AD AE AG AI AL AM AO AW AZ BA BB BE BF BG BH BI BJ BM BN BS BT BW BY BZ CA CD CF CG CH CI CM CN CV CY CZ ' +
  'DJ DK DM DZ EE EG ER ET FI FJ FM GA GD GE GH GM GN GQ GW GY HR IE IL IQ IS JM JO JP KE KG KH KI KM KN KP ' +
  'KR KW KZ LA LB LC LI LR LS LT LU LV MC MD ME MG MH ML MM MN MR MT MU MV MW MZ NA NL NO NP NR NZ OM PG ' +
  'PH PL PT PW QA RO RU RW SA SB SC SD SE SG SI SK SL SM SN SO SR SS ST SZ TD TG TJ TL TM TN TO TT TV TW ' +
  'TZ UA UG UZ VA VC VN VU WS YE ZA ZM ZW'
).split(' ');

const REGIONS = ['AMERICAS', 'EUROPE', 'AFRICA', 'ASIA_SOUTH_PACIFIC', 'MIDDLE_EAST_NORTH_AFRICA'];

/** Busy corridors (origin, transit..., destination) and how often reports follow them. */
const CORRIDORS: { route: string[]; weight: number }[] = [
  { route: ['EC', 'CO', 'PA', 'CR', 'NI', 'HN', 'GT', 'MX', 'US'], weight: 30 },
  { route: ['VE', 'CO', 'PA', 'CR', 'MX', 'US'], weight: 20 },
  { route: ['HT', 'DO', 'PA', 'MX', 'US'], weight: 8 },
  { route: ['BR', 'BO', 'CL'], weight: 6 },
  { route: ['SY', 'TR', 'GR', 'MK', 'RS', 'HU', 'AT', 'DE'], weight: 12 },
  { route: ['NG', 'NE', 'LY', 'IT'], weight: 10 },
  { route: ['AF', 'IR', 'TR', 'GR'], weight: 8 },
  { route: ['BD', 'IN', 'AE', 'LY', 'IT'], weight: 4 },
  { route: ['LK', 'ID', 'AU'], weight: 2 },
];

const FIRST_NAMES = ['Ana', 'Luis', 'Maria', 'Jose', 'Carlos', 'Sofia', 'Ahmed', 'Fatima', 'Omar', 'Elena', 'Ivan', 'Chidi', 'Amina', 'Diego', 'Lucia', 'Rafael', 'Yusuf', 'Leila', 'Pedro', 'Camila'];
const LAST_NAMES = ['Souza', 'Garcia', 'Rodriguez', 'Lopez', 'Martinez', 'Perez', 'Haddad', 'Okafor', 'Ivanova', 'Rossi', 'Gomez', 'Diaz', 'Silva', 'Torres', 'Ramirez', 'Flores', 'Mendoza', 'Castro', 'Yilmaz', 'Khan'];
const SUBJECT_KINDS: { kind: SubjectKind; weight: number }[] = [
  { kind: 'PERSON', weight: 50 },
  { kind: 'PHONE', weight: 15 },
  { kind: 'TRAVEL_DOCUMENT', weight: 12 },
  { kind: 'LOCATION', weight: 10 },
  { kind: 'VEHICLE', weight: 8 },
  { kind: 'ORGANIZATION', weight: 5 },
];
const LEVELS: { value: Level; weight: number }[] = [
  { value: 'UNCLASSIFIED', weight: 15 },
  { value: 'OFFICIAL', weight: 40 },
  { value: 'RESTRICTED', weight: 35 },
  { value: 'CONFIDENTIAL', weight: 10 },
];
const SHARE_LEVELS: ShareLevel[] = ['NONE', 'UNCLASSIFIED', 'OFFICIAL', 'RESTRICTED', 'CONFIDENTIAL'];
const SPECIALIZATIONS = ['MIGRANT_SMUGGLING', 'HUMAN_TRAFFICKING', 'BORDER_POLICE', 'DOCUMENT_FRAUD', 'ORGANISED_CRIME'];
const UPDATE_KINDS = ['ARREST', 'RESCUE', 'SEIZURE', 'CHECKS', 'SITREP'];

const DAY = 86_400_000;
const EPOCH = Date.UTC(2019, 0, 1);
const SPAN_DAYS = 7 * 365;

/** mulberry32: tiny, fast, and good enough for synthetic data. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function mix(...parts: number[]): number {
  let h = 0x811c9dc5;
  for (const part of parts) {
    h = Math.imul(h ^ (part >>> 0), 0x01000193);
    h ^= h >>> 13;
    h = Math.imul(h, 0x5bd1e995);
    h ^= h >>> 15;
  }
  return h >>> 0;
}

const STREAMS = { country: 1, unit: 2, officer: 3, operation: 4, subjectKind: 5, subject: 6, report: 7, reportSubjects: 8, link: 9, update: 10, rule: 11 };

class Random {
  readonly next: () => number;
  constructor(seed: number, stream: number, index: number) {
    this.next = mulberry32(mix(seed, stream, index));
  }
  int(n: number): number {
    return Math.floor(this.next() * n);
  }
  /** Power-law index in [0, n): small indices are far more likely. */
  skewed(n: number, power = 2): number {
    return Math.min(n - 1, Math.floor(n * Math.pow(this.next(), power)));
  }
  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)];
  }
  weighted<T extends { weight: number }>(items: readonly T[]): T {
    const total = items.reduce((sum, item) => sum + item.weight, 0);
    let r = this.next() * total;
    for (const item of items) if ((r -= item.weight) < 0) return item;
    return items[items.length - 1];
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  distinct(count: number, draw: () => number): number[] {
    const out = new Set<number>();
    for (let tries = 0; out.size < count && tries < count * 10; tries++) out.add(draw());
    return [...out];
  }
}

function iso(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

export interface GeneratedCounts {
  countries: number;
  sharingRules: number;
  partners: number;
  units: number;
  officers: number;
  operations: number;
  subjects: number;
  reports: number;
  updates: number;
}

export function generatedCounts(options: GenerateOptions): GeneratedCounts {
  const f = options.factor ?? FACTORS[options.scale];
  const countries = Math.max(20, Math.min(CODES.length, Math.round(150 * Math.min(f, 1) + 25 * Math.max(0, f - 1))));
  const units = Math.max(countries, Math.round(2000 * f));
  return {
    countries,
    sharingRules: countries * 4,
    partners: 2,
    units,
    officers: Math.max(units * 2, Math.round(20_000 * f)),
    operations: Math.max(5, Math.round(1000 * f)),
    subjects: Math.max(100, Math.round(300_000 * f)),
    reports: Math.max(50, Math.round(200_000 * f)),
    updates: Math.max(20, Math.round(20_000 * f)),
  };
}

/** What later sections need to know of earlier ones; small (no per-report or per-subject state). */
class World {
  readonly counts: GeneratedCounts;
  readonly codes: string[];
  readonly unitCountry: number[] = [];
  readonly officerUnit: number[] = [];
  readonly officersByCountry: number[][];
  readonly operationMembers: number[][] = [];
  readonly operationStart: number[] = [];

  constructor(readonly seed: number, options: GenerateOptions) {
    this.counts = generatedCounts(options);
    this.codes = CODES.slice(0, this.counts.countries);
    this.officersByCountry = this.codes.map(() => []);
    for (let u = 0; u < this.counts.units; u++) {
      this.unitCountry.push(u < this.codes.length ? u : new Random(seed, STREAMS.unit, u).skewed(this.codes.length));
    }
    for (let o = 0; o < this.counts.officers; o++) {
      const unit = o < this.counts.units ? o : new Random(seed, STREAMS.officer, o).int(this.counts.units);
      this.officerUnit.push(unit);
      this.officersByCountry[this.unitCountry[unit]].push(o);
    }
    for (let op = 0; op < this.counts.operations; op++) {
      const random = new Random(seed, STREAMS.operation, op);
      const lead = random.skewed(this.codes.length);
      const others = random.distinct(2 + random.int(11), () => random.skewed(this.codes.length, 1.5)).filter((c) => c !== lead);
      this.operationMembers.push([lead, ...others]);
      this.operationStart.push(EPOCH + random.int(SPAN_DAYS) * DAY);
    }
  }

  officerId(o: number): string {
    return `o-${o}`;
  }

  officerOf(random: Random, country: number): number {
    return random.pick(this.officersByCountry[country]);
  }

  subjectKind(s: number): SubjectKind {
    return new Random(this.seed, STREAMS.subjectKind, s).weighted(SUBJECT_KINDS).kind;
  }

  /** A report's subjects, drawn from their own stream so links can derive them again. */
  reportSubjects(r: number): number[] {
    const random = new Random(this.seed, STREAMS.reportSubjects, r);
    const n = this.counts.subjects;
    // Half of a report's subjects are drawn from a neighbourhood, so networks have local structure.
    const base = random.int(n);
    return random.distinct(2 + random.int(7), () =>
      random.chance(0.5) ? random.skewed(n, 3) : (base + random.int(50)) % n,
    );
  }
}

function* countries(w: World): Generator<CountryRecord> {
  for (let c = 0; c < w.codes.length; c++) {
    const random = new Random(w.seed, STREAMS.country, c);
    yield {
      code: w.codes[c],
      name: `Country ${w.codes[c]}`,
      region: c < 21 ? 'AMERICAS' : random.pick(REGIONS),
      defaultShareLevel: random.pick(SHARE_LEVELS.slice(1, 4)),
      partnerShareLevel: random.chance(0.7) ? 'NONE' : 'UNCLASSIFIED',
    };
  }
}

function* sharingRules(w: World): Generator<SharingRuleRecord> {
  const seen = new Set<string>();
  for (let i = 0; i < w.counts.sharingRules; i++) {
    const random = new Random(w.seed, STREAMS.rule, i);
    const from = random.skewed(w.codes.length);
    const to = random.skewed(w.codes.length);
    const key = `${from}-${to}`;
    if (from === to || seen.has(key)) continue;
    seen.add(key);
    const dated = random.chance(0.3);
    const start = EPOCH + random.int(SPAN_DAYS) * DAY;
    yield {
      from: w.codes[from],
      to: w.codes[to],
      maxLevel: random.pick(SHARE_LEVELS),
      validFrom: dated ? iso(start) : null,
      validUntil: dated && random.chance(0.5) ? iso(start + (30 + random.int(700)) * DAY) : null,
    };
  }
}

function* partners(): Generator<PartnerRecord> {
  yield { id: 'iom', name: 'International Organization for Migration' };
  yield { id: 'unodc', name: 'United Nations Office on Drugs and Crime' };
}

function* units(w: World): Generator<UnitRecord> {
  for (let u = 0; u < w.counts.units; u++) {
    const random = new Random(w.seed, STREAMS.unit, u);
    const code = w.codes[w.unitCountry[u]];
    yield { id: `u-${u}`, country: code, name: `${code} unit ${u}`, specialization: random.pick(SPECIALIZATIONS) };
  }
}

const ROLE_MIX: { roles: Role[]; weight: number }[] = [
  { roles: ['OFFICER'], weight: 70 },
  { roles: ['ANALYST'], weight: 10 },
  { roles: ['COORDINATOR', 'OFFICER'], weight: 8 },
  { roles: ['OFFICER', 'ANALYST'], weight: 5 },
  { roles: ['OVERSIGHT'], weight: 3 },
  { roles: ['NETWORK_ADMIN'], weight: 2 },
  { roles: ['NCB_ADMIN', 'OFFICER'], weight: 2 },
];

function* officers(w: World): Generator<OfficerRecord> {
  for (let o = 0; o < w.counts.officers; o++) {
    const random = new Random(w.seed, STREAMS.officer, o);
    const first = random.pick(FIRST_NAMES);
    const last = random.pick(LAST_NAMES);
    const status = random.weighted([
      { value: 'ACTIVE' as const, weight: 90 },
      { value: 'NOMINATED' as const, weight: 6 },
      { value: 'SUSPENDED' as const, weight: 4 },
    ]).value;
    yield {
      id: w.officerId(o),
      unit: `u-${w.officerUnit[o]}`,
      name: `${first} ${last}`,
      email: `${first}.${last}.${o}@police.example.org`.toLowerCase(),
      rank: random.pick(['Officer', 'Sergeant', 'Inspector', 'Superintendent']),
      // The first officer of each country's first unit administers its NCB settings.
      roles: o < w.codes.length ? ['NCB_ADMIN', 'OFFICER'] : random.weighted(ROLE_MIX).roles,
      clearance: random.weighted(LEVELS).value,
      status: o < w.codes.length ? 'ACTIVE' : status,
    };
  }
}

function* operations(w: World): Generator<OperationRecord> {
  for (let op = 0; op < w.counts.operations; op++) {
    const random = new Random(w.seed, STREAMS.operation, op ^ 0x5a5a);
    const members = w.operationMembers[op];
    const start = w.operationStart[op];
    const officers = random.distinct(3 + random.int(13), () => w.officerOf(random, random.pick(members)));
    const status = start + 30 * DAY < Date.UTC(2026, 0, 1) ? 'CONCLUDED' : random.pick(['PLANNED', 'ACTIVE'] as const);
    yield {
      id: `op-${op}`,
      codename: `OPERATION ${op}`,
      objective: 'Disrupt smuggling networks along the main corridors and identify victims.',
      leadCountry: w.codes[members[0]],
      status,
      visibility: random.weighted([
        { value: 'PUBLIC' as const, weight: 20 },
        { value: 'NETWORK' as const, weight: 60 },
        { value: 'PARTICIPANTS' as const, weight: 20 },
      ]).value,
      startsAt: iso(start),
      endsAt: iso(start + (5 + random.int(25)) * DAY),
      participants: members.slice(1).map((c) => w.codes[c]),
      assignments: officers.map((o, i) => ({ officer: w.officerId(o), role: i === 0 ? 'COORDINATOR' : 'MEMBER' })),
    };
  }
}

function* subjects(w: World): Generator<SubjectRecord> {
  for (let s = 0; s < w.counts.subjects; s++) {
    const random = new Random(w.seed, STREAMS.subject, s);
    const id = `s-${s}`;
    const recordedBy = w.codes[random.skewed(w.codes.length)];
    const kind = w.subjectKind(s);
    switch (kind) {
      case 'PERSON': {
        const minor = random.chance(0.05);
        const born = Date.UTC(minor ? 2010 : 1960, 0, 1) + random.int(minor ? 4000 : 14000) * DAY;
        yield {
          id,
          kind,
          recordedBy,
          name: `${random.pick(FIRST_NAMES)} ${random.pick(LAST_NAMES)}`,
          aliases: random.chance(0.2) ? [`${random.pick(FIRST_NAMES)} ${random.pick(LAST_NAMES)}`] : [],
          nationality: w.codes[random.skewed(w.codes.length)],
          dateOfBirth: iso(born).slice(0, 10),
          protected: minor || random.chance(0.1),
        };
        break;
      }
      case 'TRAVEL_DOCUMENT': {
        const status = random.weighted([
          { value: 'VALID' as const, weight: 80 },
          { value: 'STOLEN' as const, weight: 10 },
          { value: 'LOST' as const, weight: 7 },
          { value: 'REVOKED' as const, weight: 3 },
        ]).value;
        yield {
          id,
          kind,
          recordedBy,
          number: `${String.fromCharCode(65 + random.int(26))}${String(s).padStart(8, '0')}`,
          issuingCountry: w.codes[random.skewed(w.codes.length)],
          documentType: random.chance(0.8) ? 'PASSPORT' : 'ID_CARD',
          status,
          reportedAt: status === 'VALID' ? null : iso(EPOCH + random.int(SPAN_DAYS) * DAY),
        };
        break;
      }
      case 'PHONE':
        yield { id, kind, recordedBy, number: `+${1 + random.int(99)} ${String(s).padStart(9, '0')}` };
        break;
      case 'VEHICLE':
        yield { id, kind, recordedBy, identifier: `${recordedBy}-${String(s).padStart(7, '0')}` };
        break;
      case 'ORGANIZATION':
        yield { id, kind, recordedBy, name: `${random.pick(LAST_NAMES)} Transport ${s}` };
        break;
      case 'LOCATION':
        yield { id, kind, recordedBy, name: `Stash house ${s}`, countryCode: recordedBy };
        break;
    }
  }
}

function* reports(w: World): Generator<ReportRecord> {
  for (let r = 0; r < w.counts.reports; r++) {
    const random = new Random(w.seed, STREAMS.report, r);
    const scoped = random.chance(0.1);
    const operation = scoped ? random.int(w.counts.operations) : -1;
    const owner = scoped ? random.pick(w.operationMembers[operation]) : random.skewed(w.codes.length);
    const corridor = random.weighted(CORRIDORS).route;
    const created = EPOCH + random.int(SPAN_DAYS * 24) * 3_600_000;
    const mode = random.weighted([
      { value: 'NETWORK' as const, weight: 80 },
      { value: 'ALLOW' as const, weight: 10 },
      { value: 'DENY' as const, weight: 10 },
    ]).value;
    const listed = mode === 'NETWORK' ? [] : random.distinct(1 + random.int(3), () => random.skewed(w.codes.length));
    yield {
      id: `r-${r}`,
      owner: w.codes[owner],
      author: w.officerId(w.officerOf(random, owner)),
      title: `Smuggling activity ${corridor[0]} to ${corridor[corridor.length - 1]} (${r})`,
      summary: `Facilitators moving migrants along ${corridor.join(' > ')}.`,
      classification: random.weighted(LEVELS).value,
      handling: random.pick(['H0', 'H0', 'H1', 'H2', 'H3']),
      evaluation: `${random.pick(['A', 'B', 'B', 'C', 'X'])}${1 + random.int(4)}`,
      releasability: { mode, countries: listed.map((c) => w.codes[c]) },
      operation: scoped ? `op-${operation}` : null,
      createdAt: iso(created),
      expiresAt: random.chance(0.1) ? iso(created + (30 + random.int(700)) * DAY) : null,
      sourceDescription: random.pick(['Informant', 'Border interview', 'Wiretap', 'Open source', 'Seized phone']),
      route: { origin: corridor[0], transit: corridor.slice(1, -1), destination: corridor[corridor.length - 1] },
      subjects: w.reportSubjects(r).map((s) => `s-${s}`),
    };
  }
}

const LINK_KINDS: Partial<Record<SubjectKind, string>> = {
  PERSON: 'ASSOCIATE_OF',
  PHONE: 'USES_PHONE',
  TRAVEL_DOCUMENT: 'USES_DOCUMENT',
  VEHICLE: 'USES_VEHICLE',
  LOCATION: 'SEEN_AT',
  ORGANIZATION: 'MEMBER_OF',
};

function* links(w: World): Generator<LinkRecord> {
  for (let r = 0; r < w.counts.reports; r++) {
    const random = new Random(w.seed, STREAMS.link, r);
    const ends = w.reportSubjects(r);
    const count = Math.round(ends.length * (0.4 + random.next() * 1.2));
    for (let l = 0; l < count; l++) {
      const a = random.int(ends.length);
      const b = (a + 1 + random.int(ends.length - 1)) % ends.length;
      yield {
        id: `l-${r}-${l}`,
        from: `s-${ends[a]}`,
        to: `s-${ends[b]}`,
        kind: LINK_KINDS[w.subjectKind(ends[b])] ?? 'ASSOCIATE_OF',
        report: `r-${r}`,
      };
    }
  }
}

function* updates(w: World): Generator<UpdateRecord> {
  for (let u = 0; u < w.counts.updates; u++) {
    const random = new Random(w.seed, STREAMS.update, u);
    const op = random.skewed(w.counts.operations, 1.5);
    const kind = random.pick(UPDATE_KINDS);
    yield {
      id: `up-${u}`,
      operation: `op-${op}`,
      author: w.officerId(w.officerOf(random, random.pick(w.operationMembers[op]))),
      kind,
      text: `${kind} reported at checkpoint ${random.int(500)}.`,
      classification: random.weighted(LEVELS).value,
      postedAt: iso(w.operationStart[op] + random.int(30 * 24) * 3_600_000),
      metrics: {
        arrests: kind === 'ARREST' ? 1 + random.int(10) : 0,
        migrantsDetected: random.int(40),
        victimsRescued: kind === 'RESCUE' ? 1 + random.int(20) : 0,
        checks: kind === 'CHECKS' ? 100 + random.int(5000) : 0,
        seizures: kind === 'SEIZURE' ? 1 + random.int(5) : 0,
      },
    };
  }
}

type Records = { [S in Section]: Generator<NonNullable<ImportFile[S]>[number]> };

function sectionGenerators(options: GenerateOptions): Records {
  const w = new World(options.seed, options);
  return {
    countries: countries(w),
    sharingRules: sharingRules(w),
    partners: partners(),
    units: units(w),
    officers: officers(w),
    operations: operations(w),
    subjects: subjects(w),
    reports: reports(w),
    links: links(w),
    updates: updates(w),
  };
}

export function generateImport(options: GenerateOptions): ImportFile {
  const generators = sectionGenerators(options);
  const file: Record<string, unknown[]> = {};
  for (const section of SECTIONS) file[section] = [...generators[section]];
  return file as ImportFile;
}

/** Streams the generated file to disk one record at a time; returns the number of records. */
export async function writeGenerated(path: string, options: GenerateOptions): Promise<number> {
  const out = createWriteStream(path, { encoding: 'utf8', highWaterMark: 1 << 20 });
  const generators = sectionGenerators(options);
  let buffer = '{';
  let records = 0;
  const flush = async (): Promise<void> => {
    if (!out.write(buffer)) await once(out, 'drain');
    buffer = '';
  };
  for (const [s, section] of SECTIONS.entries()) {
    buffer += `${s === 0 ? '' : ','}\n${JSON.stringify(section)}: [`;
    let first = true;
    for (const record of generators[section]) {
      buffer += `${first ? '\n' : ',\n'}${JSON.stringify(record)}`;
      first = false;
      records++;
      if (buffer.length > 1 << 20) await flush();
    }
    buffer += '\n]';
  }
  buffer += '\n}\n';
  await flush();
  out.end();
  await once(out, 'finish');
  return records;
}
