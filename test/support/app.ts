import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { type AppOptions, createApp } from '../../src/app.js';
import { type Config, loadConfig } from '../../src/config/config.js';
import { createTestDatabase, type TestDatabase } from './database.js';

export const TOKENS = { admin: 'adm1n-t0ken', recorder: 'rec0rder-t0ken', viewer: 'v1ewer-t0ken', auditor: 'aud1tor-t0ken' };
export type RoleName = keyof typeof TOKENS;

export interface TestApp {
  app: INestApplication;
  db: TestDatabase;
  ds: DataSource;
  http: ReturnType<typeof request>;
  as(role: RoleName): { auth: string };
  close(): Promise<void>;
}

export interface TestAppOptions extends AppOptions {
  /** share this database (a second instance); it is then not dropped on close */
  db?: TestDatabase;
}

/** The real application (HTTP, CQRS, event store, projections) on a fresh database of its own. */
export async function startTestApp(overrides: Partial<Config> = {}, options: TestAppOptions = {}): Promise<TestApp> {
  const shared = options.db;
  const db = shared ?? (await createTestDatabase());
  const config: Config = {
    ...loadConfig({ LOG_LEVEL: 'error' }),
    authTokens: Object.entries(TOKENS).map(([role, token]) => ({ role: role as RoleName, token, label: `test-${role}` })),
    ...overrides,
  };
  const app = await createApp(config, db.url, options);
  return {
    app,
    db,
    ds: app.get(DataSource),
    http: request(app.getHttpServer()),
    as: (role) => ({ auth: `Bearer ${TOKENS[role]}` }),
    async close() {
      await app.close();
      if (!shared) await db.drop();
    },
  };
}
