import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The people read model: each person's folded state (appointments included) and the names of parties. */
export class PeopleReadModel1763800000310 implements MigrationInterface {
  name = 'PeopleReadModel1763800000310';

  async up(q: QueryRunner): Promise<void> {
    // sort_name is the lower-cased full name, compared bytewise so that keyset paging does not depend on the locale.
    await q.query(`
      create table rm_people (
        person_id     uuid primary key,
        full_name     text not null,
        sort_name     text collate "C" not null,
        state         jsonb not null
      )`);
    await q.query(`create index rm_people_order on rm_people (sort_name, person_id)`);
    await q.query(`create table rm_people_parties (party_id uuid primary key, name text not null, short_name text)`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const t of ['rm_people_parties', 'rm_people']) await q.query(`drop table ${t}`);
  }
}
