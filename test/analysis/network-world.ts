import { afterAll, beforeAll } from 'vitest';
import type { ImportFile } from '../../src/import/types';
import { startCachingHub, type Caller } from '../support/actors';
import { uniquePrefix } from '../support/db';
import type { TestHub } from '../support/hub';
import { worldBuilder } from '../support/world';

/**
 * The analysis tests' world. Countries XB, XC and XF (used by no other test file) share
 * OFFICIAL by default. XB owns every report:
 *
 *   A ─ B ─ C ─ D ─ E      each link asserted by its own OFFICIAL report (visible to XC)
 *   └───────────────┘      A ─ E asserted by a RESTRICTED report: visible to XB only (the hidden shortcut)
 *   H                      concerned only by the RESTRICTED report: invisible to XC
 *
 * and a route per report for the corridors.
 */
export const ANALYSIS_COUNTRIES = ['XB', 'XC', 'XF'];

export function analysisWorld(prefix: string) {
  const { id, members, officer } = worldBuilder(prefix);
  const subject = (name: string) => ({ id: id(name), kind: 'PERSON', recordedBy: 'XB', name: `Person ${name}`, aliases: [], protected: false });
  const report = (name: string, subjects: string[], extra: Record<string, unknown> = {}) => ({
    id: id(name), owner: 'XB', author: id('bOfficer'), title: name, classification: 'OFFICIAL', handling: 'H0',
    releasability: { mode: 'NETWORK', countries: [] }, createdAt: '2026-01-10T00:00:00Z', subjects: subjects.map(id), ...extra,
  });
  const chain = ['A', 'B', 'C', 'D', 'E'];
  const chainReports = chain.slice(1).map((to, i) => report(`r${chain[i]}${to}`, [chain[i], to]));
  const file = {
    ...members(ANALYSIS_COUNTRIES),
    officers: [
      officer('bOfficer', 'XB', ['OFFICER']),
      officer('bAdmin', 'XB', ['NCB_ADMIN']),
      officer('cAnalyst', 'XC', ['ANALYST']),
      officer('fOversight', 'XF', ['OVERSIGHT']),
    ],
    subjects: [...chain, 'H'].map(subject),
    reports: [...chainReports, report('rHidden', ['A', 'E', 'H'], { classification: 'RESTRICTED' })],
    links: [
      ...chain.slice(1).map((to, i) => ({ id: id(`l${chain[i]}${to}`), from: id(chain[i]), to: id(to), kind: 'ASSOCIATE_OF', report: id(`r${chain[i]}${to}`) })),
      { id: id('lAE'), from: id('E'), to: id('A'), kind: 'CALLED', report: id('rHidden') },
    ],
  } as ImportFile;
  return { id, file };
}

/** The world imported under a fresh prefix and a caching hub over it, for one test file's hooks. */
export function analysisHub(name: string) {
  const { id, file } = analysisWorld(uniquePrefix(name));
  const hub = {} as { t: TestHub; as: Caller };
  beforeAll(async () => {
    Object.assign(hub, await startCachingHub(file));
  });
  afterAll(async () => {
    await hub.t?.stop();
  });
  return { id, hub };
}
