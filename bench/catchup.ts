import 'reflect-metadata';
import { writeFileSync, mkdirSync } from 'node:fs';
import { DataSource } from 'typeorm';
import { createApp } from '../src/app.js';
import { loadConfig } from '../src/config/config.js';
import { dataSourceOptions } from '../src/database/data-source.js';
import { EventStore } from '../src/event-store/event-store.js';
import { ProjectionRebuilder } from '../src/projections/projection-rebuilder.js';
import { ProjectionRunner } from '../src/projections/projection-runner.js';
import { benchDatabase, rssSampler } from './support/database.js';
import { generateLog } from './support/generate.js';

/**
 * Projection catch-up and rebuild on a generated log: `npm run bench:catchup -- 100000`.
 * 1. appends N events; 2. starts the service with empty read models and times how long the
 * projections take to catch up; 3. rebuilds each projection (compare mode) and times it.
 */
async function main(): Promise<void> {
  const total = Number(process.argv[2] ?? 100_000);
  const db = await benchDatabase();
  try {
    const ds = new DataSource(dataSourceOptions(db.url));
    await ds.initialize();
    await ds.runMigrations();
    const store = new EventStore(ds);
    let t = Date.now();
    const written = await generateLog(store, total, 500, (n) => {
      if (n % 20_000 < 500) process.stdout.write(`\r  appending: ${n}/${total}`);
    });
    const appendSeconds = (Date.now() - t) / 1000;
    console.log(`\rappended ${written} events in ${appendSeconds.toFixed(1)} s (${Math.round(written / appendSeconds)} events/s, 500 per transaction)`);
    await ds.destroy();

    const config = { ...loadConfig({ LOG_LEVEL: 'warn' }), authTokens: [{ role: 'admin' as const, token: 'bench', label: 'bench' }] };
    const rss = rssSampler();
    t = Date.now();
    const app = await createApp(config, db.url);
    const runner = app.get(ProjectionRunner);
    const [{ position }] = await app.get(DataSource).query(`select max(global_position)::text as position from events`);
    await runner.waitFor(runner.names, position, 3_600_000);
    const catchUpSeconds = (Date.now() - t) / 1000;
    const catchUpRss = rss.stop();
    console.log(`catch-up of ${runner.names.length} projections from empty: ${catchUpSeconds.toFixed(1)} s, ${Math.round(written / catchUpSeconds)} events/s across all, peak RSS ${catchUpRss} MB`);

    const rebuilds: Record<string, unknown>[] = [];
    for (const name of runner.names) {
      const r = rssSampler();
      const report = await app.get(ProjectionRebuilder).rebuild(name, 'compare', 'bench');
      const peak = r.stop();
      rebuilds.push({ name, events: report.events, seconds: +report.seconds.toFixed(2), eventsPerSecond: Math.round(report.eventsPerSecond), peakRssMb: peak, identical: report.identical });
      console.log(`rebuild ${name.padEnd(13)} ${String(report.events).padStart(8)} events ${report.seconds.toFixed(1).padStart(6)} s ${String(Math.round(report.eventsPerSecond)).padStart(7)} ev/s  RSS ${peak} MB  ${report.identical ? 'identical' : 'DIFFERENT'}`);
    }
    await app.close();
    mkdirSync('bench/results', { recursive: true });
    const result = { date: new Date().toISOString(), events: written, appendSeconds, catchUpSeconds, catchUpEventsPerSecond: Math.round(written / catchUpSeconds), catchUpPeakRssMb: catchUpRss, rebuilds };
    writeFileSync(`bench/results/catchup-${total}.json`, JSON.stringify(result, null, 2));
  } finally {
    await db.drop();
    await db.stop();
  }
}

main().then(
  () => process.exit(0),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
