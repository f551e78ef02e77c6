import type { Statement } from './db';

/**
 * Keyset pagination, batched over parents: one statement answers the page (or the count) of
 * the same list under many parents (`$parents`), so nested connections cost one round trip
 * per level, not one per parent. The root list is the case of a single parent `''` that its MATCH ignores.
 */
export interface ListSpec {
  /** MATCH clause(s); may use `parent`. The listed node is bound to `alias`. */
  match: string;
  alias: string;
  /** Conditions joined with AND, including the policy predicate. */
  where: string[];
  /** Sort keys, most significant first; together they must be unique. */
  orderBy: SortKey[];
  /** A map expression over `alias` returned for each row; a list of values when `rowColumns` names them. */
  projection: string;
  /** The names of the values of a list `projection`, in order (columns.ts, `listProjectionOf`). */
  rowColumns?: readonly string[];
  /**
   * Expressions over `alias` returned beside each row as the entry's `include` map: the
   * children a request has selected, embedded so they cost no statement of their own
   * (src/graph/includes.ts). Absent: entries carry no `include`.
   */
  include?: Record<string, string>;
  params: Record<string, unknown>;
}

export interface SortKey {
  expr: string;
  desc: boolean;
  /** Datetime keys travel in cursors as ISO strings and are compared as datetimes. */
  datetime?: boolean;
}

export interface PageArgs {
  first: number;
  /** Decoded cursor: the sort key values of the last row seen. */
  after: unknown[] | null;
}

function afterCondition(spec: ListSpec, after: string): string {
  // (k1 < a0) OR (k1 = a0 AND k2 < a1) OR ... for descending keys; > for ascending.
  const terms = spec.orderBy.map((key, index) => {
    const value = (sortKey: SortKey, j: number) => (sortKey.datetime ? `datetime(${after}[${j}])` : `${after}[${j}]`);
    const equal = spec.orderBy.slice(0, index).map((prior, j) => `${prior.expr} = ${value(prior, j)}`);
    const beyond = `${key.expr} ${key.desc ? '<' : '>'} ${value(key, index)}`;
    return `(${[...equal, beyond].join(' AND ')})`;
  });
  return `(${after} IS NULL OR ${terms.join(' OR ')})`;
}

function whereClause(conditions: string[]): string {
  const active = conditions.filter((condition) => condition.trim() !== '' && condition.trim() !== 'true');
  return active.length ? `WHERE ${active.join('\n  AND ')}` : '';
}

/**
 * The body of one parent's page (`parent` bound): the first `first + 1` rows after the cursor,
 * collected as `rows`, each entry the list `[row, cursorKey, include]` (src/graph/lists.ts,
 * `pageEntries`, makes them `PageEntry`s): a page of thousands of entries costs the driver no
 * map keys. Its own parameters are `$<prefix>after` and `$<prefix>limit`, so a statement can
 * hold pages of several lists (see `scopedSpec` for the spec's parameters).
 */
export function pageBody(spec: ListSpec, prefix = ''): string {
  const order = spec.orderBy.map((key) => `${key.expr}${key.desc ? ' DESC' : ''}`).join(', ');
  // A datetime key as Neo4j writes it (ISO 8601, exact to the nanosecond): no driver temporal to decode.
  const keys = spec.orderBy.map((key) => (key.datetime ? `toString(${key.expr})` : key.expr)).join(', ');
  const include = spec.include ? `, ${includeMap(spec.include)}` : '';
  return `${spec.match}
  ${whereClause([...spec.where, afterCondition(spec, `$${prefix}after`)])}
  WITH ${spec.alias} ORDER BY ${order} LIMIT $${prefix}limit
  RETURN collect([${spec.projection}, [${keys}]${include}]) AS rows`;
}

/** The parameters `pageBody(spec, prefix)` reads. */
export function pageParams(spec: ListSpec, page: PageArgs, prefix = ''): Record<string, unknown> {
  return { ...spec.params, [`${prefix}after`]: page.after, [`${prefix}limit`]: page.first + 1 };
}

/**
 * The same list with every parameter it names renamed `$<prefix><name>`, so its page can sit in
 * a statement beside another list's (both may name `$filter`). Spec texts hold no `$` but
 * parameters.
 */
export function scopedSpec(spec: ListSpec, prefix: string): ListSpec {
  const rename = (text: string) => text.replace(/\$([A-Za-z_][A-Za-z0-9_]*)/g, (_match, name: string) => `$${prefix}${name}`);
  return {
    ...spec,
    match: rename(spec.match),
    where: spec.where.map(rename),
    orderBy: spec.orderBy.map((key) => ({ ...key, expr: rename(key.expr) })),
    projection: rename(spec.projection),
    include: spec.include && Object.fromEntries(Object.entries(spec.include).map(([name, expr]) => [name, rename(expr)])),
    params: Object.fromEntries(Object.entries(spec.params).map(([name, value]) => [`${prefix}${name}`, value])),
  };
}

/** Each parent's `rows` as `pageBody` collects them. */
export function pageStatement(spec: ListSpec, parents: string[], page: PageArgs): Statement {
  return {
    cypher: `UNWIND $parents AS parent
CALL (parent) {
  ${pageBody(spec)}
}
RETURN parent, rows`,
    params: { ...pageParams(spec, page), parents },
  };
}

export function countStatement(spec: ListSpec, parents: string[]): Statement {
  return {
    cypher: `UNWIND $parents AS parent
CALL (parent) {
  ${spec.match}
  ${whereClause(spec.where)}
  RETURN count(${spec.alias}) AS total
}
RETURN parent, total`,
    params: { ...spec.params, parents },
  };
}

export { whereClause };

/**
 * Nodes of one label by id, each only where `visible` (a policy predicate over `alias`) holds:
 * the shape of every batched by-id loader. `$policy` is the reader's policy parameter.
 */
export function visibleByIdsStatement(
  label: string,
  alias: string,
  visible: string,
  projection: string,
  ids: readonly string[],
  policy: Record<string, unknown>,
  include?: Record<string, string>,
): Statement {
  return {
    cypher: `UNWIND $ids AS id
MATCH (${alias}:${label} {id: id})
WHERE ${visible}
RETURN ${projection} AS row${include ? `, ${includeMap(include)} AS include` : ''}`,
    params: { ids, policy },
  };
}

/** `{name: expr, …}`: the `include` map of a row (ListSpec.include). */
function includeMap(include: Record<string, string>): string {
  return `{${Object.entries(include).map(([name, expr]) => `${name}: ${expr}`).join(', ')}}`;
}
