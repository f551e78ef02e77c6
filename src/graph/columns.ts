/**
 * A record's columns: how each is read from its node, so a read can fetch only the columns its
 * request's selection reads (src/resolvers/common/lookahead.ts computes which). A record read
 * with some columns is cached apart from one read with all of them (src/graph/session.ts).
 */
export type ColumnReaders<C extends string> = Readonly<Record<C, (alias: string) => string>>;

/** A property of the same name. */
export const property = (name: string) => (alias: string) => `${alias}.${name}`;

/** Every column when `columns` is null or undefined, else `columns` and `always`, in the readers' order (one order per set, so one Cypher text). */
function chosenColumns<C extends string>(readers: ColumnReaders<C>, columns: readonly C[] | null | undefined, always: readonly C[]): C[] {
  const all = Object.keys(readers) as C[];
  return columns ? all.filter((c) => always.includes(c) || columns.includes(c)) : all;
}

/** The map projection of node `alias` (see `chosenColumns`). */
export function projectionOf<C extends string>(readers: ColumnReaders<C>, alias: string, columns: readonly C[] | null | undefined, always: readonly C[]): string {
  return `{ ${chosenColumns(readers, columns, always).map((c) => `${c}: ${readers[c](alias)}`).join(', ')} }`;
}

/**
 * The same record as a list of values, `rowColumns` in order: what a list of many records reads
 * (src/graph/paging.ts, `ListSpec.rowColumns`). The driver builds a map's keys for every record
 * it decodes, a list's never; the hub then builds each record with the same keys in the same order.
 */
export function listProjectionOf<C extends string>(
  readers: ColumnReaders<C>,
  alias: string,
  columns: readonly C[] | null | undefined,
  always: readonly C[],
): { projection: string; rowColumns: C[] } {
  const names = chosenColumns(readers, columns, always);
  return { projection: `[${names.map((c) => readers[c](alias)).join(', ')}]`, rowColumns: names };
}

/** The record a `listProjectionOf` list stands for. */
export function recordOf<T>(names: readonly string[], values: readonly unknown[]): T {
  const record: Record<string, unknown> = {};
  for (let i = 0; i < names.length; i += 1) record[names[i]] = values[i];
  return record as T;
}

/** The stable key of a column set (null: all), for the loaders' cache keys. */
export const columnsKey = (columns: readonly string[] | null | undefined) => (columns ? JSON.stringify(columns) : 'all');
