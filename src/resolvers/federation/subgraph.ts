import { buildSubgraphSchema } from '@apollo/subgraph';
import { printSchemaWithDirectives } from '@graphql-tools/utils';
import { execute, parse, type GraphQLSchema } from 'graphql';
import { createResolversMap } from 'type-graphql';
import type { HubContext } from '../context';

/**
 * The hub as an Apollo Federation 2 subgraph (DESIGN §4). type-graphql builds the schema from
 * the classes, with `@key` and `@shareable` kept as AST directives; `printSchemaWithDirectives`
 * keeps them in the SDL (plain printSchema drops them), and `buildSubgraphSchema` adds
 * `_service` and `_entities` on top of type-graphql's own resolvers.
 */

/** Bump deliberately: composition checks every subgraph against the version it links. */
export const FEDERATION_LINK =
  'extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key", "@shareable"])';

/**
 * How `_entities` turns a representation into a record. Each must load through the request's
 * GraphSession, so the sharing rule, redaction and batching are those of the root fields.
 */
export type ReferenceResolver = (reference: Record<string, unknown>, ctx: HubContext) => Promise<unknown>;

/**
 * `typeResolvers`: the abstract types' resolveType, synchronous. type-graphql wraps every
 * resolveType in an async function, which costs a promise per abstract value.
 */
export function buildHubSubgraph(
  schema: GraphQLSchema,
  references: Record<string, ReferenceResolver>,
  typeResolvers: Record<string, (value: never) => string> = {},
): GraphQLSchema {
  const typeDefs = parse(`${FEDERATION_LINK}\n\n${printSchemaWithDirectives(schema)}`);
  const resolvers: Record<string, object> = { ...createResolversMap(schema) };
  for (const [typeName, resolveType] of Object.entries(typeResolvers)) {
    resolvers[typeName] = { ...resolvers[typeName], __resolveType: resolveType };
  }
  for (const [typeName, resolveReference] of Object.entries(references)) {
    resolvers[typeName] = { ...resolvers[typeName], __resolveReference: resolveReference };
  }
  // type-graphql's map and @apollo/subgraph's map describe the same shape with different
  // generic types; this cast is the one place they meet.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  return buildSubgraphSchema({ typeDefs, resolvers: resolvers as any });
}

/** What `{ _service { sdl } }` answers: the SDL a gateway or `rover` composes. */
export async function subgraphSdl(subgraph: GraphQLSchema): Promise<string> {
  const result = await execute({ schema: subgraph, document: parse('{ _service { sdl } }') });
  const sdl = (result.data as { _service?: { sdl?: string } } | null)?._service?.sdl;
  if (!sdl) throw new Error(`the subgraph printed no SDL: ${JSON.stringify(result.errors)}`);
  return sdl;
}

/** A representation's key field, or null when it is missing or not a string. */
export function keyOf(reference: Record<string, unknown>, field: string): string | null {
  const value = reference[field];
  return typeof value === 'string' ? value : null;
}
