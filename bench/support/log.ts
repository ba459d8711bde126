import pg from 'pg';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from '../../src/database/data-source.js';
import { EventStore } from '../../src/event-store/event-store.js';
import { benchDatabase } from './database.js';
import { generateLog } from './generate.js';
import { QUICK, round } from './report.js';

/** The log sizes the log-read and rebuild benchmarks compare (the ratio must not fall from one to the other). */
export const LOG_SIZES = QUICK ? [5_000, 10_000] : [100_000, 1_000_000];

/**
 * Grows the generated log of a benchmark database to about `target` events (through the event
 * store, 500 events per transaction); answers the count and the append rate.
 */
export async function growLog(url: string, target: number): Promise<{ events: number; eventsPerSecond: number }> {
  const ds = new DataSource(dataSourceOptions(url));
  await ds.initialize();
  try {
    await ds.runMigrations();
    const [{ n }] = await ds.query(`select count(*)::int as n from events`);
    if (n >= target) return { events: n, eventsPerSecond: NaN };
    const store = new EventStore(ds);
    const t = Date.now();
    const written = await generateLog(store, target - n, 500, (w) => {
      if (w % 50_000 < 500) process.stdout.write(`\r  generating the log: ${n + w}/${target}`);
    });
    const seconds = (Date.now() - t) / 1000;
    process.stdout.write('\r' + ' '.repeat(60) + '\r');
    return { events: n + written, eventsPerSecond: written / seconds };
  } finally {
    await ds.destroy();
  }
}

/** Waits until every projection's checkpoint has reached the last event of the log. */
export async function waitForProjections(url: string, timeoutMs = 600_000): Promise<number> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  const t = Date.now();
  try {
    for (;;) {
      const { rows } = await c.query(
        `select count(*) filter (where (c.transaction_id, c.position) < (h.transaction_id, h.global_position))::int as behind, count(*)::int as total
           from projection_checkpoints c,
                (select transaction_id, global_position from events order by transaction_id desc, global_position desc limit 1) h`,
      );
      if (rows[0].total > 0 && rows[0].behind === 0) return (Date.now() - t) / 1000;
      if (Date.now() - t > timeoutMs) throw new Error(`projections did not catch up in ${timeoutMs / 1000} s`);
      await new Promise((r) => setTimeout(r, 100));
    }
  } finally {
    await c.end();
  }
}

/**
 * Runs `fn` on a generated log of each size in turn. `npm run bench` generates each log once,
 * as a template database named in BENCH_LOG_TEMPLATES (size -> name), and every benchmark gets
 * a copy; run alone, a benchmark grows one log of its own from size to size.
 */
export async function withLogs(sizes: number[], fn: (url: string, events: number) => Promise<void>): Promise<void> {
  const templates = process.env.BENCH_LOG_TEMPLATES ? (JSON.parse(process.env.BENCH_LOG_TEMPLATES) as Record<string, string>) : null;
  if (templates && sizes.every((n) => templates[n])) {
    for (const size of sizes) {
      const db = await benchDatabase({ template: templates[size] });
      try {
        const c = new pg.Client({ connectionString: db.url });
        await c.connect();
        const { rows } = await c.query(`select count(*)::int as n from events`);
        await c.end();
        console.log(`log: ${rows[0].n} events (a copy of the generated log)`);
        await fn(db.url, rows[0].n);
      } finally {
        await db.drop();
      }
    }
    return;
  }
  const db = await benchDatabase();
  try {
    for (const size of sizes) {
      const grown = await growLog(db.url, size);
      console.log(`log: ${grown.events} events${Number.isFinite(grown.eventsPerSecond) ? ` (appended at ${round(grown.eventsPerSecond)} events/s, 500 per transaction)` : ''}`);
      await fn(db.url, grown.events);
    }
  } finally {
    await db.drop();
  }
}

/** The generated logs as template databases, for every benchmark of a run; `drop` removes them. */
export async function makeLogTemplates(sizes: number[]): Promise<{ names: Record<string, string>; drop(): Promise<void> }> {
  const made: Awaited<ReturnType<typeof benchDatabase>>[] = [];
  const names: Record<string, string> = {};
  try {
    let previous: string | undefined;
    for (const size of sizes) {
      const db = await benchDatabase(previous ? { template: previous } : {});
      made.push(db);
      const t = Date.now();
      const grown = await growLog(db.url, size);
      console.log(`generated log of ${grown.events} events in ${round((Date.now() - t) / 1000, 1)} s`);
      names[size] = db.name;
      previous = db.name;
    }
  } catch (err) {
    for (const db of made) await db.drop().catch(() => undefined);
    throw err;
  }
  return {
    names,
    async drop() {
      for (const db of made) await db.drop().catch(() => undefined);
    },
  };
}
