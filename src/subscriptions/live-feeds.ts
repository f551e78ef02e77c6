import type { Db } from '../graph/db';
import { visibleUpdatesSince } from '../graph/live';
import type { UpdateRecord } from '../graph/records';
import { CLOSE, type Closable } from './close-codes';
import { lazySession, type LiveDispatcher, type RedactedReport } from './dispatcher';
import type { LivePrincipal } from './live-principals';
import { LiveSubscription, type LiveEvent } from './live-subscription';

/** What a subscription resolver needs about its socket (HubContext.live; absent over HTTP). */
export interface LiveConnection {
  principal: LivePrincipal;
  socket: Closable;
  feeds: LiveFeeds;
}

/** Replayed updates are read this many at a time, as the client takes them. */
const REPLAY_PAGE = 200;

/** Opens subscribers' streams: registered with the dispatcher first, replay read after. */
export class LiveFeeds {
  constructor(
    private readonly db: Db,
    private readonly dispatcher: LiveDispatcher,
    private readonly bufferedEvents: number,
  ) {}

  /** The visible updates of one operation (or of all), after `afterSeq` first when given. */
  operationUpdates(connection: LiveConnection, operationId: string | null, afterSeq: number | null): LiveSubscription<UpdateRecord> {
    let unregister = () => {};
    const subscription = new LiveSubscription<UpdateRecord>({
      principal: connection.principal,
      maxBuffered: this.bufferedEvents,
      overflow: () => connection.socket.close(CLOSE.SLOW_CONSUMER.code, CLOSE.SLOW_CONSUMER.reason),
      ended: () => unregister(),
      replay: afterSeq === null ? undefined : { afterSeq, page: (after) => this.replayPage(connection.principal, operationId, after) },
    });
    unregister = this.dispatcher.watchUpdates(subscription, operationId);
    return subscription;
  }

  /** The reports that become visible to the subscriber: see LiveDispatcher for what "become" covers. */
  intelFeed(connection: LiveConnection): LiveSubscription<RedactedReport> {
    let unregister = () => {};
    const subscription = new LiveSubscription<RedactedReport>({
      principal: connection.principal,
      maxBuffered: this.bufferedEvents,
      overflow: () => connection.socket.close(CLOSE.SLOW_CONSUMER.code, CLOSE.SLOW_CONSUMER.reason),
      ended: () => unregister(),
    });
    unregister = this.dispatcher.watchReports(subscription);
    return subscription;
  }

  private async replayPage(principal: LivePrincipal, operationId: string | null, afterSeq: number): Promise<LiveEvent<UpdateRecord>[]> {
    const reloads = this.dispatcher.principals.settled([principal]);
    if (reloads) await reloads;
    if (principal.closed) return [];
    const context = principal.context;
    const rows = await visibleUpdatesSince(this.db, context, operationId, afterSeq, REPLAY_PAGE, new Date());
    const graph = lazySession(this.db, context);
    return rows.map((item) => ({ seq: item.seq, item, context, graph, memo: new Map() }));
  }
}
