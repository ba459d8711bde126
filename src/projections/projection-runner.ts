import { type BeforeApplicationShutdown, Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import pg from 'pg';
import { DataSource } from 'typeorm';
import { EVENTS_CHANNEL, EventStore } from '../event-store/event-store.js';
import type { LogCursor } from '../event-store/event.types.js';
import { compareCursors } from '../event-store/log-cursor.js';
import { DATABASE_URL } from '../database/database.module.js';
import { APP_CONFIG } from '../config/config.module.js';
import type { Config } from '../config/config.js';
import { AppError } from '../shared/errors.js';
import { PROJECTIONS, type Projection } from './projection.js';

const BATCH = 500;
const POLL_MS = 1000;

/**
 * Applies the log to every projection, in commit order, in batches. Each batch's writes and
 * the checkpoint commit in one transaction, so each event takes effect exactly once.
 * Woken by NOTIFY from the append, with a poll as a fallback for lost notifications.
 */
@Injectable()
export class ProjectionRunner implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly log = new Logger('Projections');
  private listener: pg.Client | null = null;
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private again = false;
  private stopped = false;

  constructor(
    private readonly db: DataSource,
    private readonly store: EventStore,
    @Inject(PROJECTIONS) private readonly projections: Projection[],
    @Inject(DATABASE_URL) private readonly url: string,
    @Inject(APP_CONFIG) private readonly config: Config,
  ) {}

  get names(): string[] {
    return this.projections.map((p) => p.name);
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.db.query(
      `insert into projection_checkpoints (name) select unnest($1::text[]) on conflict (name) do nothing`,
      [this.names],
    );
    if (!this.config.projections) return;
    this.listener = new pg.Client({ connectionString: this.url });
    this.listener.on('notification', () => this.wake());
    this.listener.on('error', (err) => this.log.warn(`listener: ${err.message}`));
    await this.listener.connect();
    await this.listener.query(`listen ${EVENTS_CHANNEL}`);
    this.timer = setInterval(() => this.wake(), POLL_MS);
    this.wake();
  }

  /** Stops at a batch boundary, before the connection pool closes. */
  async beforeApplicationShutdown(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    await this.running?.catch(() => undefined);
    await this.listener?.end().catch(() => undefined);
  }

  /** Runs a catch-up pass now, or right after the one under way. */
  wake(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = (async () => {
      do {
        this.again = false;
        for (const p of this.projections) {
          try {
            while (!this.stopped && (await this.step(p)) === BATCH);
          } catch (err) {
            this.log.error(`${p.name}: ${(err as Error).stack ?? err}`);
          }
        }
      } while (this.again && !this.stopped);
    })().finally(() => {
      this.running = null;
    });
  }

  /** Applies one batch; answers how many events it read. */
  async step(p: Projection): Promise<number> {
    const q = this.db.createQueryRunner();
    await q.connect();
    try {
      // One snapshot for the whole step: the batch and the fence below must see the same
      // committed transactions, or the checkpoint could jump over an event never applied.
      await q.startTransaction('REPEATABLE READ');
      const [cp] = await q.query(
        `select transaction_id::text as transaction_id, position::text as position from projection_checkpoints where name = $1 for update`,
        [p.name],
      );
      const after: LogCursor = { transactionId: cp.transaction_id, position: cp.position };
      const events = await this.store.readLog({ after, limit: BATCH, types: p.handles }, q);
      for (const e of events) await p.apply(e, q);
      let next: LogCursor | null = events.length ? events[events.length - 1] : null;
      if (events.length < BATCH) {
        // Caught up: move past events of types this projection ignores, up to the fence,
        // so that read-your-writes sees them as applied.
        const [head] = await q.query(
          `select transaction_id::text as "transactionId", global_position::text as position from events
            where transaction_id < pg_snapshot_xmin(pg_current_snapshot())
            order by transaction_id desc, global_position desc limit 1`,
        );
        if (head && (!next || compareCursors(head, next) > 0) && compareCursors(head, after) > 0) next = head;
      }
      if (next) {
        await q.query(
          `update projection_checkpoints set transaction_id = $2::xid8, position = $3::bigint, updated_at = now() where name = $1`,
          [p.name, next.transactionId, next.position],
        );
      }
      await q.commitTransaction();
      return events.length;
    } catch (err) {
      if (q.isTransactionActive) await q.rollbackTransaction().catch(() => undefined);
      throw err;
    } finally {
      await q.release();
    }
  }

  /**
   * Read-your-writes: waits until every named projection has applied the event at `position`,
   * up to `timeoutMs`; then 503 with Retry-After.
   */
  async waitFor(names: string[], position: string, timeoutMs = 5000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    let target: LogCursor | null = null;
    for (let delay = 5; ; delay = Math.min(delay * 2, 50)) {
      target ??= await this.store.cursorOf(position);
      if (target) {
        const rows: { transaction_id: string; position: string }[] = await this.db.query(
          `select transaction_id::text as transaction_id, position::text as position from projection_checkpoints where name = any($1::text[])`,
          [names],
        );
        const t = target;
        if (rows.length === names.length && rows.every((r) => compareCursors({ transactionId: r.transaction_id, position: r.position }, t) >= 0)) {
          return;
        }
      }
      if (Date.now() >= deadline) {
        throw new AppError('unavailable', 'PROJECTION.NOT_CAUGHT_UP', `The read model has not yet applied position ${position}; try again shortly.`, undefined, {
          'Retry-After': '1',
        });
      }
      this.wake();
      await new Promise((r) => setTimeout(r, delay));
    }
  }
}
