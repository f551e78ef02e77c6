/**
 * Every GraphQL document the board sends. test/board/documents.test.ts validates them against
 * the committed schema (schema/hub.graphql), so a schema change that breaks the board fails there.
 */
export const ME = /* GraphQL */ `
  query BoardMe {
    me { id name rank roles clearance country { code name } }
  }
`;

export const OPERATIONS = /* GraphQL */ `
  query BoardOperations($after: String) {
    operations(first: 100, after: $after) {
      totalCount
      edges { node { id codename status visibility leadCountry { code } } }
      pageInfo { hasNextPage endCursor }
    }
  }
`;

const UPDATE_FIELDS = /* GraphQL */ `
  fragment BoardUpdate on OperationUpdate {
    id kind text classification postedAt cursor
    owner { code name }
    author { id name }
    metrics { arrests migrantsDetected victimsRescued checks seizures }
  }
`;

export const OPERATION = /* GraphQL */ `
  query BoardOperation($id: ID!) {
    operation(id: $id) {
      id codename objective status visibility startsAt endsAt
      leadCountry { code name }
      participants { code name }
      assignments { role officer { id name rank country { code } } }
      outcome { arrests migrantsDetected victimsRescued checks seizures }
    }
  }
`;

export const OPERATION_UPDATES_PAGE = /* GraphQL */ `
  query BoardUpdatesPage($id: ID!, $after: String) {
    operation(id: $id) {
      id
      updates(first: 500, after: $after) {
        edges { node { ...BoardUpdate } }
        pageInfo { hasNextPage endCursor }
      }
    }
  }
  ${UPDATE_FIELDS}
`;

export const OUTCOME = /* GraphQL */ `
  query BoardOutcome($id: ID!) {
    operation(id: $id) { id outcome { arrests migrantsDetected victimsRescued checks seizures } }
  }
`;

export const LIVE_UPDATES = /* GraphQL */ `
  subscription BoardLiveUpdates($operationId: ID!, $after: String) {
    operationUpdates(operationId: $operationId, after: $after) { ...BoardUpdate }
  }
  ${UPDATE_FIELDS}
`;

export const POST_UPDATE = /* GraphQL */ `
  mutation BoardPostUpdate($operationId: ID!, $input: OperationUpdateInput!) {
    postOperationUpdate(operationId: $operationId, input: $input) { id cursor }
  }
`;

const SUBJECT_FIELDS = /* GraphQL */ `
  fragment BoardSubject on Subject {
    id kind
    ... on Person { name protected }
    ... on Organization { name }
    ... on TravelDocument { number issuingCountry }
    ... on Vehicle { identifier }
    ... on Phone { number }
    ... on Location { name }
  }
`;

export const RECENT_SUBJECTS = /* GraphQL */ `
  query BoardRecentSubjects {
    intelReports(first: 20) {
      edges { node { id title subjects { ...BoardSubject } } }
    }
  }
  ${SUBJECT_FIELDS}
`;

/** DESIGN §4 "Analysis (normative)". */
export const NETWORK = /* GraphQL */ `
  query BoardNetwork($subjectId: ID!, $depth: Int, $limit: Int) {
    subjectNetwork(subjectId: $subjectId, depth: $depth, limit: $limit) {
      truncated
      subjects { ...BoardSubject }
      links { id kind from { id } to { id } }
      brokers(first: 5) { subject { id } betweenness degree }
    }
  }
  ${SUBJECT_FIELDS}
`;

export const CORRIDORS = /* GraphQL */ `
  query BoardCorridors($since: DateTime, $until: DateTime) {
    corridors(since: $since, until: $until, byMonth: true) {
      origin transit destination month reports persons lastSeen
    }
  }
`;

/** The documents that need DESIGN §4's analysis fields (subjectNetwork, corridors). */
export const ANALYSIS_DOCUMENTS = { NETWORK, CORRIDORS };
export const CORE_DOCUMENTS = { ME, OPERATIONS, OPERATION, OPERATION_UPDATES_PAGE, OUTCOME, LIVE_UPDATES, POST_UPDATE, RECENT_SUBJECTS };
