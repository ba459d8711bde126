import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Read models of the partnerships and forums projections. Rebuildable from the log at any time. */
export class ReadModels1763800000100 implements MigrationInterface {
  name = 'ReadModels1763800000100';

  async up(q: QueryRunner): Promise<void> {
    // partnerships: the state of every fact two parties share, and a link per pair it joins
    await q.query(`create table rm_partnership_parties (party_id uuid primary key, name text not null, short_name text)`);
    await q.query(`create table rm_partnership_sources (source_id uuid primary key, kind text not null, state jsonb not null)`);
    await q.query(`
      create table rm_partnership_links (
        partnership_id uuid not null,
        party_a        uuid not null,
        party_b        uuid not null,
        source_id      uuid not null,
        kind           text not null,
        on_date        text,
        first_day      date,
        last_day       date,
        primary key (partnership_id, source_id)
      )`);
    await q.query(`create index rm_partnership_links_a on rm_partnership_links (party_a, partnership_id)`);
    await q.query(`create index rm_partnership_links_b on rm_partnership_links (party_b, partnership_id)`);
    await q.query(`create index rm_partnership_links_source on rm_partnership_links (source_id)`);

    // forums: one row per forum, its folded state, and a sort key in the contract's date order
    await q.query(`create table rm_forum_parties (party_id uuid primary key, name text not null, short_name text)`);
    await q.query(`
      create table rm_forums (
        forum_id  uuid primary key,
        series    text not null,
        status    text not null,
        first_day date,
        last_day  date,
        sort_key  text collate "C" not null,
        party_ids uuid[] not null,
        state     jsonb not null
      )`);
    await q.query(`create index rm_forums_upcoming on rm_forums (sort_key) where status in ('proposed', 'planned', 'scheduled', 'postponed')`);
    await q.query(`create index rm_forums_series on rm_forums (series, sort_key)`);
    await q.query(`create index rm_forums_parties on rm_forums using gin (party_ids)`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const t of ['rm_forums', 'rm_forum_parties', 'rm_partnership_links', 'rm_partnership_sources', 'rm_partnership_parties']) {
      await q.query(`drop table ${t}`);
    }
  }
}
