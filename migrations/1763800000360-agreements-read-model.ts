import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The agreements read model: one row per agreement (its folded state, its place in date order,
 * and the days its status turns on), and the names of the parties and signatories.
 * Status depends on today, so it is never stored: the days are, and reads compare them with today.
 * Rebuildable from the log at any time.
 */
export class AgreementsReadModel1763800000360 implements MigrationInterface {
  name = 'AgreementsReadModel1763800000360';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`create table rm_agreements_parties (party_id uuid primary key, name text not null, short_name text)`);
    await q.query(`create table rm_agreements_people (person_id uuid primary key, full_name text not null)`);
    await q.query(`
      create table rm_agreements (
        agreement_id         uuid primary key,
        kind                 text not null,
        sort_key             text collate "C" not null,
        party_ids            uuid[] not null,
        terminated_first_day date,
        terminated_last_day  date,
        expires_last_day     date,
        state                jsonb not null
      )`);
    await q.query(`create index rm_agreements_order on rm_agreements (sort_key)`);
    await q.query(`create index rm_agreements_kind on rm_agreements (kind, sort_key)`);
    await q.query(`create index rm_agreements_by_party on rm_agreements using gin (party_ids)`);
    await q.query(`create index rm_agreements_terminated on rm_agreements (terminated_first_day) where terminated_first_day is not null`);
    await q.query(`create index rm_agreements_expires on rm_agreements (expires_last_day) where expires_last_day is not null`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const t of ['rm_agreements', 'rm_agreements_people', 'rm_agreements_parties']) await q.query(`drop table ${t}`);
  }
}
