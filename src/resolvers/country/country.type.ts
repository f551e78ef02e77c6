import { Directive, Field, ID, ObjectType } from 'type-graphql';
import { ShareLevelEnum } from '../common/enums';
import type { ShareLevel } from '../../policy/levels';

@Directive('@key(fields: "code")')
@ObjectType('Country', { description: 'A member country of the network.' })
export class Country {
  @Field(() => ID, { description: 'ISO 3166-1 alpha-2 code.' })
  code: string;

  // Country names are reference data a partner subgraph may serve too.
  @Directive('@shareable')
  @Field(() => String)
  name: string;

  @Field(() => String, { nullable: true })
  region: string | null;

  @Field(() => ShareLevelEnum, { description: 'The highest classification any other member may see without a specific rule.' })
  defaultShareLevel: ShareLevel;

  @Field(() => ShareLevelEnum, { description: 'The highest classification partner organisations may see.' })
  partnerShareLevel: ShareLevel;
}

@Directive('@key(fields: "id")')
@ObjectType('Unit', { description: 'A specialised unit of a member country.' })
export class Unit {
  @Field(() => ID)
  id: string;

  @Field(() => String)
  name: string;

  @Field(() => String, { nullable: true })
  specialization: string | null;

  countryCode: string;
}
