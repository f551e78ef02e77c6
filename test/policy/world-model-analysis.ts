import type { CorridorRecord } from '../../src/graph/analysis';
import { CODES, modelSees, type Viewer, type World } from './world-model';

/**
 * The analysis fields of DESIGN §4 ("Analysis") on the random worlds of world-model.ts, written
 * from the design text: links are visible iff their report is, traversals ignore direction and
 * use visible links only, networks keep the nearest subjects first, corridors group visible
 * reports by route.
 */

const DAY = 86_400_000;
const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

export interface AnalysisWorld extends World {
  routes: Map<string, { origin: string; transit: string[]; destination: string }>;
  persons: Set<string>;
  /** A bound inside the reports' creation dates, for the [since, until) window. */
  since: string;
}

/**
 * Gives the world's reports routes (every fourth has none) and makes two of its subjects
 * persons, in the import file too, so corridors have something to count. Deterministic by
 * index: the randomness that matters is visibility.
 */
export function withAnalysis(world: World): AnalysisWorld {
  const routes = new Map<string, { origin: string; transit: string[]; destination: string }>();
  world.reports.forEach((report, i) => {
    if (i % 4 === 3) return;
    routes.set(report.id, { origin: CODES[i % 2], transit: i % 3 === 0 ? [] : [CODES[2 + (i % 2)]], destination: CODES[(i + 1) % 2] });
  });
  const persons = new Set(world.subjects.slice(0, 2));
  const file = {
    ...world.file,
    reports: world.file.reports!.map((r) => ({ ...r, route: routes.get(r.id) ?? null })),
    subjects: world.file.subjects!.map((s) => (persons.has(s.id) ? { id: s.id, kind: 'PERSON', recordedBy: s.recordedBy, name: s.id, aliases: [], protected: false } : s)),
  } as World['file'];
  return { ...world, file, routes, persons, since: iso(world.now - 29 * DAY) };
}

export function visibleLinks(world: World, viewer: Viewer): World['links'] {
  const visible = new Set(world.reports.filter((r) => modelSees(world, viewer, r)).map((r) => r.id));
  return world.links.filter((l) => visible.has(l.report));
}

export function subjectVisible(world: World, viewer: Viewer, subject: string): boolean {
  return world.reports.some((r) => r.subjects.includes(subject) && modelSees(world, viewer, r));
}

/** Breadth-first distances over visible links, both directions, up to `max` links. */
export function distances(links: World['links'], start: string, max: number): Map<string, number> {
  const found = new Map([[start, 0]]);
  let frontier = [start];
  for (let d = 1; d <= max && frontier.length; d++) {
    const next: string[] = [];
    for (const s of frontier) {
      for (const l of links) {
        const other = l.from === s ? l.to : l.to === s ? l.from : null;
        if (other !== null && !found.has(other)) {
          found.set(other, d);
          next.push(other);
        }
      }
    }
    frontier = next;
  }
  return found;
}

export interface ModelNetwork {
  subjects: string[];
  links: string[];
  truncated: boolean;
}

export function modelNetwork(world: World, viewer: Viewer, start: string, depth: number, limit: number): ModelNetwork | null {
  if (!subjectVisible(world, viewer, start)) return null;
  const links = visibleLinks(world, viewer);
  const dist = distances(links, start, depth);
  const within = [...dist.keys()].sort((a, b) => dist.get(a)! - dist.get(b)! || (a < b ? -1 : 1));
  const kept = new Set(within.slice(0, limit));
  // A link is on a path of at most `depth` links iff one of its ends is nearer than `depth`.
  const onPath = links.filter((l) => dist.has(l.from) && dist.has(l.to) && Math.min(dist.get(l.from)!, dist.get(l.to)!) < depth);
  return {
    subjects: within.slice(0, limit),
    links: onPath.filter((l) => kept.has(l.from) && kept.has(l.to)).map((l) => l.id).sort(),
    truncated: within.length > limit,
  };
}

/** The length of a shortest visible path, or null when none of at most `maxHops` links exists. */
export function modelPathLength(world: World, viewer: Viewer, from: string, to: string, maxHops: number): number | null {
  if (!subjectVisible(world, viewer, from) || !subjectVisible(world, viewer, to)) return null;
  return distances(visibleLinks(world, viewer), from, maxHops).get(to) ?? null;
}

/** A corridor row as DESIGN §4 names its fields (the type the graph layer returns, not its logic). */
export type ModelCorridor = CorridorRecord;

export function modelCorridors(world: AnalysisWorld, viewer: Viewer, options: { since?: string; byMonth?: boolean } = {}): ModelCorridor[] {
  const groups = new Map<string, { row: ModelCorridor; persons: Set<string> }>();
  for (const report of world.reports) {
    const route = world.routes.get(report.id);
    if (!route || !modelSees(world, viewer, report)) continue;
    if (options.since && Date.parse(report.createdAt) < Date.parse(options.since)) continue;
    const month = options.byMonth ? report.createdAt.slice(0, 7) : null;
    const key = JSON.stringify([route, month]);
    const group = groups.get(key) ?? { row: { ...route, month, reports: 0, persons: 0, lastSeen: report.createdAt }, persons: new Set<string>() };
    group.row.reports += 1;
    if (Date.parse(report.createdAt) > Date.parse(group.row.lastSeen)) group.row.lastSeen = report.createdAt;
    for (const s of report.subjects) if (world.persons.has(s)) group.persons.add(s);
    group.row.persons = group.persons.size;
    groups.set(key, group);
  }
  return [...groups.values()].map((g) => g.row);
}
