import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/**
 * Builds the board and the explorer into web/dist (`npm run web:build`; `npm start` and
 * `npm test` run it first). It skips the build when web/dist was made from exactly the current
 * sources and lockfile, so it costs nothing when nothing changed; `--force` builds regardless.
 */
export const WEB_ROOT = __dirname;
export const WEB_DIST = path.join(WEB_ROOT, 'dist');
const STAMP = path.join(WEB_DIST, '.build-stamp');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir)
    .filter((name) => name !== 'dist' && name !== 'node_modules')
    .flatMap((name) => {
      const full = path.join(dir, name);
      return statSync(full).isDirectory() ? sourceFiles(full) : [full];
    })
    .sort();
}

export function sourceHash(): string {
  const hash = createHash('sha256');
  for (const file of [...sourceFiles(WEB_ROOT), path.join(WEB_ROOT, '..', 'package-lock.json')]) {
    hash.update(path.relative(WEB_ROOT, file)).update('\0').update(readFileSync(file)).update('\0');
  }
  return hash.digest('hex');
}

export function isBuilt(): boolean {
  return existsSync(STAMP) && readFileSync(STAMP, 'utf8') === sourceHash();
}

export async function buildWeb(options: { force?: boolean } = {}): Promise<'built' | 'current'> {
  if (!options.force && isBuilt()) return 'current';
  const hash = sourceHash();
  const { build } = await import('vite');
  await build({ configFile: path.join(WEB_ROOT, 'vite.config.mts'), mode: 'production' });
  writeFileSync(STAMP, hash);
  return 'built';
}

if (require.main === module) {
  const started = Date.now();
  buildWeb({ force: process.argv.includes('--force') })
    .then((result) => console.error(`web: ${result === 'built' ? `built into web/dist in ${((Date.now() - started) / 1000).toFixed(1)} s` : 'web/dist is current'}`))
    .catch((error: unknown) => {
      console.error(error);
      process.exit(1);
    });
}
