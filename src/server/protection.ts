import type { ApolloServerPlugin } from '@apollo/server';
import { ApolloArmor } from '@escape.tech/graphql-armor';
import {
  getVariableValues,
  GraphQLError,
  isUnionType,
  Kind,
  NoSchemaIntrospectionCustomRule,
  parse,
  specifiedRules,
  validate,
  valueFromASTUntyped,
  visit,
  type DocumentNode,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type ValidationRule,
} from 'graphql';
import type { Config } from '../config';
import { BadInputError } from '../errors';
import { withStatus } from './errors';

/**
 * The limits every operation meets, over HTTP and over WebSocket alike: tokens (at parse time),
 * depth, aliases, cost, directives (validation rules) and page sizes (before execution). Apollo
 * runs them in its request pipeline; graphql-ws runs no Apollo plugin, so the socket calls
 * `parseAndValidate` and `checkPageSizes`. Every refusal is BAD_USER_INPUT with HTTP 400, before
 * any resolver (and so any Cypher) runs.
 */
export interface QueryProtection {
  /** Spread into the ApolloServer options: plugins, validation rules and the parser's token limit. */
  apollo: ReturnType<ApolloArmor['protect']> & { parseOptions: { maxTokens: number } };
  validationRules: ValidationRule[];
  maxTokens: number;
  maxPageSize: number;
  /** Development shows GraphQL's "Did you mean" suggestions; production hides them. */
  hideSuggestions: boolean;
}

export function queryProtection(limits: Config['limits'], security: Config['security']): QueryProtection {
  // protect() registers its rejection handlers on every call: call it once and share the rules.
  const armor = new ApolloArmor({
    maxDepth: { n: limits.maxDepth },
    maxAliases: { n: limits.maxAliases },
    costLimit: { maxCost: limits.maxComplexity },
    // The armor's token plugin throws from a plugin hook, which Apollo answers with HTTP 500;
    // GraphQL's own parser counts tokens too, and its syntax error is a 400.
    maxTokens: { enabled: false },
    maxDirectives: { n: security.maxDirectives },
    blockFieldSuggestion: { enabled: security.production },
  }).protect();
  const validationRules = [...(armor.validationRules ?? []), ...(security.production ? [NoSchemaIntrospectionCustomRule] : [])];
  return {
    apollo: { ...armor, validationRules, parseOptions: { maxTokens: limits.maxTokens } },
    validationRules,
    maxTokens: limits.maxTokens,
    maxPageSize: limits.maxPageSize,
    hideSuggestions: security.production,
  };
}

/** Field suggestions would let a client map the schema's hidden corners. */
const SUGGESTION = /Did you mean ".+"/g;

/**
 * For the socket: the document, or the errors Apollo would have answered, with the codes
 * Apollo gives them (the error formatter turns them into BAD_USER_INPUT).
 */
export function parseAndValidate(schema: GraphQLSchema, protection: QueryProtection, query: string): DocumentNode | GraphQLError[] {
  const known = validDocuments.get(query);
  if (known) return known;
  const checked = check(schema, protection, query);
  if (!Array.isArray(checked)) {
    if (validDocuments.size >= MAX_CACHED_DOCUMENTS) validDocuments.delete(validDocuments.keys().next().value!);
    validDocuments.set(query, checked);
  }
  return checked;
}

/**
 * Thousands of sockets send the same subscription: parse and validate it once, and give them
 * one document (sharedSubscribe executes alike subscribers once per document).
 */
const validDocuments = new Map<string, DocumentNode>();
const MAX_CACHED_DOCUMENTS = 1000;

function check(schema: GraphQLSchema, protection: QueryProtection, query: string): DocumentNode | GraphQLError[] {
  if (typeof query !== 'string') return [new GraphQLError('the query must be a string', { extensions: { code: 'GRAPHQL_PARSE_FAILED' } })];
  let document: DocumentNode;
  try {
    document = parse(query, { maxTokens: protection.maxTokens });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return [new GraphQLError(message, { extensions: { code: 'GRAPHQL_PARSE_FAILED' } })];
  }
  let errors: readonly GraphQLError[];
  try {
    errors = validate(schema, document, [...specifiedRules, ...protection.validationRules]);
  } catch (error) {
    // A limit rule that evaluates directives throws on a variable the document does not declare
    // (graphql-js's own rules report it too, but the throw comes first): a refusal, not a fault.
    if (!(error instanceof GraphQLError)) throw error;
    errors = [error];
  }
  if (!errors.length) return document;
  return errors.map(
    (error) =>
      new GraphQLError(protection.hideSuggestions ? error.message.replace(SUGGESTION, '[Suggestion hidden]') : error.message, {
        nodes: error.nodes,
        extensions: { code: 'GRAPHQL_VALIDATION_FAILED', ...error.extensions },
      }),
  );
}

/**
 * Every `first` in the document (literal, variable or variable default) within 0..maxPageSize:
 * a page too large is refused before execution, not after the principal's first list is read.
 */
export function checkPageSizes(document: DocumentNode, operation: OperationDefinitionNode, variables: Record<string, unknown> | undefined, maxPageSize: number): void {
  const defaults = new Map<string, unknown>();
  for (const definition of operation.variableDefinitions ?? []) {
    if (definition.defaultValue?.kind === Kind.INT) defaults.set(definition.variable.name.value, Number(definition.defaultValue.value));
  }
  let bad: unknown;
  visit(document, {
    Argument(node) {
      if (node.name.value !== 'first' || bad !== undefined) return;
      let value: unknown;
      if (node.value.kind === Kind.INT) value = Number(node.value.value);
      else if (node.value.kind === Kind.VARIABLE) {
        const name = node.value.name.value;
        value = variables && name in variables ? variables[name] : defaults.get(name);
      }
      if (typeof value === 'number' && (!Number.isInteger(value) || value < 0 || value > maxPageSize)) bad = value;
    },
  });
  if (bad !== undefined) {
    throw withStatus(new BadInputError(`first must be between 0 and ${maxPageSize}`, [{ field: 'first', message: `${String(bad)} is out of range` }]), 400);
  }
}

/**
 * Apollo's side of the checks made once the operation is known and before it executes: page
 * sizes, and no subscription over HTTP (its resolvers need the socket; Apollo would run them).
 */
export function beforeExecutionPlugin(maxPageSize: number): ApolloServerPlugin {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ schema, document, operation, request }) {
          if (!operation) return;
          if (operation.operation === 'subscription') {
            throw withStatus(new BadInputError('subscriptions are served over WebSocket (graphql-ws) on this path, not over HTTP'), 400);
          }
          checkPageSizes(document, operation, request.variables, maxPageSize);
          checkRepresentations(schema, operation, request.variables);
        },
      };
    },
  };
}

/**
 * Each `_entities` representation an object naming an entity type: Apollo's subgraph would throw
 * a plain error for an unknown `__typename`, which is the client's mistake, not the hub's.
 */
export function checkRepresentations(schema: GraphQLSchema, operation: OperationDefinitionNode, variables: Record<string, unknown> | undefined): void {
  const entity = schema.getType('_Entity');
  const entityTypes = new Set(entity && isUnionType(entity) ? entity.getTypes().map((type) => type.name) : []);
  for (const selection of operation.selectionSet.selections) {
    if (selection.kind !== Kind.FIELD || selection.name.value !== '_entities') continue;
    const argument = selection.arguments?.find((a) => a.name.value === 'representations');
    const representations = argument ? (valueFromASTUntyped(argument.value, variables) as unknown) : undefined;
    const list = Array.isArray(representations) ? representations : [representations];
    const problems = list.flatMap((representation, index) => {
      const typename = typeof representation === 'object' && representation !== null ? (representation as { __typename?: unknown }).__typename : undefined;
      return typeof typename === 'string' && entityTypes.has(typename) ? [] : [{ field: `representations[${index}].__typename`, message: `not one of ${[...entityTypes].join(', ')}` }];
    });
    if (problems.length) throw withStatus(new BadInputError('every representation names an entity type in __typename', problems.slice(0, 20)), 400);
  }
}

/** For the socket (Apollo does this over HTTP): variables coerced before execution, their errors BAD_USER_INPUT. */
export function variableErrors(schema: GraphQLSchema, operation: OperationDefinitionNode, variables: Record<string, unknown> | null | undefined): GraphQLError[] {
  const coerced = getVariableValues(schema, operation.variableDefinitions ?? [], variables ?? {}, { maxErrors: 20 });
  return (coerced.errors ?? []).map((error) => new GraphQLError(error.message, { nodes: error.nodes, extensions: { code: 'BAD_USER_INPUT' } }));
}
