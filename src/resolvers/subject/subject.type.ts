import { Field, ID, InterfaceType, ObjectType } from 'type-graphql';
import { DateTimeScalar } from '../common/scalars';
import { DocumentStatusEnum, SubjectKindEnum } from '../common/enums';
import { SUBJECT_LABELS, type DocumentStatus, type SubjectKind } from '../../graph/records';

/** Each kind's GraphQL type is named like its Neo4j label. */
export const resolveSubjectType = (value: { kind: SubjectKind }) => SUBJECT_LABELS[value.kind];

@InterfaceType('Subject', {
  description: 'An identity anchor shared across countries; visible through the visible reports that concern it.',
  resolveType: resolveSubjectType,
})
export abstract class Subject {
  @Field(() => ID)
  id: string;

  @Field(() => SubjectKindEnum)
  kind: SubjectKind;

  @Field(() => String, { description: 'The country that recorded the subject.' })
  recordedBy: string;

  @Field(() => [String], { description: 'Fields withheld from this viewer; they resolve to null.' })
  redactedFields: string[];
}

@ObjectType('Person', { implements: Subject })
export class Person extends Subject {
  @Field(() => String, { nullable: true, description: 'Null for a protected person unless the viewer is of the recording country.' })
  name: string | null;

  @Field(() => [String], { nullable: true })
  aliases: string[] | null;

  @Field(() => String, { nullable: true })
  nationality: string | null;

  @Field(() => String, { nullable: true, description: 'YYYY-MM-DD.' })
  dateOfBirth: string | null;

  @Field(() => Boolean, { description: 'A victim, witness or minor: identifying fields only for the recording country.' })
  protected: boolean;
}

@ObjectType('Organization', { implements: Subject })
export class Organization extends Subject {
  @Field(() => String, { nullable: true })
  name: string | null;
}

@ObjectType('TravelDocument', { implements: Subject })
export class TravelDocument extends Subject {
  @Field(() => String, { nullable: true })
  number: string | null;

  @Field(() => String, { nullable: true })
  issuingCountry: string | null;

  @Field(() => String, { nullable: true })
  documentType: string | null;

  @Field(() => DocumentStatusEnum, { nullable: true })
  status: DocumentStatus | null;

  @Field(() => DateTimeScalar, { nullable: true })
  reportedAt: string | null;
}

@ObjectType('Vehicle', { implements: Subject })
export class Vehicle extends Subject {
  @Field(() => String, { nullable: true })
  identifier: string | null;
}

@ObjectType('Phone', { implements: Subject })
export class Phone extends Subject {
  @Field(() => String, { nullable: true })
  number: string | null;
}

@ObjectType('Location', { implements: Subject })
export class Location extends Subject {
  @Field(() => String, { nullable: true })
  name: string | null;

  @Field(() => String, { nullable: true })
  countryCode: string | null;
}

export const SUBJECT_TYPES = [Person, Organization, TravelDocument, Vehicle, Phone, Location];

@ObjectType('Link', { description: 'A link between two subjects, asserted by one report; visible iff that report is.' })
export class Link {
  @Field(() => ID)
  id: string;

  @Field(() => String)
  kind: string;

  fromId: string;
  toId: string;
  reportId: string;
}
