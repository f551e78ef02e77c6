import type { ImportFile } from '../../src/import/types';

/**
 * The world of the federation tests, visibility worked out by hand from DESIGN §3. Countries
 * XR, XS, XT, XU belong to these files (each file imports it under its own id prefix).
 * - XR leads the PARTICIPANTS operation `opR` with XS; XT is outside it.
 * - XR releases UNCLASSIFIED to partners; XU releases nothing.
 * - `opPub` is PUBLIC and CONCLUDED (published totals); `opPubLive` is PUBLIC and ACTIVE.
 */
export const past = '2020-01-01T00:00:00Z';

export function federationWorld(prefix: string): ImportFile {
  const id = (name: string) => `${prefix}-${name}`;
  const network = { mode: 'NETWORK', countries: [] as string[] };
  const report = (name: string, owner: string, author: string, classification: string, extra: Record<string, unknown> = {}) => ({
    id: id(name), owner, author: id(author), title: `report ${name}`, summary: `summary ${name}`, classification, handling: 'H0',
    releasability: network, createdAt: '2026-02-01T00:00:00Z', sourceDescription: `source of ${name}`, subjects: [], ...extra,
  });
  return {
    countries: [
      { code: 'XR', name: 'Rland', region: 'TEST', defaultShareLevel: 'OFFICIAL', partnerShareLevel: 'UNCLASSIFIED' },
      { code: 'XS', name: 'Sland', region: 'TEST', defaultShareLevel: 'OFFICIAL', partnerShareLevel: 'NONE' },
      { code: 'XT', name: 'Tland', region: 'TEST', defaultShareLevel: 'OFFICIAL', partnerShareLevel: 'NONE' },
      { code: 'XU', name: 'Uland', region: 'TEST', defaultShareLevel: 'OFFICIAL', partnerShareLevel: 'NONE' },
    ],
    partners: [{ id: id('partner'), name: 'Federation test partner' }],
    units: ['XR', 'XS', 'XT', 'XU'].map((code) => ({ id: id(`u-${code}`), country: code, name: `${code} unit` })),
    officers: [
      { id: id('r1'), unit: id('u-XR'), name: 'R One', email: 'r1@example.org', phone: '+000 1', roles: ['OFFICER'], clearance: 'CONFIDENTIAL', status: 'ACTIVE' },
      { id: id('s1'), unit: id('u-XS'), name: 'S One', roles: ['OFFICER'], clearance: 'CONFIDENTIAL', status: 'ACTIVE' },
      { id: id('t1'), unit: id('u-XT'), name: 'T One', email: 't1@example.org', roles: ['OFFICER'], clearance: 'CONFIDENTIAL', status: 'ACTIVE' },
      { id: id('u1'), unit: id('u-XU'), name: 'U One', roles: ['OFFICER'], clearance: 'CONFIDENTIAL', status: 'ACTIVE' },
    ],
    operations: [
      { id: id('opR'), codename: 'FED PARTICIPANTS', leadCountry: 'XR', status: 'ACTIVE', visibility: 'PARTICIPANTS', participants: ['XS'], assignments: [{ officer: id('r1'), role: 'LEAD' }] },
      { id: id('opNet'), codename: 'FED NETWORK', leadCountry: 'XS', status: 'ACTIVE', visibility: 'NETWORK', participants: [], assignments: [] },
      { id: id('opPub'), codename: 'FED PUBLIC DONE', leadCountry: 'XT', status: 'CONCLUDED', visibility: 'PUBLIC', participants: ['XR'], assignments: [{ officer: id('t1'), role: 'LEAD' }] },
      { id: id('opPubLive'), codename: 'FED PUBLIC LIVE', leadCountry: 'XT', status: 'ACTIVE', visibility: 'PUBLIC', participants: [], assignments: [] },
    ],
    subjects: [
      { id: id('victim'), kind: 'PERSON', recordedBy: 'XR', name: 'Protected Victim', aliases: ['PV'], dateOfBirth: '2010-01-01', protected: true },
      { id: id('smuggler'), kind: 'PERSON', recordedBy: 'XR', name: 'Known Smuggler', aliases: [], protected: false },
    ],
    reports: [
      report('rPub', 'XR', 'r1', 'UNCLASSIFIED', { subjects: [id('victim'), id('smuggler')] }),
      report('rOfficial', 'XR', 'r1', 'OFFICIAL'),
      report('rConf', 'XR', 'r1', 'CONFIDENTIAL'),
      report('rScoped', 'XR', 'r1', 'UNCLASSIFIED', { operation: id('opR') }),
      report('rAllowT', 'XR', 'r1', 'UNCLASSIFIED', { releasability: { mode: 'ALLOW', countries: ['XT'] } }),
      report('rExpired', 'XR', 'r1', 'UNCLASSIFIED', { createdAt: '2019-01-01T00:00:00Z', expiresAt: past }),
      report('rU', 'XU', 'u1', 'UNCLASSIFIED'),
    ],
    links: [{ id: id('l1'), from: id('smuggler'), to: id('victim'), kind: 'EXPLOITS', report: id('rPub') }],
    updates: [
      { id: id('up1'), operation: id('opPub'), author: id('t1'), kind: 'ARREST', text: 'two arrested', classification: 'OFFICIAL', postedAt: '2026-02-02T00:00:00Z', metrics: { arrests: 2, victimsRescued: 1 } },
      { id: id('up2'), operation: id('opPub'), author: id('t1'), kind: 'ARREST', text: 'five arrested', classification: 'CONFIDENTIAL', postedAt: '2026-02-03T00:00:00Z', metrics: { arrests: 5, seizures: 4 } },
      { id: id('up3'), operation: id('opPubLive'), author: id('t1'), kind: 'CHECK', text: 'checks', classification: 'UNCLASSIFIED', postedAt: '2026-02-04T00:00:00Z', metrics: { checks: 9 } },
      { id: id('up4'), operation: id('opR'), author: id('r1'), kind: 'ARREST', text: 'one arrested', classification: 'OFFICIAL', postedAt: '2026-02-05T00:00:00Z', metrics: { arrests: 1 } },
    ],
  } as ImportFile;
}

/** Who sees which report (by name), from DESIGN §3. */
export const REPORTS = ['rPub', 'rOfficial', 'rConf', 'rScoped', 'rAllowT', 'rExpired', 'rU'] as const;
export const VISIBLE_REPORTS: Record<'r1' | 't1' | 'partner', string[]> = {
  // The owner country sees all of its own, expired too; XU shares OFFICIAL by default.
  r1: ['rPub', 'rOfficial', 'rConf', 'rScoped', 'rAllowT', 'rExpired', 'rU'],
  // XR shares OFFICIAL by default; rConf is above it, rScoped needs the assignment, rExpired expired.
  t1: ['rPub', 'rOfficial', 'rAllowT', 'rU'],
  // Partners: ≤ XR's UNCLASSIFIED partner level, NETWORK, unscoped, unexpired; XU releases nothing.
  partner: ['rPub'],
};
export const OPERATIONS = ['opR', 'opNet', 'opPub', 'opPubLive'] as const;
export const VISIBLE_OPERATIONS: Record<'r1' | 't1' | 'partner', string[]> = {
  r1: ['opR', 'opNet', 'opPub', 'opPubLive'],
  t1: ['opNet', 'opPub', 'opPubLive'],
  partner: ['opPub', 'opPubLive'],
};
