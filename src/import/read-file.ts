import { createReadStream } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import StreamObject from 'stream-json/streamers/StreamObject';
import { importProblemsError } from './validate';

export interface ReadOptions {
  /**
   * Files larger than this are parsed as a stream. V8 strings stop near 512 MB, and a file read
   * whole is held twice (text and objects); below the limit JSON.parse is several times faster.
   */
  streamAbove?: number;
}

export const DEFAULT_STREAM_ABOVE = 256 * 1024 * 1024;

/** The parsed file, not yet validated: pass it to validateImport or importFile. */
export async function readImportFile(path: string, options: ReadOptions = {}): Promise<unknown> {
  const { size } = await stat(path);
  if (size <= (options.streamAbove ?? DEFAULT_STREAM_ABOVE)) {
    const text = await readFile(path, 'utf8');
    try {
      return JSON.parse(text) as unknown;
    } catch (error) {
      throw malformed((error as Error).message);
    }
  }
  return streamSections(path);
}

/** Assembles one top-level section at a time, so no string ever holds more than one token. */
function streamSections(path: string): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const file: Record<string, unknown> = {};
    const pipeline = createReadStream(path, { highWaterMark: 1 << 20 }).pipe(StreamObject.withParser());
    pipeline.on('data', ({ key, value }: { key: string; value: unknown }) => {
      file[key] = value;
    });
    pipeline.on('end', () => resolve(file));
    pipeline.on('error', (error: Error) => reject(malformed(error.message)));
  });
}

function malformed(detail: string): Error {
  return importProblemsError([{ record: 'file', field: '', message: `is not valid JSON (${detail})` }]);
}
