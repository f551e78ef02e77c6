import { CONTENT_ROLES, LEVELS } from './levels';
import type { OfficerContext, PartnerContext, PolicyContext, PolicyItem, PolicyOperation } from './context';

/**
 * THE sharing rule of DESIGN §3, written once, in two forms that must agree (a property test
 * checks they do):
 * - `evaluateItem` decides in memory, step by step, for subscriptions and explanations;
 * - `itemPredicate` is the same rule as a Cypher predicate over an item's stored properties,
 *   used inside every query, so pages, counts and traversals only ever touch visible items.
 */

export type Step =
  | 'STATUS'
  | 'ROLE'
  | 'CLEARANCE'
  | 'OWNER_COUNTRY'
  | 'SHARE_LEVEL'
  | 'RELEASABILITY'
  | 'OPERATION_SCOPE'
  | 'EXPIRY'
  | 'PARTNER_LEVEL'
  | 'PARTNER_RELEASABILITY'
  | 'PARTNER_SCOPE'
  | 'PARTNER_EXPIRY'
  | 'SHARED';

export interface Decision {
  allowed: boolean;
  /** The step that decided: the first failing one, or the one that granted access. */
  step: Step;
  reason: string;
}

const levelName = (rank: number): string => (rank < 0 ? 'NONE' : LEVELS[rank] ?? String(rank));

export function readsContent(ctx: OfficerContext): boolean {
  return ctx.status === 'ACTIVE' && ctx.roles.some((role) => CONTENT_ROLES.includes(role));
}

export function evaluateItem(ctx: PolicyContext, item: PolicyItem, now: Date = new Date()): Decision {
  return ctx.kind === 'partner' ? evaluateForPartner(ctx, item, now) : evaluateForOfficer(ctx, item, now);
}

export function canRead(ctx: PolicyContext, item: PolicyItem, now: Date = new Date()): boolean {
  return evaluateItem(ctx, item, now).allowed;
}

function expired(item: PolicyItem, now: Date): boolean {
  return item.expiresAt !== null && Date.parse(item.expiresAt) <= now.getTime();
}

function releasabilityAdmits(item: PolicyItem, country: string): boolean {
  if (item.relMode === 'NETWORK') return true;
  if (item.relMode === 'ALLOW') return item.relCountries.includes(country);
  if (item.relMode === 'DENY') return !item.relCountries.includes(country);
  return false;
}

function evaluateForOfficer(ctx: OfficerContext, item: PolicyItem, now: Date): Decision {
  if (ctx.status !== 'ACTIVE') {
    return deny('STATUS', `the officer's status is ${ctx.status}; only ACTIVE officers read content`);
  }
  if (!readsContent(ctx)) {
    return deny('ROLE', `the officer's roles (${ctx.roles.join(', ') || 'none'}) do not include one that reads content`);
  }
  if (item.classRank > ctx.clearanceRank) {
    return deny(
      'CLEARANCE',
      `the item is ${levelName(item.classRank)}, above the officer's clearance ${levelName(ctx.clearanceRank)}`,
    );
  }
  if (item.ownerCode === ctx.country) {
    return allow('OWNER_COUNTRY', `the officer belongs to the owner country ${item.ownerCode}`);
  }
  const shareRank = ctx.shareRanks[item.ownerCode] ?? -1;
  if (item.classRank > shareRank) {
    return deny(
      'SHARE_LEVEL',
      `${item.ownerCode} shares up to ${levelName(shareRank)} with ${ctx.country}; the item is ${levelName(item.classRank)}`,
    );
  }
  if (!releasabilityAdmits(item, ctx.country)) {
    return deny(
      'RELEASABILITY',
      item.relMode === 'ALLOW'
        ? `the item is releasable only to ${item.relCountries.join(', ') || 'no country'}`
        : `the item is not releasable to ${ctx.country}`,
    );
  }
  if (item.operationId !== null && !ctx.assignedOperationIds.includes(item.operationId)) {
    return deny('OPERATION_SCOPE', `the item is limited to operation ${item.operationId}, and the officer is not assigned to it`);
  }
  if (expired(item, now)) {
    return deny('EXPIRY', `the item expired at ${item.expiresAt}`);
  }
  return allow('SHARED', `${item.ownerCode} shares ${levelName(item.classRank)} items with ${ctx.country}, and every condition holds`);
}

function evaluateForPartner(ctx: PartnerContext, item: PolicyItem, now: Date): Decision {
  const shareRank = ctx.shareRanks[item.ownerCode] ?? -1;
  if (item.classRank > shareRank) {
    return deny('PARTNER_LEVEL', `${item.ownerCode} shares up to ${levelName(shareRank)} with partners; the item is ${levelName(item.classRank)}`);
  }
  if (item.relMode !== 'NETWORK') {
    return deny('PARTNER_RELEASABILITY', 'partners read only items releasable to the whole network');
  }
  if (item.operationId !== null) {
    return deny('PARTNER_SCOPE', 'partners read no item limited to an operation');
  }
  if (expired(item, now)) {
    return deny('PARTNER_EXPIRY', `the item expired at ${item.expiresAt}`);
  }
  return allow('SHARED', `${item.ownerCode} releases ${levelName(item.classRank)} items to partners`);
}

const allow = (step: Step, reason: string): Decision => ({ allowed: true, step, reason });
const deny = (step: Step, reason: string): Decision => ({ allowed: false, step, reason });

/* ---------------------------------------------------------------- operations */

export function canSeeOperation(ctx: PolicyContext, operation: PolicyOperation): boolean {
  if (ctx.kind === 'partner') return operation.visibility === 'PUBLIC';
  if (ctx.status !== 'ACTIVE') return false;
  return (
    operation.visibility === 'PUBLIC' ||
    operation.visibility === 'NETWORK' ||
    ctx.countryOperationIds.includes(operation.id)
  );
}

/** A PUBLIC operation that is CONCLUDED has published results: totals over all updates. */
export function outcomeIsPublished(operation: PolicyOperation): boolean {
  return operation.visibility === 'PUBLIC' && operation.status === 'CONCLUDED';
}

/* ---------------------------------------------------------------- Cypher form */

/**
 * The parameter every policy predicate reads, `$policy`. Its shape is private to this module.
 * `now` is the request's instant, so one request sees one consistent world.
 */
export function policyParams(ctx: PolicyContext, now: Date = new Date()): Record<string, unknown> {
  const base = { now: now.toISOString(), shareRanks: ctx.shareRanks };
  if (ctx.kind === 'partner') return { ...base, partner: true };
  return {
    ...base,
    partner: false,
    active: ctx.status === 'ACTIVE',
    readsContent: readsContent(ctx),
    country: ctx.country,
    clearance: ctx.clearanceRank,
    assigned: ctx.assignedOperationIds,
    countryOperations: ctx.countryOperationIds,
  };
}

/**
 * The item rule as a Cypher boolean over node `alias`. Only property reads: the planner keeps
 * any index seek the surrounding query starts from. `param` names the parameter holding
 * `policyParams` (default `$policy`), so one statement can judge for two contexts.
 */
export function itemPredicate(ctx: PolicyContext, alias: string, param = 'policy'): string {
  return opaque(itemCondition(ctx, alias, `$${param}`));
}

/**
 * The planner expands an OR of indexable terms into a union of index seeks (known to turn a
 * by-id seek into a scan of the reader's own country's items, and to forbid ordered index
 * scans). Inside CASE the rule stays one filter on top of whatever the query starts from.
 */
function opaque(condition: string): string {
  return condition === 'false' ? 'false' : `(CASE WHEN ${condition} THEN true ELSE false END)`;
}

function itemCondition(ctx: PolicyContext, alias: string, policy: string): string {
  const i = alias;
  const notExpired = `(${i}.expiresAt IS NULL OR ${i}.expiresAt > datetime(${policy}.now))`;
  const withinShare = `${i}.classRank <= coalesce(${policy}.shareRanks[${i}.ownerCode], -1)`;
  if (ctx.kind === 'partner') {
    return `(${withinShare} AND ${i}.relMode = 'NETWORK' AND ${i}.operationId IS NULL AND ${notExpired})`;
  }
  if (!readsContent(ctx)) return 'false';
  return `(${i}.classRank <= ${policy}.clearance AND (${i}.ownerCode = ${policy}.country OR (${withinShare}
    AND (${i}.relMode = 'NETWORK'
      OR (${i}.relMode = 'ALLOW' AND ${policy}.country IN ${i}.relCountries)
      OR (${i}.relMode = 'DENY' AND NOT ${policy}.country IN ${i}.relCountries))
    AND (${i}.operationId IS NULL OR ${i}.operationId IN ${policy}.assigned)
    AND ${notExpired})))`;
}

/** Operation visibility as a Cypher boolean over node `alias`. */
export function operationPredicate(ctx: PolicyContext, alias: string): string {
  if (ctx.kind === 'partner') return `${alias}.visibility = 'PUBLIC'`;
  if (ctx.status !== 'ACTIVE') return 'false';
  return opaque(`(${alias}.visibility IN ['PUBLIC', 'NETWORK'] OR ${alias}.id IN $policy.countryOperations)`);
}

/** A subject is visible iff a visible report concerns it. */
export function subjectPredicate(ctx: PolicyContext, alias: string): string {
  return `EXISTS { MATCH (${alias})<-[:CONCERNS]-(concerning:IntelReport) WHERE ${itemPredicate(ctx, 'concerning')} }`;
}

/**
 * What an officer may attach to their own reports and read back after creating it: subjects
 * their own country recorded (visible to nobody else until a report concerns them), or
 * subjects visible to them.
 */
export function recordedOrVisibleSubjectPredicate(ctx: PolicyContext, alias: string): string {
  const recorded = ctx.kind === 'officer' ? `${alias}.recordedBy = $policy.country OR ` : '';
  return `(${recorded}${subjectPredicate(ctx, alias)})`;
}
