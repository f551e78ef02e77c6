import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_OFFICERS } from '../../src/import/demo';
import type { ImportFile } from '../../src/import/types';
import { expectOk, startCachingHub, type Caller } from '../support/actors';
import { uniquePrefix } from '../support/db';
import type { TestHub } from '../support/hub';
import { until } from '../support/live';
import { worldBuilder } from '../support/world';
import { ensureWebBuilt, openBrowser, type OfficerBrowser } from './browser';

/**
 * The operations board in a real Chromium against a real hub and Neo4j: two officers of
 * different countries on one operation, one posting updates of every classification from the
 * page, the other's page showing live exactly what DESIGN §3 allows; resuming after a cut
 * socket; the explorer. Countries QZ (lead) and XA (participant) belong to this file (test/board).
 * Expectations come from the small model below, written from DESIGN §3, not from src/policy.
 */
const { id, members, officer } = worldBuilder(uniquePrefix('board'));
const LEVELS = ['UNCLASSIFIED', 'OFFICIAL', 'RESTRICTED', 'CONFIDENTIAL'] as const;
type Level = (typeof LEVELS)[number];
const rank = (level: Level | 'NONE') => (level === 'NONE' ? -1 : LEVELS.indexOf(level));

interface Viewer { name: string; country: string; clearance: Level; assigned: boolean }
const COORDINATOR: Viewer = { name: 'Beatriz Castro', country: 'QZ', clearance: 'CONFIDENTIAL', assigned: true };
const PARTNER_OFFICER: Viewer = { name: 'Camilo Duarte', country: 'XA', clearance: 'CONFIDENTIAL', assigned: true };
/** level(owner → viewer): QZ shares RESTRICTED with XA by a rule; every other pair the default, OFFICIAL. */
const shareLevel = (owner: string, country: string): Level | 'NONE' => (owner === 'QZ' && country === 'XA' ? 'RESTRICTED' : 'OFFICIAL');

/** DESIGN §3 for an operation update (scoped to its operation, releasable to the network, never expiring), viewers reading content. */
function mayRead(viewer: Viewer, update: { owner: string; classification: Level }): boolean {
  if (rank(update.classification) > rank(viewer.clearance)) return false;
  if (viewer.country === update.owner) return true;
  return rank(update.classification) <= rank(shareLevel(update.owner, viewer.country)) && viewer.assigned;
}

const OP = id('op');
function world(): ImportFile {
  return {
    ...members(['QZ', 'XA']),
    sharingRules: [{ from: 'QZ', to: 'XA', maxLevel: 'RESTRICTED' }],
    officers: [
      { ...officer('coord', 'QZ', ['COORDINATOR', 'OFFICER']), name: COORDINATOR.name },
      { ...officer('camilo', 'XA', ['OFFICER']), name: PARTNER_OFFICER.name },
      { ...officer('dora', 'QZ', ['OFFICER']), name: 'Dora Quispe' },
    ],
    operations: [
      { id: OP, codename: 'CORAL TIDE', objective: 'Disrupt smuggling boats leaving the northern coast', leadCountry: 'QZ', status: 'ACTIVE',
        visibility: 'PARTICIPANTS', participants: ['XA'], startsAt: '2026-11-20T00:00:00Z', endsAt: '2026-12-20T00:00:00Z',
        assignments: [{ officer: id('coord'), role: 'COORDINATOR' }, { officer: id('camilo'), role: 'MEMBER' }, { officer: id('dora'), role: 'MEMBER' }] },
      { id: id('hidden'), codename: 'QZ EYES ONLY', leadCountry: 'QZ', status: 'ACTIVE', visibility: 'PARTICIPANTS', participants: [], assignments: [] },
    ],
    ...network(),
    updates: [
      { id: id('h-official'), operation: OP, author: id('coord'), kind: 'CHECK', text: 'Port checks started at dawn', classification: 'OFFICIAL',
        postedAt: '2026-11-30T06:00:00Z', metrics: { checks: 40 } },
      { id: id('h-confidential'), operation: OP, author: id('coord'), kind: 'INTELLIGENCE', text: 'Informant names the boat owner', classification: 'CONFIDENTIAL',
        postedAt: '2026-11-30T07:00:00Z' },
    ],
  } as ImportFile;
}

/**
 * The network around Rafael Ortega, every report owned by QZ. XA may read OFFICIAL, RESTRICTED
 * and UNCLASSIFIED reports of QZ, so XA sees the boss, his driver, the company, the phone and
 * the passport (one link away) and the boat (two); the landing place is three links away. XA
 * may not read the CONFIDENTIAL report (the financier) nor the one QZ denies to XA (the courier).
 */
const SUBJECTS = {
  boss: { kind: 'PERSON', name: 'Rafael Ortega' },
  driver: { kind: 'PERSON', name: 'Tomás Vidal' },
  company: { kind: 'ORGANIZATION', name: 'Transportes del Golfo' },
  phone: { kind: 'PHONE', number: '+50760000001' },
  passport: { kind: 'TRAVEL_DOCUMENT', number: 'P7654321', issuingCountry: 'XA', documentType: 'PASSPORT', status: 'VALID' },
  boat: { kind: 'VEHICLE', identifier: 'LANCHA-17' },
  landing: { kind: 'LOCATION', name: 'Puerto Obaldía', countryCode: 'PA' },
  financier: { kind: 'PERSON', name: 'Hidden Financier' },
  courier: { kind: 'PERSON', name: 'Denied Courier' },
} as const;
type SubjectName = keyof typeof SUBJECTS;
const ROUTE_PACIFIC = { origin: 'EC', transit: ['CO', 'PA'], destination: 'MX' };
const ROUTE_DARIEN = { origin: 'VE', transit: ['CO'], destination: 'PA' };
const REPORTS: { name: string; classification: Level; createdAt: string; route: object; links: [SubjectName, SubjectName, string][]; deniedToXA?: boolean }[] = [
  { name: 'r-company', classification: 'OFFICIAL', createdAt: '2018-09-10T10:00:00Z', route: ROUTE_PACIFIC, links: [['boss', 'company', 'MEMBER_OF'], ['driver', 'boss', 'WORKS_FOR']] },
  { name: 'r-boat', classification: 'RESTRICTED', createdAt: '2018-10-05T10:00:00Z', route: ROUTE_PACIFIC, links: [['driver', 'boat', 'USES_VEHICLE'], ['boat', 'landing', 'SEEN_AT']] },
  { name: 'r-phone', classification: 'UNCLASSIFIED', createdAt: '2018-10-20T10:00:00Z', route: ROUTE_DARIEN, links: [['boss', 'phone', 'USES_PHONE'], ['boss', 'passport', 'USES_DOCUMENT']] },
  { name: 'r-money', classification: 'CONFIDENTIAL', createdAt: '2018-10-22T10:00:00Z', route: ROUTE_DARIEN, links: [['financier', 'boss', 'FINANCES']] },
  { name: 'r-courier', classification: 'OFFICIAL', createdAt: '2018-11-02T10:00:00Z', route: { origin: 'BR', transit: ['BO'], destination: 'CL' }, links: [['courier', 'driver', 'COURIER_FOR']], deniedToXA: true },
];
/** DESIGN §3 for XA's officer and a report of QZ (no operation scope, no expiry). */
const xaReads = (r: (typeof REPORTS)[number]) => rank(r.classification) <= rank(shareLevel('QZ', 'XA')) && !r.deniedToXA;

function network(): Partial<ImportFile> {
  return {
    subjects: Object.entries(SUBJECTS).map(([name, fields]) => ({ id: id(name), recordedBy: 'QZ', ...fields })),
    reports: REPORTS.map((r) => ({
      id: id(r.name), owner: 'QZ', author: id('coord'), title: `Report ${r.name}`, classification: r.classification, handling: 'H0',
      releasability: r.deniedToXA ? { mode: 'DENY', countries: ['XA'] } : { mode: 'NETWORK', countries: [] },
      createdAt: r.createdAt, route: r.route, subjects: [...new Set(r.links.flatMap(([a, b]) => [id(a), id(b)]))],
    })),
    links: REPORTS.flatMap((r) => r.links.map(([from, to, kind]) => ({ id: id(`l-${from}-${to}`), from: id(from), to: id(to), kind, report: id(r.name) }))),
  } as Partial<ImportFile>;
}

/** Subjects within `depth` links of `start` over the links XA may see (or all links), by breadth-first search. */
function within(start: SubjectName, depth: number, visible: (r: (typeof REPORTS)[number]) => boolean): Set<string> {
  const edges = REPORTS.filter(visible).flatMap((r) => r.links);
  let frontier = new Set<string>([start]);
  const seen = new Set<string>([start]);
  for (let hop = 0; hop < depth; hop++) {
    const next = new Set<string>();
    for (const [a, b] of edges) {
      if (frontier.has(a) && !seen.has(b)) next.add(b);
      if (frontier.has(b) && !seen.has(a)) next.add(a);
    }
    next.forEach((n) => seen.add(n));
    frontier = next;
  }
  return new Set([...seen].map(id));
}

interface Shown { id: string; classification: string; owner: string; text: string }
async function feed(page: Page): Promise<Shown[]> {
  return page.locator('[data-testid="update"]').evaluateAll((items) =>
    items.map((item) => ({
      id: item.getAttribute('data-update-id') ?? '',
      classification: item.getAttribute('data-classification') ?? '',
      owner: item.getAttribute('data-owner') ?? '',
      text: item.querySelector('.text')?.textContent ?? '',
    })),
  );
}

let t: TestHub, as: Caller;
const browsers: OfficerBrowser[] = [];
beforeAll(async () => {
  ensureWebBuilt();
  ({ t, as } = await startCachingHub(world(), { EXPLORER: 'on', BOARD_DEMO_SIGNIN: 'on' }));
});
afterEach(async ({ task }) => {
  if (task.result?.state !== 'fail') return;
  for (const [index, browser] of browsers.entries()) {
    for (const [n, page] of browser.context.pages().entries()) await browser.screenshot(`failed-${task.name.slice(0, 30).replace(/\W+/g, '-')}-${index}-${n}`, page);
  }
});
afterAll(async () => {
  await Promise.all(browsers.map((b) => b.close()));
  await t?.stop();
});

async function signedIn(officerName: string, who: string): Promise<OfficerBrowser> {
  const browser = await openBrowser(t.hub.url);
  browsers.push(browser);
  const { page } = browser;
  await page.goto(new URL('/board/', t.hub.url).href);
  // BOARD_DEMO_SIGNIN is on for this hub: the development shortcut lists the demo officers.
  await page.locator('[data-testid="demo-officers"]').waitFor();
  expect(await page.locator('[data-testid="demo-officers"] button').allTextContents()).toEqual(DEMO_OFFICERS.map((o) => o.name));
  await page.fill('textarea#token', await t.token(id(officerName)));
  await page.click('button[type="submit"]');
  await page.locator('[data-testid="me"]').filter({ hasText: who }).waitFor();
  return browser;
}

async function openOperation(page: Page): Promise<void> {
  await page.click(`[data-operation-id="${OP}"]`);
  await page.locator('[data-testid="operation-board"]').waitFor();
  await page.locator('[data-testid="live-state"]').filter({ hasText: /^live$/ }).waitFor();
}

async function postFromPage(page: Page, classification: Level, text: string, metrics: Record<string, number> = {}): Promise<string> {
  const form = page.locator('[data-testid="post-update"]');
  await form.locator('select[name="classification"]').selectOption(classification);
  await form.locator('textarea[name="text"]').fill(text);
  for (const [name, value] of Object.entries(metrics)) await form.locator(`input[name="${name}"]`).fill(String(value));
  const posted = form.locator('[data-testid="posted"]');
  const before = (await posted.count()) ? await posted.textContent() : null;
  await form.locator('button[type="submit"]').click();
  await until(async () => (await posted.count()) > 0 && (await posted.textContent()) !== before, 15_000, `the post of ${text}`);
  return (await posted.textContent())!.replace(/^Posted /, '');
}

const outcome = (page: Page, metric: string) => page.locator(`[data-testid="outcome"] [data-metric="${metric}"] .value`).textContent();

let coordinator: OfficerBrowser, camilo: OfficerBrowser;
describe('the operations board', () => {
  const posted: { id: string; owner: string; classification: Level; text: string }[] = [];
  const history = [
    { id: id('h-official'), owner: 'QZ', classification: 'OFFICIAL' as Level, text: 'Port checks started at dawn' },
    { id: id('h-confidential'), owner: 'QZ', classification: 'CONFIDENTIAL' as Level, text: 'Informant names the boat owner' },
  ];
  const expectedFor = (viewer: Viewer) => [...history, ...posted].filter((u) => mayRead(viewer, u)).reverse();

  it('lists to each officer only the operations they may see', async () => {
    coordinator = await signedIn('coord', COORDINATOR.name);
    camilo = await signedIn('camilo', PARTNER_OFFICER.name);
    const list = camilo.page.locator('[data-testid="operation-list"]');
    await list.locator(`[data-operation-id="${OP}"]`).waitFor();
    expect(await list.locator(`[data-operation-id="${id('hidden')}"]`).count()).toBe(0);
    expect(await list.textContent()).not.toContain('QZ EYES ONLY');
  });

  it('shows participants, assigned officers, outcome and the visible history of the operation', async () => {
    await Promise.all([openOperation(coordinator.page), openOperation(camilo.page)]);
    const board = camilo.page.locator('[data-testid="operation-board"]');
    expect(await board.locator('h1').textContent()).toBe('CORAL TIDE');
    expect(await board.locator('[data-testid="participants"] li').allTextContents()).toEqual(['QZ', 'XA']);
    expect(await board.locator('[data-testid="assignments"]').textContent()).toContain('Dora Quispe');
    await until(async () => (await feed(camilo.page)).length === expectedFor(PARTNER_OFFICER).length, 10_000, 'the history');
    expect((await feed(camilo.page)).map((u) => u.id)).toEqual(expectedFor(PARTNER_OFFICER).map((u) => u.id));
    await until(async () => (await feed(coordinator.page)).length === expectedFor(COORDINATOR).length, 10_000, "the coordinator's history");
    expect((await feed(coordinator.page)).map((u) => u.id)).toEqual(expectedFor(COORDINATOR).map((u) => u.id));
    expect(await outcome(camilo.page, 'checks')).toBe('40');
  });

  it('delivers live to the other country exactly the updates of every classification that the policy allows, and nothing else', async () => {
    await until(() => t.hub.live.dispatcher.watching() >= 2, 10_000, 'both boards to subscribe');
    for (const classification of LEVELS) {
      const text = `Boat intercepted, report ${classification.toLowerCase()}`;
      const metrics: Record<string, number> = classification === 'CONFIDENTIAL' ? { arrests: 2 } : classification === 'OFFICIAL' ? { arrests: 1 } : {};
      posted.push({ id: await postFromPage(coordinator.page, classification, text, metrics), owner: 'QZ', classification, text });
    }
    posted.push({ id: await postFromPage(camilo.page, 'OFFICIAL', 'XA team at the checkpoint', { checks: 5 }), owner: 'XA', classification: 'OFFICIAL', text: 'XA team at the checkpoint' });
    await t.hub.live.dispatcher.idle();

    for (const [browser, viewer] of [[camilo, PARTNER_OFFICER], [coordinator, COORDINATOR]] as const) {
      const expected = expectedFor(viewer);
      await until(async () => (await feed(browser.page)).length >= expected.length, 15_000, `${viewer.name}'s feed`);
      const shown = await feed(browser.page);
      expect(shown, viewer.name).toEqual(expected.map((u) => ({ id: u.id, classification: u.classification, owner: u.owner, text: u.text })));
    }
    // Nothing CONFIDENTIAL of QZ reached XA's page, in the feed or anywhere else on it.
    expect(await camilo.page.content()).not.toContain('report confidential');
    expect(await camilo.page.content()).not.toContain('Informant names');
    // Outcome figures: over the updates each officer may see.
    await until(async () => (await outcome(camilo.page, 'checks')) === '45', 10_000, 'the outcome to refresh');
    expect(await outcome(camilo.page, 'arrests')).toBe('1');
    await until(async () => (await outcome(coordinator.page, 'arrests')) === '3', 10_000, "the coordinator's outcome");
    await camilo.screenshot('board-xa-officer');
    await coordinator.screenshot('board-qz-coordinator');
  }, 180_000);

  it('resumes from the last cursor after the live socket is cut: the updates posted meanwhile arrive once, none missing', async () => {
    camilo.cutLive();
    await camilo.page.locator('[data-testid="live-state"]').filter({ hasText: 'reconnecting' }).waitFor();
    const POST = `mutation($op: ID!, $input: OperationUpdateInput!) { postOperationUpdate(operationId: $op, input: $input) { id } }`;
    for (const classification of ['OFFICIAL', 'CONFIDENTIAL', 'UNCLASSIFIED'] as const) {
      const text = `While you were away: ${classification.toLowerCase()}`;
      const data = expectOk(await as<{ postOperationUpdate: { id: string } }>(id('coord'), POST, { op: OP, input: { kind: 'NOTE', text, classification } }));
      posted.push({ id: data.postOperationUpdate.id, owner: 'QZ', classification, text });
    }
    camilo.restore();
    await camilo.page.locator('[data-testid="live-state"]').filter({ hasText: /^live$/ }).waitFor({ timeout: 20_000 });
    const expected = expectedFor(PARTNER_OFFICER);
    await until(async () => (await feed(camilo.page)).length >= expected.length, 15_000, 'the replay');
    await t.hub.live.dispatcher.idle();
    expect((await feed(camilo.page)).map((u) => u.id)).toEqual(expected.map((u) => u.id));
  });

  it('runs a query in the bundled explorer at /graphql with the token field', async () => {
    const page = await camilo.context.newPage();
    page.on('pageerror', (error) => camilo.pageErrors.push(String(error)));
    await page.goto(t.hub.url);
    await page.locator('.graphiql-container').waitFor();
    await page.fill('input[name="token"]', await t.token(id('camilo')));
    // The editors load after the container: on a busy machine a click can come before the query
    // is in its editor and run nothing. The query is a read, so clicking again is harmless.
    const answer = page.locator('.graphiql-response').filter({ hasText: PARTNER_OFFICER.name });
    for (let attempt = 1; ; attempt++) {
      await page.locator('.graphiql-execute-button').click();
      try {
        await answer.waitFor({ timeout: 10_000 });
        break;
      } catch (error) {
        if (attempt === 4) throw error;
      }
    }
    expect(await page.locator('.graphiql-response').textContent()).toContain('CORAL TIDE');
    await camilo.screenshot('explorer', page);
    await page.close();
  });

});

const networkNodes = (page: Page) =>
  page.locator('[data-testid="network-node"]').evaluateAll((items) => items.map((item) => item.getAttribute('data-subject-id') ?? '').sort());

describe('the network view and the corridor chart', () => {
  it('draws the visible network around a subject, two links deep, and nothing the officer may not see', async () => {
    await camilo.page.goto(new URL(`/board/#/network/${id('boss')}`, t.hub.url).href);
    await camilo.page.locator('[data-testid="network-summary"]').waitFor();
    expect(await networkNodes(camilo.page)).toEqual([...within('boss', 2, xaReads)].sort());
    const html = await camilo.page.content();
    for (const hidden of ['Hidden Financier', 'Denied Courier']) expect(html).not.toContain(hidden);
    // Drawn: the canvas holds the nodes (Cytoscape renders to canvas; the list beside it names them).
    expect(await camilo.page.locator('[data-testid="network-canvas"] canvas').count()).toBeGreaterThan(0);
  });

  it('highlights as brokers the subjects that lie between others', async () => {
    const brokers = await camilo.page
      .locator('[data-testid="network-node"][data-broker="true"]')
      .evaluateAll((items) => items.map((item) => item.getAttribute('data-subject-id')).sort());
    // In XA's picture only the boss (between the company, the phone, the passport and the driver) and the driver (between the boss and the boat) do.
    expect(brokers).toEqual([id('boss'), id('driver')].sort());
    await camilo.screenshot('network-xa-officer');
  });

  it('expands a subject by one more hop on click', async () => {
    const where = await camilo.page.evaluate((boat) => {
      const cy = (globalThis as unknown as { isonBoardGraph: { getElementById(id: string): { renderedPosition(): { x: number; y: number } } } }).isonBoardGraph;
      return cy.getElementById(boat).renderedPosition();
    }, id('boat'));
    const box = (await camilo.page.locator('[data-testid="network-canvas"]').boundingBox())!;
    await camilo.page.mouse.click(box.x + where.x, box.y + where.y);
    const expected = [...new Set([...within('boss', 2, xaReads), ...within('boat', 1, xaReads)])].sort();
    await until(async () => (await networkNodes(camilo.page)).length === expected.length, 15_000, 'the expansion');
    expect(await networkNodes(camilo.page)).toEqual(expected);
    expect(expected).toContain(id('landing'));
  });

  it('shows the owner country everything, the financier and the courier included', async () => {
    await coordinator.page.goto(new URL(`/board/#/network/${id('boss')}`, t.hub.url).href);
    await coordinator.page.locator('[data-testid="network-summary"]').waitFor();
    expect(await networkNodes(coordinator.page)).toEqual([...within('boss', 2, () => true)].sort());
    expect(await coordinator.page.content()).toContain('Hidden Financier');
  });

  it('charts the visible corridors by month', async () => {
    await camilo.page.goto(new URL('/board/#/corridors', t.hub.url).href);
    await camilo.page.locator('[data-testid="corridor-table"]').waitFor();
    // This file's reports are of 2018, a year no other test file writes reports in.
    await camilo.page.fill('input[name="since"]', '2018-01');
    await camilo.page.fill('input[name="until"]', '2018-12');
    await camilo.page.locator('[data-testid="corridor-table"][data-since="2018-01"][data-until="2018-12"]').waitFor();
    const rows = await camilo.page
      .locator('[data-testid="corridor-row"]')
      .evaluateAll((items) => items.map((item) => `${item.getAttribute('data-month')} ${item.getAttribute('data-route')} ${item.children[2]?.textContent}`));
    expect(rows.sort()).toEqual(['2018-09 EC → CO → PA → MX 1', '2018-10 EC → CO → PA → MX 1', '2018-10 VE → CO → PA 1']);
    expect(await camilo.page.locator('[data-testid="corridor-chart"]').isVisible()).toBe(true);
    await camilo.screenshot('corridors-xa-officer');
  });
});

describe('the pages', () => {
  it('sent no request to any host but the hub, and broke no content security rule', () => {
    for (const browser of browsers) {
      expect(browser.foreign).toEqual([]);
      expect(browser.pageErrors).toEqual([]);
    }
  });
});
