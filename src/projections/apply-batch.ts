import { createHash } from 'node:crypto';
import type { QueryRunner } from 'typeorm';
import { pgClientOf, pgQuery } from '../database/pg-query.js';
import type { StoredEvent } from '../event-store/event.types.js';
import { ApplyError, type Projection, type ProjectionTx } from './projection.js';

const names = new Map<string, string>();

/** A stable name per statement text: PostgreSQL parses and plans it once per connection. */
function statementName(sql: string): string {
  let name = names.get(sql);
  if (!name) {
    name = `p_${createHash('sha1').update(sql).digest('hex').slice(0, 24)}`;
    if (names.size < 5000) names.set(sql, name);
  }
  return name;
}

/**
 * The transaction a batch is applied in, as projections see it: their statements run as named
 * prepared statements on the batch's connection (a projection sends the same few statements for
 * every event, so PostgreSQL parses and plans each once per connection instead of once per
 * event). A plan follows `search_path` (the rebuild's shadow tables) and table swaps: PostgreSQL
 * re-analyzes a prepared statement when either changes. Answers what TypeORM answers: rows,
 * or `[rows, rowCount]` for UPDATE and DELETE.
 */
export function projectionTx(q: QueryRunner): ProjectionTx {
  const client = pgClientOf(q);
  if (!client) return q;
  return {
    async query<T = any>(sql: string, params: unknown[] = []): Promise<T[]> {
      const r = await pgQuery(client, { name: statementName(sql), text: sql, values: params });
      return (r.command === 'UPDATE' || r.command === 'DELETE' ? [r.rows, r.rowCount] : r.rows) as T[];
    },
  };
}

/**
 * Applies a batch of events, in commit order, in the caller's transaction: through the
 * projection's `applyBatch` when it has one, else event by event. When `applyBatch` fails, its
 * writes are rolled back to a savepoint and the batch is applied event by event, so that a
 * failure names the event at fault (`ApplyError`), as it would without `applyBatch`. Without
 * the savepoint (`savepoint: false`) a failed batch is an ApplyError on its first event, and the
 * caller retries event by event (the runner does: one event per transaction).
 */
export async function applyEvents(
  p: Projection,
  events: StoredEvent[],
  q: QueryRunner,
  skipped: ReadonlySet<string>,
  options: { savepoint: boolean } = { savepoint: true },
): Promise<void> {
  const todo = skipped.size ? events.filter((e) => !skipped.has(e.position)) : events;
  if (todo.length === 0) return;
  const tx = projectionTx(q);
  if (p.applyBatch && todo.length > 1 && !options.savepoint) {
    // The caller retries a failed batch event by event (in new transactions) to find the culprit.
    try {
      await p.applyBatch(todo, tx);
    } catch (err) {
      throw new ApplyError(todo[0], err);
    }
    return;
  }
  if (p.applyBatch && todo.length > 1) {
    await q.query('savepoint apply_batch');
    try {
      await p.applyBatch(todo, tx);
      await q.query('release savepoint apply_batch');
      return;
    } catch {
      await q.query('rollback to savepoint apply_batch');
    }
  }
  for (const e of todo) {
    try {
      await p.apply(e, tx);
    } catch (err) {
      throw new ApplyError(e, err);
    }
  }
}
