import {
  getNamedType,
  getNullableType,
  isNonNullType,
  Kind,
  type DocumentNode,
  type FragmentDefinitionNode,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
  type ValueNode,
} from 'graphql';
import type { ApolloServerPlugin } from '@apollo/server';
import type { Logger } from 'pino';
import type { Config } from '../config';
import { RateLimitedError } from '../errors';
import type { PolicyContext } from '../policy/context';
import type { HubContext } from '../resolvers/context';
import { withStatus } from './errors';
import { RateLimiter } from './rate-limit';

/**
 * Request rate limits per principal (issue 11): every GraphQL request (HTTP, and each subscribe
 * message over the socket) takes one point of the principal's allowance, and every by-id read
 * one point of a smaller one, so that nobody walks the id space guessing which ids exist. With
 * REDIS_URL the allowances are one across every hub. A refusal is RATE_LIMITED with HTTP 429, a
 * `Retry-After` header and `extensions.retryAfterSeconds`.
 */
export class RequestLimits {
  private constructor(
    private readonly requests: RateLimiter | null,
    private readonly byId: RateLimiter | null,
  ) {}

  static create(config: Config, log: Logger): RequestLimits {
    const limiter = (name: string, perMinute: number) =>
      perMinute === 0
        ? null
        : config.redisUrl
          ? RateLimiter.shared(name, perMinute, config.redisUrl, log)
          : RateLimiter.inProcess(name, perMinute);
    return new RequestLimits(limiter('requests', config.security.requestsPerMinute), limiter('by-id', config.security.byIdReadsPerMinute));
  }

  /** One request of `key`; throws RATE_LIMITED when its allowance is spent. */
  async admit(key: string): Promise<void> {
    if (!this.requests) return;
    const wait = await this.requests.take(key);
    if (wait) throw rateLimited('too many requests', wait);
  }

  /** The by-id reads of one operation; throws RATE_LIMITED when they exceed what is left. */
  async admitByIdReads(key: string, reads: number): Promise<void> {
    if (!this.byId || reads === 0) return;
    const wait = await this.byId.take(key, reads);
    if (wait) throw rateLimited('too many reads by id', wait);
  }

  async close(): Promise<void> {
    await Promise.all([this.requests?.close(), this.byId?.close()]);
  }
}

/** Apollo's side of the by-id allowance: counted once the operation is known, before it executes. */
export function byIdReadPlugin(limits: RequestLimits): ApolloServerPlugin<HubContext> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ schema, document, operation, request, contextValue }) {
          if (!operation) return;
          await limits.admitByIdReads(limitKey(contextValue.principal), countByIdReads(schema, document, operation, request.variables));
        },
      };
    },
  };
}

/** The key a principal's allowance is counted under; a request without one is counted by its address. */
export function limitKey(principal: PolicyContext | null, address?: string): string {
  if (!principal || (principal.kind === 'officer' && !principal.officerId)) return `address:${address ?? 'unknown'}`;
  return principal.kind === 'officer' ? `officer:${principal.officerId}` : `partner:${principal.partnerId}`;
}

function rateLimited(what: string, seconds: number): RateLimitedError {
  return withStatus(new RateLimitedError(`${what}: retry in ${seconds} s`, seconds), 429, { 'retry-after': String(seconds) });
}

/**
 * The by-id reads of a query: each root field that takes an `ID!` (intelReport, subject,
 * officer, explainAccess…), and each representation of `_entities`. Aliases count apart.
 */
export function countByIdReads(schema: GraphQLSchema, document: DocumentNode, operation: OperationDefinitionNode, variables: Record<string, unknown> | undefined): number {
  if (operation.operation !== 'query') return 0;
  const queryType = schema.getQueryType();
  if (!queryType) return 0;
  const fields = queryType.getFields();
  const fragments = new Map(
    document.definitions.filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION).map((d) => [d.name.value, d]),
  );
  const seen = new Set<string>();
  const count = (selectionSet: SelectionSetNode): number => {
    let reads = 0;
    for (const selection of selectionSet.selections) {
      if (selection.kind === Kind.INLINE_FRAGMENT) reads += count(selection.selectionSet);
      else if (selection.kind === Kind.FRAGMENT_SPREAD) {
        const fragment = fragments.get(selection.name.value);
        // A fragment spread twice at the root is counted once per spread; a cycle is invalid and never validated.
        if (fragment && !seen.has(fragment.name.value)) {
          seen.add(fragment.name.value);
          reads += count(fragment.selectionSet);
          seen.delete(fragment.name.value);
        }
      } else if (selection.name.value === '_entities') {
        const representations = selection.arguments?.find((a) => a.name.value === 'representations')?.value;
        reads += representations ? listLength(representations, variables) : 0;
      } else {
        const definition = fields[selection.name.value];
        const takesId = definition?.args.some((arg) => isNonNullType(arg.type) && getNullableType(arg.type) === getNamedType(arg.type) && getNamedType(arg.type).name === 'ID');
        if (takesId) reads += 1;
      }
    }
    return reads;
  };
  return count(operation.selectionSet);
}

function listLength(value: ValueNode, variables: Record<string, unknown> | undefined): number {
  if (value.kind === Kind.LIST) return value.values.length;
  if (value.kind === Kind.VARIABLE) {
    const given = variables?.[value.name.value];
    return Array.isArray(given) ? given.length : given === undefined || given === null ? 0 : 1;
  }
  return 1;
}
