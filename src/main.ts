import 'reflect-metadata';
import 'dotenv/config';
import { createApp } from './app.js';
import { ConfigError, loadConfig } from './config/config.js';
import { type EmbeddedDatabase, startEmbeddedPostgres } from './database/embedded-postgres.js';
import { seedOnFirstStart } from './seeding/first-start.js';
import { TokenService } from './shared/auth/token.service.js';

async function main(): Promise<void> {
  const config = loadConfig();
  let embedded: EmbeddedDatabase | null = null;
  let url = config.databaseUrl;
  if (!url) {
    embedded = await startEmbeddedPostgres({
      dataDir: config.dataDir,
      port: config.embeddedPgPort,
      log: (line) => console.log(line),
    });
    url = embedded.url;
  }
  const app = await createApp(config, url);
  // An empty log (a new install) gets the recorded history before the service says it is up.
  await seedOnFirstStart(app);
  await app.listen(config.port, config.host);
  const base = `http://localhost:${config.port}`;
  console.log(`Entente is listening on ${base}/api/v1`);
  console.log(`API docs: ${base}/docs`);
  console.log(embedded ? `Database: embedded PostgreSQL, data in ${config.dataDir}/pg` : 'Database: DATABASE_URL');
  const firstAdminToken = app.get(TokenService).takeFirstAdminToken();
  if (firstAdminToken) console.log(`Admin token (shown once): ${firstAdminToken}`);

  let closing = false;
  const shutdown = async (signal: string) => {
    if (closing) return;
    closing = true;
    console.log(`${signal}: shutting down`);
    await app.close();
    await embedded?.stop();
    process.exit(0);
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
}

main().catch((err) => {
  if (err instanceof ConfigError) {
    console.error(`Configuration error: ${err.message}`);
  } else {
    console.error(err instanceof Error ? (err.stack ?? err.message) : err);
  }
  process.exit(1);
});
