import type { HubContext } from '../context';

/**
 * After a change to what somebody may read: drop the cached policy contexts here at once (so
 * this hub's very next request sees it), and tell every other hub through the event bus.
 * `subject` null means everybody's, for changes that reach beyond one officer.
 */
export async function invalidatePolicy(ctx: HubContext, subject: string | null): Promise<void> {
  ctx.services.policyCache.invalidate(subject);
  await ctx.services.events.publish({ type: 'policy.invalidate', subject });
}
