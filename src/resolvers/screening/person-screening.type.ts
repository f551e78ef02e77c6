import { Field, ID, InputType, ObjectType } from 'type-graphql';
import { DateTimeScalar } from '../common/scalars';
import { Country } from '../country/country.type';

@ObjectType('PersonScreeningResult', {
  description: 'Hit/no-hit on persons a member country records as wanted. Never carries the record or any report content.',
})
export class PersonScreeningResult {
  @Field(() => Boolean)
  hit: boolean;

  @Field(() => Country, { nullable: true, description: 'The country that wants the person.' })
  wantedBy: Country | null;

  @Field(() => DateTimeScalar, { nullable: true, description: 'Since when the person is wanted.' })
  since: string | null;

  @Field(() => String, { nullable: true, description: 'What to do next.' })
  advice: string | null;
}

@ObjectType('WantedFlag', { description: "A country's record that a person is wanted; seen by that country's NCB administrators." })
export class WantedFlag {
  @Field(() => ID)
  personId: string;

  @Field(() => Country)
  wantedBy: Country;

  @Field(() => DateTimeScalar)
  since: string;

  @Field(() => String, { nullable: true, description: "The wanting country's own case or notice reference." })
  reference: string | null;
}

@InputType('WantedInput')
export class WantedInput {
  @Field(() => ID)
  personId: string;

  @Field(() => DateTimeScalar, { nullable: true, description: 'Omitted: now.' })
  since?: Date | null;

  @Field(() => String, { nullable: true })
  reference?: string | null;
}
