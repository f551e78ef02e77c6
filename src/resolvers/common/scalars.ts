import { DateTimeResolver } from 'graphql-scalars';

/** ISO 8601 date-time (RFC 3339). Inputs arrive as Date; the graph layer stores UTC. */
export const DateTimeScalar = DateTimeResolver;

export function toIso(value: Date | string | null | undefined): string | null {
  if (value === null || value === undefined) return null;
  return value instanceof Date ? value.toISOString() : new Date(value).toISOString();
}
