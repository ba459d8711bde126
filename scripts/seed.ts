import 'reflect-metadata';
import 'dotenv/config';
import { NestFactory } from '@nestjs/core';
import { AppModule } from '../src/app.module.js';
import { ConfigError, loadConfig } from '../src/config/config.js';
import { startEmbeddedPostgres } from '../src/database/embedded-postgres.js';
import { SeedLoader } from '../src/seeding/seed-loader.js';

/**
 * `npm run seed`: loads the recorded history (seeds/) into DATABASE_URL, or the embedded
 * database, through the CommandBus. Each step has its own idempotency key, so running it
 * again writes nothing. Projections are left to the service, which catches up when it runs.
 */
async function main(): Promise<void> {
  const config = { ...loadConfig(), projections: false };
  const embedded = config.databaseUrl
    ? null
    : await startEmbeddedPostgres({ dataDir: config.dataDir, port: config.embeddedPgPort, log: (line) => console.log(line) });
  const app = await NestFactory.createApplicationContext(AppModule.forRoot(config, config.databaseUrl ?? embedded!.url), {
    logger: ['fatal', 'error', 'warn'],
  });
  try {
    console.log(`Loading the recorded history into ${embedded ? `the embedded PostgreSQL (${config.dataDir}/pg)` : 'DATABASE_URL'}`);
    const summary = await app.get(SeedLoader).load({
      onProgress: ({ done, total, step, written }) => {
        const n = String(done).padStart(String(total).length);
        const what = step.key ?? [step.target, step.appointment].filter(Boolean).join(' ');
        console.log(`  ${n}/${total} ${step.command.padEnd(20)} ${what.padEnd(44)} ${written ? `${written} event${written > 1 ? 's' : ''}` : 'already present'}`);
      },
    });
    console.log(
      `Seeded: ${summary.steps} steps, ${summary.eventsWritten} events written, ${summary.stepsSkipped} steps skipped as already present (last position ${summary.last}).`,
    );
  } finally {
    await app.close();
    await embedded?.stop();
  }
}

main().catch((err) => {
  console.error(err instanceof ConfigError ? `Configuration error: ${err.message}` : err instanceof Error ? err.message : err);
  process.exit(1);
});
