import { Field, ID, ObjectType } from 'type-graphql';
import type { AccessAction } from '../../graph/audit';
import type { Level } from '../../policy/levels';
import { Connection } from '../common/connection';
import { AccessActionEnum, LevelEnum } from '../common/enums';
import { DateTimeScalar } from '../common/scalars';
import { Country } from '../country/country.type';

@ObjectType('AccessEvent', { description: 'One entry of the audit trail: who did what to which item, and when.' })
export class AccessEvent {
  @Field(() => ID)
  id: string;

  @Field(() => DateTimeScalar)
  at: string;

  @Field(() => ID, { description: 'The officer, or `partner:<id>` for a partner organisation.' })
  officerId: string;

  @Field(() => String, { nullable: true, description: 'The officer\'s country; null for partners.' })
  country: string | null;

  @Field(() => ID, { nullable: true, description: 'Null only for a screening without a hit.' })
  itemId: string | null;

  @Field(() => String, { nullable: true, description: 'IntelReport, OperationUpdate, Link, Subject or TravelDocument.' })
  itemKind: string | null;

  @Field(() => AccessActionEnum)
  action: AccessAction;

  @Field(() => String, { description: 'GRANTED, DENIED, HIT, NO_HIT, RATE_LIMITED, OK, ALLOWED…' })
  outcome: string;

  @Field(() => [String], { description: 'Fields withheld from the reader in this access.' })
  redactedFields: string[];

  @Field(() => String)
  requestId: string;

  @Field(() => String, { nullable: true, description: 'What was asked or changed, where the item alone does not say it.' })
  detail: string | null;
}

@ObjectType('AccessEventConnection')
export class AccessEventConnection extends Connection(AccessEvent, 'AccessEvent') {}

@ObjectType('AccessExplanation', { description: 'Why an officer may or may not read an item, from the same rule that enforces it.' })
export class AccessExplanation {
  @Field(() => Boolean)
  allowed: boolean;

  @Field(() => String, {
    description: 'The deciding step: STATUS, ROLE, CLEARANCE, OWNER_COUNTRY, SHARE_LEVEL, RELEASABILITY, OPERATION_SCOPE, EXPIRY, SHARED, or NOT_VISIBLE.',
  })
  step: string;

  @Field(() => String)
  reason: string;

  @Field(() => Country, { nullable: true, description: 'Null when the caller may not learn it.' })
  itemOwner: Country | null;

  @Field(() => LevelEnum, { nullable: true })
  itemClassification: Level | null;

  @Field(() => Country, { nullable: true })
  officerCountry: Country | null;

  @Field(() => LevelEnum, { nullable: true })
  officerClearance: Level | null;
}
