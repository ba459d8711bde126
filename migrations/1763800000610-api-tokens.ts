import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Tokens an admin (or the CLI, or the first start) created. Only the SHA-256 of a token is
 * kept: a copy of this table lets no one in. Revoked rows stay, for the record of who could
 * do what and when.
 */
export class ApiTokens1763800000610 implements MigrationInterface {
  name = 'ApiTokens1763800000610';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      create table api_tokens (
        id           uuid primary key,
        role         text not null check (role in ('viewer', 'recorder', 'auditor', 'admin')),
        label        text not null check (length(label) between 1 and 200),
        token_hash   bytea not null unique check (octet_length(token_hash) = 32),
        created_at   timestamptz not null default now(),
        created_by   text not null,
        revoked_at   timestamptz,
        revoked_by   text,
        last_used_at timestamptz
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('drop table api_tokens');
  }
}
