import cytoscape, { type Core, type ElementDefinition } from 'cytoscape';
import { useEffect, useRef, useState } from 'react';
import { gql } from '../api';
import { NETWORK, RECENT_SUBJECTS } from '../operations';
import { subjectLabel, type Network, type NetworkLink, type SubjectNode } from '../types';
import type { Session } from './App';
import { href } from './route';

const KIND_STYLE: Record<SubjectNode['kind'], { color: string; shape: cytoscape.Css.NodeShape }> = {
  PERSON: { color: '#2563eb', shape: 'ellipse' },
  ORGANIZATION: { color: '#9333ea', shape: 'hexagon' },
  TRAVEL_DOCUMENT: { color: '#d97706', shape: 'rectangle' },
  VEHICLE: { color: '#059669', shape: 'round-rectangle' },
  PHONE: { color: '#db2777', shape: 'diamond' },
  LOCATION: { color: '#4b5563', shape: 'triangle' },
};
const LINK_COLORS = ['#64748b', '#0ea5e9', '#f97316', '#22c55e', '#a855f7', '#ef4444', '#14b8a6', '#eab308'];

function linkColor(kind: string): string {
  let hash = 0;
  for (const char of kind) hash = (hash * 31 + char.charCodeAt(0)) >>> 0;
  return LINK_COLORS[hash % LINK_COLORS.length];
}

/**
 * One drawn edge per pair of subjects and link kind: several reports often assert the same
 * link, and parallel edges would pull the layout into a knot. The width says how many.
 */
function drawnLinks(picture: Picture): ElementDefinition[] {
  const edges = new Map<string, { source: string; target: string; kind: string; count: number }>();
  for (const link of picture.links.values()) {
    if (!picture.subjects.has(link.from.id) || !picture.subjects.has(link.to.id)) continue;
    const [source, target] = [link.from.id, link.to.id].sort();
    const key = `${source}|${target}|${link.kind}`;
    const edge = edges.get(key) ?? { source, target, kind: link.kind, count: 0 };
    edge.count += 1;
    edges.set(key, edge);
  }
  const labelled = edges.size <= 40;
  return [...edges.entries()].map(([key, edge]) => ({
    data: { id: `link:${key}`, ...edge, label: labelled ? edge.kind : '', width: 1.5 + Math.log2(edge.count), color: linkColor(edge.kind) },
  }));
}

interface Picture {
  subjects: Map<string, SubjectNode>;
  links: Map<string, NetworkLink>;
  brokers: Set<string>;
  truncated: boolean;
  expanded: Set<string>;
}

/**
 * The visible network around a subject: whatever the hub returns is all there is (links the
 * officer may not see, and subjects reached only through them, never arrive). Clicking a
 * subject adds its own neighbourhood, one hop more.
 */
export function NetworkView({ session, subjectId }: { session: Session; subjectId: string | null }) {
  const [picture, setPicture] = useState<Picture | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);
  const container = useRef<HTMLDivElement>(null);
  const graph = useRef<Core | null>(null);

  const expand = async (id: string, depth: number, base: Picture | null): Promise<Picture | null> => {
    const { subjectNetwork } = await gql<{ subjectNetwork: Network | null }>(session.token, NETWORK, { subjectId: id, depth, limit: 200 });
    if (!subjectNetwork) return base;
    const next: Picture = base
      ? { ...base, subjects: new Map(base.subjects), links: new Map(base.links), expanded: new Set(base.expanded) }
      : { subjects: new Map(), links: new Map(), brokers: new Set(subjectNetwork.brokers.filter((b) => b.betweenness > 0).map((b) => b.subject.id)), truncated: false, expanded: new Set() };
    for (const subject of subjectNetwork.subjects) next.subjects.set(subject.id, subject);
    for (const link of subjectNetwork.links) next.links.set(link.id, link);
    next.truncated ||= subjectNetwork.truncated;
    next.expanded.add(id);
    return next;
  };

  useEffect(() => {
    setPicture(null);
    setError(null);
    if (!subjectId) return;
    let cancelled = false;
    setLoading(true);
    expand(subjectId, 2, null)
      .then((p) => {
        if (cancelled) return;
        setPicture(p);
        if (!p) setError(`No subject ${subjectId} is visible to you.`);
      })
      .catch((e: unknown) => !cancelled && setError(String((e as Error).message ?? e)))
      .finally(() => !cancelled && setLoading(false));
    return () => {
      cancelled = true;
    };
  }, [subjectId, session.token]);

  useEffect(() => {
    if (!container.current || !picture) return;
    const elements: ElementDefinition[] = [
      ...[...picture.subjects.values()].map((subject) => ({
        data: { id: subject.id, label: subjectLabel(subject), kind: subject.kind },
        classes: [picture.brokers.has(subject.id) ? 'broker' : '', subject.id === subjectId ? 'root' : ''].join(' ').trim(),
      })),
      ...drawnLinks(picture),
    ];
    graph.current?.destroy();
    const cy = cytoscape({
      container: container.current,
      elements,
      // A small network would otherwise be fitted at a zoom that makes every label huge.
      maxZoom: 1.4,
      minZoom: 0.1,
      style: [
        {
          selector: 'node',
          style: {
            label: 'data(label)',
            'font-size': 10,
            'text-valign': 'bottom',
            'text-margin-y': 4,
            width: 22,
            height: 22,
            'background-color': (node: cytoscape.NodeSingular) => KIND_STYLE[node.data('kind') as SubjectNode['kind']].color,
            shape: (node: cytoscape.NodeSingular) => KIND_STYLE[node.data('kind') as SubjectNode['kind']].shape,
          },
        },
        // Brokers: the subjects (of the first picture) with a betweenness above zero, at most the top five.
        { selector: 'node.broker', style: { 'border-width': 4, 'border-color': '#facc15', width: 32, height: 32 } },
        { selector: 'node.root', style: { 'underlay-color': '#93c5fd', 'underlay-padding': 6, 'underlay-opacity': 0.6 } },
        {
          selector: 'edge',
          style: {
            width: 'data(width)',
            'line-color': 'data(color)',
            label: 'data(label)',
            'font-size': 8,
            color: '#475569',
            'text-rotation': 'autorotate',
            'curve-style': 'bezier',
          },
        },
      ],
      layout: { name: 'cose', animate: false, randomize: false, padding: 40, nodeRepulsion: () => 60000, idealEdgeLength: () => 110, nodeOverlap: 20 },
    });
    cy.on('tap', 'node', (event) => {
      const id = event.target.id() as string;
      if (picture.expanded.has(id)) return;
      setLoading(true);
      expand(id, 1, picture)
        .then((p) => p && setPicture(p))
        .catch((e: unknown) => setError(String((e as Error).message ?? e)))
        .finally(() => setLoading(false));
    });
    graph.current = cy;
    // The drawn graph, for the console and the browser tests (they click its nodes where they are drawn).
    (window as unknown as { isonBoardGraph?: Core }).isonBoardGraph = cy;
  }, [picture]);

  useEffect(() => () => graph.current?.destroy(), []);

  return (
    <div className="network">
      <aside>
        <h2>Network</h2>
        <SubjectPicker session={session} current={subjectId} />
        {loading && <p className="muted">Loading…</p>}
        {error && (
          <p className="error" role="alert">
            {error}
          </p>
        )}
        {picture && (
          <>
            <p className="muted" data-testid="network-summary">
              {picture.subjects.size} subjects · {picture.links.size} links{picture.truncated ? ' · truncated' : ''} · click a subject to expand it
            </p>
            <Legend />
            <h3>Subjects in view</h3>
            <ul className="network-subjects" data-testid="network-subjects">
              {[...picture.subjects.values()].map((subject) => (
                <li key={subject.id} data-testid="network-node" data-subject-id={subject.id} data-kind={subject.kind} data-broker={picture.brokers.has(subject.id)}>
                  <span className="dot" style={{ background: KIND_STYLE[subject.kind].color }} /> {subjectLabel(subject)}
                  {picture.brokers.has(subject.id) && <span className="badge broker">broker</span>}
                </li>
              ))}
            </ul>
          </>
        )}
      </aside>
      <div className="network-canvas" ref={container} data-testid="network-canvas" />
    </div>
  );
}

function Legend() {
  return (
    <ul className="legend">
      {Object.entries(KIND_STYLE).map(([kind, style]) => (
        <li key={kind}>
          <span className="dot" style={{ background: style.color }} /> {kind.toLowerCase().replace('_', ' ')}
        </li>
      ))}
      <li>
        <span className="dot broker-dot" /> broker (betweenness)
      </li>
    </ul>
  );
}

function SubjectPicker({ session, current }: { session: Session; current: string | null }) {
  const [value, setValue] = useState(current ?? '');
  const [recent, setRecent] = useState<SubjectNode[]>([]);
  useEffect(() => {
    gql<{ intelReports: { edges: { node: { subjects: SubjectNode[] } }[] } }>(session.token, RECENT_SUBJECTS)
      .then(({ intelReports }) => {
        const byId = new Map<string, SubjectNode>();
        for (const edge of intelReports.edges) for (const subject of edge.node.subjects) byId.set(subject.id, subject);
        setRecent([...byId.values()].slice(0, 12));
      })
      .catch(() => setRecent([]));
  }, [session.token]);
  return (
    <form
      onSubmit={(event) => {
        event.preventDefault();
        if (value.trim()) location.hash = href.network(value.trim());
      }}
    >
      <label htmlFor="subject-id">Subject id</label>
      <input id="subject-id" name="subjectId" value={value} onChange={(e) => setValue(e.target.value)} />
      <button type="submit">Show</button>
      {recent.length > 0 && (
        <details>
          <summary>Subjects of recent reports</summary>
          <ul>
            {recent.map((subject) => (
              <li key={subject.id}>
                <a href={href.network(subject.id)}>{subjectLabel(subject)}</a> <span className="muted">{subject.kind.toLowerCase()}</span>
              </li>
            ))}
          </ul>
        </details>
      )}
    </form>
  );
}
