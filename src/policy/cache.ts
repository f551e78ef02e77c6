import type { PolicyContext } from './context';

/**
 * Policy contexts cached per principal for a short time. Any change that can alter what
 * somebody may read (sharing settings, rules, assignments, status, clearance, participation)
 * calls `invalidate`, here and — through the event bus — on every other hub; a dated rule's
 * start or end expires the contexts it concerns when it comes (`changesAt`).
 */
export class PolicyCache {
  private entries = new Map<string, { at: number; value: Promise<PolicyContext | null>; changesAt?: number | null }>();
  private generation = 0;
  private listeners = new Set<(subject: string | null) => void>();

  constructor(private readonly ttlMs: number) {}

  async get(subject: string, load: () => Promise<PolicyContext | null>): Promise<PolicyContext | null> {
    const now = Date.now();
    const hit = this.entries.get(subject);
    if (hit && now - hit.at < this.ttlMs && !(hit.changesAt && now >= hit.changesAt)) return hit.value;
    const generation = this.generation;
    const value = load();
    const entry: { at: number; value: Promise<PolicyContext | null>; changesAt?: number | null } = { at: now, value };
    this.entries.set(subject, entry);
    try {
      const context = await value;
      // A dated rule that starts or ends makes the context stale at that moment, whatever the TTL.
      if (context?.kind === 'officer') entry.changesAt = context.changesAt;
      // A change that landed while loading makes this answer stale: do not keep it.
      if (generation !== this.generation) this.entries.delete(subject);
      return context;
    } catch (error) {
      this.entries.delete(subject);
      throw error;
    }
  }

  /** Drops every cached context (`null`) or one principal's. */
  invalidate(subject: string | null = null): void {
    this.generation += 1;
    if (subject === null) this.entries.clear();
    else this.entries.delete(subject);
    for (const listener of this.listeners) listener(subject);
  }

  onInvalidate(listener: (subject: string | null) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
