import 'reflect-metadata';
import autocannon from 'autocannon';
import pg from 'pg';
import { benchDatabase } from './support/database.js';
import { growLog, waitForProjections } from './support/log.js';
import { QUICK, below, machine, printTable, round, runMain, writeResult } from './support/report.js';
import { startService } from './support/service.js';

/**
 * Pattern 6, reads at a fixed rate: upcoming forums, and one partnership (the pair with the
 * most shared facts), each at 200 requests per second (autocannon, open rate), against the
 * service (its own process, projections caught up) over a generated log.
 */

const events = QUICK ? 5_000 : 50_000;
const duration = QUICK ? 3 : 15;
const RATE = 200;

async function main(): Promise<void> {
  const db = await benchDatabase();
  try {
    const grown = await growLog(db.url, events);
    const service = await startService(db.url, { projections: true });
    try {
      const caughtUp = await waitForProjections(db.url);
      console.log(`log: ${grown.events} events; projections caught up in ${round(caughtUp, 1)} s`);
      const c = new pg.Client({ connectionString: db.url });
      await c.connect();
      const {
        rows: [{ id }],
      } = await c.query(`select partnership_id as id from rm_partnership_links group by 1 order by count(*) desc limit 1`);
      const {
        rows: [{ links }],
      } = await c.query(`select count(*)::int as links from rm_partnership_links where partnership_id = $1`, [id]);
      await c.end();
      const targets = [
        { read: 'GET /forums/upcoming', path: '/api/v1/forums/upcoming' },
        { read: `GET /partnerships/:id (${links} shared facts)`, path: `/api/v1/partnerships/${id}` },
      ];
      const rows: Record<string, unknown>[] = [];
      for (const t of targets) {
        const probe = await fetch(`${service.url}${t.path}`, { headers: service.auth('viewer') });
        if (probe.status !== 200) throw new Error(`${t.path}: ${probe.status} ${await probe.text()}`);
        const bytes = (await probe.arrayBuffer()).byteLength;
        await autocannon({ url: `${service.url}${t.path}`, headers: service.auth('viewer'), connections: 10, overallRate: RATE, duration: 2 }); // warm-up
        const r = await autocannon({ url: `${service.url}${t.path}`, headers: service.auth('viewer'), connections: 10, overallRate: RATE, duration });
        if (r.non2xx || r.errors || r.timeouts) throw new Error(`${t.path}: ${r.non2xx} non-2xx, ${r.errors} errors, ${r.timeouts} timeouts`);
        rows.push({
          read: t.read,
          'answer bytes': bytes,
          'req/s': round(r['2xx'] / r.duration),
          'p50 ms': round(r.latency.p50, 1),
          'p99 ms': below(r.latency.p99, 20),
          'max ms': round(r.latency.max, 1),
        });
      }
      printTable(`Reads at ${RATE} requests per second for ${duration} s each (10 connections), over a log of ${grown.events} events`, rows);
      writeResult('reads', { machine: await machine(db.url), events: grown.events, rate: RATE, duration, rows });
    } finally {
      await service.stop();
    }
  } finally {
    await db.drop();
    await db.stop();
  }
}

runMain(main);
