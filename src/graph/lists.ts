import type { Db } from './db';
import { recordOf } from './columns';
import { countStatement, pageStatement, type ListSpec, type PageArgs } from './paging';

/** Runs batched pages and counts of one list under many parents (see paging.ts). */

export interface PageEntry<T> {
  row: T;
  cursorKey: unknown[];
  /** The row's embedded children, when its spec has `include`. */
  include?: Record<string, unknown>;
}

export interface BatchedPage<T> {
  entries: PageEntry<T>[];
  hasNextPage: boolean;
}

export async function loadPages<T>(
  db: Db,
  spec: ListSpec,
  parents: readonly string[],
  page: PageArgs,
): Promise<BatchedPage<T>[]> {
  const rows = await db.read<RawPage>(pageStatement(spec, [...parents], page));
  return batchedPages(decodedPages<T>(rows, spec), parents, page);
}

/** A parent's page as `pageBody` collects it. */
export interface RawPage {
  parent: string;
  rows: RawEntry[];
}

/** Each parent's raw page of `spec` with its entries as `PageEntry`s. */
export function decodedPages<T>(pages: readonly RawPage[], spec: Pick<ListSpec, 'rowColumns'>): { parent: string; rows: PageEntry<T>[] }[] {
  return pages.map((p) => ({ parent: p.parent, rows: pageEntries<T>(p.rows, spec) }));
}

/** An entry as `pageBody` collects it: `[row, cursorKey]`, or `[row, cursorKey, include]`. */
export type RawEntry = [unknown, unknown[], Record<string, unknown>?];

/** `pageBody`'s entries of `spec` as `PageEntry`s; a list row becomes its record. */
function pageEntries<T>(raw: readonly RawEntry[], spec: Pick<ListSpec, 'rowColumns'>): PageEntry<T>[] {
  const names = spec.rowColumns;
  return raw.map(([row, cursorKey, include]) => {
    const entry: PageEntry<T> = { row: (names ? recordOf<T>(names, row as unknown[]) : row) as T, cursorKey };
    if (include) entry.include = include;
    return entry;
  });
}

/** Pages by parent from `{ parent, rows }` of `pageBody` (which reads one row beyond the page). */
export function batchedPages<T>(rows: { parent: string; rows: PageEntry<T>[] }[], parents: readonly string[], page: PageArgs): BatchedPage<T>[] {
  const byParent = new Map(rows.map((row) => [row.parent, row.rows]));
  return parents.map((parent) => {
    const entries = byParent.get(parent) ?? [];
    return { entries: entries.slice(0, page.first), hasNextPage: entries.length > page.first };
  });
}

export async function loadCounts(db: Db, spec: ListSpec, parents: readonly string[]): Promise<number[]> {
  const rows = await db.read<{ parent: string; total: number }>(countStatement(spec, [...parents]));
  const byParent = new Map(rows.map((row) => [row.parent, row.total]));
  return parents.map((parent) => byParent.get(parent) ?? 0);
}
