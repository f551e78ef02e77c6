import type { AccessEvent } from './audit';
import type { Db } from './db';
import { loadCounts, loadPages, type BatchedPage } from './lists';
import type { ListSpec, PageArgs } from './paging';
import { checkCursor } from './session';

/** An item's audit trail, newest first (index access_event_item on itemId, at). */
function accessLogSpec(itemId: string): ListSpec {
  return {
    match: 'MATCH (a:AccessEvent {itemId: $itemId})',
    alias: 'a',
    where: [],
    orderBy: [
      { expr: 'a.at', desc: true, datetime: true },
      { expr: 'a.id', desc: true },
    ],
    projection: `a { .id, .at, .officerId, .country, .itemId, .itemKind, .action, .outcome, .requestId, .detail,
      redactedFields: coalesce(a.redactedFields, []) }`,
    params: { itemId },
  };
}

/** Callers decide who may read it; this only reads. */
export function accessLog(db: Db, itemId: string, page: PageArgs): { page: Promise<BatchedPage<AccessEvent>>; total: () => Promise<number> } {
  const spec = accessLogSpec(itemId);
  checkCursor(spec, page);
  return {
    page: loadPages<AccessEvent>(db, spec, [''], page).then(([only]) => only),
    total: () => loadCounts(db, spec, ['']).then(([only]) => only),
  };
}
