import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
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
 * socket; the explorer. Countries XB (lead), XC, XD (participants) and XE belong to this file.
 * Expectations come from the small model below, written from DESIGN §3, not from src/policy.
 */
const { id, members, officer } = worldBuilder(uniquePrefix('board'));
const LEVELS = ['UNCLASSIFIED', 'OFFICIAL', 'RESTRICTED', 'CONFIDENTIAL'] as const;
type Level = (typeof LEVELS)[number];
const rank = (level: Level | 'NONE') => (level === 'NONE' ? -1 : LEVELS.indexOf(level));

interface Viewer { name: string; country: string; clearance: Level; assigned: boolean }
const COORDINATOR: Viewer = { name: 'Beatriz Castro', country: 'XB', clearance: 'CONFIDENTIAL', assigned: true };
const PARTNER_OFFICER: Viewer = { name: 'Camilo Duarte', country: 'XC', clearance: 'CONFIDENTIAL', assigned: true };
/** level(owner → viewer): XB shares RESTRICTED with XC by a rule; every other pair the default, OFFICIAL. */
const shareLevel = (owner: string, country: string): Level | 'NONE' => (owner === 'XB' && country === 'XC' ? 'RESTRICTED' : 'OFFICIAL');

/** DESIGN §3 for an operation update (scoped to its operation, releasable to the network, never expiring), viewers reading content. */
function mayRead(viewer: Viewer, update: { owner: string; classification: Level }): boolean {
  if (rank(update.classification) > rank(viewer.clearance)) return false;
  if (viewer.country === update.owner) return true;
  return rank(update.classification) <= rank(shareLevel(update.owner, viewer.country)) && viewer.assigned;
}

const OP = id('op');
function world(): ImportFile {
  return {
    ...members(['XB', 'XC', 'XD', 'XE']),
    sharingRules: [{ from: 'XB', to: 'XC', maxLevel: 'RESTRICTED' }],
    officers: [
      { ...officer('coord', 'XB', ['COORDINATOR', 'OFFICER']), name: COORDINATOR.name },
      { ...officer('camilo', 'XC', ['OFFICER']), name: PARTNER_OFFICER.name },
      { ...officer('dora', 'XD', ['OFFICER']), name: 'Dora Quispe' },
    ],
    operations: [
      { id: OP, codename: 'CORAL TIDE', objective: 'Disrupt smuggling boats leaving the northern coast', leadCountry: 'XB', status: 'ACTIVE',
        visibility: 'PARTICIPANTS', participants: ['XC', 'XD'], startsAt: '2026-11-20T00:00:00Z', endsAt: '2026-12-20T00:00:00Z',
        assignments: [{ officer: id('coord'), role: 'COORDINATOR' }, { officer: id('camilo'), role: 'MEMBER' }, { officer: id('dora'), role: 'MEMBER' }] },
      { id: id('hidden'), codename: 'XE EYES ONLY', leadCountry: 'XE', status: 'ACTIVE', visibility: 'PARTICIPANTS', participants: [], assignments: [] },
    ],
    updates: [
      { id: id('h-official'), operation: OP, author: id('coord'), kind: 'CHECK', text: 'Port checks started at dawn', classification: 'OFFICIAL',
        postedAt: '2026-11-30T06:00:00Z', metrics: { checks: 40 } },
      { id: id('h-confidential'), operation: OP, author: id('coord'), kind: 'INTELLIGENCE', text: 'Informant names the boat owner', classification: 'CONFIDENTIAL',
        postedAt: '2026-11-30T07:00:00Z' },
    ],
  } as ImportFile;
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

describe('the operations board', () => {
  let coordinator: OfficerBrowser, camilo: OfficerBrowser;
  const posted: { id: string; owner: string; classification: Level; text: string }[] = [];
  const history = [
    { id: id('h-official'), owner: 'XB', classification: 'OFFICIAL' as Level, text: 'Port checks started at dawn' },
    { id: id('h-confidential'), owner: 'XB', classification: 'CONFIDENTIAL' as Level, text: 'Informant names the boat owner' },
  ];
  const expectedFor = (viewer: Viewer) => [...history, ...posted].filter((u) => mayRead(viewer, u)).reverse();

  it('lists to each officer only the operations they may see', async () => {
    coordinator = await signedIn('coord', COORDINATOR.name);
    camilo = await signedIn('camilo', PARTNER_OFFICER.name);
    const list = camilo.page.locator('[data-testid="operation-list"]');
    await list.locator(`[data-operation-id="${OP}"]`).waitFor();
    expect(await list.locator(`[data-operation-id="${id('hidden')}"]`).count()).toBe(0);
    expect(await list.textContent()).not.toContain('XE EYES ONLY');
  });

  it('shows participants, assigned officers, outcome and the visible history of the operation', async () => {
    await Promise.all([openOperation(coordinator.page), openOperation(camilo.page)]);
    const board = camilo.page.locator('[data-testid="operation-board"]');
    expect(await board.locator('h1').textContent()).toBe('CORAL TIDE');
    expect(await board.locator('[data-testid="participants"] li').allTextContents()).toEqual(['XB', 'XC', 'XD']);
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
      posted.push({ id: await postFromPage(coordinator.page, classification, text, metrics), owner: 'XB', classification, text });
    }
    posted.push({ id: await postFromPage(camilo.page, 'OFFICIAL', 'XC team at the checkpoint', { checks: 5 }), owner: 'XC', classification: 'OFFICIAL', text: 'XC team at the checkpoint' });
    await t.hub.live.dispatcher.idle();

    for (const [browser, viewer] of [[camilo, PARTNER_OFFICER], [coordinator, COORDINATOR]] as const) {
      const expected = expectedFor(viewer);
      await until(async () => (await feed(browser.page)).length >= expected.length, 15_000, `${viewer.name}'s feed`);
      const shown = await feed(browser.page);
      expect(shown, viewer.name).toEqual(expected.map((u) => ({ id: u.id, classification: u.classification, owner: u.owner, text: u.text })));
    }
    // Nothing CONFIDENTIAL of XB reached XC's page, in the feed or anywhere else on it.
    expect(await camilo.page.content()).not.toContain('report confidential');
    expect(await camilo.page.content()).not.toContain('Informant names');
    // Outcome figures: over the updates each officer may see.
    await until(async () => (await outcome(camilo.page, 'checks')) === '45', 10_000, 'the outcome to refresh');
    expect(await outcome(camilo.page, 'arrests')).toBe('1');
    await until(async () => (await outcome(coordinator.page, 'arrests')) === '3', 10_000, "the coordinator's outcome");
    await camilo.screenshot('board-xc-officer');
    await coordinator.screenshot('board-xb-coordinator');
  }, 180_000);

  it('resumes from the last cursor after the live socket is cut: the updates posted meanwhile arrive once, none missing', async () => {
    camilo.cutLive();
    await camilo.page.locator('[data-testid="live-state"]').filter({ hasText: 'reconnecting' }).waitFor();
    const POST = `mutation($op: ID!, $input: OperationUpdateInput!) { postOperationUpdate(operationId: $op, input: $input) { id } }`;
    for (const classification of ['OFFICIAL', 'CONFIDENTIAL', 'UNCLASSIFIED'] as const) {
      const text = `While you were away: ${classification.toLowerCase()}`;
      const data = expectOk(await as<{ postOperationUpdate: { id: string } }>(id('coord'), POST, { op: OP, input: { kind: 'NOTE', text, classification } }));
      posted.push({ id: data.postOperationUpdate.id, owner: 'XB', classification, text });
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
    page.on('console', (message) => console.log('explorer console:', message.text()));
    await page.goto(t.hub.url);
    await page.locator('.graphiql-container').waitFor();
    await page.fill('input[name="token"]', await t.token(id('camilo')));
    await page.locator('.graphiql-execute-button').click();
    await page.locator('.graphiql-response').filter({ hasText: PARTNER_OFFICER.name }).waitFor({ timeout: 20_000 });
    expect(await page.locator('.graphiql-response').textContent()).toContain('CORAL TIDE');
    await camilo.screenshot('explorer', page);
    await page.close();
  });

  it('sent no request to any host but the hub, and broke no content security rule', () => {
    for (const browser of browsers) {
      expect(browser.foreign).toEqual([]);
      expect(browser.pageErrors).toEqual([]);
    }
  });
});
