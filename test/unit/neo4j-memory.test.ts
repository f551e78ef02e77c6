import { describe, expect, it } from 'vitest';
import { recommendMemory } from '../../src/graph/neo4j-memory';

const GiB = 1024 ** 3;

describe('local Neo4j memory sizing', () => {
  it('on a dedicated 16 GiB machine with a large store, leaves the OS ~4 GiB and splits the rest into ~5 GiB heap and ~7 GiB page cache', () => {
    const { heapMb, pageCacheMb } = recommendMemory(16 * GiB, 50 * GiB);
    expect(heapMb).toBe(4915);
    expect(pageCacheMb).toBe(7373);
  });

  it('gives the page cache the store plus room to grow, not more, when the store is small', () => {
    expect(recommendMemory(24 * GiB, 1.5 * GiB).pageCacheMb).toBe(Math.round(1.5 * 1024 * 1.2 + 512));
    expect(recommendMemory(24 * GiB, 0).pageCacheMb).toBe(512);
  });
});
