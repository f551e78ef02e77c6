import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { HubError } from '../../src/errors';
import { generateImport } from '../../src/import/generate';
import { readImportFile } from '../../src/import/read-file';

const dir = mkdtempSync(path.join(os.tmpdir(), 'ison-read-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function write(name: string, text: string): string {
  const file = path.join(dir, name);
  writeFileSync(file, text);
  return file;
}

describe('readImportFile', () => {
  const generated = generateImport({ scale: 'S', seed: 3 });
  const file = write('s.json', JSON.stringify(generated));

  it('reads a file whole below the streaming threshold', async () => {
    expect(await readImportFile(file)).toEqual(generated);
  });

  it('reads the same data as a stream above it', async () => {
    expect(await readImportFile(file, { streamAbove: 0 })).toEqual(generated);
  });

  for (const streamAbove of [undefined, 0]) {
    it(`rejects malformed JSON, naming the file (${streamAbove === 0 ? 'streamed' : 'whole'})`, async () => {
      const bad = write('bad.json', '{"countries": [{"code": "BR", "name": "Brazil"},]}');
      const error = await readImportFile(bad, { streamAbove }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(HubError);
      expect((error as HubError).extensions.code).toBe('BAD_USER_INPUT');
      expect((error as HubError).extensions.problems).toEqual([
        { record: 'file', field: '', message: expect.stringContaining('is not valid JSON') },
      ]);
    });
  }
});
