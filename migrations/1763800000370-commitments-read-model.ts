import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The commitments read model. */
export class CommitmentsReadModel1763800000370 implements MigrationInterface {
  name = 'CommitmentsReadModel1763800000370';

  async up(_q: QueryRunner): Promise<void> {}

  async down(_q: QueryRunner): Promise<void> {}
}
