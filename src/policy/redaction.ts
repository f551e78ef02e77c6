import type { PolicyContext } from './context';

/**
 * Field redaction of DESIGN §3: the object is visible, some fields are not. Redacted fields
 * resolve to null and are listed in the object's `redactedFields`.
 */

export function redactedReportFields(ctx: PolicyContext, report: { ownerCode: string }): string[] {
  return ctx.kind === 'officer' && ctx.country === report.ownerCode ? [] : ['sourceDescription'];
}

export const PROTECTED_PERSON_FIELDS = ['name', 'aliases', 'dateOfBirth'] as const;

export function redactedPersonFields(ctx: PolicyContext, person: { protected: boolean; recordedBy: string }): string[] {
  if (!person.protected) return [];
  return ctx.kind === 'officer' && ctx.country === person.recordedBy ? [] : [...PROTECTED_PERSON_FIELDS];
}

export function redactedOfficerFields(ctx: PolicyContext): string[] {
  return ctx.kind === 'partner' ? ['email', 'phone'] : [];
}

/** A copy of `record` with `fields` set to null, and the list of them. */
export function applyRedaction<T extends object>(record: T, fields: readonly string[]): T & { redactedFields: string[] } {
  const copy: Record<string, unknown> = { ...record, redactedFields: [...fields] };
  for (const field of fields) copy[field] = null;
  return copy as T & { redactedFields: string[] };
}

/**
 * `redactedPersonFields` as a Cypher boolean over node `alias` (reading `$policy`, see
 * rule.ts): true where the viewer may not see the person's identity. Search and duplicate
 * checks match on names, so they must not match on one the viewer may not read.
 */
export function personIdentityHiddenPredicate(ctx: PolicyContext, alias: string): string {
  const isProtected = `coalesce(${alias}.protected, false)`;
  return ctx.kind === 'officer' ? `(${isProtected} AND ${alias}.recordedBy <> $policy.country)` : isProtected;
}
