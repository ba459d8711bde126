import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The timeline read model. */
export class TimelineReadModel1763800000340 implements MigrationInterface {
  name = 'TimelineReadModel1763800000340';

  async up(_q: QueryRunner): Promise<void> {}

  async down(_q: QueryRunner): Promise<void> {}
}
