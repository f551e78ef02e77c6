/**
 * A record's columns: how each is read from its node, so a read can fetch only the columns its
 * request's selection reads (src/resolvers/common/lookahead.ts computes which). A record read
 * with some columns is cached apart from one read with all of them (src/graph/session.ts).
 */
export type ColumnReaders<C extends string> = Readonly<Record<C, (alias: string) => string>>;

/** A property of the same name. */
export const property = (name: string) => () => `.${name}`;

/**
 * The map projection of node `alias`: every column when `columns` is null or undefined, else
 * `columns` and `always`, in the readers' order (one order per set, so one Cypher text).
 */
export function projectionOf<C extends string>(readers: ColumnReaders<C>, alias: string, columns: readonly C[] | null | undefined, always: readonly C[]): string {
  const all = Object.keys(readers) as C[];
  const chosen = columns ? all.filter((c) => always.includes(c) || columns.includes(c)) : all;
  return `${alias} { ${chosen.map((c) => readers[c](alias)).join(', ')} }`;
}

/** The stable key of a column set (null: all), for the loaders' cache keys. */
export const columnsKey = (columns: readonly string[] | null | undefined) => (columns ? JSON.stringify(columns) : 'all');
