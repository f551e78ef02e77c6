import type { Statement } from './db';
import { countryProjection, officerListSpec, ownerOfReport, unitsOfCountry, type OfficerColumn } from './directory';
import { participantsOfOperation } from './operations';
import { pageBody, pageParams, scopedSpec, type ListSpec, type PageArgs } from './paging';
import type { ReportColumn } from './reports';
import { subjectsOfReport, type SubjectColumn } from './subjects';

/**
 * Children embedded in their parent's statement. A request that selects a report's owner and
 * subjects, or an operation's participants, their units and the units' officers, would cost one
 * statement per level through the DataLoaders; the session (src/graph/session.ts) asks for
 * those children inside the parent's statement instead and primes the loaders with them, so the
 * field resolvers find them without a round trip.
 *
 * Each child is read by the same expression its own loader runs (the loaders' statements are
 * built from the functions below), so an embedded child is exactly the one the loader would
 * have returned: embedding changes the number of statements, never an answer. The sharing
 * rule applies where it applies without embedding: on the parent (the report or operation
 * list's own predicate). A report's owner and subjects, an operation's participants, units and
 * officers are not items (DESIGN §3): the loaders read them without a predicate too.
 */

/**
 * What a report read fetches beyond the default: the report columns the request reads
 * (`columns`; absent or null: all), and which children it embeds, with the subjects' columns
 * (`subjectColumns`; absent or null: all).
 */
export interface ReportIncludes {
  columns?: ReportColumn[] | null;
  owner?: boolean;
  subjects?: boolean;
  subjectColumns?: SubjectColumn[] | null;
}

/** Whether a report read reads anything but every column and no children (the default loaders' read). */
export const embedsOrNarrows = (includes: ReportIncludes) => !!(includes.owner || includes.subjects || includes.columns);

/**
 * Which of an operation's children its statement embeds: participants → units → officers (a
 * page, and the officer columns the request reads; null: all).
 */
export interface OperationIncludes {
  participants?: { units?: { officers?: { page: PageArgs; columns: OfficerColumn[] | null } } };
}

/** The `include` expressions of a report list or read for `includes`, over report `r`; undefined when none. */
export function reportIncludes(includes: ReportIncludes, r: string): Record<string, string> | undefined {
  const include: Record<string, string> = {};
  if (includes.owner) include.owner = ownerOfReport(r);
  if (includes.subjects) include.subjects = subjectsOfReport(r, includes.subjectColumns);
  return Object.keys(include).length ? include : undefined;
}

/** The stable key of an includes value, for the loaders' cache keys. */
export const includesKey = (includes: ReportIncludes | OperationIncludes) => JSON.stringify(includes);

/** The officers list a unit's `officers` field reads (UnitResolver passes no filter). */
export const unitOfficersSpec = (columns: OfficerColumn[] | null): ListSpec => officerListSpec('unit', {}, columns ?? undefined);

/**
 * One statement for a page of operations (`spec`, under `parents`) and the children `includes`
 * names: each operation's participant codes (`include.participants`), then once for every
 * distinct participant its country and units (`countries`), then once for every distinct unit
 * its officers page (one record each after the first, `officerPage`, rows as `pageBody` collects
 * them). Countries and units are shared between operations, so each is read once, as one
 * DataLoader batch would read it.
 */
export function nestedOperationsStatement(spec: ListSpec, parents: readonly string[], page: PageArgs, includes: OperationIncludes): Statement {
  const participants = includes.participants;
  const withParticipants: ListSpec = participants ? { ...spec, include: { ...spec.include, participants: participantsOfOperation(spec.alias) } } : spec;
  const parts = [
    `CALL () {
  UNWIND $parents AS parent
  CALL (parent) {
    ${pageBody(withParticipants)}
  }
  RETURN collect({parent: parent, rows: rows}) AS pages
}`,
  ];
  const params: Record<string, unknown> = { ...pageParams(withParticipants, page), parents: [...parents] };
  const returned = ['pages'];
  if (participants) {
    parts.push(`CALL (pages) {
  UNWIND pages AS incPage
  // Not the row read beyond the page (it only tells whether there is a next page). An entry is [row, cursorKey, include].
  UNWIND incPage.rows[..$limit - 1] AS incEntry
  UNWIND incEntry[2].participants AS incCode
  WITH DISTINCT incCode
  MATCH (incCountry:Country {code: incCode})
  RETURN collect({row: ${countryProjection('incCountry')}${participants.units ? `, units: ${unitsOfCountry('incCountry')}` : ''}}) AS countries
}`);
    returned.push('countries');
    const officers = participants.units?.officers;
    if (officers) {
      const officerSpec = scopedSpec(unitOfficersSpec(officers.columns), 'officers_');
      parts.push(`CALL (countries) {
  UNWIND countries AS incCountryRow
  UNWIND incCountryRow.units AS incUnitRow
  WITH DISTINCT incUnitRow.id AS parent
  CALL (parent) {
    ${pageBody(officerSpec, 'officers_')}
  }
  RETURN collect({parent: parent, rows: rows}) AS officerPages
}`);
      Object.assign(params, pageParams(officerSpec, officers.page, 'officers_'));
      // One record per officers page after a first with the operations and countries: the driver
      // decodes a record spread over many Bolt chunks far more slowly than many small ones
      // (measured: one record of 4,800 officers cost 60% more Node CPU than five statements).
      return {
        cypher: `${parts.join('\n')}
UNWIND range(0, size(officerPages)) AS incRecord
RETURN CASE incRecord WHEN 0 THEN pages END AS pages, CASE incRecord WHEN 0 THEN countries END AS countries,
  CASE WHEN incRecord > 0 THEN officerPages[incRecord - 1] END AS officerPage`,
        params,
      };
    }
  }
  return { cypher: `${parts.join('\n')}\nRETURN ${returned.join(', ')}`, params };
}
