import type { DataSource } from 'typeorm';
import { PartnershipOpenCommitments1763800000630 } from '../migrations/1763800000630-partnership-open-commitments.js';
import { createMigratedDataSource, type TestDatabase } from './support/database.js';

/** Migrations that move data, run on rows written before them. */
describe('migrations', () => {
  let db: TestDatabase;
  let ds: DataSource;

  beforeAll(async () => {
    ({ db, ds } = await createMigratedDataSource());
  });
  afterAll(async () => {
    await ds.destroy();
    await db.drop();
  });

  it("1763800000630 marks each commitment's partnership links open or not from the commitment's state", async () => {
    const migration = new PartnershipOpenCommitments1763800000630();
    const q = ds.createQueryRunner();
    await migration.down(q); // the table as it was before
    const pair = '01900000-0000-7000-8000-0000000000aa';
    const [a, b] = ['01900000-0000-7000-8000-000000000001', '01900000-0000-7000-8000-000000000002'];
    const facts = [
      { id: '01900000-0000-7000-8000-000000000011', kind: 'commitment', state: { status: 'open' } },
      { id: '01900000-0000-7000-8000-000000000012', kind: 'commitment', state: { status: 'fulfilled' } },
      { id: '01900000-0000-7000-8000-000000000013', kind: 'commitment', state: { status: 'withdrawn' } },
      { id: '01900000-0000-7000-8000-000000000014', kind: 'meeting', state: { partyIds: [a, b] } },
    ];
    for (const f of facts) {
      await ds.query(`insert into rm_partnership_sources (source_id, kind, state) values ($1, $2, $3)`, [f.id, f.kind, JSON.stringify(f.state)]);
      await ds.query(`insert into rm_partnership_links (partnership_id, party_a, party_b, source_id, kind) values ($1, $2, $3, $4, $5)`, [pair, a, b, f.id, f.kind]);
    }
    await migration.up(q);
    await q.release();
    const rows = await ds.query(`select source_id, open from rm_partnership_links order by source_id`);
    expect(rows).toEqual([
      { source_id: facts[0].id, open: true },
      { source_id: facts[1].id, open: false },
      { source_id: facts[2].id, open: false },
      { source_id: facts[3].id, open: null },
    ]);
  });
});
