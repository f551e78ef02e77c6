import type { GraphQLResolveInfo } from 'graphql';
import { Arg, Args, Ctx, ID, Info, Query, Resolver } from 'type-graphql';
import { BadInputError } from '../../errors';
import { possibleDuplicates } from '../../graph/identity';
import { search, SEARCH_KINDS, type SearchKind } from '../../graph/search';
import { encodeCursor, PageArgsInput, pageArgs } from '../common/connection';
import { Checker } from '../common/validate';
import type { HubContext } from '../context';
import { DuplicateCandidate, SearchConnection, SearchKindEnum } from './search.type';

/** Longest search text accepted; a name, a number or a few words are far shorter. */
const MAX_SEARCH_TEXT = 500;

/** Whether the client selected `totalCount` (directly, not through fragments: then it is counted apart). */
function asksForTotal(info: GraphQLResolveInfo): boolean {
  return info.fieldNodes.some((field) => field.selectionSet?.selections.some((s) => s.kind === 'Field' && s.name.value === 'totalCount'));
}

@Resolver()
export class SearchResolver {
  @Query(() => SearchConnection, {
    description:
      'Visible reports (title, summary) and subjects (names, aliases, numbers, identifiers) matching every word of `text`, ' +
      'case- and accent-insensitive, one typo per word tolerated; best match first.',
  })
  search(
    @Arg('text', () => String) text: string,
    @Arg('kinds', () => [SearchKindEnum], { nullable: true, description: 'Omitted: every kind.' }) kinds: SearchKind[] | null,
    @Args(() => PageArgsInput) args: PageArgsInput,
    @Ctx() ctx: HubContext,
    @Info() info: GraphQLResolveInfo,
  ) {
    new Checker(ctx.services.config.limits.maxStringLength).text('text', text, { required: true, max: MAX_SEARCH_TEXT }).done();
    if (kinds && kinds.length === 0) throw new BadInputError('kinds must list at least one kind, or be omitted', [{ field: 'kinds', message: 'empty' }]);
    const listed = search(ctx.graph, text, kinds ?? SEARCH_KINDS, pageArgs(args, ctx.services.config.limits.maxPageSize), asksForTotal(info));
    return listed.page.then((page) => {
      const edges = page.entries.map((entry) => ({ cursor: encodeCursor(entry.cursorKey), score: entry.row.score, node: entry.row.row }));
      return {
        get totalCount() {
          return listed.total();
        },
        edges,
        pageInfo: { hasNextPage: page.hasNextPage, endCursor: edges.length ? edges[edges.length - 1].cursor : null },
      };
    });
  }

  @Query(() => [DuplicateCandidate], {
    nullable: true,
    description: 'Visible subjects of the same kind that may be the same identity, each with its reasons. Null when the subject is not visible.',
  })
  possibleDuplicates(@Arg('subjectId', () => ID) subjectId: string, @Ctx() ctx: HubContext) {
    new Checker(ctx.services.config.limits.maxStringLength).id('subjectId', subjectId).done();
    return possibleDuplicates(ctx.graph, subjectId);
  }
}
