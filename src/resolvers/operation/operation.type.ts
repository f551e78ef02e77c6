import { Directive, Field, ID, Int, ObjectType } from 'type-graphql';
import { Connection } from '../common/connection';
import { DateTimeScalar } from '../common/scalars';
import { LevelEnum, OperationStatusEnum, VisibilityEnum } from '../common/enums';
import type { Level, OperationStatus, Visibility } from '../../policy/levels';

@Directive('@key(fields: "id")')
@ObjectType('Operation', { description: 'A joint operation, led by one country with participants.' })
export class Operation {
  @Field(() => ID)
  id: string;

  @Field(() => String)
  codename: string;

  @Field(() => String, { nullable: true })
  objective: string | null;

  @Field(() => OperationStatusEnum)
  status: OperationStatus;

  @Field(() => VisibilityEnum)
  visibility: Visibility;

  @Field(() => DateTimeScalar, { nullable: true })
  startsAt: string | null;

  @Field(() => DateTimeScalar, { nullable: true })
  endsAt: string | null;

  leadCode: string;
}

@ObjectType('OperationConnection')
export class OperationConnection extends Connection(Operation, 'Operation') {}

@ObjectType('Assignment')
export class Assignment {
  @Field(() => String)
  role: string;

  officerId: string;
}

@ObjectType('UpdateMetrics', { description: 'Figures reported by one update.' })
export class UpdateMetrics {
  @Field(() => Int) arrests: number;
  @Field(() => Int) migrantsDetected: number;
  @Field(() => Int) victimsRescued: number;
  @Field(() => Int) checks: number;
  @Field(() => Int) seizures: number;
}

@ObjectType('OperationOutcome', {
  description: 'Totals over the updates the viewer may see; over all updates once a PUBLIC operation is CONCLUDED (published results).',
})
export class OperationOutcome extends UpdateMetrics {}

@ObjectType('OperationUpdate', { description: 'A live update posted on an operation; an item owned by its author\'s country.' })
export class OperationUpdate {
  @Field(() => ID)
  id: string;

  @Field(() => String)
  kind: string;

  @Field(() => String)
  text: string;

  @Field(() => LevelEnum)
  classification: Level;

  @Field(() => DateTimeScalar)
  postedAt: string;

  @Field(() => UpdateMetrics, { nullable: true })
  metrics: UpdateMetrics | null;

  @Field(() => String, { description: 'Position in the operation\'s log; pass it as `after` to resume.' })
  cursor: string;

  operationId: string;
  ownerCode: string;
  authorId: string | null;
}

@ObjectType('OperationUpdateConnection')
export class OperationUpdateConnection extends Connection(OperationUpdate, 'OperationUpdate') {}
