import { UndirectedGraph } from 'graphology';
import betweennessCentrality from 'graphology-metrics/centrality/betweenness';
import type { LinkRecord } from './records';

/**
 * Who holds a network together: betweenness centrality (Brandes' algorithm, from
 * graphology-metrics) over the network answered, links undirected and parallel links merged —
 * the unnormalised count, over pairs of other subjects, of the share of their shortest paths
 * that pass through the subject. `degree` is the number of distinct neighbours in the network.
 */
export interface SubjectScoreRecord {
  subjectId: string;
  betweenness: number;
  degree: number;
}

export function rankBrokers(subjectIds: readonly string[], links: readonly LinkRecord[], first: number): SubjectScoreRecord[] {
  const graph = new UndirectedGraph();
  for (const id of subjectIds) graph.addNode(id);
  for (const link of links) {
    if (link.fromId === link.toId || !graph.hasNode(link.fromId) || !graph.hasNode(link.toId)) continue;
    graph.mergeEdge(link.fromId, link.toId);
  }
  const betweenness = betweennessCentrality(graph, { normalized: false });
  return subjectIds
    .map((subjectId) => ({ subjectId, betweenness: betweenness[subjectId] ?? 0, degree: graph.degree(subjectId) }))
    .sort((a, b) => b.betweenness - a.betweenness || b.degree - a.degree || (a.subjectId < b.subjectId ? -1 : a.subjectId > b.subjectId ? 1 : 0))
    .slice(0, first);
}
