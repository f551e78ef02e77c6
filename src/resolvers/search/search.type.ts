import { createUnionType, Field, Float, Int, ObjectType } from 'type-graphql';
import { DUPLICATE_REASONS, type DuplicateReason } from '../../graph/identity';
import { SUBJECT_LABELS, type SubjectKind } from '../../graph/records';
import { SEARCH_KINDS } from '../../graph/search';
import { PageInfo } from '../common/connection';
import { enumOf } from '../common/enums';
import { IntelReport } from '../report/report.type';
import { Location, Organization, Person, Phone, Subject, TravelDocument, Vehicle } from '../subject/subject.type';

export const SearchKindEnum = enumOf(SEARCH_KINDS, 'SearchKind', 'What `search` looks for: reports (title, summary) or subjects of one kind.');
export const DuplicateReasonEnum = enumOf(
  DUPLICATE_REASONS,
  'DuplicateReason',
  'Why two subjects may be the same: the same normalised travel-document number, the same phone number (E.164), or a similar name with the same date of birth.',
);

/** Subjects carry their kind; reports do not. */
export const resolveSearchHitType = (value: object) =>
  'kind' in value && typeof value.kind === 'string' && value.kind in SUBJECT_LABELS ? SUBJECT_LABELS[value.kind as SubjectKind] : 'IntelReport';

export const SearchHit = createUnionType({
  name: 'SearchHit',
  description: 'A visible report or subject that matches a search.',
  types: () => [IntelReport, Person, Organization, TravelDocument, Vehicle, Phone, Location] as const,
  resolveType: (value) => resolveSearchHitType(value),
});

@ObjectType('SearchEdge')
export class SearchEdge {
  @Field(() => String)
  cursor: string;

  @Field(() => Float, { description: 'The full-text relevance score: higher is a better match. Edges come best first.' })
  score: number;

  @Field(() => SearchHit)
  node: typeof SearchHit;
}

@ObjectType('SearchConnection')
export class SearchConnection {
  @Field(() => Int, { description: 'How many visible reports and subjects match, over all pages.' })
  totalCount: number;

  @Field(() => [SearchEdge])
  edges: SearchEdge[];

  @Field(() => PageInfo)
  pageInfo: PageInfo;
}

@ObjectType('DuplicateCandidate', { description: 'A visible subject of the same kind that may be the same identity, and why.' })
export class DuplicateCandidate {
  @Field(() => Subject)
  subject: Subject;

  @Field(() => [DuplicateReasonEnum])
  reasons: DuplicateReason[];
}
