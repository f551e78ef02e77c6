import { ApolloServer } from '@apollo/server';
import { startStandaloneServer } from '@apollo/server/standalone';
import { ApolloGateway, IntrospectAndCompose, RemoteGraphQLDataSource, type GraphQLDataSourceProcessOptions } from '@apollo/gateway';

/**
 * A partner's gateway, as the README shows it: composes the subgraphs by introspection and
 * forwards the end user's Authorization header to every subgraph, so the hub applies the
 * sharing rule to the user and not to the gateway.
 */
export interface GatewayContext {
  authorization?: string;
}

export class AuthForwardingDataSource extends RemoteGraphQLDataSource<GatewayContext> {
  override willSendRequest({ request, context }: GraphQLDataSourceProcessOptions<GatewayContext>): void {
    // Composition (`_service { sdl }`) runs with an empty context: no user, no header.
    if (context.authorization) request.http?.headers.set('authorization', context.authorization);
  }
}

export interface TestGateway {
  url: string;
  query<T = Record<string, unknown>>(token: string | null, query: string, variables?: Record<string, unknown>): Promise<GatewayResponse<T>>;
  stop(): Promise<void>;
}

export interface GatewayResponse<T> {
  status: number;
  data?: T | null;
  errors?: { message: string; extensions?: { code?: string; [key: string]: unknown }; path?: (string | number)[] }[];
}

export async function startGateway(subgraphs: { name: string; url: string }[]): Promise<TestGateway> {
  const gateway = new ApolloGateway({
    supergraphSdl: new IntrospectAndCompose({ subgraphs }),
    buildService: ({ url }) => new AuthForwardingDataSource({ url }),
  });
  const server = new ApolloServer<GatewayContext>({ gateway });
  const { url } = await startStandaloneServer(server, {
    listen: { port: 0, host: '127.0.0.1' },
    context: async ({ req }) => ({ authorization: req.headers.authorization }),
  });
  return {
    url,
    async query(token, query, variables) {
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
        body: JSON.stringify({ query, variables }),
      });
      const body = (await response.json()) as GatewayResponse<never>;
      return { status: response.status, data: body.data, errors: body.errors };
    },
    stop: () => server.stop(),
  };
}
