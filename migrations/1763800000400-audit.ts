import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The global hash chain over the log in commit order, and indexes for the auditors' filters. */
export class Audit1763800000400 implements MigrationInterface {
  name = 'Audit1763800000400';

  async up(q: QueryRunner): Promise<void> {
    // seq is the event's place in commit order; chain_hash covers every event up to it.
    await q.query(`
      create table audit_seals (
        seq             bigint primary key,
        global_position bigint not null unique,
        transaction_id  xid8 not null,
        event_hash      bytea not null,
        chain_hash      bytea not null
      )`);
    await q.query(`create index events_correlation on events ((metadata->>'correlationId'), global_position)`);
    await q.query(`create index events_actor on events ((metadata->>'actor'), transaction_id, global_position)`);
    await q.query(`create index events_recorded_at on events (recorded_at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('drop index events_recorded_at');
    await q.query('drop index events_actor');
    await q.query('drop index events_correlation');
    await q.query('drop table audit_seals');
  }
}
