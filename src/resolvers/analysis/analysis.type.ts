import { Field, Float, Int, ObjectType } from 'type-graphql';
import type { NetworkRecord } from '../../graph/analysis';
import type { LinkRecord, SubjectRecord } from '../../graph/records';
import { DateTimeScalar } from '../common/scalars';
import { Link, Subject } from '../subject/subject.type';

@ObjectType('Network', {
  description:
    'The visible subjects within `depth` links of a subject, nearest first, and the visible links on some path of at most `depth` links from it.',
})
export class Network {
  @Field(() => [Subject], { description: 'Nearest first (then by id); the start subject first.' })
  subjects: SubjectRecord[];

  @Field(() => [Link], { description: 'By id. When truncated, the links among the subjects kept.' })
  links: LinkRecord[];

  @Field(() => Boolean, { description: 'True when subjects within `depth` links were left out by `limit`.' })
  truncated: boolean;

  /** What the graph layer answered; the fields above are taken from it. */
  record: NetworkRecord;
}

@ObjectType('Path', { description: 'A shortest path over visible links.' })
export class Path {
  @Field(() => Int, { description: 'Its number of links.' })
  length: number;

  @Field(() => [Subject], { description: 'In order from `fromId` to `toId`.' })
  subjects: SubjectRecord[];

  @Field(() => [Link], { description: '`links[k]` joins `subjects[k]` and `subjects[k+1]`.' })
  links: LinkRecord[];
}

@ObjectType('Corridor', { description: 'A smuggling route of the visible reports, and how often it was reported.' })
export class Corridor {
  @Field(() => String)
  origin: string;

  @Field(() => [String], { description: 'Transit countries, in order.' })
  transit: string[];

  @Field(() => String)
  destination: string;

  @Field(() => String, { nullable: true, description: 'YYYY-MM (UTC) of the reports\' createdAt with `byMonth`; otherwise null.' })
  month: string | null;

  @Field(() => Int, { description: 'Visible reports of this route (and month).' })
  reports: number;

  @Field(() => Int, { description: 'Distinct Person subjects those reports concern.' })
  persons: number;

  @Field(() => DateTimeScalar, { description: 'The latest createdAt among those reports.' })
  lastSeen: string;
}

@ObjectType('SubjectScore', { description: 'A subject\'s place in a network.' })
export class SubjectScore {
  @Field(() => Subject)
  subject: SubjectRecord;

  @Field(() => Float, { description: 'Betweenness centrality within the network (unnormalised: pairs of other subjects whose shortest paths pass through it).' })
  betweenness: number;

  @Field(() => Int, { description: 'Distinct neighbours within the network.' })
  degree: number;
}
