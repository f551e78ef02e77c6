import 'reflect-metadata';
import type { GraphQLSchema } from 'graphql';
import { printSchemaWithDirectives } from '@graphql-tools/utils';
import { buildSchema, type NonEmptyArray } from 'type-graphql';
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
import { ScreeningResolver } from './screening/screening.resolver';
import { SharingResolver } from './sharing/sharing.resolver';
import { LinkResolver, SubjectResolver } from './subject/subject.resolver';
import { SUBJECT_TYPES } from './subject/subject.type';

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
  SharingResolver,
  AccessLogResolver,
  ExplainResolver,
  ScreeningResolver,
  ReviewResolver,
  LiveResolver,
];

let built: Promise<GraphQLSchema> | undefined;

/** The hub's schema, built once per process from the resolver classes. */
export function hubSchema(): Promise<GraphQLSchema> {
  built ??= buildSchema({
    resolvers: RESOLVERS,
    orphanedTypes: SUBJECT_TYPES,
    validate: false,
    pubSub: unusedPubSub,
  });
  return built;
}

/** The SDL committed in schema/hub.graphql (`npm run schema`); a test fails when they drift. */
export async function hubSdl(): Promise<string> {
  return `${printSchemaWithDirectives(await hubSchema())}\n`;
}
