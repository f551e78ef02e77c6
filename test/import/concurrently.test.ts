import { describe, expect, it } from 'vitest';
import { eachConcurrently } from '../../src/graph/import';

const tick = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 5));

describe('eachConcurrently', () => {
  it('runs every item, never more than the limit at a time', async () => {
    let running = 0;
    let most = 0;
    const done: number[] = [];
    await eachConcurrently([1, 2, 3, 4, 5], 2, async (item) => {
      most = Math.max(most, ++running);
      await tick();
      running--;
      done.push(item);
    });
    expect(done.sort()).toEqual([1, 2, 3, 4, 5]);
    expect(most).toBe(2);
  });

  it('starts nothing after a failure, waits for the item under way, and throws the failure', async () => {
    const started: number[] = [];
    const finished: number[] = [];
    const run = eachConcurrently([1, 2, 3, 4], 2, async (item) => {
      started.push(item);
      if (item === 1) throw new Error('batch 1 failed');
      await tick();
      finished.push(item);
    });
    await expect(run).rejects.toThrow('batch 1 failed');
    expect(started).toEqual([1, 2]);
    expect(finished).toEqual([2]);
  });
});
