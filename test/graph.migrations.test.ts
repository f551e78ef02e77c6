import { describe, expect, it } from 'vitest';
import { MIGRATIONS, migrate } from '../src/graph/migrations';
import { testDb } from './support/db';

describe('migrations', () => {
  it('create every constraint and index, and running them again changes nothing', async () => {
    const db = await testDb();
    const count = async () =>
      (await db.read<{ n: number }>({ cypher: 'SHOW INDEXES YIELD name RETURN count(*) AS n' }))[0].n;
    await migrate(db);
    const before = await count();
    await migrate(db);
    expect(await count()).toBe(before);
    const names = (await db.read<{ name: string }>({ cypher: 'SHOW INDEXES YIELD name RETURN name' })).map(
      (row) => row.name,
    );
    for (const statement of MIGRATIONS.filter((s) => s.startsWith('CREATE'))) {
      const name = /(?:CONSTRAINT|INDEX) (\w+)/.exec(statement)![1];
      expect(names).toContain(name);
    }
  });
});
