import { randomUUID } from 'node:crypto';
import { Arg, Ctx, Field, ID, InputType, Mutation, Resolver } from 'type-graphql';
import { NotFoundError } from '../../errors';
import { phoneKey } from '../../graph/phone';
import { createReport, createSubject, linkSubjects, setReleasability, updateReport, type ReportPatch } from '../../graph/writes/reports';
import type { DocumentStatus, SubjectKind } from '../../graph/records';
import type { Level, ReleasabilityMode } from '../../policy/levels';
import { requireContentRole, requireNcbAdminOf } from '../../policy/permissions';
import { DocumentStatusEnum, LevelEnum, ReleasabilityModeEnum, SubjectKindEnum } from '../common/enums';
import { DateTimeScalar, toIso } from '../common/scalars';
import { Checker, DATE_PATTERN, EVALUATION_PATTERN, HANDLING_PATTERN } from '../common/validate';
import type { HubContext } from '../context';
import { Link, Subject } from '../subject/subject.type';
import { IntelReport } from './report.type';

@InputType('ReleasabilityInput')
export class ReleasabilityInput {
  @Field(() => ReleasabilityModeEnum) mode: ReleasabilityMode;
  @Field(() => [String], { nullable: true, description: 'Country codes; required for ALLOW and DENY.' }) countries?: string[] | null;
}

@InputType('RouteInput')
export class RouteInput {
  @Field(() => String, { nullable: true }) origin?: string | null;
  @Field(() => [String], { nullable: true }) transit?: string[] | null;
  @Field(() => String, { nullable: true }) destination?: string | null;
}

@InputType('IntelReportInput')
export class IntelReportInput {
  @Field(() => ID, { nullable: true, description: 'Client id: the mutation is idempotent on it.' }) id?: string | null;
  @Field(() => String) title: string;
  @Field(() => String, { nullable: true }) summary?: string | null;
  @Field(() => LevelEnum) classification: Level;
  @Field(() => String, { nullable: true, description: 'H0–H3 (default H0).' }) handling?: string | null;
  @Field(() => String, { nullable: true, description: 'A/B/C/X × 1–4, e.g. B2.' }) evaluation?: string | null;
  @Field(() => ReleasabilityInput, { nullable: true, description: 'Default NETWORK.' }) releasability?: ReleasabilityInput | null;
  @Field(() => ID, { nullable: true }) operationId?: string | null;
  @Field(() => DateTimeScalar, { nullable: true }) expiresAt?: Date | null;
  @Field(() => String, { nullable: true }) sourceDescription?: string | null;
  @Field(() => RouteInput, { nullable: true }) route?: RouteInput | null;
  @Field(() => [ID], { nullable: true }) subjectIds?: string[] | null;
}

@InputType('IntelReportPatch', { description: 'Fields to change; omitted fields keep their value.' })
export class IntelReportPatch {
  @Field(() => String, { nullable: true }) title?: string | null;
  @Field(() => String, { nullable: true }) summary?: string | null;
  @Field(() => LevelEnum, { nullable: true }) classification?: Level | null;
  @Field(() => String, { nullable: true }) handling?: string | null;
  @Field(() => String, { nullable: true }) evaluation?: string | null;
  @Field(() => DateTimeScalar, { nullable: true }) expiresAt?: Date | null;
  @Field(() => String, { nullable: true }) sourceDescription?: string | null;
  @Field(() => RouteInput, { nullable: true }) route?: RouteInput | null;
  @Field(() => [ID], { nullable: true, description: 'Replaces the list of subjects.' }) subjectIds?: string[] | null;
}

@InputType('SubjectInput')
export class SubjectInput {
  @Field(() => ID, { nullable: true }) id?: string | null;
  @Field(() => SubjectKindEnum) kind: SubjectKind;
  @Field(() => String, { nullable: true, description: 'Person, Organization, Location.' }) name?: string | null;
  @Field(() => [String], { nullable: true, description: 'Person.' }) aliases?: string[] | null;
  @Field(() => String, { nullable: true, description: 'Person.' }) nationality?: string | null;
  @Field(() => String, { nullable: true, description: 'Person, YYYY-MM-DD.' }) dateOfBirth?: string | null;
  @Field(() => Boolean, { nullable: true, description: 'Person: a victim, witness or minor.' }) protected?: boolean | null;
  @Field(() => String, { nullable: true, description: 'TravelDocument, Phone.' }) number?: string | null;
  @Field(() => String, { nullable: true, description: 'TravelDocument.' }) issuingCountry?: string | null;
  @Field(() => String, { nullable: true, description: 'TravelDocument.' }) documentType?: string | null;
  @Field(() => DocumentStatusEnum, { nullable: true, description: 'TravelDocument.' }) status?: DocumentStatus | null;
  @Field(() => String, { nullable: true, description: 'Vehicle.' }) identifier?: string | null;
  @Field(() => String, { nullable: true, description: 'Location.' }) countryCode?: string | null;
}

@InputType('LinkInput')
export class LinkInput {
  @Field(() => ID, { nullable: true }) id?: string | null;
  @Field(() => ID, { description: 'The asserting report, of the author\'s country.' }) reportId: string;
  @Field(() => ID) fromId: string;
  @Field(() => ID) toId: string;
  @Field(() => String) kind: string;
}

function checkRoute(check: Checker, route: RouteInput | null | undefined): void {
  if (!route) return;
  check.country('route.origin', route.origin).country('route.destination', route.destination).countries('route.transit', route.transit, 30);
}

function checkReleasability(check: Checker, field: string, releasability: ReleasabilityInput | null | undefined): void {
  if (!releasability) return;
  check.countries(`${field}.countries`, releasability.countries);
  if (releasability.mode !== 'NETWORK' && !releasability.countries?.length) {
    check.add(`${field}.countries`, `must list at least one country for ${releasability.mode}`);
  }
}

const normaliseDocumentNumber = (value: string) => value.toUpperCase().replace(/[\s-]/g, '');

@Resolver()
export class ReportMutationResolver {
  @Mutation(() => IntelReport, { description: 'Creates a report owned by the author\'s country.' })
  async createIntelReport(@Arg('input', () => IntelReportInput) input: IntelReportInput, @Ctx() ctx: HubContext) {
    const author = requireContentRole(ctx.principal);
    const check = new Checker(ctx.services.config.limits.maxStringLength);
    check
      .id('id', input.id)
      .text('title', input.title, { required: true, max: 500 })
      .text('summary', input.summary)
      .pattern('handling', input.handling, HANDLING_PATTERN, 'must be H0, H1, H2 or H3')
      .pattern('evaluation', input.evaluation, EVALUATION_PATTERN, 'must be a reliability A, B, C or X and an accuracy 1–4, e.g. B2')
      .text('sourceDescription', input.sourceDescription)
      .id('operationId', input.operationId);
    checkReleasability(check, 'releasability', input.releasability);
    checkRoute(check, input.route);
    (input.subjectIds ?? []).forEach((id, index) => check.id(`subjectIds[${index}]`, id));
    if (input.expiresAt && input.expiresAt.getTime() <= ctx.graph.now.getTime()) check.add('expiresAt', 'must be in the future');
    check.done();
    const change = await createReport(
      ctx.services.db,
      author,
      {
        id: input.id ?? randomUUID(),
        title: input.title,
        summary: input.summary ?? null,
        classification: input.classification,
        handling: input.handling ?? 'H0',
        evaluation: input.evaluation ?? null,
        relMode: input.releasability?.mode ?? 'NETWORK',
        relCountries: input.releasability?.mode === 'NETWORK' ? [] : [...new Set(input.releasability?.countries ?? [])],
        operationId: input.operationId ?? null,
        expiresAt: toIso(input.expiresAt),
        sourceDescription: input.sourceDescription ?? null,
        routeOrigin: input.route?.origin ?? null,
        routeTransit: input.route?.transit ?? [],
        routeDestination: input.route?.destination ?? null,
        subjectIds: [...new Set(input.subjectIds ?? [])],
      },
      ctx.graph.now,
    );
    ctx.graph.audit.note('CREATE', 'IntelReport', change.reportId, 'OK');
    await ctx.services.events.publish({ type: 'report.changed', ...change });
    return this.readBack(ctx, 'intel report', change.reportId);
  }

  @Mutation(() => IntelReport, { description: 'Changes a report of the editor\'s own country.' })
  async updateIntelReport(
    @Arg('id', () => ID) id: string,
    @Arg('patch', () => IntelReportPatch) patch: IntelReportPatch,
    @Ctx() ctx: HubContext,
  ) {
    const editor = requireContentRole(ctx.principal);
    const check = new Checker(ctx.services.config.limits.maxStringLength);
    check
      .text('title', patch.title, { max: 500 })
      .text('summary', patch.summary)
      .pattern('handling', patch.handling, HANDLING_PATTERN, 'must be H0, H1, H2 or H3')
      .pattern('evaluation', patch.evaluation, EVALUATION_PATTERN, 'must be a reliability A, B, C or X and an accuracy 1–4, e.g. B2')
      .text('sourceDescription', patch.sourceDescription);
    if (patch.title !== undefined && patch.title !== null && patch.title.trim() === '') check.add('title', 'must not be empty');
    checkRoute(check, patch.route);
    check.done();
    const changes: ReportPatch = {
      title: patch.title ?? undefined,
      summary: patch.summary ?? undefined,
      classification: patch.classification ?? undefined,
      handling: patch.handling ?? undefined,
      evaluation: patch.evaluation ?? undefined,
      expiresAt: patch.expiresAt === undefined ? undefined : toIso(patch.expiresAt),
      sourceDescription: patch.sourceDescription ?? undefined,
      subjectIds: patch.subjectIds ? [...new Set(patch.subjectIds)] : undefined,
      ...(patch.route
        ? { routeOrigin: patch.route.origin ?? null, routeTransit: patch.route.transit ?? [], routeDestination: patch.route.destination ?? null }
        : {}),
    };
    const change = await updateReport(ctx.services.db, editor, id, changes, ctx.graph.now);
    ctx.graph.audit.note('UPDATE', 'IntelReport', id, 'OK', { detail: Object.keys(changes).filter((k) => changes[k as keyof ReportPatch] !== undefined).join(',') });
    await ctx.services.events.publish({ type: 'report.changed', ...change });
    return this.readBack(ctx, 'intel report', id);
  }

  @Mutation(() => IntelReport, { description: 'NCB administrators of the owner country set who may see a report.' })
  async setReleasability(
    @Arg('reportId', () => ID) reportId: string,
    @Arg('releasability', () => ReleasabilityInput) releasability: ReleasabilityInput,
    @Ctx() ctx: HubContext,
  ) {
    const check = new Checker(ctx.services.config.limits.maxStringLength);
    checkReleasability(check, 'releasability', releasability);
    check.done();
    const principal = ctx.principal;
    if (principal.kind !== 'officer') throw new NotFoundError('intel report', reportId);
    const admin = requireNcbAdminOf(principal, principal.country);
    const countries = releasability.mode === 'NETWORK' ? [] : [...new Set(releasability.countries ?? [])];
    const change = await setReleasability(ctx.services.db, admin, reportId, releasability.mode, countries, ctx.graph.now);
    ctx.graph.audit.note('RELEASABILITY', 'IntelReport', reportId, 'OK', { detail: [releasability.mode, ...countries].join(' ') });
    await ctx.services.events.publish({ type: 'report.changed', ...change });
    return this.readBack(ctx, 'intel report', reportId);
  }

  @Mutation(() => Subject, { description: 'Records a subject for the creator\'s country; others see it through reports.' })
  async createSubject(@Arg('input', () => SubjectInput) input: SubjectInput, @Ctx() ctx: HubContext) {
    const creator = requireContentRole(ctx.principal);
    const check = new Checker(ctx.services.config.limits.maxStringLength);
    check
      .id('id', input.id)
      .text('name', input.name, { max: 500 })
      .country('nationality', input.nationality)
      .pattern('dateOfBirth', input.dateOfBirth, DATE_PATTERN, 'must be YYYY-MM-DD')
      .text('number', input.number, { max: 100 })
      .country('issuingCountry', input.issuingCountry)
      .text('documentType', input.documentType, { max: 100 })
      .text('identifier', input.identifier, { max: 200 })
      .country('countryCode', input.countryCode);
    (input.aliases ?? []).forEach((alias, index) => check.text(`aliases[${index}]`, alias, { max: 500 }));
    const required: Record<SubjectKind, (keyof SubjectInput)[]> = {
      PERSON: ['name'],
      ORGANIZATION: ['name'],
      TRAVEL_DOCUMENT: ['number', 'issuingCountry'],
      VEHICLE: ['identifier'],
      PHONE: ['number'],
      LOCATION: ['name'],
    };
    for (const field of required[input.kind]) if (!input[field]) check.add(field, `is required for ${input.kind}`);
    check.done();
    const { id, kind, ...properties } = input;
    const subjectId = await createSubject(ctx.services.db, creator, {
      id: id ?? randomUUID(),
      kind,
      properties: {
        ...Object.fromEntries(Object.entries(properties).filter(([, value]) => value !== undefined && value !== null)),
        ...(kind === 'PERSON' ? { protected: input.protected ?? false } : {}),
        ...(input.number && kind === 'TRAVEL_DOCUMENT' ? { numberKey: normaliseDocumentNumber(input.number) } : {}),
        ...(input.number && kind === 'PHONE' ? { phoneKey: phoneKey(input.number, creator.country) } : {}),
      },
    });
    ctx.graph.audit.note('CREATE', 'Subject', subjectId, 'OK');
    // The creator's country recorded it, so the creator may read it back even before a report concerns it.
    const subject = await ctx.graph.subjectRecordedOrVisible(subjectId);
    if (!subject) throw new NotFoundError('subject', subjectId);
    return subject;
  }

  @Mutation(() => Link, { description: 'Links two subjects of a report of the author\'s own country.' })
  async linkSubjects(@Arg('input', () => LinkInput) input: LinkInput, @Ctx() ctx: HubContext) {
    const author = requireContentRole(ctx.principal);
    const check = new Checker(ctx.services.config.limits.maxStringLength);
    check.id('id', input.id).id('reportId', input.reportId).id('fromId', input.fromId).id('toId', input.toId).text('kind', input.kind, { required: true, max: 100 });
    if (input.fromId === input.toId) check.add('toId', 'must differ from fromId');
    check.done();
    const id = await linkSubjects(
      ctx.services.db,
      author,
      { id: input.id ?? randomUUID(), reportId: input.reportId, fromId: input.fromId, toId: input.toId, kind: input.kind },
      ctx.graph.now,
    );
    ctx.graph.audit.note('CREATE', 'Link', id, 'OK');
    const link = await ctx.graph.link(id);
    if (!link) throw new NotFoundError('link', id);
    return link;
  }

  private async readBack(ctx: HubContext, kind: string, id: string) {
    const report = await ctx.graph.report(id);
    if (!report) throw new NotFoundError(kind, id);
    return report;
  }
}
