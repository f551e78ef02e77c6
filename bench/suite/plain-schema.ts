import { buildSchema, GraphQLInterfaceType, GraphQLUnionType, GraphQLObjectType, GraphQLScalarType, printSchema, type GraphQLFieldResolver, type GraphQLSchema } from 'graphql';
import type { SubjectKind } from '../../src/graph/records';
import { DateTimeScalar } from '../../src/resolvers/common/scalars';
import type { HubContext } from '../../src/resolvers/context';
import { CountryResolver, UnitResolver } from '../../src/resolvers/country/country.resolver';
import { LiveResolver } from '../../src/resolvers/live/live.resolver';
import { OperationMutationResolver } from '../../src/resolvers/operation/operation.mutation';
import { OperationResolver } from '../../src/resolvers/operation/operation.resolver';
import { AnalysisResolver } from '../../src/resolvers/analysis/analysis.resolver';
import { ReportResolver } from '../../src/resolvers/report/report.resolver';
import { SearchResolver } from '../../src/resolvers/search/search.resolver';
import { resolveSearchHitType } from '../../src/resolvers/search/search.type';
import { LinkResolver } from '../../src/resolvers/subject/subject.resolver';
import { resolveSubjectType } from '../../src/resolvers/subject/subject.type';
import { hubSchema } from '../../src/resolvers/schema';

/**
 * The framework floor: the hub's own resolver methods (the same classes, called as plain
 * functions) on a plain graphql-js schema with the hub's SDL, without type-graphql's
 * argument conversion, middleware and resolver wrapping. Only the fields the benchmark's
 * scenarios select are wired; the others fall back to graphql-js's default resolver.
 */
type Resolver = GraphQLFieldResolver<never, HubContext, Record<string, never>>;

export async function plainSchema(): Promise<GraphQLSchema> {
  const hub = await hubSchema();
  const schema = buildSchema(printSchema(hub));
  const operations = new OperationResolver();
  const operationMutations = new OperationMutationResolver();
  const live = new LiveResolver();
  const reports = new ReportResolver();
  const countries = new CountryResolver();
  const units = new UnitResolver();
  const analysis = new AnalysisResolver();
  const searches = new SearchResolver();
  const links = new LinkResolver();
  const resolvers: Record<string, Record<string, Resolver>> = {
    Query: {
      operations: (_root, args, ctx, info) => operations.operations(args.filter ?? null, args, ctx, info),
      operation: (_root, args, ctx) => operations.operation(args.id, ctx),
      intelReports: (_root, args, ctx, info) => reports.intelReports(args.filter ?? null, args, ctx, info),
      intelReport: (_root, args, ctx, info) => reports.intelReport(args.id, ctx, info),
      subjectNetwork: (_root, args, ctx) => analysis.subjectNetwork(args.subjectId, args.depth ?? null, args.limit ?? null, ctx),
      search: (_root, args, ctx, info) => searches.search(args.text, args.kinds ?? null, args, ctx, info),
    },
    Mutation: {
      postOperationUpdate: (_root, args, ctx) => operationMutations.postOperationUpdate(args.operationId, args.input, ctx),
    },
    Link: {
      from: (root, _args, ctx) => links.from(root, ctx),
      to: (root, _args, ctx) => links.to(root, ctx),
    },
    Operation: {
      leadCountry: (root, _args, ctx) => operations.leadCountry(root, ctx),
      participants: (root, _args, ctx) => operations.participants(root, ctx),
    },
    Country: { units: (root, _args, ctx) => countries.units(root, ctx) },
    Unit: {
      country: (root, _args, ctx) => units.country(root, ctx),
      officers: (root, args, ctx, info) => units.officers(root, args, ctx, info),
    },
    IntelReport: {
      owner: (root, _args, ctx) => reports.owner(root, ctx),
      author: (root, _args, ctx) => reports.author(root, ctx),
      subjects: (root, _args, ctx, info) => reports.subjects(root, ctx, info),
      links: (root, _args, ctx) => reports.links(root, ctx),
      releasability: (root) => reports.releasability(root),
      route: (root) => reports.route(root),
    },
  };
  for (const [typeName, fields] of Object.entries(resolvers)) {
    const type = schema.getType(typeName) as GraphQLObjectType;
    for (const [fieldName, resolve] of Object.entries(fields)) type.getFields()[fieldName].resolve = resolve as GraphQLFieldResolver<unknown, unknown>;
  }
  // The fan-out scenario: each event goes through this plain resolve. Opening the stream (once
  // per subscription, not per event) is the hub's own subscribe step, taken from its schema.
  const operationUpdates = schema.getSubscriptionType()!.getFields().operationUpdates;
  operationUpdates.subscribe = hub.getSubscriptionType()!.getFields().operationUpdates.subscribe;
  operationUpdates.resolve = (event, _args, ctx) => live.operationUpdates(event as never, null, null, ctx as HubContext);
  // The hub's own type resolvers.
  (schema.getType('Subject') as GraphQLInterfaceType).resolveType = (value) => resolveSubjectType(value as { kind: SubjectKind });
  (schema.getType('SearchHit') as GraphQLUnionType).resolveType = (value) => resolveSearchHitType(value as object);
  // The hub's DateTime scalar, so both schemas serialise times alike.
  Object.assign(schema.getType('DateTime') as GraphQLScalarType, {
    serialize: DateTimeScalar.serialize,
    parseValue: DateTimeScalar.parseValue,
    parseLiteral: DateTimeScalar.parseLiteral,
  });
  return schema;
}
