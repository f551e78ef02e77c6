import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules/', 'dist/', '.local/', 'bench/out/', 'test/generated/', 'web/dist/', 'test-artifacts/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      // Rooms and doors: only the graph layer talks to the driver.
      'no-restricted-imports': 'off',
    },
  },
  {
    files: ['src/resolvers/**/*.ts', 'src/policy/**/*.ts', 'src/subscriptions/**/*.ts', 'src/auth/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { paths: [{ name: 'neo4j-driver', message: 'Cypher and the driver live in src/graph/ only.' }] }],
    },
  },
);
