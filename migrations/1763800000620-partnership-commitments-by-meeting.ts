import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The partnerships projection finds the commitments made in a meeting when the meeting's
 * record is retracted (their links go with it). Without this index that lookup read every
 * fact's state: a scan of the whole table per retraction.
 */
export class PartnershipCommitmentsByMeeting1763800000620 implements MigrationInterface {
  name = 'PartnershipCommitmentsByMeeting1763800000620';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`create index rm_partnership_sources_meeting on rm_partnership_sources ((state->>'meetingId')) where kind = 'commitment'`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('drop index rm_partnership_sources_meeting');
  }
}
