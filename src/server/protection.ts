import { ApolloArmor } from '@escape.tech/graphql-armor';
import { GraphQLError, parse, specifiedRules, validate, type DocumentNode, type GraphQLSchema, type ValidationRule } from 'graphql';
import type { Config } from '../config';

/**
 * The limits every operation meets, over HTTP and over WebSocket alike: depth, aliases, cost,
 * directives (validation rules) and tokens (at parse time). Apollo runs them through the
 * armor's plugins; graphql-ws runs no Apollo plugin, so the socket calls `parseAndValidate`.
 */
export interface QueryProtection {
  /** Spread into the ApolloServer options: plugins and the validation rules. */
  apollo: ReturnType<ApolloArmor['protect']>;
  validationRules: ValidationRule[];
  maxTokens: number;
}

export function queryProtection(limits: Config['limits']): QueryProtection {
  // protect() registers its rejection handlers on every call: call it once and share the rules.
  const apollo = new ApolloArmor({
    maxDepth: { n: limits.maxDepth },
    maxAliases: { n: limits.maxAliases },
    costLimit: { maxCost: limits.maxComplexity },
    maxTokens: { n: limits.maxTokens },
    maxDirectives: { n: 50 },
  }).protect();
  return { apollo, validationRules: [...(apollo.validationRules ?? [])], maxTokens: limits.maxTokens };
}

/** Field suggestions would let a client map the schema's hidden corners; Apollo's armor plugin masks them too. */
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
  let document: DocumentNode;
  try {
    document = parse(query, { maxTokens: protection.maxTokens });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return [new GraphQLError(message, { extensions: { code: 'GRAPHQL_PARSE_FAILED' } })];
  }
  const errors = validate(schema, document, [...specifiedRules, ...protection.validationRules]);
  if (!errors.length) return document;
  return errors.map(
    (error) =>
      new GraphQLError(error.message.replace(SUGGESTION, '[Suggestion hidden]'), {
        nodes: error.nodes,
        extensions: { code: 'GRAPHQL_VALIDATION_FAILED', ...error.extensions },
      }),
  );
}
