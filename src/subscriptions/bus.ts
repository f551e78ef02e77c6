import { EventEmitter } from 'node:events';
import { Db } from '../graph/db';
import type { PolicyItem } from '../policy/context';

/**
 * Events between hubs: what was written, and which cached policy contexts are stale. In one
 * process they travel in memory; with REDIS_URL they travel through Redis pub/sub so that every
 * hub hears every event (src/subscriptions/redis-bus.ts).
 */
export type HubEvent =
  | { type: 'update.posted'; operationId: string; updateId: string; seq: number }
  | {
      type: 'report.changed';
      reportId: string;
      /**
       * What the sharing rule read of the report just before the change (null: it was just
       * created), so that intelFeed sends it only to those it became visible to. Policy fields
       * only, never content: this event may travel through Redis.
       */
      before: PolicyItem | null;
    }
  | { type: 'policy.invalidate'; subject: string | null };

export interface BusHealth {
  /** False while events may be lost (e.g. Redis unreachable): live subscribers must resume by cursor. */
  ready: boolean;
  reason?: string;
}

export interface EventBus {
  publish(event: HubEvent): Promise<void>;
  subscribe(listener: (event: HubEvent) => void): () => void;
  close(): Promise<void>;
  /** Buses that can lose events say so; an in-process bus cannot. */
  health?(): BusHealth;
  onHealthChange?(listener: (health: BusHealth) => void): () => void;
}

export class InProcessBus implements EventBus {
  private emitter = new EventEmitter();

  constructor() {
    this.emitter.setMaxListeners(0);
  }

  async publish(event: HubEvent): Promise<void> {
    // Listeners deliver to other principals' subscriptions: the publishing request's time budget is not theirs.
    Db.unbudgeted(() => this.emitter.emit('event', event));
  }

  subscribe(listener: (event: HubEvent) => void): () => void {
    this.emitter.on('event', listener);
    return () => this.emitter.off('event', listener);
  }

  async close(): Promise<void> {
    this.emitter.removeAllListeners();
  }
}
