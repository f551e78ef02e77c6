import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

/**
 * The operations board and the GraphQL explorer, built into web/dist, which the hub serves at
 * /board (src/server/board.ts). Everything is bundled: the pages load nothing from any other host.
 */
const here = path.dirname(fileURLToPath(import.meta.url));

export default defineConfig({
  root: here,
  base: '/board/',
  // No public folder and no env files: what ships is what the bundle imports.
  publicDir: false,
  envDir: false,
  logLevel: 'warn',
  resolve: {
    // One copy of graphql for GraphiQL, its language service and graphql-ws.
    dedupe: ['graphql', 'react', 'react-dom'],
  },
  build: {
    outDir: path.join(here, 'dist'),
    emptyOutDir: true,
    // The explorer bundles GraphiQL and CodeMirror; the warning is about size, which is expected.
    chunkSizeWarningLimit: 4000,
    rollupOptions: {
      // React libraries mark modules "use client", which means nothing in a plain bundle.
      onwarn(warning, warn) {
        if (warning.code !== 'MODULE_LEVEL_DIRECTIVE') warn(warning);
      },
      input: {
        board: path.join(here, 'index.html'),
        explorer: path.join(here, 'explorer.html'),
      },
    },
  },
});
