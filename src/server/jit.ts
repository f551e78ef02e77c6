import type { ApolloServerOptions } from '@apollo/server';
import { defaultFieldResolver, execute, GraphQLError, GraphQLObjectType, printSchema, type DocumentNode, type ExecutionResult, type GraphQLSchema } from 'graphql';
import { compileQuery, isCompiledQuery, type CompiledQuery } from 'graphql-jit';

/**
 * Queries executed by graphql-jit: each operation is compiled once into a JavaScript function
 * that walks its selection and calls the schema's own resolvers (the same resolvers, so the
 * same sharing policy: only the walk is compiled). Mutations run on graphql-js, whose serial
 * execution is the reference, and so does an operation graphql-jit cannot compile or whose
 * variables do not fit their types (graphql-js's errors are the API's). Apollo
 * Server 5 takes a custom executor only through its gateway interface, so the schema is handed
 * over as a gateway would hand it; parsing, validation, plugins and error formatting stay Apollo's.
 */
type Gateway = NonNullable<ApolloServerOptions<object>['gateway']>;
type Executor = NonNullable<Awaited<ReturnType<Gateway['load']>>['executor']>;

/** Compiled operations kept, by query hash and operation name: a hub serves few distinct ones. */
const CACHE_SIZE = 1000;

/** `executed`: told which executor ran each operation (the hub's metrics). */
export function jitGateway(schema: GraphQLSchema, executed: (executor: 'graphql-jit' | 'graphql-js') => void = () => undefined): Gateway {
  // graphql-jit reads a field without a resolver inline, as a plain property: one holding a
  // promise or a method would not be resolved as graphql-js resolves it. graphql-js's own
  // default resolver, named on those fields, keeps its behaviour on both executors.
  for (const type of Object.values(schema.getTypeMap())) {
    if (!(type instanceof GraphQLObjectType) || type.name.startsWith('__')) continue;
    for (const field of Object.values(type.getFields())) field.resolve ??= defaultFieldResolver;
  }
  const compiled = new Map<string, CompiledQuery | null>();

  const compile = (document: DocumentNode, operationName: string | null, key: string): CompiledQuery | null => {
    const hit = compiled.get(key);
    if (hit !== undefined) {
      // Most recently used last: the first key is the one to evict.
      compiled.delete(key);
      compiled.set(key, hit);
      return hit;
    }
    let query: CompiledQuery | null = null;
    try {
      const result = compileQuery(schema, document, operationName ?? undefined, { customJSONSerializer: false });
      query = isCompiledQuery(result) ? result : null;
    } catch {
      // Not compilable: graphql-js executes it.
    }
    compiled.set(key, query);
    if (compiled.size > CACHE_SIZE) compiled.delete(compiled.keys().next().value!);
    return query;
  };

  const executor: Executor = async ({ document, operation, operationName, request, queryHash, context }) => {
    const variables = request.variables ?? {};
    // No operation (an operationName the document lacks): graphql-js gives the error Apollo answers 400 with.
    const query = operation?.operation === 'query' ? compile(document, operationName, `${queryHash}\u0000${operationName ?? ''}`) : null;
    if (query) {
      const result = (await query.query(undefined, context, variables)) as ExecutionResult;
      // No `data`: graphql-jit refused the variables, before any resolver ran. graphql-js refuses
      // them again below, with its own messages (the API's).
      if ('data' in result) {
        executed('graphql-jit');
        return result.errors ? { ...result, errors: result.errors.map(asGraphQLError) } : result;
      }
    }
    executed('graphql-js');
    // The name the request gave: Apollo's `operationName` is the resolved operation's, null when none was found.
    return execute({ schema, document, operationName: request.operationName, variableValues: variables, contextValue: context });
  };

  return {
    async load() {
      return { executor };
    },
    onSchemaLoadOrUpdate(callback) {
      callback({ apiSchema: schema, coreSupergraphSdl: printSchema(schema) });
      return () => undefined;
    },
    async stop() {},
  };
}

/**
 * graphql-jit's errors as graphql-js makes them: its own error type leaves `extensions`
 * undefined, which Apollo's error formatting does not take (it answers a bare masked error).
 */
function asGraphQLError(error: GraphQLError): GraphQLError {
  const made = new GraphQLError(error.message, { path: error.path, originalError: error.originalError ?? undefined, extensions: error.extensions ?? undefined });
  (made as { locations?: GraphQLError['locations'] }).locations = error.locations;
  return made;
}
