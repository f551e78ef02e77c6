import { expect } from 'vitest';
import { modelSees, type Viewer, type World } from './world-model';

/**
 * `search` on the random worlds of the property test: what DESIGN §3 and §4 say each principal
 * finds. Every report's title and every subject's name is its id, so the words of the world's
 * id prefix match all of them; the model keeps the visible ones: reports the viewer may read,
 * and subjects that at least one of those reports concerns.
 */

/** The words every title and name of the world holds (its prefix, less the world number). */
export function worldWords(prefix: string): string {
  return prefix.split('-').slice(1, 3).join(' ');
}

/** The search reads, as aliased fields of the property test's one query per principal. */
export function searchReads(prefix: string): string {
  const text = JSON.stringify(worldWords(prefix));
  const node = '__typename ... on IntelReport { id } ... on Subject { id }';
  return `searchAll: search(text: ${text}, first: 100) { totalCount edges { score node { ${node} } } }
searchReports: search(text: ${text}, kinds: [INTEL_REPORT], first: 100) { totalCount edges { node { ${node} } } }
searchFirstTwo: search(text: ${text}, first: 2) { totalCount edges { node { ${node} } } pageInfo { hasNextPage } }`;
}

type SearchAnswer = {
  totalCount: number;
  edges: { score?: number; node: { __typename: string; id: string } }[];
  pageInfo?: { hasNextPage: boolean };
};

export function modelSearchHits(world: World, viewer: Viewer): { reports: string[]; subjects: string[] } {
  const reports = world.reports.filter((r) => modelSees(world, viewer, r));
  const subjects = world.subjects.filter((s) => reports.some((r) => r.subjects.includes(s)));
  return { reports: reports.map((r) => r.id), subjects };
}

export function checkSearch(world: World, viewer: Viewer, data: Record<string, unknown>): void {
  const { reports, subjects } = modelSearchHits(world, viewer);
  const all = data.searchAll as SearchAnswer;
  const ids = (answer: SearchAnswer) => answer.edges.map((e) => e.node.id);
  expect(ids(all).sort(), 'search hits').toEqual([...reports, ...subjects].sort());
  expect(all.totalCount, 'search totalCount').toBe(reports.length + subjects.length);
  const scores = all.edges.map((e) => e.score!);
  expect(scores, 'search order').toEqual([...scores].sort((a, b) => b - a));

  const onlyReports = data.searchReports as SearchAnswer;
  expect(ids(onlyReports).sort(), 'search of reports').toEqual([...reports].sort());
  expect(onlyReports.totalCount).toBe(reports.length);
  expect(onlyReports.edges.every((e) => e.node.__typename === 'IntelReport')).toBe(true);

  const firstTwo = data.searchFirstTwo as SearchAnswer;
  expect(ids(firstTwo), 'search first page').toEqual(ids(all).slice(0, 2));
  expect(firstTwo.totalCount).toBe(all.totalCount);
  expect(firstTwo.pageInfo!.hasNextPage).toBe(all.totalCount > 2);
}
