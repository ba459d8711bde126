import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The agreements read model. */
export class AgreementsReadModel1763800000360 implements MigrationInterface {
  name = 'AgreementsReadModel1763800000360';

  async up(_q: QueryRunner): Promise<void> {}

  async down(_q: QueryRunner): Promise<void> {}
}
