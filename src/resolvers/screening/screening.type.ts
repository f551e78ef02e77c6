import { Field, ObjectType } from 'type-graphql';
import type { DocumentStatus } from '../../graph/records';
import { DocumentStatusEnum } from '../common/enums';
import { DateTimeScalar } from '../common/scalars';
import { Country } from '../country/country.type';

@ObjectType('ScreeningResult', {
  description: 'Hit/no-hit on travel documents reported STOLEN, LOST or REVOKED. Never carries report content.',
})
export class ScreeningResult {
  @Field(() => Boolean)
  hit: boolean;

  @Field(() => DocumentStatusEnum, { nullable: true })
  status: DocumentStatus | null;

  @Field(() => Country, { nullable: true, description: 'The country that reported the document.' })
  reportedBy: Country | null;

  @Field(() => DateTimeScalar, { nullable: true })
  reportedAt: string | null;

  @Field(() => String, { nullable: true, description: 'What to do next.' })
  advice: string | null;
}
