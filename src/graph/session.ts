import DataLoader from 'dataloader';
import { BadInputError } from '../errors';
import type { PolicyContext } from '../policy/context';
import {
  applyRedaction,
  redactedOfficerFields,
  redactedPersonFields,
  redactedReportFields,
} from '../policy/redaction';
import { evaluateItem } from '../policy/rule';
import { connectionPath, corridors, subjectNetwork, type CorridorFilter, type CorridorRecord, type NetworkRecord, type PathRecord } from './analysis';
import { AuditTrail } from './audit-trail';
import type { Db, Statement } from './db';
import {
  allCountriesCypher,
  countriesByCodesCypher,
  officerListSpec,
  officersByIdsCypher,
  unitsByIdsCypher,
  unitsOfCountriesCypher,
  type OfficerColumn,
  type OfficerFilter,
  type OfficerParent,
} from './directory';
import { columnsKey } from './columns';
import { embedsOrNarrows, includesKey, nestedOperationsStatement, unitOfficersSpec, type OperationIncludes, type ReportIncludes } from './includes';
import { existingItemsStatement, type ItemLabel } from './items';
import { batchedPages, decodedPages, loadCounts, loadPages, type BatchedPage, type RawPage } from './lists';
import {
  assignmentsCypher,
  operationListSpec,
  operationsByIdsStatement,
  outcomeStatement,
  participantsCypher,
  updateListSpec,
  updatesByIdsStatement,
  type OperationFilter,
} from './operations';
import type { ListSpec, PageArgs } from './paging';
import type {
  CountryRecord,
  LinkRecord,
  Metrics,
  OfficerRecord,
  OperationRecord,
  ReportRecord,
  SubjectRecord,
  UnitRecord,
  UpdateRecord,
} from './records';
import { reportListSpec, reportsByIdsStatement, type ReportFilter, type ReportParent } from './reports';
import { reviewDueSpec } from './review';
import { sharingRulesStatement, type SharingRuleRecord } from './sharing';
import {
  linksByIdsStatement,
  linksOfReportsCypher,
  linksOfSubjectsStatement,
  subjectsByIdsStatement,
  subjectsOfReportsCypher,
  type SubjectColumn,
} from './subjects';

export type Redacted<T> = T & { redactedFields: string[] };

/** A row's embedded children (src/graph/includes.ts). */
type Included = Record<string, unknown>;

/** The columns of an officers page when not all: part of its page loader's key (`list`'s `embedded`), not of its count's. */
const officerPageKey = (columns: OfficerColumn[] | null) => (columns ? { key: columnsKey(columns) } : undefined);


/** A cursor must carry one value per sort key, of the key's type: anything else was not made here. */
export function checkCursor(spec: ListSpec, page: PageArgs): void {
  if (page.after === null) return;
  const fits =
    page.after.length === spec.orderBy.length &&
    spec.orderBy.every((key, index) => {
      const value = page.after![index];
      return key.datetime ? typeof value === 'string' && !Number.isNaN(Date.parse(value)) : value !== null;
    });
  if (!fits) throw new BadInputError('after is not a cursor from this list', [{ field: 'after', message: 'invalid cursor' }]);
}

/**
 * One request's view of the graph: every read the resolvers make goes through here. It holds
 * the request's DataLoaders (so nested lists cost one round trip per level) and returns
 * records already filtered by the sharing rule (inside the Cypher) and redacted.
 */
export class GraphSession {
  readonly now = new Date();
  private pageLoaders = new Map<string, DataLoader<string, BatchedPage<unknown>>>();
  private countLoaders = new Map<string, DataLoader<string, number>>();

  constructor(
    readonly db: Db,
    readonly policy: PolicyContext,
    /** Every item read through this session is noted here (DESIGN §3, Audit). */
    readonly audit: AuditTrail = AuditTrail.disabled(policy, ''),
  ) {}

  /* ------------------------------------------------------------- by key */

  /** `prime`: given each row's embedded children (`include`, src/graph/includes.ts) when its statement has them. */
  private byKey<T>(statement: (keys: readonly string[]) => Statement, key: (row: T) => string, prime?: (row: T, include: Included) => void) {
    return new DataLoader<string, T | null>(async (keys) => {
      const rows = await this.db.read<{ row: T; include?: Included }>(statement(keys));
      if (prime) for (const { row, include } of rows) if (include) prime(row, include);
      const found = new Map(rows.map(({ row }) => [key(row), row]));
      return keys.map((k) => found.get(k) ?? null);
    });
  }

  private grouped<T>(statement: (keys: readonly string[]) => Statement) {
    return new DataLoader<string, T[]>(async (keys) => {
      const rows = await this.db.read<{ parent: string; rows: T[] }>(statement(keys));
      const found = new Map(rows.map((row) => [row.parent, row.rows]));
      return keys.map((k) => found.get(k) ?? []);
    });
  }

  private readonly countryLoader = this.byKey<CountryRecord>((ids) => ({ cypher: countriesByCodesCypher, params: { ids } }), (c) => c.code);
  private readonly unitLoader = this.byKey<UnitRecord>((ids) => ({ cypher: unitsByIdsCypher, params: { ids } }), (u) => u.id);
  private readonly officerLoader = this.byKey<OfficerRecord>((ids) => ({ cypher: officersByIdsCypher, params: { ids } }), (o) => o.id);
  private readonly operationLoader = this.byKey<OperationRecord>((ids) => operationsByIdsStatement(this.policy, ids, this.now), (o) => o.id);
  private readonly reportLoader = this.byKey<ReportRecord>((ids) => reportsByIdsStatement(this.policy, ids, this.now), (r) => r.id);
  /** By-id report reads that embed children or read some columns, one loader per `ReportIncludes`. */
  private readonly reportLoadersWith = new Map<string, DataLoader<string, ReportRecord | null>>();
  private readonly subjectLoader = this.byKey<SubjectRecord>((ids) => subjectsByIdsStatement(this.policy, ids, this.now), (s) => s.id);
  private readonly linkLoader = this.byKey<LinkRecord>((ids) => linksByIdsStatement(this.policy, ids, this.now), (l) => l.id);
  private readonly updateLoader = this.byKey<UpdateRecord>((ids) => updatesByIdsStatement(this.policy, ids, this.now), (u) => u.id);
  private readonly existingReports = this.byKey<{ id: string }>((ids) => existingItemsStatement('IntelReport', ids), (r) => r.id);
  private readonly existingUpdates = this.byKey<{ id: string }>((ids) => existingItemsStatement('OperationUpdate', ids), (r) => r.id);
  private readonly sharingRulesOf = this.grouped<SharingRuleRecord>((codes) => sharingRulesStatement(codes, this.now));

  private readonly unitsOfCountry = this.grouped<UnitRecord>((ids) => ({ cypher: unitsOfCountriesCypher, params: { ids } }));
  private readonly participantsOf = this.grouped<string>((ids) => ({ cypher: participantsCypher, params: { ids } }));
  private readonly assignmentsOf = this.grouped<{ officerId: string; role: string }>((ids) => ({ cypher: assignmentsCypher, params: { ids } }));
  /** Subjects of reports, one loader per column set (a page of some columns is cached apart from one of all). */
  private readonly subjectsOfReportWith = new Map<string, DataLoader<string, SubjectRecord[]>>();
  private readonly linksOfReport = this.grouped<LinkRecord>((ids) => ({ cypher: linksOfReportsCypher, params: { ids } }));
  private readonly linksOfSubject = this.grouped<LinkRecord>((ids) => linksOfSubjectsStatement(this.policy, ids, this.now));
  private readonly outcomeOf = new DataLoader<OperationRecord, Metrics, string>(
    async (operations) => {
      const rows = await this.db.read<{ parent: string; metrics: Metrics }>(outcomeStatement(this.policy, [...operations], this.now));
      const found = new Map(rows.map((row) => [row.parent, row.metrics]));
      return operations.map((o) => found.get(o.id)!);
    },
    { cacheKeyFn: (operation) => operation.id },
  );

  country(code: string): Promise<CountryRecord | null> {
    return this.countryLoader.load(code);
  }

  async countries(): Promise<CountryRecord[]> {
    const rows = await this.db.read<{ row: CountryRecord }>({ cypher: allCountriesCypher });
    return rows.map(({ row }) => {
      this.countryLoader.prime(row.code, row);
      return row;
    });
  }

  unit(id: string): Promise<UnitRecord | null> {
    return this.unitLoader.load(id);
  }

  unitsOf(countryCode: string): Promise<UnitRecord[]> {
    return this.unitsOfCountry.load(countryCode);
  }

  async officer(id: string): Promise<Redacted<OfficerRecord> | null> {
    const officer = await this.officerLoader.load(id);
    return officer && applyRedaction(officer, redactedOfficerFields(this.policy));
  }

  operation(id: string): Promise<OperationRecord | null> {
    return this.operationLoader.load(id);
  }

  /** One update, if the viewer may read it. */
  async update(id: string): Promise<UpdateRecord | null> {
    const update = await this.updateLoader.load(id);
    return this.audited('OperationUpdate', id, update, []);
  }

  /**
   * An update this request has just committed, as its write returned it: judged in memory by
   * the same rule (`evaluateItem`) instead of read back, and noted like a direct read.
   */
  writtenUpdate(record: UpdateRecord): UpdateRecord | null {
    if (!evaluateItem(this.policy, record, this.now).allowed) return null;
    this.updateLoader.prime(record.id, record);
    this.audit.read('OperationUpdate', record.id, []);
    return record;
  }

  /** Notes a direct read: granted, or denied when the item exists but is invisible (the caller still sees null). */
  private async audited<T>(label: ItemLabel, id: string, found: T | null, redactedFields: string[]): Promise<T | null> {
    if (found) this.audit.read(label, id, redactedFields);
    else if (await (label === 'IntelReport' ? this.existingReports : this.existingUpdates).load(id)) this.audit.deny(label, id);
    return found;
  }

  /** A country's sharing rules: administration data, not items; callers check who may read them. */
  sharingRules(countryCode: string): Promise<SharingRuleRecord[]> {
    return this.sharingRulesOf.load(countryCode);
  }

  async participants(operationId: string): Promise<string[]> {
    return this.participantsOf.load(operationId);
  }

  assignments(operationId: string): Promise<{ officerId: string; role: string }[]> {
    return this.assignmentsOf.load(operationId);
  }

  outcome(operation: OperationRecord): Promise<Metrics> {
    return this.outcomeOf.load(operation);
  }

  /** One report, if the viewer may read it; `includes`: the children to read in the same statement. */
  async report(id: string, includes: ReportIncludes = {}): Promise<Redacted<ReportRecord> | null> {
    const report = await this.reportLoaderWith(includes).load(id);
    const redacted = report && this.redactReport(report);
    return this.audited('IntelReport', id, redacted, redacted?.redactedFields ?? []);
  }

  private reportLoaderWith(includes: ReportIncludes): DataLoader<string, ReportRecord | null> {
    if (!embedsOrNarrows(includes)) return this.reportLoader;
    const key = includesKey(includes);
    let loader = this.reportLoadersWith.get(key);
    if (!loader) {
      loader = this.byKey<ReportRecord>(
        (ids) => reportsByIdsStatement(this.policy, ids, this.now, includes),
        (r) => r.id,
        (row, include) => {
          // A record of some columns is not the one the plain loader returns.
          if (!includes.columns) this.reportLoader.prime(row.id, row);
          this.primeReportChildren(row, include, includes);
        },
      );
      this.reportLoadersWith.set(key, loader);
    }
    return loader;
  }

  /** The loaders of a report's owner and subjects, from the children its statement embedded. */
  private primeReportChildren(row: ReportRecord, include: Included, includes: ReportIncludes): void {
    const owner = include.owner as CountryRecord | null | undefined;
    if (owner) this.countryLoader.prime(owner.code, owner);
    if (include.subjects) this.subjectsOfReportLoader(includes.subjectColumns ?? null).prime(row.id, include.subjects as SubjectRecord[]);
  }

  private subjectsOfReportLoader(columns: SubjectColumn[] | null): DataLoader<string, SubjectRecord[]> {
    const key = columnsKey(columns);
    let loader = this.subjectsOfReportWith.get(key);
    if (!loader) {
      const cypher = subjectsOfReportsCypher(columns);
      loader = this.grouped<SubjectRecord>((ids) => ({ cypher, params: { ids } }));
      this.subjectsOfReportWith.set(key, loader);
    }
    return loader;
  }

  redactReport(report: ReportRecord): Redacted<ReportRecord> {
    return applyRedaction(report, redactedReportFields(this.policy, report));
  }

  async subject(id: string): Promise<Redacted<SubjectRecord> | null> {
    const subject = await this.subjectLoader.load(id);
    return subject && this.redactSubject(subject);
  }

  /** For the creator of a subject: their country recorded it, even if no report concerns it yet. */
  async subjectRecordedOrVisible(id: string): Promise<Redacted<SubjectRecord> | null> {
    const [found] = await this.db.read<{ row: SubjectRecord }>(subjectsByIdsStatement(this.policy, [id], this.now, true));
    return found ? this.redactSubject(found.row) : null;
  }

  redactSubject(subject: SubjectRecord): Redacted<SubjectRecord> {
    return applyRedaction(subject, subject.kind === 'PERSON' ? redactedPersonFields(this.policy, { protected: !!subject.protected, recordedBy: subject.recordedBy }) : []);
  }

  /** Subjects of a report the caller has already read through `report()`; `columns`: those the request reads (null: all). */
  async subjectsOfVisibleReport(reportId: string, columns: SubjectColumn[] | null = null): Promise<Redacted<SubjectRecord>[]> {
    return (await this.subjectsOfReportLoader(columns).load(reportId)).map((s) => this.redactSubject(s));
  }

  /** Links asserted by a report the caller has already read through `report()`. */
  linksOfVisibleReport(reportId: string): Promise<LinkRecord[]> {
    return this.linksOfReport.load(reportId);
  }

  linksOf(subjectId: string): Promise<LinkRecord[]> {
    return this.linksOfSubject.load(subjectId);
  }

  link(id: string): Promise<LinkRecord | null> {
    return this.linkLoader.load(id);
  }

  /* ------------------------------------------------------------- analysis */

  /**
   * The visible network around a subject (src/graph/analysis.ts), redacted, with each report
   * whose link it discloses noted for the audit under `use` (the field or route that answers).
   */
  async subjectNetwork(subjectId: string, depth: number, limit: number, use = 'subjectNetwork'): Promise<NetworkRecord | null> {
    const network = await subjectNetwork(this.db, this.policy, subjectId, depth, limit, this.now);
    if (!network) return null;
    this.disclosed(network.links, use);
    const members = network.members.map((m) => ({ ...m, subject: this.knownSubject(m.subject) }));
    return { ...network, members };
  }

  async connectionPath(fromId: string, toId: string, maxHops: number): Promise<PathRecord | null> {
    const path = await connectionPath(this.db, this.policy, fromId, toId, maxHops, this.now);
    if (!path) return null;
    this.disclosed(path.links, 'connectionPath');
    return { ...path, subjects: path.subjects.map((s) => this.knownSubject(s)) };
  }

  /** Aggregates over visible reports, like counts: no report's content is disclosed one by one. */
  corridors(filter: CorridorFilter): Promise<CorridorRecord[]> {
    return corridors(this.db, this.policy, filter, this.now);
  }

  /** A subject a traversal reached over visible links (so visible), redacted and kept for Link.from/to. */
  private knownSubject(subject: SubjectRecord): Redacted<SubjectRecord> {
    this.subjectLoader.prime(subject.id, subject);
    return this.redactSubject(subject);
  }

  private disclosed(links: readonly LinkRecord[], use: string): void {
    for (const link of links) this.audit.note('READ', 'IntelReport', link.reportId, 'GRANTED', { detail: use });
  }

  /* ------------------------------------------------------------- lists */

  /** `load`: how a batch of parents is read, when not by `loadPages` (a statement that embeds children). */
  private pageLoader<T>(
    name: string,
    spec: () => ListSpec,
    page: PageArgs,
    extra: unknown,
    load?: (built: ListSpec, parents: readonly string[]) => Promise<BatchedPage<unknown>[]>,
  ) {
    const key = JSON.stringify([name, page, extra]);
    let loader = this.pageLoaders.get(key);
    if (!loader) {
      const built = spec();
      checkCursor(built, page);
      loader = new DataLoader((parents) => (load ? load(built, parents) : loadPages<unknown>(this.db, built, parents, page)));
      this.pageLoaders.set(key, loader);
    }
    return loader as DataLoader<string, BatchedPage<T>>;
  }

  private countLoader(name: string, spec: () => ListSpec, extra: unknown) {
    const key = JSON.stringify([name, extra]);
    let loader = this.countLoaders.get(key);
    if (!loader) {
      loader = new DataLoader((parents) => loadCounts(this.db, spec(), parents));
      this.countLoaders.set(key, loader);
    }
    return loader;
  }

  /**
   * A page and a lazy total (counted only when asked for) of one list under one parent.
   * `embedded`: the children the page's statement embeds (part of the page loader's key, not of
   * the count's: the count is the same whatever the page embeds), and how a batch is read then.
   */
  private list<T>(
    name: string,
    spec: () => ListSpec,
    parent: string | null,
    page: PageArgs,
    extra: unknown,
    embedded?: { key: string; load?: (built: ListSpec, parents: readonly string[]) => Promise<BatchedPage<unknown>[]> },
  ) {
    // DataLoader keys cannot be null; root lists ignore `parent` in their Cypher.
    const key = parent ?? '';
    const pageExtra = embedded ? [extra, embedded.key] : extra;
    return {
      page: this.pageLoader<T>(name, spec, page, pageExtra, embedded?.load).load(key),
      total: () => this.countLoader(name, spec, extra).load(key),
    };
  }

  /** `includes`: the children of each report to read in the page's statement. */
  reports(parent: ReportParent, parentId: string | null, filter: ReportFilter, page: PageArgs, includes: ReportIncludes = {}) {
    const embedding = embedsOrNarrows(includes);
    const listed = this.list<ReportRecord>(
      `reports:${parent}`,
      () => reportListSpec(this.policy, parent, filter, this.now, includes),
      parentId,
      page,
      filter,
      embedding ? { key: includesKey(includes) } : undefined,
    );
    if (!embedding) return this.auditedReports(listed);
    const primed = listed.page.then((p) => {
      for (const e of p.entries) if (e.include) this.primeReportChildren(e.row, e.include, includes);
      return p;
    });
    return this.auditedReports({ ...listed, page: primed });
  }

  /** The viewer's own country's reports that have expired or expire within `withinDays`, soonest first. */
  reviewDue(country: string, withinDays: number, page: PageArgs) {
    const extra = { country, withinDays };
    return this.auditedReports(this.list<ReportRecord>('reviewDue', () => reviewDueSpec(this.policy, country, withinDays, this.now), null, page, extra));
  }

  private auditedReports(listed: { page: Promise<BatchedPage<ReportRecord>>; total: () => Promise<number> }) {
    const page = listed.page.then((p) => ({
      ...p,
      entries: p.entries.map((e) => {
        const row = this.redactReport(e.row);
        this.audit.read('IntelReport', row.id, row.redactedFields);
        return { ...e, row };
      }),
    }));
    return { ...listed, page };
  }

  /** `columns`: the officer record's columns the request reads (null: all; a page of some is cached apart). */
  officers(parent: OfficerParent, parentId: string | null, filter: OfficerFilter, page: PageArgs, columns: OfficerColumn[] | null = null) {
    const spec = () => officerListSpec(parent, filter, columns ?? undefined);
    const listed = this.list<OfficerRecord>(`officers:${parent}`, spec, parentId, page, filter, officerPageKey(columns));
    const hidden = redactedOfficerFields(this.policy);
    return { ...listed, page: listed.page.then((p) => ({ ...p, entries: p.entries.map((e) => ({ ...e, row: applyRedaction(e.row, hidden) })) })) };
  }

  /** `includes`: the children (participants → units → officers) to read in the page's statement. */
  operations(filter: OperationFilter, page: PageArgs, includes: OperationIncludes = {}) {
    const spec = () => operationListSpec(this.policy, filter, this.now);
    if (!includes.participants) return this.list<OperationRecord>('operations', spec, null, page, filter);
    const load = (built: ListSpec, parents: readonly string[]) => this.nestedOperations(built, parents, page, includes);
    return this.list<OperationRecord>('operations', spec, null, page, filter, { key: includesKey(includes), load });
  }

  /** Pages of operations with their embedded children, priming the children's loaders. */
  private async nestedOperations(spec: ListSpec, parents: readonly string[], page: PageArgs, includes: OperationIncludes) {
    const records = await this.db.read<{ pages: RawPage[]; countries?: { row: CountryRecord; units?: UnitRecord[] }[]; officerPage?: RawPage | null }>(
      nestedOperationsStatement(spec, parents, page, includes),
    );
    // Found by content, not by position: Cypher promises no record order without ORDER BY.
    const result = records.find((r) => r.pages)!;
    const pages = decodedPages<OperationRecord>(result.pages, spec);
    for (const { rows } of pages) {
      for (const { row, include } of rows) this.participantsOf.prime(row.id, include!.participants as string[]);
    }
    for (const { row, units } of result.countries ?? []) {
      this.countryLoader.prime(row.code, row);
      if (!units) continue;
      this.unitsOfCountry.prime(row.code, units);
      // The same projection as the unit loader's (unitProjection): a unit's officer reads it there.
      for (const unit of units) this.unitLoader.prime(unit.id, unit);
    }
    const officers = includes.participants?.units?.officers;
    if (officers) {
      const officerSpec = unitOfficersSpec(officers.columns);
      const officerPages = decodedPages<OfficerRecord>(records.flatMap((r) => (r.officerPage ? [r.officerPage] : [])), officerSpec);
      const units = officerPages.map((p) => p.parent);
      // The key `officers('unit', …, {}, page, columns)` gives its page (src/resolvers/country/country.resolver.ts passes `{}`).
      const embedded = officerPageKey(officers.columns);
      const loader = this.pageLoader<OfficerRecord>('officers:unit', () => officerSpec, officers.page, embedded ? [{}, embedded.key] : {});
      batchedPages(officerPages, units, officers.page).forEach((p, i) => loader.prime(units[i], p));
    }
    return batchedPages(pages, parents, page);
  }

  updates(operationId: string, page: PageArgs) {
    const listed = this.list<UpdateRecord>('updates', () => updateListSpec(this.policy, this.now), operationId, page, null);
    const audited = listed.page.then((p) => {
      for (const e of p.entries) this.audit.read('OperationUpdate', e.row.id, []);
      return p;
    });
    return { ...listed, page: audited };
  }
}
