import neo4j, { type BookmarkManager } from 'neo4j-driver';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { signToken } from '../../src/auth/tokens';
import { loadConfig } from '../../src/config';
import { Db, dbOptions } from '../../src/graph/db';
import { importFile } from '../../src/graph/import';
import type { ImportFile } from '../../src/import/types';
import { startHub, type Hub } from '../../src/server';
import { testDb, uniquePrefix } from '../support/db';
import { worldBuilder } from '../support/world';

/**
 * Read-your-writes beyond one machine (issue 11, point 7): every session of a hub takes its
 * bookmarks from one bookmark manager, so a read begins with the bookmark of the hub's last
 * write — which is what makes a `neo4j://` cluster route it to a member that has applied that
 * write. Against the test run's single real Neo4j (no cluster is available here): the tests
 * show which bookmarks each transaction begins with; a single server trivially satisfies them.
 * Countries XD, XE belong to the resilience tests.
 */
const { id, members, officer } = worldBuilder(uniquePrefix('bookmarks'));

/** The driver's own manager, watched: what each transaction began with, what each commit returned. */
function watchedManager() {
  const inner = neo4j.bookmarkManager();
  const begunWith: string[][] = [];
  const committed: string[][] = [];
  const manager = {
    async getBookmarks() {
      const bookmarks = [...(await inner.getBookmarks())];
      begunWith.push(bookmarks);
      return bookmarks;
    },
    async updateBookmarks(previous: Iterable<string>, next: Iterable<string>) {
      committed.push([...next]);
      await inner.updateBookmarks(previous, next);
    },
  } satisfies BookmarkManager;
  return { manager, begunWith, committed };
}

const uri = () => inject('neo4jUri');

beforeAll(async () => {
  await importFile(await testDb(), {
    ...members(['XD', 'XE']),
    officers: [officer('dCoord', 'XD', ['COORDINATOR'])],
    operations: [{ id: id('op'), codename: 'BOOKMARKS', leadCountry: 'XD', status: 'ACTIVE', visibility: 'PARTICIPANTS', participants: [], assignments: [{ officer: id('dCoord') }] }],
  } as ImportFile);
});

describe('bookmarks', () => {
  it("a read transaction begins with the bookmark of the same Db's last write", async () => {
    const watched = watchedManager();
    const db = new Db({ uri: uri(), username: 'neo4j', password: 'neo4j', bookmarkManager: watched.manager });
    try {
      const marker = uniquePrefix('bm');
      await db.write({ cypher: 'CREATE (:BookmarkProbe {id: $marker})', params: { marker } });
      const written = watched.committed.at(-1)!;
      expect(written).toHaveLength(1);
      watched.begunWith.length = 0;
      const rows = await db.read<{ n: number }>({ cypher: 'MATCH (p:BookmarkProbe {id: $marker}) RETURN count(p) AS n', params: { marker } });
      expect(rows).toEqual([{ n: 1 }]);
      expect(watched.begunWith.length).toBeGreaterThan(0);
      for (const bookmarks of watched.begunWith) expect(bookmarks).toEqual(expect.arrayContaining(written));
      await db.write({ cypher: 'MATCH (p:BookmarkProbe {id: $marker}) DELETE p', params: { marker } });
    } finally {
      await db.close();
    }
  });

  it('a Db without a manager of its own still shares one across its sessions (the driver’s)', async () => {
    const db = new Db({ uri: uri(), username: 'neo4j', password: 'neo4j' });
    try {
      expect([...(await db.bookmarks.getBookmarks())]).toEqual([]);
      await db.write({ cypher: 'CREATE (p:BookmarkProbe {id: $marker}) DELETE p', params: { marker: uniquePrefix('bm') } });
      expect([...(await db.bookmarks.getBookmarks())]).toHaveLength(1);
    } finally {
      await db.close();
    }
  });

  describe('through the hub', () => {
    let hub: Hub, db: Db, token: string;
    const watched = watchedManager();

    beforeAll(async () => {
      const config = loadConfig({ ...process.env, PORT: '0', LOG_LEVEL: 'silent', NEO4J_URI: uri() });
      db = new Db({ ...dbOptions(config), bookmarkManager: watched.manager });
      hub = await startHub({ config, db, log: pino({ level: 'silent' }) });
      token = await signToken(config, id('dCoord'));
    });
    afterAll(async () => {
      await hub?.stop();
      await db?.close();
    });

    const gql = async (query: string, variables: Record<string, unknown>) =>
      (await (
        await fetch(hub.url, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify({ query, variables }) })
      ).json()) as { data?: Record<string, never>; errors?: unknown[] };

    it("the next request's reads begin with the bookmark of the mutation the hub just committed, and see it", async () => {
      const post = await gql(
        'mutation($op: ID!, $input: OperationUpdateInput!) { postOperationUpdate(operationId: $op, input: $input) { id } }',
        { op: id('op'), input: { id: id('u1'), kind: 'CHECK', text: 'seen at once', classification: 'OFFICIAL' } },
      );
      expect(post.errors).toBeUndefined();
      // The last commit so far is the mutation's (or its audit batch's, committed after it).
      const afterMutation = watched.committed.at(-1)!;
      watched.begunWith.length = 0;
      const read = await gql('query($op: ID!) { operation(id: $op) { updates(first: 5) { edges { node { id text } } } } }', { op: id('op') });
      expect(read.errors).toBeUndefined();
      expect(read.data).toEqual({ operation: { updates: { edges: [{ node: { id: id('u1'), text: 'seen at once' } }] } } });
      expect(watched.begunWith.length).toBeGreaterThan(0);
      expect(watched.begunWith[0]).toEqual(expect.arrayContaining(afterMutation));
    });
  });
});
