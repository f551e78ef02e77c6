import { BadInputError } from '../../errors';

/** An update's cursor is its position in the global update sequence, opaque to clients. */
export function updateCursor(seq: number): string {
  return Buffer.from(`u:${seq}`).toString('base64url');
}

export function parseUpdateCursor(cursor: string): number {
  const match = /^u:(\d{1,15})$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  if (!match) throw new BadInputError('after is not an update cursor', [{ field: 'after', message: 'invalid cursor' }]);
  return Number(match[1]);
}
