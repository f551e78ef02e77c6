import { copyFileSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { composeServices } from '@apollo/composition';
import { CriticalityLevel, diff, type Change } from '@graphql-inspector/core';
import { buildASTSchema, parse, type GraphQLSchema } from 'graphql';
import { PARTNER_SDL } from './partner-subgraph';

/**
 * Schema stability (`npm run schema:check`, and test/federation/schema-stability.test.ts):
 * - the hub's subgraph SDL composes with a representative partner subgraph;
 * - it has no BREAKING change against schema/baseline.graphql, the contract partners built on.
 * A breaking change is acknowledged by updating the baseline in the same change
 * (`npm run schema:check -- --accept`), so it shows up in review.
 */
const ROOT = path.resolve(__dirname, '..', '..');
export const HUB_SDL_FILE = path.join(ROOT, 'schema', 'hub.graphql');
export const BASELINE_FILE = path.join(ROOT, 'schema', 'baseline.graphql');

export interface Composition {
  errors: string[];
  hints: { code: string; message: string }[];
  supergraphSdl: string | undefined;
}

export function composeWith(hubSdl: string, others: { name: string; sdl: string }[] = [{ name: 'partner', sdl: PARTNER_SDL }]): Composition {
  const result = composeServices([
    { name: 'hub', typeDefs: parse(hubSdl), url: 'http://hub.invalid/graphql' },
    ...others.map(({ name, sdl }) => ({ name, typeDefs: parse(sdl), url: `http://${name}.invalid/graphql` })),
  ]);
  return {
    errors: (result.errors ?? []).map((error) => error.message),
    hints: (result.hints ?? []).map((hint) => ({ code: hint.definition.code, message: hint.message })),
    supergraphSdl: result.supergraphSdl,
  };
}

/** The subgraph SDL as a plain schema: its federation directives are defined in the SDL itself. */
function asSchema(sdl: string): GraphQLSchema {
  return buildASTSchema(parse(sdl), { assumeValidSDL: true });
}

export async function changesSince(baselineSdl: string, currentSdl: string): Promise<Change[]> {
  return diff(asSchema(baselineSdl), asSchema(currentSdl));
}

/**
 * Federation directives whose removal breaks partners: inspector calls it DANGEROUS for a plain
 * schema, but a partner subgraph that extends an entity, or shares a field, no longer composes.
 */
const CONTRACT_DIRECTIVES = new Set(['key', 'shareable']);

function removesContractDirective(change: Change): boolean {
  const meta = change.meta as { removedDirectiveName?: string } | undefined;
  return change.type.startsWith('DIRECTIVE_USAGE_') && CONTRACT_DIRECTIVES.has(meta?.removedDirectiveName ?? '');
}

export function breaking(changes: Change[]): Change[] {
  return changes.filter((change) => change.criticality.level === CriticalityLevel.Breaking || removesContractDirective(change));
}

async function main(): Promise<number> {
  const current = readFileSync(HUB_SDL_FILE, 'utf8');
  if (process.argv.includes('--accept')) {
    copyFileSync(HUB_SDL_FILE, BASELINE_FILE);
    console.log('schema/baseline.graphql now matches schema/hub.graphql: commit both, and tell the partners');
    return 0;
  }
  let failed = false;
  const composition = composeWith(current);
  for (const error of composition.errors) console.error(`composition error: ${error}`);
  for (const hint of composition.hints) console.log(`composition hint ${hint.code}: ${hint.message}`);
  failed ||= composition.errors.length > 0;
  const changes = await changesSince(readFileSync(BASELINE_FILE, 'utf8'), current);
  for (const change of changes) console.log(`${change.criticality.level.padEnd(12)} ${change.message}`);
  const broken = breaking(changes);
  if (broken.length > 0) {
    console.error(
      `${broken.length} breaking change(s) against schema/baseline.graphql. If intended, run ` +
        '`npm run schema:check -- --accept` and commit the baseline with the change.',
    );
    failed = true;
  }
  console.log(failed ? 'schema check failed' : `schema check passed: composes, ${changes.length} change(s), none breaking`);
  return failed ? 1 : 0;
}

if (require.main === module) {
  main().then(
    (code) => process.exit(code),
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
}
