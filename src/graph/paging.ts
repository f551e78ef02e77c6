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
  /** A map expression over `alias` returned for each row. */
  projection: string;
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

function afterCondition(spec: ListSpec): string {
  // (k1 < a0) OR (k1 = a0 AND k2 < a1) OR ... for descending keys; > for ascending.
  const terms = spec.orderBy.map((key, index) => {
    const value = (sortKey: SortKey, j: number) => (sortKey.datetime ? `datetime($after[${j}])` : `$after[${j}]`);
    const equal = spec.orderBy.slice(0, index).map((prior, j) => `${prior.expr} = ${value(prior, j)}`);
    const beyond = `${key.expr} ${key.desc ? '<' : '>'} ${value(key, index)}`;
    return `(${[...equal, beyond].join(' AND ')})`;
  });
  return `($after IS NULL OR ${terms.join(' OR ')})`;
}

function whereClause(conditions: string[]): string {
  const active = conditions.filter((condition) => condition.trim() !== '' && condition.trim() !== 'true');
  return active.length ? `WHERE ${active.join('\n  AND ')}` : '';
}

/** Each entry is `{ row, cursorKey }`: the sort values, to be encoded as the cursor. */
export function pageStatement(spec: ListSpec, parents: string[], page: PageArgs): Statement {
  const order = spec.orderBy.map((key) => `${key.expr}${key.desc ? ' DESC' : ''}`).join(', ');
  const keys = spec.orderBy.map((key) => key.expr).join(', ');
  return {
    cypher: `UNWIND $parents AS parent
CALL (parent) {
  ${spec.match}
  ${whereClause([...spec.where, afterCondition(spec)])}
  WITH ${spec.alias} ORDER BY ${order} LIMIT $limit
  RETURN collect({row: ${spec.projection}, cursorKey: [${keys}]}) AS rows
}
RETURN parent, rows`,
    params: { ...spec.params, parents, after: page.after, limit: page.first + 1 },
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
): Statement {
  return {
    cypher: `UNWIND $ids AS id
MATCH (${alias}:${label} {id: id})
WHERE ${visible}
RETURN ${projection} AS row`,
    params: { ids, policy },
  };
}
