import { type BeforeApplicationShutdown, Inject, Injectable, Logger } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import pg from 'pg';
import { DataSource } from 'typeorm';
import { DATABASE_URL } from '../database/database.module.js';
import { EVENTS_CHANNEL, EventStore } from '../event-store/event-store.js';
import type { LogCursor } from '../event-store/event.types.js';
import { compareCursors } from '../event-store/log-cursor.js';
import { PROJECTIONS, type Projection } from '../projections/projection.js';

/** What one `change` message of `GET /live` says: these read models now show the log up to `position`. */
export interface LiveChange {
  /** position of the last event covered (pass it as `minPosition` to be sure to see it) */
  position: string;
  /** the read models that have applied these events */
  projections: string[];
  /** the event types applied */
  types: string[];
  /** the records (streams) they changed, at most MAX_STREAMS of them */
  streams: { id: string; type: string }[];
}

export interface LiveSubscriber {
  change(change: LiveChange): void;
  /** the feed is shutting down: end the response */
  end(): void;
}

/** Events read per query while following the log. */
const READ_BATCH = 500;
const MAX_STREAMS = 100;

interface Pending {
  target: LogCursor;
  types: Set<string>;
  streams: Map<string, string>;
}

/**
 * Tells live clients when the read models have applied new events.
 *
 * It follows the log the same way the projection workers do (woken by the append's NOTIFY,
 * reading in commit order below the fence) and, for each read model that handles what it
 * read, waits until that model's checkpoint has passed it before saying so. Checkpoints live
 * in the database, so this holds whichever instance runs the projections. It runs only while
 * someone listens: the first subscriber opens a LISTEN connection, the last one closes it.
 */
@Injectable()
export class LiveFeed implements BeforeApplicationShutdown {
  private readonly log = new Logger('LiveFeed');
  /** interval of the `: heartbeat` comment on every open stream */
  heartbeatMs = 15_000;
  /** fallback poll of the log, in case a NOTIFY is lost or an older transaction held the fence */
  pollMs = 1_000;

  private readonly subscribers = new Set<LiveSubscriber>();
  private listener: pg.Client | null = null;
  private lifecycle: Promise<void> = Promise.resolve();
  private cursor: LogCursor = { transactionId: '0', position: '0' };
  private readonly pending = new Map<string, Pending>();
  private poll: NodeJS.Timeout | null = null;
  private recheck: NodeJS.Timeout | null = null;
  private recheckDelay = 20;
  private running: Promise<void> | null = null;
  private again = false;
  private closed = false;
  private sawListening = false;

  constructor(
    private readonly db: DataSource,
    private readonly store: EventStore,
    @Inject(PROJECTIONS) private readonly projections: Projection[],
    @Inject(DATABASE_URL) private readonly url: string,
    private readonly adapterHost: HttpAdapterHost,
  ) {}

  get subscriberCount(): number {
    return this.subscribers.size;
  }

  /** Whether the feed holds its LISTEN connection (only while someone listens). */
  get listening(): boolean {
    return this.listener !== null;
  }

  /**
   * Adds a subscriber; answers the position from which it will hear of every change, and
   * a function that removes it.
   */
  async subscribe(sub: LiveSubscriber): Promise<{ position: string; unsubscribe: () => void }> {
    if (this.closed) throw new Error('The live feed is shut down.');
    this.subscribers.add(sub);
    try {
      await this.sync();
    } catch (err) {
      this.subscribers.delete(sub);
      void this.sync();
      throw err;
    }
    return { position: this.cursor.position, unsubscribe: () => this.unsubscribe(sub) };
  }

  private unsubscribe(sub: LiveSubscriber): void {
    if (this.subscribers.delete(sub) && this.subscribers.size === 0) void this.sync();
  }

  /** Ends every stream and stops, before the HTTP server closes (it would wait for them). */
  async beforeApplicationShutdown(): Promise<void> {
    this.closed = true;
    await this.endAll();
  }

  private async endAll(): Promise<void> {
    for (const sub of [...this.subscribers]) sub.end();
    this.subscribers.clear();
    await this.sync();
  }

  private serverListening(): boolean {
    return (this.adapterHost.httpAdapter?.getHttpServer() as { listening?: boolean } | undefined)?.listening === true;
  }

  /**
   * A graceful shutdown may stop the server from listening and wait for open connections to
   * end before it closes the application: streams never end by themselves, so they are ended
   * as soon as the server that served them stops listening.
   */
  private endIfServerStopped(): void {
    if (this.sawListening && !this.serverListening()) void this.endAll();
  }

  /**
   * Starts following the log when someone listens and stops when no one does. Calls are
   * chained, so a subscribe racing the last unsubscribe never leaves two listeners.
   */
  private sync(): Promise<void> {
    const next = this.lifecycle.then(async () => {
      const wanted = this.subscribers.size > 0 && !this.closed;
      if (wanted && !this.listener) await this.start();
      else if (!wanted && this.listener) await this.stop();
    });
    this.lifecycle = next.catch(() => undefined);
    return next;
  }

  private async start(): Promise<void> {
    this.cursor = (await this.store.lastBelow(await this.store.currentFence())) ?? { transactionId: '0', position: '0' };
    const client = new pg.Client({ connectionString: this.url });
    client.on('notification', () => this.wake());
    client.on('error', (err) => this.log.warn(`listener: ${err.message}`));
    try {
      await client.connect();
      await client.query(`listen ${EVENTS_CHANNEL}`);
    } catch (err) {
      await client.end().catch(() => undefined);
      throw err;
    }
    this.listener = client;
    this.sawListening = this.serverListening();
    this.poll = setInterval(() => {
      this.endIfServerStopped();
      this.wake();
    }, this.pollMs);
  }

  private async stop(): Promise<void> {
    const client = this.listener;
    this.listener = null;
    if (this.poll) clearInterval(this.poll);
    if (this.recheck) clearTimeout(this.recheck);
    this.poll = this.recheck = null;
    await this.running?.catch(() => undefined);
    this.pending.clear();
    await client?.end().catch(() => undefined);
  }

  /** Runs a pass now, or right after the one under way. */
  private wake(): void {
    if (!this.listener) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = (async () => {
      do {
        this.again = false;
        await this.pass();
      } while (this.again && this.listener);
    })()
      .catch((err) => this.log.warn(`pass: ${(err as Error).message}`))
      .finally(() => {
        this.running = null;
      });
  }

  /** Reads what was appended since the last pass, then tells of what the read models have applied. */
  private async pass(): Promise<void> {
    for (;;) {
      const events = await this.store.readLog({ after: this.cursor, limit: READ_BATCH, raw: true });
      for (const e of events) {
        for (const p of this.projections) {
          if (!p.handles.includes(e.type)) continue;
          let entry = this.pending.get(p.name);
          if (!entry) this.pending.set(p.name, (entry = { target: e, types: new Set(), streams: new Map() }));
          entry.target = { transactionId: e.transactionId, position: e.position };
          entry.types.add(e.type);
          if (entry.streams.size < MAX_STREAMS) entry.streams.set(e.streamId, e.streamType);
        }
        this.cursor = { transactionId: e.transactionId, position: e.position };
      }
      if (events.length < READ_BATCH) break;
    }
    if (this.pending.size > 0) await this.announceApplied();
  }

  private async announceApplied(): Promise<void> {
    const rows: { name: string; transaction_id: string; position: string }[] = await this.db.query(
      `select name, transaction_id::text as transaction_id, position::text as position from projection_checkpoints where name = any($1::text[])`,
      [[...this.pending.keys()]],
    );
    const ready: [string, Pending][] = [];
    for (const r of rows) {
      const entry = this.pending.get(r.name);
      if (entry && compareCursors({ transactionId: r.transaction_id, position: r.position }, entry.target) >= 0) {
        ready.push([r.name, entry]);
        this.pending.delete(r.name);
      }
    }
    if (ready.length > 0) {
      let last = ready[0][1].target;
      const types = new Set<string>();
      const streams = new Map<string, string>();
      for (const [, entry] of ready) {
        if (compareCursors(entry.target, last) > 0) last = entry.target;
        for (const t of entry.types) types.add(t);
        for (const [id, type] of entry.streams) if (streams.size < MAX_STREAMS) streams.set(id, type);
      }
      const change: LiveChange = {
        position: last.position,
        projections: ready.map(([name]) => name).sort(),
        types: [...types].sort(),
        streams: [...streams].map(([id, type]) => ({ id, type })),
      };
      for (const sub of this.subscribers) sub.change(change);
      this.recheckDelay = 20;
    } else {
      this.recheckDelay = Math.min(this.recheckDelay * 2, 1000);
    }
    // Checkpoints move without a notification: look again shortly while some model is behind.
    if (this.pending.size > 0 && this.listener && !this.recheck) {
      this.recheck = setTimeout(() => {
        this.recheck = null;
        this.wake();
      }, this.recheckDelay);
    }
  }
}
