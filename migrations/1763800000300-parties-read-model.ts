import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The parties read model: each party's folded state, the people who hold its offices, and their appointments. */
export class PartiesReadModel1763800000300 implements MigrationInterface {
  name = 'PartiesReadModel1763800000300';

  async up(q: QueryRunner): Promise<void> {
    // sort_name is the lower-cased name, compared bytewise so that keyset paging does not
    // depend on the server's locale; search_text holds every name and short name, past and present.
    await q.query(`
      create table rm_parties (
        party_id      uuid primary key,
        name          text not null,
        sort_name     text collate "C" not null,
        kind          text not null,
        search_text   text not null,
        registered_at timestamptz not null,
        state         jsonb not null
      )`);
    await q.query(`create index rm_parties_order on rm_parties (sort_name, party_id)`);
    await q.query(`create index rm_parties_kind on rm_parties (kind, sort_name, party_id)`);
    await q.query(`create table rm_parties_people (person_id uuid primary key, full_name text not null)`);
    await q.query(`
      create table rm_parties_offices (
        appointment_id uuid primary key,
        party_id       uuid not null,
        person_id      uuid not null,
        title          text not null,
        from_date      text not null,
        to_date        text,
        ended_on       text,
        acting         boolean not null,
        first_day      date not null,
        last_day       date not null,
        position       bigint not null
      )`);
    await q.query(`create index rm_parties_offices_party on rm_parties_offices (party_id, first_day, last_day, position)`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const t of ['rm_parties_offices', 'rm_parties_people', 'rm_parties']) await q.query(`drop table ${t}`);
  }
}
