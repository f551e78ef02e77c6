import { Field, InputType, ObjectType } from 'type-graphql';
import type { ShareLevel } from '../../policy/levels';
import { ShareLevelEnum } from '../common/enums';
import { DateTimeScalar } from '../common/scalars';
import { Country } from '../country/country.type';

@ObjectType('SharingRule', { description: 'What one country shares with another, replacing its default while in force.' })
export class SharingRule {
  @Field(() => String, { description: 'The sharing country.' }) from: string;
  @Field(() => String, { description: 'The recipient country.' }) to: string;
  @Field(() => ShareLevelEnum) maxLevel: ShareLevel;
  @Field(() => DateTimeScalar, { nullable: true, description: 'Missing: in force from the start.' }) validFrom: string | null;
  @Field(() => DateTimeScalar, { nullable: true, description: 'Missing: in force until removed.' }) validUntil: string | null;
  @Field(() => Boolean, { description: 'Whether the rule applies now, replacing the default.' }) inForce: boolean;
}

@ObjectType('SharingPolicy', { description: 'A country\'s standing sharing settings (DESIGN §3).' })
export class SharingPolicy {
  @Field(() => Country) country: Country;
  @Field(() => ShareLevelEnum) defaultShareLevel: ShareLevel;
  @Field(() => ShareLevelEnum) partnerShareLevel: ShareLevel;
  @Field(() => [SharingRule]) rules: SharingRule[];
}

@InputType('SharingRuleInput')
export class SharingRuleInput {
  @Field(() => String, { description: 'The recipient country.' }) to: string;
  @Field(() => ShareLevelEnum) maxLevel: ShareLevel;
  @Field(() => DateTimeScalar, { nullable: true }) validFrom?: Date | null;
  @Field(() => DateTimeScalar, { nullable: true }) validUntil?: Date | null;
}
