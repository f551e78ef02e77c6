import { ApolloServer } from '@apollo/server';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { buildSchema } from 'graphql';
import { NotFoundError } from '../../src/errors';
import { formatError } from '../../src/server/errors';

/** The error formatter the hub installs, on a real Apollo Server. */
describe('error masking', () => {
  const schema = buildSchema('type Query { broken: String  missing: String }');
  const logged: unknown[] = [];
  const log = pino({ level: 'error' }, { write: (line: string) => logged.push(JSON.parse(line)) });
  const server = new ApolloServer({
    schema,
    rootValue: {
      broken: () => {
        throw new Error('Neo.ClientError.Statement.SyntaxError at line 3: secret internals');
      },
      missing: () => {
        throw new NotFoundError('intel report', 'r-1');
      },
    },
    formatError: formatError(log, () => 'req-42'),
  });

  it('masks an unexpected error as INTERNAL_SERVER_ERROR, with the request id, and logs the cause', async () => {
    const res = await server.executeOperation({ query: '{ broken }' });
    const body = res.body.kind === 'single' ? res.body.singleResult : null;
    expect(body?.errors?.[0]).toMatchObject({ message: 'Internal server error', extensions: { code: 'INTERNAL_SERVER_ERROR', requestId: 'req-42' } });
    expect(JSON.stringify(body?.errors)).not.toContain('secret internals');
    expect(JSON.stringify(logged)).toContain('secret internals');
    expect(JSON.stringify(logged)).toContain('req-42');
  });

  it('passes an error thrown on purpose through with its code', async () => {
    const res = await server.executeOperation({ query: '{ missing }' });
    const body = res.body.kind === 'single' ? res.body.singleResult : null;
    expect(body?.errors?.[0]).toMatchObject({ message: 'intel report "r-1" not found', extensions: { code: 'NOT_FOUND' } });
  });
});
