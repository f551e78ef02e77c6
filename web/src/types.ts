/** The shapes the board's documents (operations.ts) select. */
export type Level = 'UNCLASSIFIED' | 'OFFICIAL' | 'RESTRICTED' | 'CONFIDENTIAL';
export const LEVELS: Level[] = ['UNCLASSIFIED', 'OFFICIAL', 'RESTRICTED', 'CONFIDENTIAL'];

export interface Me {
  id: string;
  name: string;
  rank: string | null;
  roles: string[];
  clearance: Level;
  country: { code: string; name: string };
}

export interface OperationSummary {
  id: string;
  codename: string;
  status: string;
  visibility: string;
  leadCountry: { code: string };
}

export interface Outcome {
  arrests: number;
  migrantsDetected: number;
  victimsRescued: number;
  checks: number;
  seizures: number;
}

export interface OperationDetail extends Omit<OperationSummary, 'leadCountry'> {
  objective: string | null;
  startsAt: string | null;
  endsAt: string | null;
  leadCountry: { code: string; name: string };
  participants: { code: string; name: string }[];
  assignments: { role: string; officer: { id: string; name: string; rank: string | null; country: { code: string } } }[];
  outcome: Outcome;
}

export interface Update {
  id: string;
  kind: string;
  text: string;
  classification: Level;
  postedAt: string;
  cursor: string;
  owner: { code: string; name: string };
  author: { id: string; name: string } | null;
  metrics: Outcome | null;
}

export interface SubjectNode {
  id: string;
  kind: 'PERSON' | 'ORGANIZATION' | 'TRAVEL_DOCUMENT' | 'VEHICLE' | 'PHONE' | 'LOCATION';
  name?: string | null;
  protected?: boolean;
  number?: string | null;
  issuingCountry?: string | null;
  identifier?: string | null;
}

export interface NetworkLink {
  id: string;
  kind: string;
  from: { id: string };
  to: { id: string };
}

export interface Network {
  truncated: boolean;
  subjects: SubjectNode[];
  links: NetworkLink[];
  brokers: { subject: { id: string }; betweenness: number; degree: number }[];
}

export interface Corridor {
  origin: string;
  transit: string[];
  destination: string;
  month: string | null;
  reports: number;
  persons: number;
  lastSeen: string;
}

export function subjectLabel(subject: SubjectNode): string {
  switch (subject.kind) {
    case 'PERSON':
      return subject.name ?? 'protected person';
    case 'TRAVEL_DOCUMENT':
      return `${subject.issuingCountry ?? ''} ${subject.number ?? ''}`.trim();
    case 'VEHICLE':
      return subject.identifier ?? subject.id;
    case 'PHONE':
      return subject.number ?? subject.id;
    default:
      return subject.name ?? subject.id;
  }
}
