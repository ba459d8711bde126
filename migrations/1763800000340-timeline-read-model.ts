import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The timeline read model: one entry per fact of the world, keyed by the position of the
 * event that recorded it, in world-date order; names and folded records of its own.
 */
export class TimelineReadModel1763800000340 implements MigrationInterface {
  name = 'TimelineReadModel1763800000340';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`create table rm_timeline_parties (party_id uuid primary key, name text not null, short_name text)`);
    await q.query(`create table rm_timeline_people (person_id uuid primary key, full_name text not null)`);
    // forums, agreements, meetings and commitments, folded: later events name only the record
    await q.query(`create table rm_timeline_records (record_id uuid primary key, kind text not null, state jsonb not null)`);
    await q.query(`
      create table rm_timeline_entries (
        position   bigint primary key,
        kind       text not null,
        type       text not null,
        record_id  uuid not null,
        on_date    text not null,
        first_day  date not null,
        last_day   date not null,
        title      text not null,
        party_ids  uuid[] not null
      )`);
    await q.query(`create index rm_timeline_entries_order on rm_timeline_entries (first_day, last_day, position)`);
    await q.query(`create index rm_timeline_entries_parties on rm_timeline_entries using gin (party_ids)`);
    await q.query(`create index rm_timeline_entries_record on rm_timeline_entries (record_id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const t of ['rm_timeline_entries', 'rm_timeline_records', 'rm_timeline_people', 'rm_timeline_parties']) {
      await q.query(`drop table ${t}`);
    }
  }
}
