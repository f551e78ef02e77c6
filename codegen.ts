import type { CodegenConfig } from '@graphql-codegen/cli';

/**
 * Typed documents for the operations in schema/operations/ (the README's examples and the
 * tests' documents), from the committed subgraph SDL. `npm run codegen`; a test checks that the
 * committed output is current.
 */
const config: CodegenConfig = {
  schema: 'schema/hub.graphql',
  documents: 'schema/operations/*.graphql',
  generates: {
    'test/generated/operations.ts': {
      plugins: ['typescript-operations', 'typed-document-node'],
      config: { enumsAsTypes: true, scalars: { DateTime: 'string' }, useTypeImports: true },
    },
  },
  hooks: {},
};

export default config;
