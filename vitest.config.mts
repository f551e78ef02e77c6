import path from 'node:path';
import swc from 'unplugin-swc';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  plugins: [
    // esbuild emits no decorator metadata; swc does, as type-graphql expects.
    swc.vite({
      jsc: {
        parser: { syntax: 'typescript', decorators: true },
        transform: { legacyDecorator: true, decoratorMetadata: true },
        target: 'es2022',
      },
    }),
  ],
  resolve: {
    // One copy of graphql: otherwise ESM and CJS builds meet ("another module or realm").
    alias: { graphql: path.resolve('node_modules/graphql/index.js') },
  },
  test: {
    globalSetup: ['test/support/global-setup.ts'],
    include: ['test/**/*.test.ts'],
    // Files share one Neo4j database; they isolate by data (unique ids), and run one at a time
    // because two cores are all CI has.
    fileParallelism: false,
    testTimeout: 60_000,
    hookTimeout: 180_000,
    pool: 'forks',
  },
});
