import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The meetings read model. */
export class MeetingsReadModel1763800000350 implements MigrationInterface {
  name = 'MeetingsReadModel1763800000350';

  async up(_q: QueryRunner): Promise<void> {}

  async down(_q: QueryRunner): Promise<void> {}
}
