import type { ImportOptions } from '../src/graph/import';

/** An import progress callback that prints every batch slower than `ms`, with its section and position. */
export function slowBatches(ms = 10_000): NonNullable<ImportOptions['onProgress']> {
  let last = Date.now();
  return ({ section, done, total }) => {
    const now = Date.now();
    if (now - last > ms) console.log(`slow import batch: ${section} up to ${done} of ${total} took ${((now - last) / 1000).toFixed(1)} s`);
    last = now;
  };
}
