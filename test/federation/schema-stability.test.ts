import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { BASELINE_FILE, HUB_SDL_FILE, breaking, changesSince, composeWith } from './schema-check';

/**
 * The hub's schema as partners depend on it (`npm run schema:check` runs the same checks):
 * it composes into a supergraph, and it does not break the committed baseline.
 */
const hubSdl = readFileSync(HUB_SDL_FILE, 'utf8');

/** Another subgraph that serves the country directory too: the reason for the @shareable root fields. */
const DIRECTORY_SDL = `
extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key", "@shareable"])
type Country @key(fields: "code") { code: ID!  name: String! @shareable  flagUrl: String }
type Query { countries: [Country!]! @shareable  country(code: ID!): Country @shareable }
`;

const edit = (sdl: string, from: string, to: string) => {
  expect(sdl).toContain(from);
  return sdl.replace(from, to);
};

describe('composition', () => {
  it('the hub and the sample partner subgraph compose with no error and no hint', () => {
    const result = composeWith(hubSdl);
    expect(result.errors).toEqual([]);
    expect(result.hints).toEqual([]);
    expect(result.supergraphSdl).toContain('victimsAssisted: Int @join__field(graph: PARTNER)');
  });

  it('a third subgraph may serve the country directory as well: country, countries and Country.name are shareable', () => {
    const result = composeWith(hubSdl, [{ name: 'directory', sdl: DIRECTORY_SDL }]);
    expect(result.errors).toEqual([]);
    const unshared = edit(hubSdl, 'countries: [Country!]! @shareable', 'countries: [Country!]!');
    expect(composeWith(unshared, [{ name: 'directory', sdl: DIRECTORY_SDL }]).errors.join('\n')).toMatch(/Query\.countries/);
  });
});

describe('breaking changes against schema/baseline.graphql', () => {
  it('the current SDL breaks nothing in the baseline (acknowledge a break with `npm run schema:check -- --accept`)', async () => {
    const changes = breaking(await changesSince(readFileSync(BASELINE_FILE, 'utf8'), hubSdl));
    expect(changes.map((change) => change.message)).toEqual([]);
  });

  it('flags a removed field, a field made nullable, and a removed @key or @shareable as breaking', async () => {
    let changed = edit(hubSdl, '  codename: String!\n', '  codename: String\n');
    changed = edit(changed, '  objective: String\n', '');
    changed = edit(changed, 'type IntelReport\n  @key(fields: "id")\n', 'type IntelReport\n');
    changed = edit(changed, 'countries: [Country!]! @shareable', 'countries: [Country!]!');
    const messages = breaking(await changesSince(hubSdl, changed)).map((change) => change.message);
    expect(messages).toEqual(expect.arrayContaining([
      expect.stringMatching(/codename/),
      expect.stringMatching(/objective/),
      "Directive 'key' was removed from object 'IntelReport'",
      "Directive 'shareable' was removed from field 'Query.countries'",
    ]));
  });

  it('adding a field or a type is not breaking', async () => {
    const changed = edit(hubSdl, '  codename: String!\n', '  codename: String!\n  nickname: String\n');
    expect(breaking(await changesSince(hubSdl, `${changed}\ntype Extra { id: ID! }\n`))).toEqual([]);
  });
});
