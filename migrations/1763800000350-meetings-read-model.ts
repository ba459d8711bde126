import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The meetings read model: one row per meeting (its folded state, the correction trail with
 * the instants they were recorded, its place in partial-date order and a full-text vector),
 * the commitments made in it, and the names of the parties and people it mentions.
 * Rebuildable from the log at any time.
 */
export class MeetingsReadModel1763800000350 implements MigrationInterface {
  name = 'MeetingsReadModel1763800000350';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`create table rm_meetings_parties (party_id uuid primary key, name text not null, short_name text)`);
    await q.query(`create table rm_meetings_people (person_id uuid primary key, full_name text not null)`);
    await q.query(`
      create table rm_meetings (
        meeting_id  uuid primary key,
        occurred_on text not null,
        first_day   date not null,
        last_day    date not null,
        sort_key    text collate "C" not null,
        party_ids   uuid[] not null,
        retracted   boolean not null,
        search      tsvector not null,
        state       jsonb not null,
        corrections jsonb not null
      )`);
    // Lists and searches never show retracted meetings: partial indexes keep them out.
    await q.query(`create index rm_meetings_order on rm_meetings (sort_key) where not retracted`);
    await q.query(`create index rm_meetings_by_party on rm_meetings using gin (party_ids) where not retracted`);
    await q.query(`create index rm_meetings_by_days on rm_meetings (last_day, first_day) where not retracted`);
    await q.query(`create index rm_meetings_search on rm_meetings using gin (search) where not retracted`);
    await q.query(`
      create table rm_meetings_commitments (
        commitment_id uuid primary key,
        meeting_id    uuid not null,
        description   text not null,
        due_by        text,
        position      bigint not null
      )`);
    await q.query(`create index rm_meetings_commitments_meeting on rm_meetings_commitments (meeting_id, position)`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const t of ['rm_meetings_commitments', 'rm_meetings', 'rm_meetings_people', 'rm_meetings_parties']) {
      await q.query(`drop table ${t}`);
    }
  }
}
