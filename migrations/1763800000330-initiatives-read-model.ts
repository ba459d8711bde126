import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The initiatives read model. */
export class InitiativesReadModel1763800000330 implements MigrationInterface {
  name = 'InitiativesReadModel1763800000330';

  async up(_q: QueryRunner): Promise<void> {}

  async down(_q: QueryRunner): Promise<void> {}
}
