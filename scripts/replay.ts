import 'reflect-metadata';
import 'dotenv/config';
import { NestFactory } from '@nestjs/core';
import { AppModule } from '../src/app.module.js';
import { replayAll } from '../src/audit/replay.js';
import { ConfigError, loadConfig } from '../src/config/config.js';
import { startEmbeddedPostgres } from '../src/database/embedded-postgres.js';
import { ProjectionRebuilder } from '../src/projections/projection-rebuilder.js';
import { ProjectionRunner } from '../src/projections/projection-runner.js';

/**
 * `npm run replay [-- name ...]`: rebuilds every projection (or the ones named) from the log
 * into shadow tables, compares them with the live tables and prints a per-table summary.
 * Exits 1 when any table differs, 2 when the replay itself failed.
 */
async function main(): Promise<number> {
  const config = { ...loadConfig(), projections: false };
  const embedded = config.databaseUrl ? null : await startEmbeddedPostgres({ dataDir: config.dataDir, port: config.embeddedPgPort });
  const app = await NestFactory.createApplicationContext(AppModule.forRoot(config, config.databaseUrl ?? embedded!.url), {
    logger: ['fatal', 'error', 'warn'],
  });
  try {
    const all = app.get(ProjectionRunner).names;
    const asked = process.argv.slice(2).filter((a) => !a.startsWith('-'));
    const unknown = asked.filter((n) => !all.includes(n));
    if (unknown.length) throw new Error(`no projection named ${unknown.join(', ')} (known: ${all.join(', ')})`);
    const tty = process.stderr.isTTY;
    let lastLine = '';
    const result = await replayAll(app.get(ProjectionRebuilder), asked.length ? asked : all, {
      line: (text) => {
        if (tty && lastLine) process.stderr.write('\n');
        lastLine = '';
        process.stdout.write(`${text}\n`);
      },
      progress: (text) => {
        // On a terminal the bar redraws in place; in a log, one line per projection at the end.
        if (tty) process.stderr.write(`\r${text}`);
        else if (text.includes('100%')) process.stderr.write(`${text}\n`);
        lastLine = tty ? text : '';
      },
    });
    return result.identical ? 0 : 1;
  } finally {
    await app.close();
    await embedded?.stop();
  }
}

main().then(
  (code) => process.exit(code),
  (err) => {
    console.error(err instanceof ConfigError ? `Configuration error: ${err.message}` : err instanceof Error ? err.message : err);
    process.exit(2);
  },
);
