import type { Level, OfficerStatus, OperationStatus, ReleasabilityMode, Role, ShareLevel, Visibility } from '../policy/levels';

/** Plain records the graph layer returns: no driver types ever leave src/graph. */

export interface CountryRecord {
  code: string;
  name: string;
  region: string | null;
  defaultShareLevel: ShareLevel;
  partnerShareLevel: ShareLevel;
}

export interface UnitRecord {
  id: string;
  name: string;
  specialization: string | null;
  countryCode: string;
}

export interface OfficerRecord {
  id: string;
  name: string;
  rank: string | null;
  email: string | null;
  phone: string | null;
  roles: Role[];
  clearance: Level;
  status: OfficerStatus;
  unitId: string;
  countryCode: string;
}

export interface OperationRecord {
  id: string;
  codename: string;
  objective: string | null;
  status: OperationStatus;
  visibility: Visibility;
  startsAt: string | null;
  endsAt: string | null;
  leadCode: string;
  createdAt: string | null;
}

export interface Metrics {
  arrests: number;
  migrantsDetected: number;
  victimsRescued: number;
  checks: number;
  seizures: number;
}

export const METRIC_NAMES: (keyof Metrics)[] = ['arrests', 'migrantsDetected', 'victimsRescued', 'checks', 'seizures'];

/** The properties the sharing rule reads, stored on every item (docs/graph-model.md). */
export interface ItemPolicyFields {
  ownerCode: string;
  classRank: number;
  relMode: ReleasabilityMode;
  relCountries: string[];
  operationId: string | null;
  expiresAt: string | null;
}

export interface UpdateRecord extends ItemPolicyFields {
  id: string;
  kind: string;
  text: string;
  classification: Level;
  authorId: string | null;
  postedAt: string;
  seq: number;
  metrics: Metrics | null;
}

export interface ReportRecord extends ItemPolicyFields {
  id: string;
  title: string;
  summary: string | null;
  classification: Level;
  handling: string;
  evaluation: string | null;
  authorId: string | null;
  createdAt: string;
  sourceDescription: string | null;
  routeOrigin: string | null;
  routeTransit: string[] | null;
  routeDestination: string | null;
}

export const SUBJECT_KINDS = ['PERSON', 'ORGANIZATION', 'TRAVEL_DOCUMENT', 'VEHICLE', 'PHONE', 'LOCATION'] as const;
export type SubjectKind = (typeof SUBJECT_KINDS)[number];

export const SUBJECT_LABELS: Record<SubjectKind, string> = {
  PERSON: 'Person',
  ORGANIZATION: 'Organization',
  TRAVEL_DOCUMENT: 'TravelDocument',
  VEHICLE: 'Vehicle',
  PHONE: 'Phone',
  LOCATION: 'Location',
};

export const DOCUMENT_STATUSES = ['VALID', 'STOLEN', 'LOST', 'REVOKED'] as const;
export type DocumentStatus = (typeof DOCUMENT_STATUSES)[number];

export interface SubjectRecord {
  id: string;
  kind: SubjectKind;
  recordedBy: string;
  name: string | null;
  aliases: string[] | null;
  nationality: string | null;
  dateOfBirth: string | null;
  protected: boolean | null;
  number: string | null;
  issuingCountry: string | null;
  documentType: string | null;
  status: DocumentStatus | null;
  reportedAt: string | null;
  identifier: string | null;
  countryCode: string | null;
}

export interface LinkRecord {
  id: string;
  kind: string;
  fromId: string;
  toId: string;
  reportId: string;
}

export interface Page<T> {
  rows: T[];
  hasNextPage: boolean;
}
