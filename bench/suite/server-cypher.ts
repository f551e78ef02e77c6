import { loadConfig } from '../../src/config';
import { Db } from '../../src/graph/db';
import type { OfficerContext } from '../../src/policy/context';
import { itemPredicate, operationPredicate } from '../../src/policy/rule';
import { startReference } from '../reference-http';
import { referenceNetwork, referencePredicates, referenceSearch } from '../reference-statements';
import { serve } from './child';

/**
 * The limit: one hand-written Cypher statement per request, with the same sharing predicate
 * (src/policy/rule.ts) at every level, over the same driver and `Db`, behind a minimal
 * node:http handler. The token is verified and the officer's policy context cached exactly as
 * the hub does (PRINCIPAL_CACHE_MS); nothing is audited. Routes: POST /nested, /feed, /report,
 * /entities, /network2, /network3, /search with a JSON body of the scenario's variables; the
 * answer is `{ data: rows }`.
 */
const reportFields = (r: string) => `${r} { .id, .title, .classification, owner: {code: ${r}.ownerCode},
  subjects: COLLECT { MATCH (${r})-[:CONCERNS]->(s:Subject) WITH s ORDER BY s.id RETURN s { .id, .kind } } }`;

const STATEMENTS: Record<string, (ctx: OfficerContext) => string> = {
  nested: (ctx) => `MATCH (o:Operation) WHERE ${operationPredicate(ctx, 'o')}
WITH o ORDER BY o.id LIMIT $first
RETURN o { .id, .codename, participants: COLLECT {
  MATCH (c:Country)-[:PARTICIPATES_IN]->(o) WITH c ORDER BY c.code
  RETURN c { .code, .name, units: COLLECT {
    MATCH (u:Unit)-[:OF]->(c) WITH u ORDER BY u.name, u.id
    RETURN u { .id, .name, officers: COLLECT {
      MATCH (x:Officer)-[:MEMBER_OF]->(u) WITH x ORDER BY x.id LIMIT $officers RETURN x { .id, .name, .rank } } } } } } } AS row`,
  feed: (ctx) => `MATCH (r:IntelReport) WHERE r.createdAt IS NOT NULL AND ${itemPredicate(ctx, 'r')}
WITH r ORDER BY r.createdAt DESC, r.id DESC LIMIT $first
RETURN ${reportFields('r')} AS row`,
  report: (ctx) => `MATCH (r:IntelReport {id: $id}) WHERE ${itemPredicate(ctx, 'r')} RETURN ${reportFields('r')} AS row`,
  network2: (ctx) => referenceNetwork(ctx, 2),
  network3: (ctx) => referenceNetwork(ctx, 3),
  search: (ctx) => referenceSearch(referencePredicates(ctx)),
  entities: (ctx) => `UNWIND $ids AS id MATCH (r:IntelReport {id: id}) WHERE ${itemPredicate(ctx, 'r')} RETURN r { .id, .title, .classification } AS row`,
};

serve(async () => {
  const config = loadConfig();
  const db = new Db({ uri: config.neo4j.uri!, username: config.neo4j.username, password: config.neo4j.password, database: config.neo4j.database });
  const reference = await startReference(config, db, STATEMENTS, { column: 'row' });
  return {
    url: reference.url,
    async stop() {
      await reference.stop();
      await db.close();
    },
  };
});
