/** Classification levels and share levels of DESIGN §3, with their ranks. */
export const LEVELS = ['UNCLASSIFIED', 'OFFICIAL', 'RESTRICTED', 'CONFIDENTIAL'] as const;
export type Level = (typeof LEVELS)[number];

export const SHARE_LEVELS = ['NONE', ...LEVELS] as const;
export type ShareLevel = (typeof SHARE_LEVELS)[number];

/** NONE ranks below every level, so `rank(item) <= rank(share)` is never true for NONE. */
export function levelRank(level: ShareLevel): number {
  return SHARE_LEVELS.indexOf(level) - 1;
}

export function isLevel(value: unknown): value is Level {
  return typeof value === 'string' && (LEVELS as readonly string[]).includes(value);
}

export function isShareLevel(value: unknown): value is ShareLevel {
  return typeof value === 'string' && (SHARE_LEVELS as readonly string[]).includes(value);
}

export const ROLES = ['OFFICER', 'COORDINATOR', 'ANALYST', 'NCB_ADMIN', 'OVERSIGHT', 'NETWORK_ADMIN'] as const;
export type Role = (typeof ROLES)[number];

/** Roles that read item content (DESIGN §3, condition 1). */
export const CONTENT_ROLES: readonly Role[] = ['OFFICER', 'COORDINATOR', 'ANALYST', 'NCB_ADMIN'];

export const OFFICER_STATUSES = ['NOMINATED', 'ACTIVE', 'SUSPENDED'] as const;
export type OfficerStatus = (typeof OFFICER_STATUSES)[number];

export const RELEASABILITY_MODES = ['NETWORK', 'ALLOW', 'DENY'] as const;
export type ReleasabilityMode = (typeof RELEASABILITY_MODES)[number];

export const VISIBILITIES = ['PUBLIC', 'NETWORK', 'PARTICIPANTS'] as const;
export type Visibility = (typeof VISIBILITIES)[number];

export const OPERATION_STATUSES = ['PLANNED', 'ACTIVE', 'CONCLUDED'] as const;
export type OperationStatus = (typeof OPERATION_STATUSES)[number];
