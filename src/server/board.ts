import { existsSync } from 'node:fs';
import path from 'node:path';
import express, { type Express, type Response } from 'express';
import { signToken } from '../auth/tokens';
import { usesDevelopmentKey, type Config } from '../config';
import { DEMO_OFFICERS } from '../import/demo';

/**
 * The operations board (/board) and the GraphQL explorer (GET /graphql for browsers): the pages
 * Vite builds into web/dist (`npm run web:build`), served from this hub only. Their content
 * security policy lets them reach nothing but this origin — no CDN, no font service, no
 * telemetry — so they work on a network without internet.
 */
export const WEB_DIST = path.resolve(__dirname, '..', '..', 'web', 'dist');

const PAGE_POLICY = [
  "default-src 'self'",
  "connect-src 'self'",
  "script-src 'self'",
  // GraphiQL, CodeMirror and Cytoscape set style attributes.
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  "frame-ancestors 'none'",
  "base-uri 'self'",
  "form-action 'self'",
].join('; ');

function securePage(res: Response): void {
  res.setHeader('content-security-policy', PAGE_POLICY);
  res.setHeader('x-content-type-options', 'nosniff');
  res.setHeader('referrer-policy', 'no-referrer');
}

export interface BoardOptions {
  /** Resolved switches (src/config.ts leaves them undefined for `npm start` to decide). */
  explorer: boolean;
  demoSignIn: boolean;
}

/** What the board and explorer do when the configuration leaves it open: off, unless `npm start` turns them on. */
export function boardOptions(config: Config, development = false): BoardOptions {
  const byDefault = development && usesDevelopmentKey(config);
  return {
    explorer: config.board.explorer ?? byDefault,
    demoSignIn: usesDevelopmentKey(config) && (config.board.demoSignIn ?? byDefault),
  };
}

/** Mounts /board and, when enabled, the explorer on GET /graphql; call before the GraphQL middleware. */
export function mountBoard(app: Express, config: Config): void {
  const options = boardOptions(config);
  const built = () => existsSync(path.join(WEB_DIST, 'index.html'));
  const notBuilt = (res: Response) => res.status(503).type('text/plain').send('The board is not built: run `npm run web:build`.\n');

  app.get('/graphql', (req, res, next) => {
    // POST, and GET requests that carry a query or prefer JSON, stay GraphQL.
    const wantsPage = req.query.query === undefined && req.accepts(['application/graphql-response+json', 'application/json', 'text/html']) === 'text/html';
    if (!options.explorer || !wantsPage) return next();
    if (!built()) return notBuilt(res);
    securePage(res);
    res.setHeader('cache-control', 'no-cache');
    res.sendFile(path.join(WEB_DIST, 'explorer.html'));
  });

  // The explorer's page lives with the board's files; it is served only where the explorer is on.
  app.get('/board/explorer.html', (_req, res, next) => (options.explorer ? next() : res.status(404).type('text/plain').send('Not found\n')));

  app.get('/board/demo-officers', async (_req, res) => {
    if (!options.demoSignIn) {
      res.status(404).json({ error: 'not found' });
      return;
    }
    res.setHeader('cache-control', 'no-store');
    const officers = await Promise.all(DEMO_OFFICERS.map(async (officer) => ({ ...officer, token: await signToken(config, officer.id) })));
    res.json({ officers });
  });

  app.use('/board', (req, res, next) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return next();
    if (!built()) return notBuilt(res);
    securePage(res);
    next();
  });
  app.get('/board', (req, res, next) => (req.originalUrl === '/board' ? res.redirect(301, '/board/') : next()));
  app.use('/board/assets', express.static(path.join(WEB_DIST, 'assets'), { immutable: true, maxAge: '365d', fallthrough: false }));
  app.use('/board', express.static(WEB_DIST, { index: 'index.html', dotfiles: 'ignore', setHeaders: (res) => res.setHeader('cache-control', 'no-cache') }));
}
