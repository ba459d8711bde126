import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The commitments read model: one row per commitment (its folded state, its place in due-date
 * order, the last day it is due by, and whether the meeting it was made in was retracted), the
 * meetings retracted, and the names of the parties. Overdue depends on today, so it is never
 * stored: due_last_day is, and reads compare it with today. Rebuildable from the log at any time.
 */
export class CommitmentsReadModel1763800000370 implements MigrationInterface {
  name = 'CommitmentsReadModel1763800000370';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`create table rm_commitments_parties (party_id uuid primary key, name text not null, short_name text)`);
    await q.query(`create table rm_commitments_retracted_meetings (meeting_id uuid primary key, reason text not null)`);
    await q.query(`
      create table rm_commitments (
        commitment_id     uuid primary key,
        meeting_id        uuid,
        status            text not null,
        sort_key          text collate "C" not null,
        party_ids         uuid[] not null,
        due_last_day      date,
        retraction_reason text,
        state             jsonb not null
      )`);
    // Lists never show commitments of retracted meetings: partial indexes keep them out.
    await q.query(`create index rm_commitments_order on rm_commitments (sort_key) where retraction_reason is null`);
    await q.query(`create index rm_commitments_status on rm_commitments (status, sort_key) where retraction_reason is null`);
    await q.query(`create index rm_commitments_by_party on rm_commitments using gin (party_ids) where retraction_reason is null`);
    await q.query(`create index rm_commitments_overdue on rm_commitments (due_last_day) where status = 'open' and retraction_reason is null`);
    await q.query(`create index rm_commitments_meeting on rm_commitments (meeting_id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const t of ['rm_commitments', 'rm_commitments_retracted_meetings', 'rm_commitments_parties']) await q.query(`drop table ${t}`);
  }
}
