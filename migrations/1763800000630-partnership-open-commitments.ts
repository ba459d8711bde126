import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A commitment's link says whether the commitment is open, so that a partnership's open
 * commitments are counted from its links alone. They were counted by looking up each
 * commitment's state (a jsonb) in rm_partnership_sources: for the busiest pair of a 50k-event
 * log, 183 index lookups and 3.1 of the read's 4.1 ms in PostgreSQL (bench/README.md).
 * Null for the links of other kinds of fact.
 */
export class PartnershipOpenCommitments1763800000630 implements MigrationInterface {
  name = 'PartnershipOpenCommitments1763800000630';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`alter table rm_partnership_links add column open boolean`);
    await q.query(
      `update rm_partnership_links l set open = (s.state->>'status' = 'open')
         from rm_partnership_sources s
        where s.source_id = l.source_id and l.kind = 'commitment'`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`alter table rm_partnership_links drop column open`);
  }
}
