import { randomUUID } from 'node:crypto';
import { mkdir, open, readdir, readFile, unlink, type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import type { Logger } from 'pino';
import { within } from '../timeout';
import { processAlive } from '../pid';
import { type AccessEvent, type AuditSink, createEventsCypher, eventGroups } from './audit';
import { Db } from './db';

/**
 * The audit trail's write-ahead journal (AUDIT_JOURNAL_DIR). A response, or a live delivery,
 * waits for its events to be appended to a local file and flushed to disk (fdatasync) — a
 * fraction of a millisecond — instead of for a Neo4j transaction; a shipper then copies the
 * journal into Neo4j in large batches, in order, one transaction at a time.
 *
 * Exactly once: each shipping transaction also records, on an `AuditJournalSegment` node, how
 * many events of its segment are in Neo4j. On start, segments left by a previous run (a crash,
 * or Neo4j away at shutdown) are shipped from that mark before anything else, then deleted.
 *
 * Fail closed: an event is acknowledged only once it is on disk; a failed append rejects its
 * callers (their responses are withheld), and the next append starts a fresh segment, so a torn
 * line can only ever be the last line of a segment. While Neo4j is unreachable, events wait in
 * the journal and in memory up to `maxBacklog`; beyond that, recording fails.
 *
 * The trail read through the API (`accessLog`) first waits for `settled()`, so a hub shows its
 * own latest events; another hub's show once that hub has shipped them (normally within a batch).
 */

const SEGMENT_PREFIX = 'audit-';
const SEGMENT_SUFFIX = '.jsonl';
const LOCK = 'journal.lock';

/**
 * Ships events `$from` … of a segment, only if its mark still says `$from`: a transaction the
 * driver retries after a commit it could not confirm, or a batch sent again after an error,
 * creates nothing twice. Returns the mark found.
 */
export const shipCypher = `MERGE (j:AuditJournalSegment {name: $segment})
WITH j, coalesce(j.shipped, 0) AS mark
CALL (mark) {
  ${createEventsCypher('CASE WHEN mark = $from THEN $groups ELSE [] END')}
}
SET j.shipped = CASE WHEN mark = $from THEN $to ELSE j.shipped END
RETURN mark`;

/** This process, told apart from an earlier one that had the same pid (a container's pid 1). */
const PROCESS_STARTED = Math.round(performance.timeOrigin);

export interface AuditJournalOptions {
  /** Events per shipping transaction. */
  maxShip?: number;
  /** Events per segment file before a new one starts. */
  maxSegmentEvents?: number;
  /** Events appended but not yet in Neo4j beyond which recording fails. */
  maxBacklog?: number;
  /**
   * How long (ms) the shipper lets events gather after the first one of a quiet spell before it
   * writes them to Neo4j, unless `maxShip` gather sooner or somebody waits on `settled()`.
   * Without it, every request of a light, steady load costs Neo4j one write transaction of its
   * own, competing with the next requests' reads; with it, they share one. Default 100.
   */
  lingerMs?: number;
}

interface Segment {
  name: string;
  file: FileHandle | null;
  /** Events acknowledged in this segment (the torn tail of a failed append is not counted). */
  appended: number;
  /** Bytes acknowledged: a failed append is cut back to this length. */
  bytes: number;
  /** Events of this segment in Neo4j. */
  shipped: number;
}

interface Waiter {
  resolve(): void;
  reject(error: unknown): void;
}

interface Chunk {
  segment: Segment;
  events: AccessEvent[];
}

export class AuditJournal implements AuditSink {
  private segment!: Segment;
  /** Segments no longer appended to, deleted once shipped. */
  private readonly retired: Segment[] = [];
  private pending: { events: AccessEvent[]; waiters: Waiter[] } = { events: [], waiters: [] };
  private appendScheduled = false;
  private appending = false;
  private rotateBeforeAppend = false;
  private readonly queue: Chunk[] = [];
  private queued = 0;
  private shipping: Promise<void> | null = null;
  /** The shipper's start, while events gather (`lingerMs`). */
  private lingering: NodeJS.Timeout | null = null;
  private retryMs = 0;
  /** Counters for `settled()`: events handed to `record`, and events that reached Neo4j or failed to append. */
  private requested = 0;
  private done = 0;
  private settledWaiters: { target: number; resolve(): void }[] = [];
  private closed = false;
  private closing: Promise<void> | null = null;
  /** Set by `close()`: the shipper stops retrying. */
  private stopped = false;
  private readonly maxShip: number;
  private readonly maxSegmentEvents: number;
  private readonly maxBacklog: number;
  private readonly lingerMs: number;

  private constructor(
    private readonly db: Db,
    private readonly dir: string,
    private readonly log: Logger,
    options: AuditJournalOptions,
  ) {
    this.maxShip = options.maxShip ?? 5000;
    this.maxSegmentEvents = options.maxSegmentEvents ?? 200_000;
    // About 100 MB of events in memory at most; beyond, requests fail closed.
    this.maxBacklog = options.maxBacklog ?? 200_000;
    this.lingerMs = options.lingerMs ?? 100;
  }

  /** Ships what a previous run left in `dir`, then opens a new segment. */
  static async open(db: Db, dir: string, log: Logger, options: AuditJournalOptions = {}): Promise<AuditJournal> {
    const journal = new AuditJournal(db, dir, log, options);
    await mkdir(dir, { recursive: true });
    await lock(dir);
    try {
      await journal.recover();
      journal.segment = await journal.newSegment();
    } catch (error) {
      await unlock(dir);
      throw error;
    }
    return journal;
  }

  record(events: readonly AccessEvent[]): Promise<void> {
    if (!events.length) return Promise.resolve();
    if (this.closed) return Promise.reject(new Error('the audit journal is closed'));
    if (this.queued + this.pending.events.length + events.length > this.maxBacklog) {
      return Promise.reject(new Error(`the audit journal holds ${this.queued} events that Neo4j has not taken yet`));
    }
    this.requested += events.length;
    return new Promise<void>((resolve, reject) => {
      this.pending.events.push(...events);
      this.pending.waiters.push({ resolve, reject });
      this.scheduleAppend();
    });
  }

  settled(): Promise<void> {
    const target = this.requested;
    if (this.done >= target) return Promise.resolve();
    // Somebody waits for Neo4j to hold these events (accessLog, close): no lingering.
    this.shipNow();
    return new Promise((resolve) => this.settledWaiters.push({ target, resolve }));
  }

  /** Appends what is pending and ships what it can within `timeoutMs`; the rest waits in the journal for the next start. */
  close(timeoutMs = 5000): Promise<void> {
    this.closing ??= this.shutDown(timeoutMs);
    return this.closing;
  }

  private async shutDown(timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    const settling = this.settled();
    this.closed = true;
    this.scheduleAppend();
    const settled = await within(settling.then(() => true), timeoutMs, false);
    this.stopped = true;
    // A batch in flight may still commit; wait for it only as long as the deadline allows.
    await within(this.shipping ?? Promise.resolve(), Math.max(0, deadline - Date.now()), undefined);
    if (settled) {
      this.retired.push(this.segment);
      await this.retire();
    }
    for (const segment of [...this.retired, this.segment]) await segment.file?.close().catch(() => undefined);
    if (!settled) this.log.warn({ backlog: this.queued }, 'audit journal closed with events not yet in Neo4j; the next start ships them');
    await unlock(this.dir);
  }

  /** Events appended but not yet in Neo4j (metrics, readiness, tests). */
  get backlog(): number {
    return this.queued;
  }

  private scheduleAppend(): void {
    if (this.appendScheduled || this.appending || !this.pending.events.length) return;
    this.appendScheduled = true;
    setImmediate(() => {
      this.appendScheduled = false;
      void this.append();
    });
  }

  /** One write and one fdatasync for every event recorded since the last append (group commit). */
  private async append(): Promise<void> {
    const batch = this.pending;
    if (!batch.events.length || this.appending) return;
    this.pending = { events: [], waiters: [] };
    this.appending = true;
    try {
      if (this.rotateBeforeAppend || this.segment.appended >= this.maxSegmentEvents) await this.rotate();
      const segment = this.segment;
      const bytes = Buffer.from(batch.events.map((event) => `${JSON.stringify(event)}\n`).join(''));
      // A write may take fewer bytes than offered (a full disk): go on until all are written, or fail.
      for (let offset = 0; offset < bytes.length; ) offset += (await segment.file!.write(bytes, offset)).bytesWritten;
      await segment.file!.datasync();
      segment.appended += batch.events.length;
      segment.bytes += bytes.length;
      this.queue.push({ segment, events: batch.events });
      this.queued += batch.events.length;
      for (const waiter of batch.waiters) waiter.resolve();
      this.ship();
    } catch (error) {
      this.log.error({ err: error }, 'audit journal append failed; the requests it held fail');
      // Cut the unacknowledged tail off, so that nothing whose request failed is ever shipped;
      // whether or not that works, the next append starts a fresh segment.
      await this.segment.file?.truncate(this.segment.bytes).catch(() => undefined);
      this.rotateBeforeAppend = true;
      this.finished(batch.events.length);
      for (const waiter of batch.waiters) waiter.reject(error);
    } finally {
      this.appending = false;
      this.scheduleAppend();
    }
  }

  private async rotate(): Promise<void> {
    const old = this.segment;
    this.segment = await this.newSegment();
    this.rotateBeforeAppend = false;
    this.retired.push(old);
    await this.retire();
  }

  private async newSegment(): Promise<Segment> {
    const name = `${SEGMENT_PREFIX}${String(Date.now()).padStart(15, '0')}-${randomUUID()}${SEGMENT_SUFFIX}`;
    const file = await open(path.join(this.dir, name), 'a');
    // The new file's directory entry must be durable too.
    try {
      await syncDir(this.dir);
    } catch (error) {
      await file.close().catch(() => undefined);
      throw error;
    }
    return { name, file, appended: 0, bytes: 0, shipped: 0 };
  }

  /** Ships once events have gathered for `lingerMs`, or at once when `maxShip` are waiting; a batch in flight gathers the next one anyway. */
  private ship(): void {
    if (this.shipping || this.lingering) return;
    // Somebody waiting on settled() (or closing) gets the next batch at once, also after a batch in flight.
    if (this.lingerMs <= 0 || this.queued >= this.maxShip || this.settledWaiters.length || this.closed) {
      this.shipNow();
      return;
    }
    this.lingering = setTimeout(() => this.shipNow(), this.lingerMs);
    // Only this timer pending must not keep a process alive: close() ships without lingering.
    this.lingering.unref();
  }

  private shipNow(): void {
    if (this.lingering) {
      clearTimeout(this.lingering);
      this.lingering = null;
    }
    if (!this.queue.length) return;
    // The shipper outlives the request that woke it: no request's time budget applies to it.
    this.shipping ??= Db.unbudgeted(() => this.shipAll()).finally(() => {
      this.shipping = null;
      if (this.queue.length && !this.stopped) this.ship();
    });
  }

  private async shipAll(): Promise<void> {
    while (this.queue.length && !this.stopped) {
      const segment = this.queue[0].segment;
      const events: AccessEvent[] = [];
      for (const chunk of this.queue) {
        if (chunk.segment !== segment || events.length >= this.maxShip) break;
        events.push(...chunk.events.slice(0, this.maxShip - events.length));
      }
      let shipped: number;
      try {
        const started = Date.now();
        const mark = await this.shipBatch(segment.name, events, segment.shipped, segment.shipped + events.length);
        // mark ≠ from: an earlier attempt committed (part of) this batch already; nothing was created twice.
        shipped = mark === segment.shipped ? events.length : Math.min(events.length, Math.max(0, mark - segment.shipped));
        if (mark < segment.shipped) throw new Error(`the mark of ${segment.name} is ${mark}, behind ${segment.shipped}`);
        this.log.debug({ events: shipped, ms: Date.now() - started }, 'audit journal: shipped');
        this.retryMs = 0;
      } catch (error) {
        this.retryMs = Math.min(Math.max(this.retryMs * 2, 100), 5000);
        this.log.error({ err: error, backlog: this.queued, retryInMs: this.retryMs }, 'audit journal: Neo4j did not take the batch; retrying');
        await new Promise((resolve) => setTimeout(resolve, this.retryMs).unref());
        continue;
      }
      let taken = shipped;
      while (taken > 0) {
        const chunk = this.queue[0];
        if (chunk.events.length <= taken) {
          taken -= chunk.events.length;
          this.queue.shift();
        } else {
          chunk.events = chunk.events.slice(taken);
          taken = 0;
        }
      }
      segment.shipped += shipped;
      this.queued -= shipped;
      this.finished(shipped);
      await this.retire();
    }
  }

  /** Events `from` … `to` (positions in the segment) into Neo4j, unless its mark has moved past `from`; returns the mark found. */
  private async shipBatch(segment: string, events: AccessEvent[], from: number, to: number): Promise<number> {
    const [row] = await this.db.write<{ mark: number }>({ cypher: shipCypher, params: { groups: eventGroups(events), segment, from, to } });
    return row.mark;
  }

  /** Deletes the retired segments that are wholly in Neo4j: the file first, then its mark. */
  private async retire(): Promise<void> {
    while (this.retired.length && this.retired[0].shipped >= this.retired[0].appended) {
      const segment = this.retired.shift()!;
      await segment.file?.close().catch(() => undefined);
      await this.remove(segment.name);
    }
  }

  /** The file first, made durable, then its mark; a file that cannot be deleted keeps its mark (the next start finds it shipped). */
  private async remove(name: string): Promise<void> {
    try {
      await unlink(path.join(this.dir, name));
      await syncDir(this.dir);
    } catch (error) {
      this.log.warn({ err: error, segment: name }, 'audit journal: could not delete a shipped segment');
      return;
    }
    await this.db
      .write({ cypher: 'MATCH (j:AuditJournalSegment {name: $name}) DELETE j', params: { name } })
      .catch((error: unknown) => this.log.warn({ err: error, segment: name }, 'audit journal: could not delete a shipped segment mark'));
  }

  private finished(count: number): void {
    this.done += count;
    const waiting = this.settledWaiters;
    this.settledWaiters = [];
    for (const waiter of waiting) {
      if (this.done >= waiter.target) waiter.resolve();
      else this.settledWaiters.push(waiter);
    }
  }

  /** Ships every segment a previous run left, from its mark on, then deletes it. */
  private async recover(): Promise<void> {
    const names = (await readdir(this.dir)).filter((n) => n.startsWith(SEGMENT_PREFIX) && n.endsWith(SEGMENT_SUFFIX)).sort();
    for (const name of names) {
      // Positions count every line, so that they match the mark even if a line cannot be read.
      const lines = parseSegment(await readFile(path.join(this.dir, name), 'utf8'));
      const unreadable = lines.filter((line, index) => line === null && index < lines.length - 1).length;
      if (unreadable) this.log.error({ segment: name, lines: unreadable }, 'audit journal: lines that cannot be read inside a segment (disk damage?)');
      const [mark] = await this.db.read<{ shipped: number }>({
        cypher: 'MATCH (j:AuditJournalSegment {name: $name}) RETURN j.shipped AS shipped',
        params: { name },
      });
      let position = mark?.shipped ?? 0;
      let missing = 0;
      while (position < lines.length) {
        const to = Math.min(lines.length, position + this.maxShip);
        const batch = lines.slice(position, to).filter((line): line is AccessEvent => line !== null);
        const found = await this.shipBatch(name, batch, position, to);
        if (found !== position) throw new Error(`the mark of ${name} moved to ${found} while it was being recovered`);
        missing += batch.length;
        position = to;
      }
      if (missing > 0) this.log.info({ segment: name, events: missing }, 'audit journal: shipped events left by a previous run');
      await this.remove(name);
    }
  }
}

/**
 * One hub per journal folder: a second one would ship the first one's live segment. The lock
 * file names its holder (pid and start time); a lock whose holder is gone is taken over — also
 * one left by an earlier process with the same pid, as a container's pid 1 always is.
 */
async function lock(dir: string): Promise<void> {
  const file = path.join(dir, LOCK);
  for (let attempt = 0; attempt < 2; attempt += 1) {
    try {
      const handle = await open(file, 'wx');
      await handle.writeFile(JSON.stringify({ pid: process.pid, started: PROCESS_STARTED }));
      await handle.sync();
      await handle.close();
      return;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const holder = await readFile(file, 'utf8').then(
        (text) => JSON.parse(text) as { pid?: number; started?: number },
        () => ({}) as { pid?: number; started?: number },
      );
      const heldByThisProcess = holder.pid === process.pid && holder.started === PROCESS_STARTED;
      const heldByAnother = holder.pid !== undefined && holder.pid !== process.pid && processAlive(holder.pid);
      if (heldByThisProcess || heldByAnother) {
        throw new Error(`the audit journal ${dir} is in use by process ${holder.pid} (delete ${LOCK} if that process is not a hub)`, { cause: error });
      }
      await unlink(file).catch(() => undefined);
    }
  }
  throw new Error(`could not lock the audit journal ${dir}`);
}

async function unlock(dir: string): Promise<void> {
  await unlink(path.join(dir, LOCK)).catch(() => undefined);
}

async function syncDir(dir: string): Promise<void> {
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/**
 * A segment's lines in order, null for one that cannot be read. Only a torn last line (a failed
 * append, never acknowledged and not cut off) is expected; keeping the place of any other keeps
 * the positions the mark counts.
 */
export function parseSegment(text: string): (AccessEvent | null)[] {
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  return lines.map((line) => {
    try {
      return JSON.parse(line) as AccessEvent;
    } catch {
      return null;
    }
  });
}
