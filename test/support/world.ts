import type { Level, OfficerStatus, Role } from '../../src/import/types';

/**
 * Builders for the small import-file worlds of the API tests. Every id carries the test file's
 * prefix; countries get the same standing settings in every file that shares them.
 */
export function worldBuilder(prefix: string) {
  const id = (name: string) => `${prefix}-${name}`;
  return {
    id,
    /** Countries sharing OFFICIAL by default and nothing with partners, one unit each (`u-CODE`), and one partner. */
    members: (codes: string[]) => ({
      countries: codes.map((code) => ({ code, name: `Test ${code}`, region: 'TEST', defaultShareLevel: 'OFFICIAL' as const, partnerShareLevel: 'NONE' as const })),
      units: codes.map((code) => ({ id: id(`u-${code}`), country: code, name: `${code} unit` })),
      partners: [{ id: id('partner'), name: 'Partner' }],
    }),
    officer: (name: string, country: string, roles: Role[], options: { status?: OfficerStatus; clearance?: Level } = {}) => ({
      id: id(name), unit: id(`u-${country}`), name, roles, clearance: options.clearance ?? 'CONFIDENTIAL', status: options.status ?? 'ACTIVE',
    }),
  };
}
