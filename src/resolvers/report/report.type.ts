import { Directive, Field, ID, ObjectType } from 'type-graphql';
import { Connection } from '../common/connection';
import { DateTimeScalar } from '../common/scalars';
import { LevelEnum, ReleasabilityModeEnum } from '../common/enums';
import type { Level, ReleasabilityMode } from '../../policy/levels';

@ObjectType('Releasability', { description: 'Which countries, beyond the sharing levels, may see an item.' })
export class Releasability {
  @Field(() => ReleasabilityModeEnum)
  mode: ReleasabilityMode;

  @Field(() => [String])
  countries: string[];
}

@ObjectType('Route', { description: 'A smuggling route: origin, transit countries, destination.' })
export class Route {
  @Field(() => String, { nullable: true })
  origin: string | null;

  @Field(() => [String])
  transit: string[];

  @Field(() => String, { nullable: true })
  destination: string | null;
}

@Directive('@key(fields: "id")')
@ObjectType('IntelReport', { description: 'A criminal intelligence report, owned by its author\'s country.' })
export class IntelReport {
  @Field(() => ID)
  id: string;

  @Field(() => String)
  title: string;

  @Field(() => String, { nullable: true })
  summary: string | null;

  @Field(() => LevelEnum)
  classification: Level;

  @Field(() => String, { description: 'Handling code H0–H3.' })
  handling: string;

  @Field(() => String, { nullable: true, description: 'Source reliability (A/B/C/X) and information accuracy (1–4), e.g. B2.' })
  evaluation: string | null;

  @Field(() => DateTimeScalar)
  createdAt: string;

  @Field(() => DateTimeScalar, { nullable: true })
  expiresAt: string | null;

  @Field(() => String, { nullable: true, description: 'Only officers of the owner country see it.' })
  sourceDescription: string | null;

  @Field(() => [String], { description: 'Fields withheld from this viewer; they resolve to null.' })
  redactedFields: string[];

  ownerCode: string;
  authorId: string | null;
  operationId: string | null;
  relMode: ReleasabilityMode;
  relCountries: string[];
  routeOrigin: string | null;
  routeTransit: string[] | null;
  routeDestination: string | null;
}

@ObjectType('IntelReportConnection')
export class IntelReportConnection extends Connection(IntelReport, 'IntelReport') {}
