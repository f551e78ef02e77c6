import { type ColumnReaders, listProjectionOf, projectionOf, property } from './columns';
import type { ListSpec } from './paging';
import type { CountryRecord, OfficerRecord, UnitRecord } from './records';

/**
 * The network's directory: countries, units, officers. These are not items: any authenticated
 * principal reads them (officer contact details are redacted for partners, in the session).
 */

export const countryProjection = (c: string) =>
  `${c} { .code, .name, .region, defaultShareLevel: coalesce(${c}.defaultShareLevel, 'NONE'), partnerShareLevel: coalesce(${c}.partnerShareLevel, 'NONE') }`;

export const unitProjection = (u: string) =>
  `${u} { .id, .name, .specialization, countryCode: [(${u})-[:OF]->(uc:Country) | uc.code][0] }`;

const OFFICER_COLUMNS = {
  id: property('id'),
  name: property('name'),
  rank: property('rank'),
  email: property('email'),
  phone: property('phone'),
  roles: (o: string) => `coalesce(${o}.roles, [])`,
  clearance: property('clearance'),
  status: property('status'),
  unitId: (o: string) => `[(${o})-[:MEMBER_OF]->(ou:Unit) | ou.id][0]`,
  countryCode: (o: string) => `[(${o})-[:MEMBER_OF]->(:Unit)-[:OF]->(oc:Country) | oc.code][0]`,
} satisfies ColumnReaders<string>;
export type OfficerColumn = keyof typeof OFFICER_COLUMNS;
export const OFFICER_RECORD_COLUMNS = Object.keys(OFFICER_COLUMNS) as OfficerColumn[];

/**
 * The columns each GraphQL field of Officer reads from an officer record: a list that knows
 * its selection reads only those (src/resolvers/common/lookahead.ts).
 */
export const OFFICER_FIELD_COLUMNS: Readonly<Record<string, readonly OfficerColumn[]>> = {
  id: ['id'], name: ['name'], rank: ['rank'], email: ['email'], phone: ['phone'], roles: ['roles'], clearance: ['clearance'],
  status: ['status'], unit: ['unitId'], country: ['countryCode'], redactedFields: [], __typename: [],
};

/** An officer record: every column, or `columns` (in record order; the id always). */
export const officerProjection = (o: string, columns?: readonly OfficerColumn[] | null) => projectionOf(OFFICER_COLUMNS, o, columns, ['id']);

export const countriesByCodesCypher = `UNWIND $ids AS code MATCH (c:Country {code: code}) RETURN ${countryProjection('c')} AS row`;
export const allCountriesCypher = `MATCH (c:Country) RETURN ${countryProjection('c')} AS row ORDER BY c.code`;
export const unitsByIdsCypher = `UNWIND $ids AS id MATCH (u:Unit {id: id}) RETURN ${unitProjection('u')} AS row`;
/** The country of code `${r}.ownerCode`, as `countriesByCodesCypher` reads it (embedded in report reads: src/graph/includes.ts). */
export const ownerOfReport = (r: string) => `COLLECT { MATCH (incOwner:Country {code: ${r}.ownerCode}) RETURN ${countryProjection('incOwner')} }[0]`;

/** The units of country `c`, by name then id (also embedded in operation reads). */
export const unitsOfCountry = (c: string) =>
  `COLLECT { MATCH (incUnit:Unit)-[:OF]->(${c}) WITH incUnit ORDER BY incUnit.name, incUnit.id RETURN ${unitProjection('incUnit')} }`;

export const unitsOfCountriesCypher = `UNWIND $ids AS code
MATCH (c:Country {code: code})
RETURN code AS parent, ${unitsOfCountry('c')} AS rows`;
export const officersByIdsCypher = `UNWIND $ids AS id MATCH (o:Officer {id: id}) RETURN ${officerProjection('o')} AS row`;

export interface OfficerFilter {
  countryCode?: string | null;
  unitId?: string | null;
  status?: string | null;
  role?: string | null;
  name?: string | null;
}

export type OfficerParent = 'root' | 'unit';

/** `columns`: the record's columns the request reads (all when absent). */
export function officerListSpec(parent: OfficerParent, filter: OfficerFilter, columns?: readonly OfficerColumn[]): ListSpec {
  const where: string[] = [];
  if (filter.countryCode) where.push('EXISTS { (o)-[:MEMBER_OF]->(:Unit)-[:OF]->(:Country {code: $filter.countryCode}) }');
  if (filter.unitId) where.push('EXISTS { (o)-[:MEMBER_OF]->(:Unit {id: $filter.unitId}) }');
  if (filter.status) where.push('o.status = $filter.status');
  if (filter.role) where.push('$filter.role IN o.roles');
  if (filter.name) where.push('toLower(o.name) CONTAINS $filter.name');
  return {
    match: parent === 'unit' ? 'MATCH (o:Officer)-[:MEMBER_OF]->(:Unit {id: parent})' : 'MATCH (o:Officer)',
    alias: 'o',
    where,
    orderBy: [{ expr: 'o.id', desc: false }],
    // A page may hold thousands of officers (a nested read): rows as lists.
    ...listProjectionOf(OFFICER_COLUMNS, 'o', columns, ['id']),
    params: { filter: { ...filter, name: filter.name?.toLowerCase() ?? null } },
  };
}

export type { CountryRecord, OfficerRecord, UnitRecord };
