import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Leases, failures, skips and rebuilds of the projection engine. */
export class ProjectionEngine1763800000200 implements MigrationInterface {
  name = 'ProjectionEngine1763800000200';

  async up(q: QueryRunner): Promise<void> {
    // The checkpoint row is also the lease: one owner at a time, fenced by an epoch that every
    // checkpoint update checks, so a former owner that lost the lease cannot write.
    await q.query(`
      alter table projection_checkpoints
        add column owner            text,
        add column epoch            bigint not null default 0,
        add column lease_expires_at timestamptz,
        add column status           text not null default 'running' check (status in ('running', 'paused')),
        add column failures         integer not null default 0,
        add column retry_at         timestamptz`);
    await q.query(`
      create table projection_dead_letters (
        id              bigint generated always as identity primary key,
        name            text not null,
        position        bigint not null,
        transaction_id  xid8 not null,
        event_type      text not null,
        error           text not null,
        attempts        integer not null default 1,
        first_failed_at timestamptz not null default now(),
        last_failed_at  timestamptz not null default now(),
        resolved_at     timestamptz,
        resolution      text check (resolution in ('applied', 'skipped')),
        constraint projection_dead_letters_once unique (name, position)
      )`);
    await q.query(`
      create table projection_skips (
        id             bigint generated always as identity primary key,
        name           text not null,
        position       bigint not null,
        transaction_id xid8 not null,
        event_type     text not null,
        skipped_by     text not null,
        reason         text,
        skipped_at     timestamptz not null default now(),
        constraint projection_skips_once unique (name, position)
      )`);
    await q.query(`
      create table projection_rebuilds (
        name          text primary key,
        status        text not null check (status in ('running', 'done', 'failed')),
        mode          text not null check (mode in ('swap', 'compare')),
        requested_by  text not null,
        started_at    timestamptz not null default now(),
        finished_at   timestamptz,
        events_done   bigint not null default 0,
        events_total  bigint not null default 0,
        events_per_second numeric,
        differences   jsonb,
        error         text
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('drop table projection_rebuilds');
    await q.query('drop table projection_skips');
    await q.query('drop table projection_dead_letters');
    await q.query(`alter table projection_checkpoints drop column owner, drop column epoch, drop column lease_expires_at,
                   drop column status, drop column failures, drop column retry_at`);
  }
}
