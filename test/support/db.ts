import { inject } from 'vitest';
import { Db } from '../../src/graph/db';
import { migrate } from '../../src/graph/migrations';

let shared: Promise<Db> | undefined;

/** The test run's real Neo4j, migrated. One Db per test file (vitest forks per file). */
export function testDb(): Promise<Db> {
  shared ??= (async () => {
    const db = new Db({ uri: inject('neo4jUri'), username: 'neo4j', password: 'neo4j' });
    await db.verify();
    await migrate(db);
    return db;
  })();
  return shared;
}

/** A prefix that keeps one test's ids apart from every other test's. */
export function uniquePrefix(name: string): string {
  return `${name}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 7)}`;
}
