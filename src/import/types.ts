/**
 * The import file (DESIGN §5, normative field names). schema/import.schema.json describes the
 * same shape for validation and for readers; keep the two in step.
 */

// One definition of each enumeration, shared with the API and the sharing rule.
export { LEVELS, ROLES } from '../policy/levels';
import type { Level, OfficerStatus, OperationStatus, ReleasabilityMode, Role, ShareLevel, Visibility } from '../policy/levels';
import type { DocumentStatus, SubjectKind } from '../graph/records';
export type { DocumentStatus, Level, OfficerStatus, OperationStatus, ReleasabilityMode, Role, ShareLevel, SubjectKind, Visibility };

/** ISO 8601 in UTC, e.g. 2023-11-28T10:00:00Z. */
export type IsoDateTime = string;

export interface CountryRecord {
  code: string;
  name: string;
  region?: string | null;
  /** Omitted: an existing country keeps its level, a new one gets NONE. */
  defaultShareLevel?: ShareLevel;
  /** Omitted: an existing country keeps its level, a new one gets NONE. */
  partnerShareLevel?: ShareLevel;
}

export interface SharingRuleRecord {
  from: string;
  to: string;
  maxLevel: ShareLevel;
  validFrom?: IsoDateTime | null;
  validUntil?: IsoDateTime | null;
}

export interface PartnerRecord {
  id: string;
  name: string;
}

export interface UnitRecord {
  id: string;
  country: string;
  name: string;
  specialization?: string | null;
}

export interface OfficerRecord {
  id: string;
  unit: string;
  name: string;
  email?: string | null;
  phone?: string | null;
  rank?: string | null;
  roles: Role[];
  clearance: Level;
  /** Omitted: ACTIVE. */
  status?: OfficerStatus;
}

export interface AssignmentRecord {
  officer: string;
  role?: string;
}

export interface OperationRecord {
  id: string;
  codename: string;
  objective?: string | null;
  leadCountry: string;
  status: OperationStatus;
  visibility: Visibility;
  startsAt?: IsoDateTime | null;
  endsAt?: IsoDateTime | null;
  participants?: string[];
  assignments?: AssignmentRecord[];
}

interface SubjectBase {
  id: string;
  recordedBy: string;
}

export interface PersonRecord extends SubjectBase {
  kind: 'PERSON';
  name: string;
  aliases?: string[];
  nationality?: string | null;
  /** A calendar date, YYYY-MM-DD. */
  dateOfBirth?: string | null;
  /** A victim, witness or minor: name, aliases and date of birth are redacted outside recordedBy. */
  protected?: boolean;
  /** Wanted by a member country: screenPerson answers hit/no-hit on it. */
  wanted?: WantedRecord | null;
}

export interface WantedRecord {
  /** The wanting country, a member country. */
  by: string;
  since: IsoDateTime;
  /** The wanting country's own reference; never part of a screening answer. */
  reference?: string | null;
}

export interface OrganizationRecord extends SubjectBase {
  kind: 'ORGANIZATION';
  name: string;
}

export interface TravelDocumentRecord extends SubjectBase {
  kind: 'TRAVEL_DOCUMENT';
  number: string;
  issuingCountry: string;
  documentType?: string | null;
  /** Omitted: VALID. */
  status?: DocumentStatus;
  reportedAt?: IsoDateTime | null;
}

export interface VehicleRecord extends SubjectBase {
  kind: 'VEHICLE';
  identifier: string;
}

export interface PhoneRecord extends SubjectBase {
  kind: 'PHONE';
  number: string;
}

export interface LocationRecord extends SubjectBase {
  kind: 'LOCATION';
  name: string;
  countryCode?: string | null;
}

export type SubjectRecord =
  | PersonRecord
  | OrganizationRecord
  | TravelDocumentRecord
  | VehicleRecord
  | PhoneRecord
  | LocationRecord;

export interface Releasability {
  mode: ReleasabilityMode;
  countries?: string[];
}

export interface Route {
  origin?: string | null;
  transit?: string[];
  destination?: string | null;
}

export interface ReportRecord {
  id: string;
  /** Omitted: the author's country. When given it must equal the author's country. */
  owner?: string;
  /** Omitted only when owner is given. */
  author?: string | null;
  title: string;
  summary?: string | null;
  classification: Level;
  /** Omitted: H0. */
  handling?: string;
  evaluation?: string | null;
  /** Omitted: NETWORK. */
  releasability?: Releasability;
  operation?: string | null;
  createdAt: IsoDateTime;
  expiresAt?: IsoDateTime | null;
  sourceDescription?: string | null;
  route?: Route | null;
  subjects?: string[];
}

export interface LinkRecord {
  id: string;
  from: string;
  to: string;
  kind: string;
  report: string;
}

export interface UpdateMetrics {
  arrests?: number;
  migrantsDetected?: number;
  victimsRescued?: number;
  checks?: number;
  seizures?: number;
}

export const METRIC_NAMES = ['arrests', 'migrantsDetected', 'victimsRescued', 'checks', 'seizures'] as const;

export interface UpdateRecord {
  id: string;
  operation: string;
  /** Omitted only when owner is given. */
  author?: string | null;
  /** Omitted: the author's country. When given it must equal the author's country. */
  owner?: string;
  kind: string;
  text: string;
  classification: Level;
  postedAt: IsoDateTime;
  metrics?: UpdateMetrics | null;
}

export interface ImportFile {
  countries?: CountryRecord[];
  sharingRules?: SharingRuleRecord[];
  partners?: PartnerRecord[];
  units?: UnitRecord[];
  officers?: OfficerRecord[];
  operations?: OperationRecord[];
  subjects?: SubjectRecord[];
  reports?: ReportRecord[];
  links?: LinkRecord[];
  updates?: UpdateRecord[];
}

/** The sections in the order they are written (each depends only on earlier ones). */
export const SECTIONS = [
  'countries',
  'sharingRules',
  'partners',
  'units',
  'officers',
  'operations',
  'subjects',
  'reports',
  'links',
  'updates',
] as const satisfies readonly (keyof ImportFile)[];
export type Section = (typeof SECTIONS)[number];

export function countRecords(file: ImportFile): number {
  let total = 0;
  for (const section of SECTIONS) total += file[section]?.length ?? 0;
  return total;
}
