import fc from 'fast-check';
import type { ImportFile } from '../../src/import/types';

/**
 * Random worlds for the property tests, and an independent model of DESIGN §3 that says what
 * each principal may see in them. The model is written from the design text, not from
 * src/policy: the tests compare the hub against it.
 */
export const CODES = ['XQ', 'XZ', 'AA', 'ZZ'] as const;
const LEVELS = ['UNCLASSIFIED', 'OFFICIAL', 'RESTRICTED', 'CONFIDENTIAL'] as const;
const SHARE = ['NONE', ...LEVELS] as const;
const ROLES = ['OFFICER', 'COORDINATOR', 'ANALYST', 'NCB_ADMIN', 'OVERSIGHT', 'NETWORK_ADMIN'] as const;
const CONTENT_ROLES = ['OFFICER', 'COORDINATOR', 'ANALYST', 'NCB_ADMIN'];
const DAY = 86_400_000;

const countryIndex = fc.nat(CODES.length - 1);
const level = fc.constantFrom(...LEVELS);

export const worldSpec = fc.record({
  countries: fc.tuple(...CODES.map(() => fc.record({ def: fc.constantFrom(...SHARE), partner: fc.constantFrom(...SHARE) }))),
  rules: fc.array(
    fc.record({ from: countryIndex, to: countryIndex, max: fc.constantFrom(...SHARE), window: fc.constantFrom('open', 'current', 'past', 'future') }),
    { maxLength: 6 },
  ),
  operations: fc.array(
    fc.record({ lead: countryIndex, participants: fc.subarray([0, 1, 2, 3]), visibility: fc.constantFrom('PUBLIC', 'NETWORK', 'PARTICIPANTS') }),
    { minLength: 1, maxLength: 2 },
  ),
  officers: fc.array(
    fc.record({
      country: countryIndex,
      clearance: level,
      roles: fc.subarray([...ROLES], { minLength: 1, maxLength: 2 }),
      status: fc.constantFrom('ACTIVE', 'ACTIVE', 'ACTIVE', 'NOMINATED', 'SUSPENDED'),
      assign: fc.tuple(fc.boolean(), fc.boolean()),
    }),
    { minLength: 2, maxLength: 5 },
  ),
  reports: fc.array(
    fc.record({
      owner: countryIndex,
      classification: level,
      mode: fc.constantFrom('NETWORK', 'NETWORK', 'ALLOW', 'DENY'),
      countries: fc.subarray([...CODES], { minLength: 1 }),
      op: fc.option(fc.nat(1), { nil: null }),
      expiry: fc.constantFrom('none', 'none', 'past', 'future'),
      subjects: fc.subarray([0, 1, 2, 3]),
    }),
    { minLength: 1, maxLength: 7 },
  ),
  links: fc.array(fc.record({ report: fc.nat(6), a: fc.nat(3), b: fc.nat(3) }), { maxLength: 4 }),
  updates: fc.array(fc.record({ op: fc.nat(1), owner: countryIndex, classification: level }), { maxLength: 4 }),
});

export type WorldSpec = typeof worldSpec extends fc.Arbitrary<infer T> ? T : never;

/* ------------------------------------------------------------ the world as data */

export interface Item {
  id: string;
  owner: string;
  classification: string;
  mode: string;
  countries: string[];
  operation: string | null;
  expiresAt: string | null;
  createdAt: string;
}

export interface World {
  file: ImportFile;
  now: number;
  countries: { code: string; def: string; partner: string }[];
  rules: { from: string; to: string; max: string; validFrom: string | null; validUntil: string | null }[];
  operations: { id: string; lead: string; participants: string[]; visibility: string; status: string }[];
  officers: { id: string; country: string; clearance: string; roles: string[]; status: string; assigned: string[] }[];
  partnerId: string;
  reports: (Item & { subjects: string[] })[];
  subjects: string[];
  links: { id: string; from: string; to: string; report: string }[];
  updates: Item[];
}

export function materialise(spec: WorldSpec, prefix: string, now = Date.now()): World {
  const id = (name: string) => `${prefix}-${name}`;
  const iso = (offsetDays: number) => new Date(now + offsetDays * DAY).toISOString().replace(/\.\d{3}Z$/, 'Z');
  const countries = CODES.map((code, i) => ({ code, def: spec.countries[i].def, partner: spec.countries[i].partner }));
  const windows: Record<string, [string | null, string | null]> = {
    open: [null, null],
    current: [iso(-2), iso(2)],
    past: [iso(-5), iso(-1)],
    future: [iso(1), iso(5)],
  };
  const ruleByPair = new Map<string, World['rules'][number]>();
  for (const rule of spec.rules) {
    if (rule.from === rule.to) continue;
    const [validFrom, validUntil] = windows[rule.window];
    ruleByPair.set(`${rule.from}-${rule.to}`, { from: CODES[rule.from], to: CODES[rule.to], max: rule.max, validFrom, validUntil });
  }
  const rules = [...ruleByPair.values()];
  const operations = spec.operations.map((op, i) => ({
    id: id(`op${i}`),
    lead: CODES[op.lead],
    participants: op.participants.filter((c) => c !== op.lead).map((c) => CODES[c]),
    visibility: op.visibility,
    status: 'ACTIVE',
  }));
  const members = (opIndex: number) => {
    const op = operations[opIndex];
    return op ? [op.lead, ...op.participants] : [];
  };
  const authors = CODES.map((code) => ({ id: id(`author-${code}`), country: code, clearance: 'CONFIDENTIAL', roles: ['OFFICER'], status: 'ACTIVE', assigned: [] as string[] }));
  const officers = [
    ...authors,
    ...spec.officers.map((o, i) => ({
      id: id(`officer${i}`),
      country: CODES[o.country],
      clearance: o.clearance,
      roles: o.roles,
      status: o.status,
      assigned: operations.filter((_, k) => o.assign[k] && members(k).includes(CODES[o.country])).map((op) => op.id),
    })),
  ];
  const subjects = [0, 1, 2, 3].map((i) => id(`s${i}`));
  const reports = spec.reports.map((r, i) => {
    const owner = CODES[r.owner];
    const operation = r.op !== null && members(r.op).includes(owner) ? operations[r.op].id : null;
    return {
      id: id(`r${i}`),
      owner,
      classification: r.classification,
      mode: r.mode,
      countries: r.mode === 'NETWORK' ? [] : r.countries,
      operation,
      expiresAt: r.expiry === 'none' ? null : iso(r.expiry === 'past' ? -1 : 10),
      createdAt: iso(-30 + (i % 3)), // ties on purpose: the id breaks them
      subjects: r.subjects.map((s) => subjects[s]),
    };
  });
  const links: World['links'] = [];
  spec.links.forEach((l, i) => {
    const report = reports[l.report];
    if (!report || l.a === l.b) return;
    if (!report.subjects.includes(subjects[l.a]) || !report.subjects.includes(subjects[l.b])) return;
    links.push({ id: id(`l${i}`), from: subjects[l.a], to: subjects[l.b], report: report.id });
  });
  const updates: Item[] = [];
  spec.updates.forEach((u, i) => {
    const owner = CODES[u.owner];
    if (!operations[u.op] || !members(u.op).includes(owner)) return;
    updates.push({ id: id(`u${i}`), owner, classification: u.classification, mode: 'NETWORK', countries: [], operation: operations[u.op].id, expiresAt: null, createdAt: iso(-1 + i / 100) });
  });
  const partnerId = id('partner');
  const file = {
    countries: countries.map((c) => ({ code: c.code, name: `Country ${c.code}`, defaultShareLevel: c.def, partnerShareLevel: c.partner })),
    sharingRules: rules.map((r) => ({ from: r.from, to: r.to, maxLevel: r.max, validFrom: r.validFrom, validUntil: r.validUntil })),
    partners: [{ id: partnerId, name: 'Partner' }],
    units: CODES.map((code) => ({ id: id(`unit-${code}`), country: code, name: `Unit ${code}` })),
    officers: officers.map((o) => ({ id: o.id, unit: id(`unit-${o.country}`), name: o.id, roles: o.roles, clearance: o.clearance, status: o.status })),
    operations: operations.map((op) => ({
      id: op.id, codename: op.id, leadCountry: op.lead, status: op.status, visibility: op.visibility, participants: op.participants,
      assignments: officers.filter((o) => o.assigned.includes(op.id)).map((o) => ({ officer: o.id, role: 'MEMBER' })),
    })),
    subjects: subjects.map((s) => ({ id: s, kind: 'ORGANIZATION', recordedBy: 'XQ', name: s })),
    reports: reports.map((r) => ({
      id: r.id, owner: r.owner, author: id(`author-${r.owner}`), title: r.id, classification: r.classification, handling: 'H0', sourceDescription: `source of ${r.id}`,
      releasability: { mode: r.mode, countries: r.countries }, operation: r.operation, createdAt: r.createdAt, expiresAt: r.expiresAt, subjects: r.subjects,
    })),
    links: links.map((l) => ({ id: l.id, from: l.from, to: l.to, kind: 'ASSOCIATE', report: l.report })),
    updates: updates.map((u) => ({ id: u.id, operation: u.operation, author: id(`author-${u.owner}`), kind: 'SITREP', text: u.id, classification: u.classification, postedAt: u.createdAt })),
  } as ImportFile;
  return { file, now, countries, rules, operations, officers, partnerId, reports, subjects, links, updates };
}

/* ------------------------------------------------------------ the model of DESIGN §3 */

const rank = (name: string) => SHARE.indexOf(name as (typeof SHARE)[number]) - 1;

export type Viewer = { kind: 'officer'; officer: World['officers'][number] } | { kind: 'partner' };

function levelToward(world: World, owner: string, recipient: string): number {
  const inForce = world.rules.find(
    (r) =>
      r.from === owner &&
      r.to === recipient &&
      (r.validFrom === null || Date.parse(r.validFrom) <= world.now) &&
      (r.validUntil === null || world.now <= Date.parse(r.validUntil)),
  );
  return rank(inForce ? inForce.max : world.countries.find((c) => c.code === owner)!.def);
}

export function modelSees(world: World, viewer: Viewer, item: Item): boolean {
  const expired = item.expiresAt !== null && Date.parse(item.expiresAt) <= world.now;
  if (viewer.kind === 'partner') {
    const partnerLevel = rank(world.countries.find((c) => c.code === item.owner)!.partner);
    return rank(item.classification) <= partnerLevel && item.mode === 'NETWORK' && item.operation === null && !expired;
  }
  const v = viewer.officer;
  if (v.status !== 'ACTIVE' || !v.roles.some((role) => CONTENT_ROLES.includes(role))) return false;
  if (rank(item.classification) > rank(v.clearance)) return false;
  if (v.country === item.owner) return true;
  const releasable = item.mode === 'NETWORK' || (item.mode === 'ALLOW' ? item.countries.includes(v.country) : !item.countries.includes(v.country));
  return (
    rank(item.classification) <= levelToward(world, item.owner, v.country) &&
    releasable &&
    (item.operation === null || v.assigned.includes(item.operation)) &&
    !expired
  );
}

export function modelSeesOperation(viewer: Viewer, op: World['operations'][number]): boolean {
  if (viewer.kind === 'partner') return op.visibility === 'PUBLIC';
  if (viewer.officer.status !== 'ACTIVE') return false;
  return op.visibility !== 'PARTICIPANTS' || op.lead === viewer.officer.country || op.participants.includes(viewer.officer.country);
}

/** Newest first, then id descending: the order of every report list. */
export function feedOrder(a: Item, b: Item): number {
  return a.createdAt === b.createdAt ? (a.id < b.id ? 1 : -1) : a.createdAt < b.createdAt ? 1 : -1;
}
