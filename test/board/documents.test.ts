import { readFileSync } from 'node:fs';
import path from 'node:path';
import { buildSchema, parse, validate } from 'graphql';
import { describe, expect, it } from 'vitest';
import * as documents from '../../web/src/operations';

/** Every document the board sends is valid against the committed SDL: a schema change that breaks the board fails here. */
const sdl = readFileSync(path.resolve(__dirname, '..', '..', 'schema', 'hub.graphql'), 'utf8');
// The federation directives and scalars are declared in the SDL itself; buildSchema only needs it to be valid GraphQL.
const schema = buildSchema(sdl, { assumeValidSDL: true });

describe('the board documents', () => {
  const all = { ...documents.CORE_DOCUMENTS, ...documents.ANALYSIS_DOCUMENTS };
  for (const [name, source] of Object.entries(all)) {
    it(`${name} is valid against schema/hub.graphql`, () => {
      expect(validate(schema, parse(source)).map((e) => e.message)).toEqual([]);
    });
  }
});
