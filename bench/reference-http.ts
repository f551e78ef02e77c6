import http from 'node:http';
import { createVerifier } from '../src/auth/tokens';
import type { Config } from '../src/config';
import type { Db } from '../src/graph/db';
import { loadOfficerContext } from '../src/graph/principals';
import type { OfficerContext } from '../src/policy/context';
import { policyParams } from '../src/policy/rule';

/**
 * The hand-written reference as a client meets it: one Cypher statement per request behind a
 * minimal node:http handler, over the same driver and `Db` as the hub. The token is verified
 * and the officer's policy context cached for PRINCIPAL_CACHE_MS, as the hub does; nothing is
 * audited. POST /<route> with the statement's parameters as a JSON body; the answer is
 * `{ data: rows }`. The same handler as bench/suite/server-cypher.ts, in the benchmark's process.
 */
export interface ReferenceServer {
  url: string;
  /** POSTs `params` to `route` with `token`; the rows, or an error for any status but 200. */
  ask(route: string, token: string, params: Record<string, unknown>): Promise<unknown[]>;
  stop(): Promise<void>;
}

export async function startReference(
  config: Config,
  db: Db,
  statements: Record<string, (ctx: OfficerContext) => string>,
  /** Answer each row's `column` instead of the whole row, for statements that return it. */
  options: { column?: string; host?: string } = {},
): Promise<ReferenceServer> {
  const verify = await createVerifier(config);
  const contexts = new Map<string, { ctx: OfficerContext; at: number }>();
  const contextOf = async (authorization: string | undefined): Promise<OfficerContext | null> => {
    const claims = await verify((authorization ?? '').replace(/^Bearer /, ''));
    const cached = contexts.get(claims.sub!);
    if (cached && Date.now() - cached.at < config.limits.principalCacheMs) return cached.ctx;
    const ctx = await loadOfficerContext(db, claims.sub!);
    if (ctx) contexts.set(claims.sub!, { ctx, at: Date.now() });
    return ctx;
  };
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', async () => {
      try {
        const ctx = await contextOf(req.headers.authorization).catch(() => null);
        const statement = statements[(req.url ?? '').slice(1)];
        if (!ctx || !statement) {
          res.writeHead(ctx ? 404 : 401).end();
          return;
        }
        const params = JSON.parse(Buffer.concat(chunks).toString() || '{}') as Record<string, unknown>;
        const rows = await db.read<Record<string, unknown>>({ cypher: statement(ctx), params: { ...params, policy: policyParams(ctx, new Date()) } });
        const { column } = options;
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ data: column ? rows.map((r) => (column in r ? r[column] : r)) : rows }));
      } catch (error) {
        console.error(error);
        res.writeHead(500).end();
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, options.host ?? '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  return {
    url,
    async ask(route, token, params) {
      const response = await fetch(`${url}/${route}`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify(params) });
      if (response.status !== 200) throw new Error(`reference /${route}: HTTP ${response.status}`);
      return ((await response.json()) as { data: unknown[] }).data;
    },
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
