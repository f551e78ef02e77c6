import http from 'node:http';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginInlineTraceDisabled } from '@apollo/server/plugin/disabled';
import { expressMiddleware } from '@as-integrations/express5';
import { Neo4jGraphQL } from '@neo4j/graphql';
import express from 'express';
import neo4j from 'neo4j-driver';
import { argument, serve } from './child';
import { PEER_TYPE_DEFS } from './peer-schema';

/**
 * The peer: @neo4j/graphql 7.6.3 on the same Neo4j, with the schema of peer-schema.ts, as a
 * Federation 2 subgraph (so `_entities` exists), served by Apollo Server 5 over Express like
 * the hub. Its sharing filter reads the claims of a token the suite signs (see peer-schema.ts).
 */
serve(async () => {
  const driver = neo4j.driver(argument('uri'), neo4j.auth.basic('neo4j', 'neo4j'), {
    maxConnectionPoolSize: 100,
    // Its `_entities` sends one statement per representation at once: let them queue, not fail.
    connectionAcquisitionTimeout: 600_000,
  });
  const neoSchema = new Neo4jGraphQL({ typeDefs: PEER_TYPE_DEFS, driver, features: { authorization: { key: argument('secret') } } });
  const schema = await neoSchema.getSubgraphSchema();
  const apollo = new ApolloServer({ schema, introspection: false, plugins: [ApolloServerPluginInlineTraceDisabled()] });
  await apollo.start();
  const app = express();
  app.use(
    '/graphql',
    express.json({ limit: '1mb' }),
    expressMiddleware(apollo, { context: async ({ req }) => ({ token: req.headers.authorization }) }),
  );
  const server = http.createServer(app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${address.port}/graphql`,
    async stop() {
      await apollo.stop();
      server.close();
      await driver.close();
    },
  };
});
