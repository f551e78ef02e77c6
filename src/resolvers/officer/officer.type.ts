import { Directive, Field, ID, ObjectType } from 'type-graphql';
import { Connection } from '../common/connection';
import { LevelEnum, OfficerStatusEnum, RoleEnum } from '../common/enums';
import type { Level, OfficerStatus, Role } from '../../policy/levels';

@Directive('@key(fields: "id")')
@ObjectType('Officer', { description: 'A nominated specialist officer.' })
export class Officer {
  @Field(() => ID)
  id: string;

  @Field(() => String)
  name: string;

  @Field(() => String, { nullable: true })
  rank: string | null;

  @Field(() => String, { nullable: true, description: 'Null to partner principals (redacted).' })
  email: string | null;

  @Field(() => String, { nullable: true, description: 'Null to partner principals (redacted).' })
  phone: string | null;

  @Field(() => [RoleEnum])
  roles: Role[];

  @Field(() => LevelEnum)
  clearance: Level;

  @Field(() => OfficerStatusEnum)
  status: OfficerStatus;

  @Field(() => [String], { description: 'Fields withheld from this viewer; they resolve to null.' })
  redactedFields: string[];

  unitId: string;
  countryCode: string;
}

@ObjectType('OfficerConnection')
export class OfficerConnection extends Connection(Officer, 'Officer') {}
