import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The append-only event log: the only source of truth. Everything else is derived from it.
 */
export class EventStore1763800000000 implements MigrationInterface {
  name = 'EventStore1763800000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      create table events (
        global_position bigint generated always as identity primary key,
        -- the writing transaction: readers follow commit order with the xid8 fence
        transaction_id  xid8 not null default pg_current_xact_id(),
        stream_id       uuid not null,
        stream_type     text not null,
        stream_version  integer not null check (stream_version > 0),
        type            text not null,
        schema_version  integer not null default 1 check (schema_version > 0),
        data            jsonb not null,
        metadata        jsonb not null,
        -- business time: the world date of the fact (a partial date), when it has one
        occurred_on     text,
        -- system time
        recorded_at     timestamptz not null default now(),
        -- sha-256 over this event and the previous hash of its stream
        hash            bytea not null,
        constraint events_stream_version_unique unique (stream_id, stream_version)
      )`);
    await q.query(`create index events_commit_order on events (transaction_id, global_position)`);
    await q.query(`create index events_type on events (type, transaction_id, global_position)`);

    await q.query(`
      create function events_append_only() returns trigger language plpgsql as $$
      begin
        raise exception 'the event log is append-only: % is not allowed on events', tg_op
          using errcode = 'insufficient_privilege';
      end $$`);
    await q.query(`create trigger events_no_update_delete before update or delete on events
                   for each row execute function events_append_only()`);
    await q.query(`create trigger events_no_truncate before truncate on events
                   for each statement execute function events_append_only()`);

    await q.query(`
      create table idempotency_keys (
        actor        text not null,
        key          text not null,
        request_hash text not null,
        status       integer not null,
        response     jsonb not null,
        created_at   timestamptz not null default now(),
        primary key (actor, key)
      )`);

    await q.query(`
      create table projection_checkpoints (
        name           text primary key,
        transaction_id xid8 not null default '0',
        position       bigint not null default 0,
        updated_at     timestamptz not null default now()
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('drop table projection_checkpoints');
    await q.query('drop table idempotency_keys');
    await q.query('drop table events');
    await q.query('drop function events_append_only()');
  }
}
