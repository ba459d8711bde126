import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The initiatives read model: one row per initiative, its folded state, and its place in launch-date order. */
export class InitiativesReadModel1763800000330 implements MigrationInterface {
  name = 'InitiativesReadModel1763800000330';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`create table rm_initiative_parties (party_id uuid primary key, name text not null, short_name text)`);
    await q.query(`
      create table rm_initiatives (
        initiative_id uuid primary key,
        kind          text not null,
        launched_on   text not null,
        first_day     date not null,
        last_day      date not null,
        sort_key      text collate "C" not null,
        party_ids     uuid[] not null,
        state         jsonb not null
      )`);
    await q.query(`create index rm_initiatives_order on rm_initiatives (sort_key)`);
    await q.query(`create index rm_initiatives_kind on rm_initiatives (kind, sort_key)`);
    await q.query(`create index rm_initiatives_parties on rm_initiatives using gin (party_ids)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`drop table rm_initiatives`);
    await q.query(`drop table rm_initiative_parties`);
  }
}
