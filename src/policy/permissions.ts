import { ForbiddenError } from '../errors';
import type { OfficerContext, PolicyContext } from './context';
import type { Role } from './levels';
import { readsContent } from './rule';

/**
 * Who may do what (DESIGN §3, Administration). Reading is decided by rule.ts; these guard
 * actions. Each throws FORBIDDEN with a reason the caller can act on.
 */

export function requireOfficer(ctx: PolicyContext): OfficerContext {
  if (ctx.kind !== 'officer') throw new ForbiddenError('only officers may do this');
  return ctx;
}

export function requireActive(ctx: PolicyContext): OfficerContext {
  const officer = requireOfficer(ctx);
  if (officer.status !== 'ACTIVE') throw new ForbiddenError(`the officer is ${officer.status}`);
  return officer;
}

export function hasRole(ctx: PolicyContext, ...roles: Role[]): boolean {
  return ctx.kind === 'officer' && ctx.status === 'ACTIVE' && ctx.roles.some((role) => roles.includes(role));
}

export function requireRole(ctx: PolicyContext, ...roles: Role[]): OfficerContext {
  const officer = requireActive(ctx);
  if (!hasRole(officer, ...roles)) throw new ForbiddenError(`requires one of the roles ${roles.join(', ')}`);
  return officer;
}

/** Writing intelligence needs a role that reads content. */
export function requireContentRole(ctx: PolicyContext): OfficerContext {
  const officer = requireActive(ctx);
  if (!readsContent(officer)) throw new ForbiddenError('requires a role that reads content');
  return officer;
}

/** NCB administrators of `country` administer its sharing and its items' releasability. */
export function requireNcbAdminOf(ctx: PolicyContext, country: string): OfficerContext {
  const officer = requireRole(ctx, 'NCB_ADMIN');
  if (officer.country !== country) throw new ForbiddenError(`only NCB administrators of ${country} may do this`);
  return officer;
}
