import { useEffect, useState } from 'react';

/** Hash routes, so the hub serves one page: #/operations/ID, #/network/SUBJECT_ID, #/corridors. */
export type Route = { view: 'operations'; operationId: string | null } | { view: 'network'; subjectId: string | null } | { view: 'corridors' };

export function parseRoute(hash: string): Route {
  const [view, id] = hash.replace(/^#\/?/, '').split('/').map(decodeURIComponent);
  if (view === 'network') return { view: 'network', subjectId: id || null };
  if (view === 'corridors') return { view: 'corridors' };
  return { view: 'operations', operationId: view === 'operations' && id ? id : null };
}

export const href = {
  operation: (id: string) => `#/operations/${encodeURIComponent(id)}`,
  network: (subjectId?: string) => (subjectId ? `#/network/${encodeURIComponent(subjectId)}` : '#/network'),
  corridors: () => '#/corridors',
};

export function useRoute(): Route {
  const [route, setRoute] = useState(() => parseRoute(location.hash));
  useEffect(() => {
    const onChange = () => setRoute(parseRoute(location.hash));
    window.addEventListener('hashchange', onChange);
    return () => window.removeEventListener('hashchange', onChange);
  }, []);
  return route;
}
