import { Arg, Ctx, FieldResolver, ID, Int, Query, Resolver, Root } from 'type-graphql';
import { HubError } from '../../errors';
import { ANALYSIS_LIMITS, type NetworkRecord } from '../../graph/analysis';
import { rankBrokers } from '../../graph/network-metrics';
import { DateTimeScalar, toIso } from '../common/scalars';
import { Checker } from '../common/validate';
import type { HubContext } from '../context';
import { Corridor, Network, Path, SubjectScore } from './analysis.type';

/** Network analysis (DESIGN §4, "Analysis"): thin over the request's GraphSession. */

type Bound = keyof typeof ANALYSIS_LIMITS;

/** Out-of-bounds arguments are the client's fault: BAD_USER_INPUT naming each, with HTTP 400. */
function checked(ctx: HubContext, check: (checker: Checker) => void): void {
  const checker = new Checker(ctx.services.config.limits.maxStringLength);
  check(checker);
  try {
    checker.done();
  } catch (error) {
    if (!(error instanceof HubError)) throw error;
    const { code: _code, ...extensions } = error.extensions;
    throw new HubError('BAD_USER_INPUT', error.message, { ...extensions, http: { status: 400 } });
  }
}

function checkBounds(ctx: HubContext, values: [string, Bound, number][]): void {
  checked(ctx, (checker) => {
    for (const [field, bound, value] of values) {
      const { min, max } = ANALYSIS_LIMITS[bound];
      if (!Number.isInteger(value) || value < min || value > max) checker.add(field, `must be an integer between ${min} and ${max}`);
    }
  });
}

export function toNetwork(record: NetworkRecord): Network {
  return {
    subjects: record.members.map((m) => m.subject),
    links: record.links,
    truncated: record.truncated,
    record,
  };
}

@Resolver(() => Network)
export class AnalysisResolver {
  @Query(() => Network, { nullable: true, description: 'Null when the subject does not exist or is not visible.' })
  async subjectNetwork(
    @Arg('subjectId', () => ID) subjectId: string,
    @Arg('depth', () => Int, { nullable: true, defaultValue: 2, description: '1–3 links.' }) depth: number | null,
    @Arg('limit', () => Int, { nullable: true, defaultValue: 200, description: '1–2,000 subjects, the start subject included.' }) limit: number | null,
    @Ctx() ctx: HubContext,
  ): Promise<Network | null> {
    const [d, l] = [depth ?? 2, limit ?? 200];
    checkBounds(ctx, [['depth', 'depth', d], ['limit', 'limit', l]]);
    const record = await ctx.graph.subjectNetwork(subjectId, d, l);
    return record && toNetwork(record);
  }

  @FieldResolver(() => [SubjectScore], { description: 'The network\'s subjects ranked by betweenness centrality within it, then degree.' })
  brokers(@Root() network: Network, @Arg('first', () => Int, { nullable: true, defaultValue: 10 }) first: number | null, @Ctx() ctx: HubContext): SubjectScore[] {
    checkBounds(ctx, [['first', 'limit', first ?? 10]]);
    const subjects = new Map(network.record.members.map((m) => [m.subject.id, m.subject]));
    return rankBrokers([...subjects.keys()], network.record.links, first ?? 10).map((score) => ({
      subject: subjects.get(score.subjectId)!,
      betweenness: score.betweenness,
      degree: score.degree,
    }));
  }

  @Query(() => Path, { nullable: true, description: 'A shortest path over visible links; null when no visible path of at most `maxHops` links exists.' })
  async connectionPath(
    @Arg('fromId', () => ID) fromId: string,
    @Arg('toId', () => ID) toId: string,
    @Arg('maxHops', () => Int, { nullable: true, defaultValue: 4, description: '1–6 links.' }) maxHops: number | null,
    @Ctx() ctx: HubContext,
  ): Promise<Path | null> {
    const hops = maxHops ?? 4;
    checkBounds(ctx, [['maxHops', 'hops', hops]]);
    const path = await ctx.graph.connectionPath(fromId, toId, hops);
    return path && { length: path.links.length, subjects: path.subjects, links: path.links };
  }

  @Query(() => [Corridor], { description: 'Routes of the visible reports created in [since, until), most reports first.' })
  corridors(
    @Arg('since', () => DateTimeScalar, { nullable: true }) since: Date | null,
    @Arg('until', () => DateTimeScalar, { nullable: true }) until: Date | null,
    @Arg('byMonth', () => Boolean, { nullable: true, defaultValue: false }) byMonth: boolean | null,
    @Ctx() ctx: HubContext,
  ) {
    checked(ctx, (checker) => {
      if (since && until && since.getTime() >= until.getTime()) checker.add('until', 'must be later than since');
    });
    return ctx.graph.corridors({ since: toIso(since), until: toIso(until), byMonth: byMonth ?? false });
  }
}
