import { randomUUID } from 'node:crypto';
import { Arg, Ctx, Field, ID, InputType, Int, Mutation, Resolver } from 'type-graphql';
import { NotFoundError } from '../../errors';
import { loadOfficerContext } from '../../graph/principals';
import { GraphSession } from '../../graph/session';
import {
  assignOfficer,
  createOperation,
  inviteCountry,
  postOperationUpdate,
  setOperationStatus,
  unassignOfficer,
} from '../../graph/writes/operations';
import type { OfficerContext } from '../../policy/context';
import type { Level, OperationStatus, Visibility } from '../../policy/levels';
import { requireContentRole, requireRole } from '../../policy/permissions';
import { LevelEnum, OperationStatusEnum, VisibilityEnum } from '../common/enums';
import { invalidatePolicy } from '../common/invalidate';
import { DateTimeScalar, toIso } from '../common/scalars';
import { Checker } from '../common/validate';
import type { HubContext } from '../context';
import { toUpdate } from './operation.resolver';
import { Operation, OperationUpdate } from './operation.type';

@InputType('OperationInput')
export class OperationInput {
  @Field(() => ID, { nullable: true, description: 'Client id: the mutation is idempotent on it.' }) id?: string | null;
  @Field(() => String) codename: string;
  @Field(() => String, { nullable: true }) objective?: string | null;
  @Field(() => VisibilityEnum, { nullable: true, description: 'Default PARTICIPANTS.' }) visibility?: Visibility | null;
  @Field(() => DateTimeScalar, { nullable: true }) startsAt?: Date | null;
  @Field(() => DateTimeScalar, { nullable: true }) endsAt?: Date | null;
  @Field(() => [String], { nullable: true, description: 'Invited countries, besides the lead (the creator\'s country).' }) participants?: string[] | null;
}

@InputType('UpdateMetricsInput')
export class UpdateMetricsInput {
  @Field(() => Int, { nullable: true }) arrests?: number | null;
  @Field(() => Int, { nullable: true }) migrantsDetected?: number | null;
  @Field(() => Int, { nullable: true }) victimsRescued?: number | null;
  @Field(() => Int, { nullable: true }) checks?: number | null;
  @Field(() => Int, { nullable: true }) seizures?: number | null;
}

@InputType('OperationUpdateInput')
export class OperationUpdateInput {
  @Field(() => ID, { nullable: true, description: 'Client id: the mutation is idempotent on it.' }) id?: string | null;
  @Field(() => String) kind: string;
  @Field(() => String) text: string;
  @Field(() => LevelEnum) classification: Level;
  @Field(() => UpdateMetricsInput, { nullable: true }) metrics?: UpdateMetricsInput | null;
}

const MANAGERS = ['COORDINATOR', 'NCB_ADMIN'] as const;

@Resolver()
export class OperationMutationResolver {
  @Mutation(() => Operation, { description: 'Creates a PLANNED operation led by the creator\'s country.' })
  async createOperation(@Arg('input', () => OperationInput) input: OperationInput, @Ctx() ctx: HubContext) {
    const creator = requireRole(ctx.principal, ...MANAGERS);
    const check = new Checker(ctx.services.config.limits.maxStringLength);
    check
      .id('id', input.id)
      .text('codename', input.codename, { required: true, max: 200 })
      .text('objective', input.objective, { max: 5000 })
      .countries('participants', input.participants, 250);
    if (input.startsAt && input.endsAt && input.startsAt.getTime() > input.endsAt.getTime()) check.add('endsAt', 'must not be before startsAt');
    if (input.participants?.includes(creator.country)) check.add('participants', `must not list the lead country ${creator.country}`);
    check.done();
    const id = await createOperation(
      ctx.services.db,
      creator,
      {
        id: input.id ?? randomUUID(),
        codename: input.codename,
        objective: input.objective ?? null,
        visibility: input.visibility ?? 'PARTICIPANTS',
        startsAt: toIso(input.startsAt),
        endsAt: toIso(input.endsAt),
        participants: [...new Set(input.participants ?? [])].sort(),
      },
      ctx.graph.now,
    );
    await invalidatePolicy(ctx, null);
    // The request's policy context predates the operation; read it back as the creator now is.
    return this.readBack(await this.freshGraph(ctx, creator), id);
  }

  @Mutation(() => Operation, { description: 'The lead country invites a country to participate.' })
  async inviteCountry(
    @Arg('operationId', () => ID) operationId: string,
    @Arg('countryCode', () => String) countryCode: string,
    @Ctx() ctx: HubContext,
  ) {
    const actor = requireRole(ctx.principal, ...MANAGERS);
    new Checker(ctx.services.config.limits.maxStringLength).country('countryCode', countryCode).done();
    await inviteCountry(ctx.services.db, actor, operationId, countryCode, ctx.graph.now);
    await invalidatePolicy(ctx, null);
    return this.readBack(ctx.graph, operationId);
  }

  @Mutation(() => Operation, { description: 'Assigns an ACTIVE officer of a taking-part country; assigning again changes the role.' })
  async assignOfficer(
    @Arg('operationId', () => ID) operationId: string,
    @Arg('officerId', () => ID) officerId: string,
    @Arg('role', () => String, { nullable: true, description: 'Default MEMBER.' }) role: string | null | undefined,
    @Ctx() ctx: HubContext,
  ) {
    const actor = requireRole(ctx.principal, ...MANAGERS);
    new Checker(ctx.services.config.limits.maxStringLength).text('role', role, { required: role !== null && role !== undefined, max: 100 }).done();
    await assignOfficer(ctx.services.db, actor, operationId, officerId, role ?? 'MEMBER', ctx.graph.now);
    await invalidatePolicy(ctx, null);
    return this.readBack(ctx.graph, operationId);
  }

  @Mutation(() => Operation, { description: 'Ends an officer\'s assignment; nothing happens if there was none.' })
  async unassignOfficer(
    @Arg('operationId', () => ID) operationId: string,
    @Arg('officerId', () => ID) officerId: string,
    @Ctx() ctx: HubContext,
  ) {
    const actor = requireRole(ctx.principal, ...MANAGERS);
    await unassignOfficer(ctx.services.db, actor, operationId, officerId, ctx.graph.now);
    await invalidatePolicy(ctx, null);
    return this.readBack(ctx.graph, operationId);
  }

  @Mutation(() => Operation, { description: 'PLANNED → ACTIVE → CONCLUDED (PLANNED → CONCLUDED allowed); never backwards.' })
  async setOperationStatus(
    @Arg('operationId', () => ID) operationId: string,
    @Arg('status', () => OperationStatusEnum) status: OperationStatus,
    @Ctx() ctx: HubContext,
  ) {
    const actor = requireRole(ctx.principal, ...MANAGERS);
    await setOperationStatus(ctx.services.db, actor, operationId, status, ctx.graph.now);
    return this.readBack(ctx.graph, operationId);
  }

  @Mutation(() => OperationUpdate, { description: 'Posts a live update on an ACTIVE operation, owned by the author\'s country.' })
  async postOperationUpdate(
    @Arg('operationId', () => ID) operationId: string,
    @Arg('input', () => OperationUpdateInput) input: OperationUpdateInput,
    @Ctx() ctx: HubContext,
  ) {
    const author = requireContentRole(ctx.principal);
    const check = new Checker(ctx.services.config.limits.maxStringLength);
    check.id('id', input.id).text('kind', input.kind, { required: true, max: 100 }).text('text', input.text, { required: true });
    const metrics = input.metrics ?? {};
    for (const [name, value] of Object.entries(metrics)) check.nonNegative(`metrics.${name}`, value as number | null | undefined);
    check.done();
    const posted = await postOperationUpdate(
      ctx.services.db,
      author,
      operationId,
      {
        id: input.id ?? randomUUID(),
        kind: input.kind,
        text: input.text,
        classification: input.classification,
        metrics: Object.fromEntries(Object.entries(metrics).filter(([, value]) => value !== null && value !== undefined)),
      },
      ctx.graph.now,
    );
    if (posted.record) {
      ctx.services.justWritten.rememberUpdate(posted.record);
      await ctx.services.events.publish({ type: 'update.posted', operationId, updateId: posted.id, seq: posted.seq });
    }
    ctx.graph.audit.note('CREATE', 'OperationUpdate', posted.id, posted.created ? 'OK' : 'REPLAYED');
    const update = posted.record ? ctx.graph.writtenUpdate(posted.record) : await ctx.graph.update(posted.id);
    if (!update) throw new NotFoundError('operation update', posted.id);
    return toUpdate(update);
  }

  private async freshGraph(ctx: HubContext, officer: OfficerContext): Promise<GraphSession> {
    const policy = await loadOfficerContext(ctx.services.db, officer.officerId);
    return new GraphSession(ctx.services.db, policy ?? officer, ctx.graph.audit);
  }

  private async readBack(graph: GraphSession, id: string) {
    const operation = await graph.operation(id);
    if (!operation) throw new NotFoundError('operation', id);
    return operation;
  }
}
