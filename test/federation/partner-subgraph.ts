import { readFileSync } from 'node:fs';
import path from 'node:path';
import { ApolloServer } from '@apollo/server';
import { startStandaloneServer } from '@apollo/server/standalone';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { parse } from 'graphql';

/**
 * A sample partner subgraph, as a partner organisation would run it next to the hub: its own
 * data (victims assisted per operation, assistance cases), keyed by the hub's entities.
 * It records the Authorization header of every request, so tests can see what the gateway sent.
 */
export const PARTNER_SDL = readFileSync(path.join(__dirname, 'partner-sample.graphql'), 'utf8');

export interface PartnerData {
  victimsAssisted: Record<string, number>;
  cases: { id: string; victims: number; countryCode: string; operationId: string | null; referralId: string | null }[];
}

export interface PartnerSubgraph {
  url: string;
  /** The Authorization header of each request received, in order (null when absent). */
  authorizations: (string | null)[];
  stop(): Promise<void>;
}

export async function startPartnerSubgraph(data: PartnerData): Promise<PartnerSubgraph> {
  const resolvers = {
    Query: {
      assistanceCases: () => data.cases,
    },
    Operation: {
      __resolveReference: (reference: { id: string }) => ({ id: reference.id }),
      victimsAssisted: (operation: { id: string }) => data.victimsAssisted[operation.id] ?? null,
    },
    AssistanceCase: {
      __resolveReference: (reference: { id: string }) => data.cases.find((c) => c.id === reference.id) ?? null,
      country: (c: PartnerData['cases'][number]) => ({ code: c.countryCode }),
      operation: (c: PartnerData['cases'][number]) => (c.operationId ? { id: c.operationId } : null),
      referral: (c: PartnerData['cases'][number]) => (c.referralId ? { id: c.referralId } : null),
    },
  };
  const authorizations: (string | null)[] = [];
  const server = new ApolloServer<{ authorization: string | null }>({ schema: buildSubgraphSchema({ typeDefs: parse(PARTNER_SDL), resolvers }) });
  const { url } = await startStandaloneServer(server, {
    listen: { port: 0, host: '127.0.0.1' },
    context: async ({ req }) => {
      const authorization = req.headers.authorization ?? null;
      authorizations.push(authorization);
      return { authorization };
    },
  });
  return { url, authorizations, stop: () => server.stop() };
}
