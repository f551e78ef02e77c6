import type { Client } from 'graphql-ws';
import { useEffect, useState } from 'react';
import { gql, HubRequestError, liveClient, tokenStore, type LiveState } from '../api';
import { ME } from '../operations';
import type { Me } from '../types';
import { CorridorView } from './CorridorView';
import { NetworkView } from './NetworkView';
import { OperationsView } from './OperationsView';
import { href, useRoute } from './route';
import { SignIn } from './SignIn';

export interface Session {
  token: string;
  me: Me;
  live: Client;
}

export function App() {
  const [token, setToken] = useState(tokenStore.get);
  const [me, setMe] = useState<Me | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [live, setLive] = useState<{ client: Client; state: LiveState; detail?: string } | null>(null);
  const route = useRoute();

  const signOut = (reason: string | null = null) => {
    tokenStore.clear();
    setToken(null);
    setMe(null);
    setError(reason);
  };

  useEffect(() => {
    if (!token) return;
    let cancelled = false;
    gql<{ me: Me | null }>(token, ME)
      .then(({ me }) => {
        if (cancelled) return;
        if (!me) signOut('this token names no officer (partner tokens have no board)');
        else setMe(me);
      })
      .catch((e: unknown) => !cancelled && signOut(e instanceof HubRequestError ? `${e.code}: ${e.message}` : String(e)));
    return () => {
      cancelled = true;
    };
  }, [token]);

  useEffect(() => {
    if (!token || !me) return;
    const client = liveClient(token, (state, detail) => setLive((current) => (current ? { ...current, state, detail } : current)));
    setLive({ client, state: 'connecting' });
    return () => {
      void client.dispose();
      setLive(null);
    };
  }, [token, me]);

  if (!token || !me) {
    return (
      <SignIn
        error={error}
        busy={Boolean(token)}
        onToken={(value) => {
          tokenStore.set(value);
          setError(null);
          setToken(value);
        }}
      />
    );
  }

  const session: Session | null = live ? { token, me, live: live.client } : null;
  return (
    <div className="app">
      <header className="top">
        <span className="brand">ISON Hub · operations board</span>
        <nav>
          <a href="#/operations" className={route.view === 'operations' ? 'active' : ''}>Operations</a>
          <a href={href.network()} className={route.view === 'network' ? 'active' : ''}>Network</a>
          <a href={href.corridors()} className={route.view === 'corridors' ? 'active' : ''}>Corridors</a>
          <a href="/graphql" target="_blank" rel="noreferrer">Explorer</a>
        </nav>
        <span className="who" data-testid="me">
          {me.name} · {me.country.code} · {me.roles.join('/')} · clearance {me.clearance}
        </span>
        <span className={`live-state ${live?.state ?? 'closed'}`} data-testid="live-state" title={live?.detail}>
          {live?.state ?? 'closed'}
        </span>
        <button type="button" onClick={() => signOut()}>Sign out</button>
      </header>
      <main>
        {session && route.view === 'operations' && <OperationsView session={session} operationId={route.operationId} />}
        {session && route.view === 'network' && <NetworkView session={session} subjectId={route.subjectId} />}
        {session && route.view === 'corridors' && <CorridorView session={session} />}
      </main>
    </div>
  );
}
