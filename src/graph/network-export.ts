import type { NetworkRecord } from './analysis';
import type { SubjectRecord } from './records';

/**
 * The visible network around a subject as files for analysts' tools: GraphML (Gephi, yEd,
 * Cytoscape) and a JSON graph. Pure: the network comes from GraphSession.subjectNetwork, so it
 * is already filtered by the sharing rule, redacted and audited.
 */

export const EXPORT_FORMATS = ['graphml', 'json'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

type ExportedSubject = SubjectRecord & { redactedFields?: string[] };

/** What a tool shows on a node: the subject's name, number or identifier (null when redacted). */
export function subjectLabel(subject: ExportedSubject): string {
  return subject.name ?? subject.number ?? subject.identifier ?? subject.id;
}

export interface JsonGraph {
  subjectId: string;
  depth: number;
  truncated: boolean;
  nodes: { id: string; kind: string; label: string; distance: number; redactedFields: string[] }[];
  links: { id: string; kind: string; source: string; target: string; report: string }[];
}

export function toJsonGraph(network: NetworkRecord): JsonGraph {
  return {
    subjectId: network.startId,
    depth: network.depth,
    truncated: network.truncated,
    nodes: network.members.map(({ subject, distance }) => ({
      id: subject.id,
      kind: subject.kind,
      label: subjectLabel(subject),
      distance,
      redactedFields: (subject as ExportedSubject).redactedFields ?? [],
    })),
    links: network.links.map((l) => ({ id: l.id, kind: l.kind, source: l.fromId, target: l.toId, report: l.reportId })),
  };
}

const XML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };
const xml = (value: string | number) => String(value).replace(/[&<>"']/g, (c) => XML_ESCAPES[c]);
const data = (key: string, value: string | number) => `<data key="${key}">${xml(value)}</data>`;

/** GraphML 1.0: links keep their stored direction (from → to); traversals ignored it. */
export function toGraphml(network: NetworkRecord): string {
  const graph = toJsonGraph(network);
  const nodes = graph.nodes.map(
    (n) => `    <node id="${xml(n.id)}">${data('kind', n.kind)}${data('label', n.label)}${data('distance', n.distance)}${data('redacted', n.redactedFields.join(' '))}</node>`,
  );
  const edges = graph.links.map(
    (l) => `    <edge id="${xml(l.id)}" source="${xml(l.source)}" target="${xml(l.target)}">${data('linkKind', l.kind)}${data('report', l.report)}</edge>`,
  );
  return `<?xml version="1.0" encoding="UTF-8"?>
<graphml xmlns="http://graphml.graphdrawing.org/xmlns" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
  xsi:schemaLocation="http://graphml.graphdrawing.org/xmlns http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd">
  <key id="kind" for="node" attr.name="kind" attr.type="string"/>
  <key id="label" for="node" attr.name="label" attr.type="string"/>
  <key id="distance" for="node" attr.name="distance" attr.type="int"/>
  <key id="redacted" for="node" attr.name="redactedFields" attr.type="string"/>
  <key id="linkKind" for="edge" attr.name="kind" attr.type="string"/>
  <key id="report" for="edge" attr.name="report" attr.type="string"/>
  <graph id="${xml(graph.subjectId)}" edgedefault="directed">
${[...nodes, ...edges].join('\n')}
  </graph>
</graphml>
`;
}
