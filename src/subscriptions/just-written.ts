import type { UpdateRecord } from '../graph/records';

const KEEP_MS = 30_000;
const MAX_ENTRIES = 2_000;

/**
 * Updates this hub has just committed, as their write returned them, so that delivering one to
 * this hub's subscribers does not read it back from Neo4j: the bus carries ids only (a hub
 * never trusts item content from Redis), and a hub that hears another hub's event reads the
 * item itself. Updates are immutable once posted, so the committed record is the item.
 * Bounded in size and age; a miss only costs the read.
 */
export class JustWritten {
  private readonly updates = new Map<string, { record: UpdateRecord; at: number }>();

  rememberUpdate(record: UpdateRecord): void {
    const now = Date.now();
    this.updates.delete(record.id);
    this.updates.set(record.id, { record, at: now });
    for (const [id, entry] of this.updates) {
      if (this.updates.size <= MAX_ENTRIES && now - entry.at < KEEP_MS) break;
      this.updates.delete(id);
    }
  }

  update(id: string): UpdateRecord | undefined {
    const entry = this.updates.get(id);
    return entry && Date.now() - entry.at < KEEP_MS ? entry.record : undefined;
  }
}
