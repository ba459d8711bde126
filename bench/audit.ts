import 'reflect-metadata';
import { mkdirSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { DataSource } from 'typeorm';
import { createApp } from '../src/app.js';
import { replayAll } from '../src/audit/replay.js';
import { loadConfig } from '../src/config/config.js';
import { dataSourceOptions } from '../src/database/data-source.js';
import { eventRegistry } from '../src/event-catalogue.js';
import { EventStore } from '../src/event-store/event-store.js';
import { ProjectionRebuilder } from '../src/projections/projection-rebuilder.js';
import { ProjectionRunner } from '../src/projections/projection-runner.js';
import { benchDatabase, rssSampler } from './support/database.js';
import { generateLog } from './support/generate.js';

/**
 * The auditors' side at scale: live catch-up of every projection from an empty start, the
 * NDJSON export and `GET /events` paging over the whole log, `GET /audit/verify`, the replay of
 * every projection, and time travel on the busiest partnership.
 * `npm run bench:audit -- [events]` (default 100000).
 */
const TOKEN = 'bench-admin';

function get(port: number, path: string, onData?: (chunk: Buffer) => void): Promise<{ status: number; body: string; bytes: number }> {
  return new Promise((resolve, reject) => {
    const req = http.get({ port, path, headers: { Authorization: `Bearer ${TOKEN}` } }, (res) => {
      let bytes = 0;
      const keep: Buffer[] = [];
      res.on('data', (c: Buffer) => {
        bytes += c.length;
        if (onData) onData(c);
        else keep.push(c);
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(keep).toString('utf8'), bytes }));
    });
    req.on('error', reject);
  });
}

async function main(): Promise<void> {
  const total = Number(process.argv[2] ?? 100_000);
  const db = await benchDatabase();
  const results: Record<string, unknown> = { date: new Date().toISOString(), events: total };
  const rows: [string, string][] = [];
  try {
    const ds = new DataSource(dataSourceOptions(db.url));
    await ds.initialize();
    await ds.runMigrations();
    const t0 = Date.now();
    const written = await generateLog(new EventStore(ds, eventRegistry()), total, 500);
    rows.push(['generate (append, 500 per tx)', `${written} events, ${Math.round(written / ((Date.now() - t0) / 1000))} ev/s`]);
    await ds.destroy();

    const config = { ...loadConfig({ LOG_LEVEL: 'error' }), authTokens: [{ role: 'admin' as const, token: TOKEN, label: 'bench' }], rateLimitPerMinute: 0 };
    const rss = rssSampler();
    const started = Date.now();
    const app = await createApp(config, db.url);
    await app.listen(0, '127.0.0.1');
    const port = (app.getHttpServer().address() as AddressInfo).port;
    const appDs = app.get(DataSource);
    const [{ head }] = await appDs.query(`select max(global_position)::text as head from events`);
    const runner = app.get(ProjectionRunner);
    await runner.waitFor(runner.names, head, 3_600_000);
    const catchUp = (Date.now() - started) / 1000;
    const catchUpRss = rss.stop();
    results.catchUp = { seconds: catchUp, eventsPerSecond: written / catchUp, projections: runner.names.length, peakRssMb: catchUpRss };
    rows.push([`live catch-up, ${runner.names.length} projections`, `${catchUp.toFixed(1)} s, ${Math.round(written / catchUp)} ev/s, peak RSS ${catchUpRss} MB`]);

    let r = rssSampler();
    let s = Date.now();
    let lines = 0;
    const exp = await get(port, '/api/v1/events/export', (c) => {
      for (const b of c) if (b === 10) lines++;
    });
    let secs = (Date.now() - s) / 1000;
    let peak = r.stop();
    results.export = { seconds: secs, lines, bytes: exp.bytes, eventsPerSecond: lines / secs, peakRssMb: peak };
    rows.push(['GET /events/export (NDJSON)', `${lines} lines, ${(exp.bytes / 1e6).toFixed(1)} MB in ${secs.toFixed(1)} s, ${Math.round(lines / secs)} ev/s, peak RSS ${peak} MB`]);

    r = rssSampler();
    s = Date.now();
    let cursor = '';
    let paged = 0;
    for (;;) {
      const page = await get(port, `/api/v1/events?limit=1000${cursor ? `&cursor=${cursor}` : ''}`);
      const body = JSON.parse(page.body) as { items: unknown[]; next: string };
      paged += body.items.length;
      cursor = body.next;
      if (body.items.length < 1000) break;
    }
    secs = (Date.now() - s) / 1000;
    peak = r.stop();
    results.paging = { seconds: secs, events: paged, eventsPerSecond: paged / secs, peakRssMb: peak };
    rows.push(['GET /events, pages of 1000', `${paged} events in ${secs.toFixed(1)} s, ${Math.round(paged / secs)} ev/s`]);

    s = Date.now();
    const verify = JSON.parse((await get(port, '/api/v1/audit/verify')).body) as { ok: boolean; eventsChecked: number };
    secs = (Date.now() - s) / 1000;
    results.verify = { seconds: secs, ...verify };
    rows.push(['GET /audit/verify', `${verify.ok ? 'ok' : 'BROKEN'}, ${verify.eventsChecked} events in ${secs.toFixed(1)} s, ${Math.round(verify.eventsChecked / secs)} ev/s`]);

    r = rssSampler();
    const replay = await replayAll(app.get(ProjectionRebuilder), runner.names, { line: () => undefined, progress: () => undefined });
    peak = r.stop();
    results.replay = { seconds: replay.seconds, events: replay.events, eventsPerSecond: replay.events / replay.seconds, identical: replay.identical, peakRssMb: peak };
    rows.push([
      `replay (rebuild + compare) x${runner.names.length}`,
      `${replay.identical ? 'identical' : 'DIFFERENT'}, ${replay.events} events applied in ${replay.seconds.toFixed(1)} s, ${Math.round(replay.events / replay.seconds)} ev/s, peak RSS ${peak} MB`,
    ]);

    const [busiest] = await appDs.query(
      `select partnership_id from rm_partnership_links where kind = 'meeting' group by partnership_id order by count(*) desc limit 1`,
    );
    const times: number[] = [];
    for (let i = 0; i < 7; i++) {
      s = Date.now();
      const res = await get(port, `/api/v1/partnerships/${busiest.partnership_id}?asOf=2015`);
      if (res.status !== 200) throw new Error(`time travel answered ${res.status}: ${res.body}`);
      times.push(Date.now() - s);
    }
    times.sort((a, b) => a - b);
    const [{ facts }] = await appDs.query(`select count(*)::int as facts from rm_partnership_links where partnership_id = $1`, [busiest.partnership_id]);
    results.timeTravel = { medianMs: times[3], maxMs: times[6], sharedFacts: facts };
    rows.push([`GET /partnerships/{busiest}?asOf=2015`, `median ${times[3]} ms, max ${times[6]} ms (${facts} shared facts)`]);
    await app.close();
  } finally {
    await db.drop();
    await db.stop();
  }
  const width = Math.max(...rows.map((r) => r[0].length));
  console.log(`\nAudit at ${total} events (${new Date().toISOString().slice(0, 10)})`);
  for (const [k, v] of rows) console.log(`${k.padEnd(width)}  ${v}`);
  mkdirSync('bench/results', { recursive: true });
  const file = `bench/results/audit-${total}-${new Date().toISOString().replace(/[:.]/g, '-')}.json`;
  writeFileSync(file, JSON.stringify(results, null, 2));
  console.log(`\nwritten to ${file}`);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
