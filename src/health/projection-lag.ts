import type { DataSource } from 'typeorm';
import type { Projection } from '../projections/projection.js';

/** Past this many unapplied events a projection's lag is reported as this many (the count stays cheap). */
export const LAG_COUNT_CAP = 10_000;

export interface ProjectionLag {
  name: string;
  /** checkpoint: global position of the last event applied (0: none yet) */
  position: string;
  /** events of the types it handles that it has not applied yet (at most LAG_COUNT_CAP) */
  lag: number;
  /** age of the oldest of those events, in seconds; 0 when there is none */
  lagSeconds: number;
  status: 'running' | 'paused';
  /** the instance holding its lease, when the lease is live */
  owner: string | null;
  /** unresolved dead letters: events it failed to apply */
  deadLetters: number;
}

/**
 * Every projection's checkpoint and how far behind the log it is, in one statement: the events
 * past the checkpoint of the types it handles (in commit order, as the projection reads them),
 * counted up to a cap, and the age of the oldest. Events waiting behind the commit-order fence
 * (a long transaction) count: that is exactly a stall.
 */
export async function projectionLags(db: DataSource, projections: readonly Projection[]): Promise<ProjectionLag[]> {
  const handles = Object.fromEntries(projections.map((p) => [p.name, p.handles]));
  const rows: {
    name: string;
    position: string;
    lag: number;
    oldest_age: number | null;
    status: 'running' | 'paused';
    owner: string | null;
    dead_letters: number;
  }[] = await db.query(
    `with h as (select key as name, array(select jsonb_array_elements_text(value)) as types from jsonb_each($1::jsonb))
     select c.name, c.position::text as position, c.status,
            case when c.lease_expires_at > clock_timestamp() then c.owner end as owner,
            w.lag, extract(epoch from clock_timestamp() - w.oldest)::float8 as oldest_age,
            (select count(*)::int from projection_dead_letters d where d.name = c.name and d.resolved_at is null) as dead_letters
       from projection_checkpoints c
       join h using (name)
       cross join lateral (
         select count(*)::int as lag, min(e.recorded_at) as oldest
           from (select e.recorded_at from events e
                  where (e.transaction_id, e.global_position) > (c.transaction_id, c.position) and e.type = any(h.types)
                  order by e.transaction_id, e.global_position
                  limit $2) e
       ) w
      order by c.name`,
    [JSON.stringify(handles), LAG_COUNT_CAP],
  );
  return rows.map((r) => ({
    name: r.name,
    position: r.position,
    lag: r.lag,
    // recorded_at comes from the appending instance's clock: a clock ahead of the database's
    // would make a fresh event look younger than now.
    lagSeconds: r.oldest_age === null ? 0 : Math.max(0, Math.round(r.oldest_age * 10) / 10),
    status: r.status,
    owner: r.owner,
    deadLetters: r.dead_letters,
  }));
}
