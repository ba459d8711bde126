import pg from 'pg';

export interface FenceHolder {
  /** the holding session's backend pid */
  pid: number;
  /** its transaction id as pg_stat_activity shows it (32-bit xid, as text) */
  xid: string;
  /** rolls the transaction back (its probe event goes with it) and disconnects */
  release(): Promise<void>;
}

/**
 * Holds the commit-order fence back: a session of its own opens a transaction that has
 * written an event and does not commit, so every event committed after it waits behind it
 * (what a long-running transaction does in production).
 */
export async function holdCommitFence(url: string): Promise<FenceHolder> {
  const slow = new pg.Client({ connectionString: url });
  await slow.connect();
  const { rows } = await slow.query('select pg_backend_pid() as pid');
  await slow.query('begin');
  await slow.query(`insert into events (stream_id, stream_type, stream_version, type, data, metadata, hash) values (gen_random_uuid(), 'probe', 1, 'Probe', '{}', '{}', '\\x00')`);
  const { rows: xid } = await slow.query('select xid(pg_current_xact_id())::text as xid');
  return {
    pid: rows[0].pid,
    xid: xid[0].xid,
    async release() {
      await slow.query('rollback').catch(() => undefined);
      await slow.end();
    },
  };
}
