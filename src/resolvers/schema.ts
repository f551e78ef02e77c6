import 'reflect-metadata';
import type { GraphQLSchema } from 'graphql';
import { buildSchema, type NonEmptyArray } from 'type-graphql';
import { AnalysisResolver } from './analysis/analysis.resolver';
import { AccessLogResolver } from './audit/access-log.resolver';
import { ExplainResolver } from './audit/explain.resolver';
import { CountryResolver, UnitResolver } from './country/country.resolver';
import { OfficerMutationResolver } from './officer/officer.mutation';
import { OfficerResolver } from './officer/officer.resolver';
import { OperationMutationResolver } from './operation/operation.mutation';
import { AssignmentResolver, OperationResolver, OperationUpdateResolver } from './operation/operation.resolver';
import { LiveResolver, unusedPubSub } from './live/live.resolver';
import { ReportMutationResolver } from './report/report.mutation';
import { ReportResolver } from './report/report.resolver';
import { ReviewResolver } from './report/review.resolver';
import { PersonScreeningResolver } from './screening/person-screening.resolver';
import { ScreeningResolver } from './screening/screening.resolver';
import { SearchResolver } from './search/search.resolver';
import { ENTITY_REFERENCES } from './federation/references';
import { buildHubSubgraph, subgraphSdl } from './federation/subgraph';
import { SharingResolver } from './sharing/sharing.resolver';
import { LinkResolver, SubjectResolver } from './subject/subject.resolver';
import { resolveSearchHitType } from './search/search.type';
import { resolveSubjectType, SUBJECT_TYPES } from './subject/subject.type';

// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
export const RESOLVERS: NonEmptyArray<Function> = [
  CountryResolver,
  UnitResolver,
  OfficerResolver,
  OfficerMutationResolver,
  OperationResolver,
  AssignmentResolver,
  OperationUpdateResolver,
  OperationMutationResolver,
  ReportResolver,
  ReportMutationResolver,
  SubjectResolver,
  LinkResolver,
  AnalysisResolver,
  SharingResolver,
  AccessLogResolver,
  ExplainResolver,
  ScreeningResolver,
  PersonScreeningResolver,
  SearchResolver,
  ReviewResolver,
  LiveResolver,
];

let built: Promise<GraphQLSchema> | undefined;

/**
 * The hub's schema, built once per process from the resolver classes: a Federation 2 subgraph
 * (entities, `_service`, `_entities`) that also serves clients directly.
 */
export function hubSchema(): Promise<GraphQLSchema> {
  built ??= buildSchema({
    resolvers: RESOLVERS,
    orphanedTypes: SUBJECT_TYPES,
    validate: false,
    pubSub: unusedPubSub,
    // The federation directives are defined by the @link in front of the printed SDL, not here.
    skipCheck: true,
  }).then((schema) => buildHubSubgraph(schema, ENTITY_REFERENCES, { Subject: resolveSubjectType, SearchHit: resolveSearchHitType }));
  return built;
}

/**
 * The SDL committed in schema/hub.graphql (`npm run schema`): exactly what `_service { sdl }`
 * answers, so the file is what partners compose. A test fails when they drift.
 */
export async function hubSdl(): Promise<string> {
  return `${await subgraphSdl(await hubSchema())}\n`;
}
