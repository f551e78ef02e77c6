import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext, type Page, type WebSocketRoute } from 'playwright-core';

/**
 * Debian's Chromium driven by playwright-core, headless, with background networking off and a
 * fresh profile. Every HTTP request and every WebSocket the pages open goes through a route that
 * lets through only the hub's own origin and records (and aborts) anything else: a page that
 * tried to reach a CDN, a font service or telemetry fails its test (the "network cut off" proof).
 */
export const CHROMIUM = '/usr/bin/chromium';
export const ARTIFACTS = path.resolve(__dirname, '..', '..', 'test-artifacts', 'board');
const ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

/** The pages are built by `npm run web:build` (npm test runs it first); a direct vitest run builds them here if stale. */
export function ensureWebBuilt(): void {
  execFileSync(process.execPath, ['-r', '@swc-node/register', 'web/build.ts'], { cwd: path.resolve(__dirname, '..', '..'), stdio: 'inherit' });
}

export interface OfficerBrowser {
  context: BrowserContext;
  page: Page;
  /** Requests and sockets to any host but the hub's, refused. */
  foreign: string[];
  /** Content-security-policy violations and uncaught page errors. */
  pageErrors: string[];
  /** Cuts this page's live sockets and refuses new ones until `restore()`. */
  cutLive(): void;
  restore(): void;
  /** Saves a screenshot of `page` (default: the first) under test-artifacts/board/. */
  screenshot(name: string, page?: Page): Promise<string>;
  close(): Promise<void>;
}

export async function openBrowser(hubUrl: string): Promise<OfficerBrowser> {
  const origin = new URL(hubUrl).host;
  const profile = mkdtempSync(path.join(os.tmpdir(), 'isonhub-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: ARGS,
    viewport: { width: 1400, height: 900 },
    serviceWorkers: 'block',
  });
  const foreign: string[] = [];
  const pageErrors: string[] = [];
  await context.route('**/*', (route) => {
    const url = new URL(route.request().url());
    if (url.host === origin && url.protocol === 'http:') return route.continue();
    foreign.push(url.href);
    return route.abort('blockedbyclient');
  });
  const sockets = new Set<WebSocketRoute>();
  let cut = false;
  await context.routeWebSocket(
    () => true,
    (socket) => {
      const url = new URL(socket.url());
      if (url.host !== origin) {
        foreign.push(url.href);
        return socket.close({ code: 1008, reason: 'foreign host' });
      }
      if (cut) return socket.close({ code: 1013, reason: 'cut by the test' });
      const server = socket.connectToServer();
      sockets.add(socket);
      socket.onClose(() => sockets.delete(socket));
      server.onClose(() => sockets.delete(socket));
    },
  );
  const page = context.pages()[0] ?? (await context.newPage());
  page.on('pageerror', (error) => pageErrors.push(String(error)));
  page.on('console', (message) => {
    if (/Content Security Policy|Refused to/i.test(message.text())) pageErrors.push(message.text());
  });
  mkdirSync(ARTIFACTS, { recursive: true });
  return {
    context,
    page,
    foreign,
    pageErrors,
    cutLive() {
      cut = true;
      for (const socket of sockets) void socket.close({ code: 1013, reason: 'cut by the test' });
      sockets.clear();
    },
    restore() {
      cut = false;
    },
    async screenshot(name, target = page) {
      const file = path.join(ARTIFACTS, `${name}.png`);
      await target.screenshot({ path: file });
      return file;
    },
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}
