import { ArgsType, Directive, Field, Int, ObjectType, type ClassType } from 'type-graphql';
import { BadInputError } from '../../errors';
import type { BatchedPage } from '../../graph/lists';
import type { PageArgs } from '../../graph/paging';

/** Relay connections: `{ totalCount, edges { cursor node }, pageInfo { hasNextPage endCursor } }`. */

// Every Relay subgraph defines PageInfo; shareable lets the same type compose from several.
@Directive('@shareable')
@ObjectType('PageInfo')
export class PageInfo {
  @Field(() => Boolean)
  hasNextPage: boolean;

  @Field(() => String, { nullable: true })
  endCursor: string | null;
}

export interface ConnectionValue<T> {
  /** A getter: counting costs a query, made only when a client selects the field. */
  readonly totalCount: Promise<number>;
  edges: { cursor: string; node: T }[];
  pageInfo: PageInfo;
}

export function Connection<T extends object>(node: ClassType<T>, name: string) {
  @ObjectType(`${name}Edge`)
  class Edge {
    @Field(() => String)
    cursor: string;

    @Field(() => node)
    node: T;
  }

  // Never emitted itself: each concrete `XConnection extends Connection(X, 'X')` names itself.
  @ObjectType()
  abstract class ConnectionType {
    @Field(() => Int, { description: 'How many items the viewer may see in this list, over all pages.' })
    totalCount: number;

    @Field(() => [Edge])
    edges: Edge[];

    @Field(() => PageInfo)
    pageInfo: PageInfo;
  }
  return ConnectionType;
}

@ArgsType()
export class PageArgsInput {
  @Field(() => Int, { nullable: true, description: 'Page size (default 20).' })
  first?: number | null;

  @Field(() => String, { nullable: true, description: 'The endCursor of the previous page.' })
  after?: string | null;
}

export const DEFAULT_PAGE_SIZE = 20;

export function encodeCursor(key: unknown[]): string {
  return Buffer.from(JSON.stringify(key)).toString('base64url');
}

export function pageArgs(args: PageArgsInput, maxPageSize: number): PageArgs {
  const first = args.first ?? DEFAULT_PAGE_SIZE;
  if (!Number.isInteger(first) || first < 0 || first > maxPageSize) {
    throw new BadInputError(`first must be between 0 and ${maxPageSize}`, [{ field: 'first', message: 'out of range' }]);
  }
  if (args.after === null || args.after === undefined) return { first, after: null };
  try {
    const after = JSON.parse(Buffer.from(args.after, 'base64url').toString('utf8')) as unknown;
    if (Array.isArray(after) && after.every((v) => typeof v === 'string' || typeof v === 'number')) {
      return { first, after };
    }
  } catch {
    // fall through to the error below
  }
  throw new BadInputError('after is not a cursor from this list', [{ field: 'after', message: 'invalid cursor' }]);
}

/** An edge whose cursor is encoded only when a client selects it (most pages never do). */
class EdgeValue<N> {
  constructor(
    readonly node: N,
    private readonly cursorKey: unknown[],
  ) {}

  get cursor(): string {
    return encodeCursor(this.cursorKey);
  }
}

export function toConnection<T, N = T>(
  listed: { page: Promise<BatchedPage<T>>; total: () => Promise<number> },
  map: (row: T) => N = (row) => row as unknown as N,
): Promise<ConnectionValue<N>> {
  return listed.page.then((page) => {
    const edges = page.entries.map((entry) => new EdgeValue(map(entry.row), entry.cursorKey));
    return {
      get totalCount() {
        return listed.total();
      },
      edges,
      pageInfo: {
        hasNextPage: page.hasNextPage,
        get endCursor() {
          return edges.length ? edges[edges.length - 1].cursor : null;
        },
      },
    };
  });
}
