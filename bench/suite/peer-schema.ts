import { SignJWT } from 'jose';
import type { OfficerContext } from '../../src/policy/context';
import { readsContent } from '../../src/policy/rule';

/**
 * @neo4j/graphql's closest equivalent of the sharing rule (DESIGN §3). Its `@authorization`
 * filters compare node properties with claims of the JWT, so the inputs the hub reads from the
 * graph on each request are put in the token when the suite signs it:
 *
 * - `readsContent` (status ACTIVE and a content role), `clearance` (rank), `country`,
 *   `assigned` (operations the officer is assigned to), `countryOperations`;
 * - `level(owner → country)` as four lists `share0`…`share3`: the owner countries whose level
 *   toward the officer's country is at least UNCLASSIFIED…CONFIDENTIAL (an index into a map by a
 *   node property is not expressible, a list membership per level is);
 * - expiry through a `@cypher` field (`live`) evaluated at the request's instant: a DateTime in
 *   a filter is sent to Neo4j as a string (it never compares with a datetime) and a `$jwt` value
 *   cannot stand for one.
 *
 * What it leaves out: those inputs are frozen when the token is signed, so a suspension, a
 * clearance or assignment change and a new or lapsing (dated) sharing rule take effect only
 * with a new token, not on the next request; no audit trail; no field redaction (no scenario
 * selects a redacted field); no existence check to audit denied direct reads.
 */
export const PEER_TYPE_DEFS = `#graphql
extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])

type JWT @jwt {
  readsContent: Boolean
  clearance: Int
  country: String
  assigned: [String!]
  countryOperations: [String!]
  share0: [String!]
  share1: [String!]
  share2: [String!]
  share3: [String!]
}

type Operation @node @key(fields: "id")
  @authorization(filter: [
    { where: { jwt: { readsContent: { eq: true } }, node: { visibility: { in: ["PUBLIC", "NETWORK"] } } } }
    { where: { jwt: { readsContent: { eq: true } }, node: { id: { in: "$jwt.countryOperations" } } } }
  ]) {
  id: ID!
  codename: String!
  status: String!
  visibility: String!
  participants: [Country!]! @relationship(type: "PARTICIPATES_IN", direction: IN)
}

type Country @node {
  code: ID!
  name: String!
  region: String
  units: [Unit!]! @relationship(type: "OF", direction: IN)
}

type Unit @node {
  id: ID!
  name: String!
  officers: [Officer!]! @relationship(type: "MEMBER_OF", direction: IN)
}

type Officer @node {
  id: ID!
  name: String!
  rank: String
}

type Subject @node {
  id: ID!
  kind: String!
}

type IntelReport @node @key(fields: "id")
  @authorization(filter: [
    { where: { jwt: { readsContent: { eq: true } }, node: { classRank: { lte: "$jwt.clearance" }, ownerCode: { eq: "$jwt.country" } } } }
    ${[0, 1, 2, 3].map((rank) => `{ where: { jwt: { readsContent: { eq: true } }, node: { AND: [
      { classRank: { lte: "$jwt.clearance" } }
      { classRank: { lte: ${rank} } }
      { ownerCode: { in: "$jwt.share${rank}" } }
      { OR: [
        { relMode: { eq: "NETWORK" } }
        { AND: [{ relMode: { eq: "ALLOW" } }, { relCountries: { includes: "$jwt.country" } }] }
        { AND: [{ relMode: { eq: "DENY" } }, { NOT: { relCountries: { includes: "$jwt.country" } } }] }
      ] }
      { OR: [{ operationId: { eq: null } }, { operationId: { in: "$jwt.assigned" } }] }
      { live: { eq: true } }
    ] } } }`).join('\n    ')}
  ]) {
  id: ID!
  title: String!
  classification: String!
  classRank: Int!
  ownerCode: String!
  relMode: String!
  relCountries: [String!]
  operationId: String
  createdAt: DateTime!
  expiresAt: DateTime
  "Not expired at the request's instant: a DateTime filter value is sent as a string, which never compares with a datetime."
  live: Boolean! @cypher(statement: "RETURN this.expiresAt IS NULL OR this.expiresAt > datetime() AS live", columnName: "live")
  owner: Country @relationship(type: "OWNED_BY", direction: OUT)
  subjects: [Subject!]! @relationship(type: "CONCERNS", direction: OUT)
}
`;

/** The claims the peer's filters read, from the same policy context the hub builds. */
export function peerClaims(ctx: OfficerContext): Record<string, unknown> {
  const share = (rank: number) => Object.entries(ctx.shareRanks).filter(([code, level]) => level >= rank && code !== ctx.country).map(([code]) => code);
  return {
    readsContent: readsContent(ctx),
    clearance: ctx.clearanceRank,
    country: ctx.country,
    assigned: ctx.assignedOperationIds,
    countryOperations: ctx.countryOperationIds,
    share0: share(0),
    share1: share(1),
    share2: share(2),
    share3: share(3),
  };
}

export function peerToken(ctx: OfficerContext, secret: string): Promise<string> {
  return new SignJWT(peerClaims(ctx))
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(ctx.officerId)
    .setIssuedAt()
    .setExpirationTime('12h')
    .sign(new TextEncoder().encode(secret));
}
