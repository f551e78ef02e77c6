import { createGraphiQLFetcher } from '@graphiql/toolkit';
import { GraphiQL } from 'graphiql';
import 'graphiql/style.css';
import { createClient } from 'graphql-ws';
import { StrictMode, useMemo, useState } from 'react';
import { createRoot } from 'react-dom/client';
import { GRAPHQL_PATH, tokenStore, wsUrl } from '../api';
import '../styles.css';

const DEFAULT_QUERY = `# ISON Hub explorer: every request goes to this hub only.
# Paste a bearer token above (or sign in on the board), then run.
query Me {
  me { name country { code name } roles clearance }
  operations(first: 5) { totalCount edges { node { id codename status } } }
}
`;

/** GraphiQL bundled with the hub, queries over POST /graphql and subscriptions over graphql-ws, with the token field. */
function Explorer() {
  const [token, setToken] = useState(() => tokenStore.get() ?? '');
  const fetcher = useMemo(() => {
    const authorization = token ? { authorization: `Bearer ${token}` } : undefined;
    return createGraphiQLFetcher({
      url: GRAPHQL_PATH,
      headers: authorization,
      enableIncrementalDelivery: false,
      wsClient: createClient({ url: wsUrl(), lazy: true, connectionParams: authorization ?? {} }),
    });
  }, [token]);

  return (
    <div className="explorer">
      <header className="top">
        <span className="brand">ISON Hub · GraphQL explorer</span>
        <label className="token-field">
          Token
          <input
            name="token"
            type="password"
            placeholder="bearer token"
            value={token}
            onChange={(e) => {
              const value = e.target.value.trim().replace(/^Bearer\s+/i, '');
              setToken(value);
              if (value) tokenStore.set(value);
            }}
          />
        </label>
        <a href="/board/">Board</a>
      </header>
      <div className="graphiql-box">
        <GraphiQL fetcher={fetcher} defaultQuery={DEFAULT_QUERY} shouldPersistHeaders={false} />
      </div>
    </div>
  );
}

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <Explorer />
  </StrictMode>,
);
