import { randomUUID } from 'node:crypto';
import type { PolicyContext } from '../policy/context';
import type { AccessAction, AccessEvent, AuditSink } from './audit';

/**
 * One request's audit events. The graph session and the resolvers note what the request did;
 * the server awaits `flush()` before the response leaves, so nothing is sent that the trail
 * does not already hold. A request that reads the same item twice records it once.
 */
export class AuditTrail {
  private readonly events = new Map<string, AccessEvent>();

  constructor(
    private readonly writer: AuditSink | null,
    private readonly principal: PolicyContext,
    private readonly requestId: string,
  ) {}

  /** A trail that records nothing: the benchmark's unaudited reference (AUDIT=off). */
  static disabled(principal: PolicyContext, requestId: string): AuditTrail {
    return new AuditTrail(null, principal, requestId);
  }

  read(itemKind: string, itemId: string, redactedFields: readonly string[]): void {
    this.note('READ', itemKind, itemId, 'GRANTED', { redactedFields });
  }

  /** A direct read of an item that exists but is not visible; the client saw "not found". */
  deny(itemKind: string, itemId: string): void {
    this.note('DENY', itemKind, itemId, 'DENIED');
  }

  note(
    action: AccessAction,
    itemKind: string | null,
    itemId: string | null,
    outcome: string,
    extra: { redactedFields?: readonly string[]; detail?: string | null } = {},
  ): void {
    if (!this.writer) return;
    const key = `${action}\u0000${itemKind}\u0000${itemId}\u0000${extra.detail ?? ''}`;
    if (this.events.has(key)) return;
    const principal = this.principal;
    this.events.set(key, {
      id: randomUUID(),
      at: new Date().toISOString(),
      officerId: principal.kind === 'officer' ? principal.officerId : `partner:${principal.partnerId}`,
      country: principal.kind === 'officer' ? principal.country : null,
      itemId,
      itemKind,
      action,
      outcome,
      redactedFields: [...(extra.redactedFields ?? [])],
      requestId: this.requestId,
      detail: extra.detail ?? null,
    });
  }

  get size(): number {
    return this.events.size;
  }

  /** Writes what is pending; later notes (there should be none) go with a later flush. */
  async flush(): Promise<void> {
    if (!this.writer || !this.events.size) return;
    const pending = [...this.events.values()];
    this.events.clear();
    await this.writer.record(pending);
  }
}
