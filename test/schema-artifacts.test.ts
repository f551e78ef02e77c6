import { readFileSync } from 'node:fs';
import path from 'node:path';
import { generate } from '@graphql-codegen/cli';
import { describe, expect, it } from 'vitest';
import { hubSdl } from '../src/resolvers/schema';
import codegenConfig from '../codegen';

/** The committed artifacts match the code: a change to the schema shows up in review. */
describe('schema artifacts', () => {
  const root = path.resolve(__dirname, '..');

  it('schema/hub.graphql is the SDL the code builds (run `npm run schema` after changing the schema)', async () => {
    expect(readFileSync(path.join(root, 'schema/hub.graphql'), 'utf8')).toBe(await hubSdl());
  });

  it('test/generated/operations.ts is what codegen makes of schema/operations (run `npm run codegen`)', async () => {
    const outputs = (await generate({ ...codegenConfig, cwd: root, silent: true }, false)) as { filename: string; content: string }[];
    expect(outputs).toHaveLength(1);
    expect(readFileSync(path.join(root, 'test/generated/operations.ts'), 'utf8')).toBe(outputs[0].content);
  });
});
