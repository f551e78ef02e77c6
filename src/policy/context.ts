import type { OfficerStatus, Role } from './levels';

/**
 * What the sharing rule needs to know about the reader, loaded from the graph (never from the
 * token) and cached briefly per principal.
 */
export type PolicyContext = OfficerContext | PartnerContext;

export interface OfficerContext {
  kind: 'officer';
  officerId: string;
  country: string;
  roles: Role[];
  status: OfficerStatus;
  clearanceRank: number;
  /** Operations the officer is assigned to (condition 3c). */
  assignedOperationIds: string[];
  /** Operations the officer's country leads or participates in (operation visibility). */
  countryOperationIds: string[];
  /** level(owner → officer's country) as a rank, for every other owner country (condition 3a). */
  shareRanks: Record<string, number>;
  /**
   * When a dated sharing rule toward the officer's country starts or ends (epoch ms), making
   * `shareRanks` stale; null when none is pending. Caches reload the context by then.
   */
  changesAt?: number | null;
}

export interface PartnerContext {
  kind: 'partner';
  partnerId: string;
  /** Each owner country's partnerShareLevel as a rank. */
  shareRanks: Record<string, number>;
}

/** The fields of an item (report, update) that the rule reads. */
export interface PolicyItem {
  ownerCode: string;
  classRank: number;
  relMode: string;
  relCountries: string[];
  operationId: string | null;
  /** ISO 8601, or null when the item does not expire. */
  expiresAt: string | null;
}

export interface PolicyOperation {
  id: string;
  visibility: string;
  status: string;
}
