import type { PolicyContext, PolicyItem } from '../policy/context';
import { readsContent } from '../policy/rule';

/**
 * Keys that group live subscribers so that each event is judged once per group, not once per
 * subscriber. They never decide anything: the rule in src/policy/rule.ts does, for one member
 * of the group, and its answer holds for all because the key holds every input it reads.
 */

/**
 * Everything `evaluateItem` reads about the viewer when judging `item`: status, content role,
 * clearance, country, the share level toward the item's owner, and whether the viewer is
 * assigned to the item's operation. (A test checks that equal keys get equal decisions.)
 */
export function decisionKey(ctx: PolicyContext, item: PolicyItem): string {
  const shareRank = ctx.shareRanks[item.ownerCode] ?? -1;
  if (ctx.kind === 'partner') return `p|${shareRank}`;
  const assigned = item.operationId !== null && ctx.assignedOperationIds.includes(item.operationId);
  return `o|${ctx.status}|${readsContent(ctx) ? 1 : 0}|${ctx.clearanceRank}|${ctx.country}|${shareRank}|${assigned ? 1 : 0}`;
}

/**
 * For a change of an item (intelFeed): the subscribers who judge both the item now and the item
 * as it was `before` alike. Before the change the item may have had another operation scope.
 */
export function changeDecisionKey(ctx: PolicyContext, item: PolicyItem, before: PolicyItem | null): string {
  const now = decisionKey(ctx, item);
  return before === null ? now : `${now}\u0001${decisionKey(ctx, before)}`;
}

/**
 * For a change of a principal's policy context: principals whose old contexts are alike and whose
 * new contexts are alike gain exactly the same items, so one query answers for all of them.
 */
export function contextChangeKey(previous: PolicyContext, current: PolicyContext): string {
  return `${sessionKey(previous)}\u0001${sessionKey(current)}`;
}

/**
 * The whole policy context but the principal's identity. Subscribers with the same key may
 * share one graph session per event: every nested read (an update's operation, a report's
 * subjects and their reports) returns the same rows to each of them.
 */
export function sessionKey(ctx: PolicyContext): string {
  if (ctx.kind === 'partner') return `p|${sortedRanks(ctx.shareRanks)}`;
  return [
    'o',
    ctx.status,
    [...ctx.roles].sort().join(','),
    ctx.clearanceRank,
    ctx.country,
    [...ctx.assignedOperationIds].sort().join(','),
    [...ctx.countryOperationIds].sort().join(','),
    sortedRanks(ctx.shareRanks),
  ].join('|');
}

function sortedRanks(ranks: Record<string, number>): string {
  return Object.keys(ranks)
    .sort()
    .map((code) => `${code}:${ranks[code]}`)
    .join(',');
}
