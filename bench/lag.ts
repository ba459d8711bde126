import 'reflect-metadata';
import pg from 'pg';
import { compareCursors } from '../src/event-store/log-cursor.js';
import type { LogCursor } from '../src/event-store/event.types.js';
import { benchDatabase, migrate } from './support/database.js';
import { waitForProjections } from './support/log.js';
import { openLoop } from './support/open-loop.js';
import { QUICK, below, machine, percentile, printTable, round, runMain, writeResult } from './support/report.js';
import { startAll, startService } from './support/service.js';
import { recordMeetingBody } from './support/workloads.js';

/**
 * Pattern 5, projection lag under a sustained write load: the service takes RecordMeeting at a
 * fixed rate (open loop); a separate connection polls the checkpoints every 5 ms. Lag of a write
 * = the first poll that shows a checkpoint at or past the event, minus the moment its 201 arrived
 * (the commit happened just before): for the meetings read model, and for every projection (the
 * slowest). A warm-up at the same rate comes first.
 *
 * Three deployments, each on a database of its own: one instance that answers the requests and
 * runs the projections in its main thread (`PROJECTIONS_THREAD=main`), the same with the
 * projections in a worker thread of its process (the default), and an API instance
 * (`PROJECTIONS=false`) beside a projector instance that takes no requests (docs/operations.md).
 * The first shares one event loop between the HTTP work and the projections; at 200 writes/s
 * that loop is busy nearly all the time on a 2-core machine (bench/README.md). `--quick` measures
 * the default and the pair (the first, neither the default nor recommended, only in a full run),
 * to keep the quick run within its two minutes.
 */

const DEPLOYMENTS: { name: string; api: { projections: boolean; env?: Record<string, string> }; projector: boolean; quick: boolean }[] = [
  { name: 'one instance, projections in its main thread', api: { projections: true, env: { PROJECTIONS_THREAD: 'main' } }, projector: false, quick: false },
  { name: 'one instance, projections in a worker thread', api: { projections: true, env: { PROJECTIONS_THREAD: 'worker' } }, projector: false, quick: true },
  { name: 'API instance + projector instance', api: { projections: false }, projector: true, quick: true },
];

const rate = QUICK ? 100 : 200;
const seconds = QUICK ? 2 : 20;
const warmUp = QUICK ? 1 : 5;
const POLL_MS = 5;

interface Sample {
  at: number;
  cursors: Map<string, LogCursor>;
}

const now = () => Number(process.hrtime.bigint()) / 1e6;

/** One deployment's lag: the rows of the table, labelled by the deployment. */
async function measure(
  deployment: (typeof DEPLOYMENTS)[number],
): Promise<{ rows: Record<string, unknown>[]; perProjection: Record<string, unknown>[]; achieved: number; machine: unknown }> {
  const db = await benchDatabase();
  try {
    await migrate(db.url);
    // The API instance and, in the pair, the projector instance, started together.
    const [service, projector] = deployment.projector
      ? await startAll(
          () => startService(db.url, deployment.api),
          () => startService(db.url, { projections: true }),
        )
      : [await startService(db.url, deployment.api), null];
    const poller = new pg.Client({ connectionString: db.url });
    try {
      await poller.connect();
      const headers = { ...service.auth('recorder'), 'content-type': 'application/json' };
      const parties: string[] = [];
      for (const name of ['Ministry of Culture', 'UN Alliance of Civilizations']) {
        const res = await fetch(`${service.url}/api/v1/parties`, { method: 'POST', headers, body: JSON.stringify({ name, kind: 'state' }) });
        parties.push(((await res.json()) as { id: string }).id);
      }
      const body = recordMeetingBody(parties);
      // Warm-up, not measured: the same load for a few seconds, so that what is measured is the
      // steady state, not the first seconds of a cold process (JIT, the pool's connections and
      // their prepared statements), when lag reaches about a second (bench/README.md).
      const warm = await openLoop(`${service.url}/api/v1/meetings`, { rate, seconds: warmUp, method: 'POST', headers, body });
      if (warm.failures.length) throw new Error(`${warm.failures.length} warm-up writes failed, e.g. ${warm.failures[0]}`);
      await waitForProjections(db.url);

      const samples: Sample[] = [];
      let polling = true;
      const poll = (async () => {
        while (polling) {
          const started = now();
          const { rows } = await poller.query(`select name, transaction_id::text as t, position::text as p from projection_checkpoints`);
          samples.push({ at: now(), cursors: new Map(rows.map((r) => [r.name, { transactionId: r.t, position: r.p }])) });
          const wait = POLL_MS - (now() - started);
          if (wait > 0) await new Promise((r) => setTimeout(r, wait));
        }
      })();

      // Open loop: one request every 1000/rate ms, whatever the answers take.
      const writes: { sent: number; committed: number; position: string }[] = [];
      const failures: string[] = [];
      const inflight: Promise<void>[] = [];
      const start = now();
      for (let i = 0; i < rate * seconds; i++) {
        const due = start + (i * 1000) / rate;
        const wait = due - now();
        if (wait > 0) await new Promise((r) => setTimeout(r, wait));
        const sent = now();
        inflight.push(
          fetch(`${service.url}/api/v1/meetings`, { method: 'POST', headers, body }).then(async (res) => {
            const committed = now();
            if (res.status !== 201) failures.push(`${res.status} ${await res.text()}`);
            else writes.push({ sent, committed, position: ((await res.json()) as { position: string }).position });
          }),
        );
      }
      await Promise.all(inflight);
      const achieved = writes.length / ((now() - start) / 1000);
      await waitForProjections(db.url, 120_000);
      await new Promise((r) => setTimeout(r, 3 * POLL_MS));
      polling = false;
      await poll;
      if (failures.length) throw new Error(`${failures.length} writes failed, e.g. ${failures[0]}`);

      const { rows } = await poller.query(`select global_position::text as p, transaction_id::text as t from events where global_position = any($1::bigint[])`, [
        writes.map((w) => w.position),
      ]);
      const txOf = new Map(rows.map((r) => [r.p, r.t as string]));
      const names = [...samples[0].cursors.keys()];
      // The first sample taken at or after an instant (samples are in time order).
      const firstAfter = (t: number) => {
        let lo = 0;
        let hi = samples.length;
        while (lo < hi) {
          const mid = (lo + hi) >> 1;
          if (samples[mid].at < t) lo = mid + 1;
          else hi = mid;
        }
        return lo;
      };
      const lagOf = (w: (typeof writes)[number], which: string[]) => {
        const target: LogCursor = { transactionId: txOf.get(w.position)!, position: w.position };
        for (let i = firstAfter(w.sent); i < samples.length; i++) {
          const x = samples[i];
          if (which.every((n) => compareCursors(x.cursors.get(n)!, target) >= 0)) return Math.max(0, x.at - w.committed);
        }
        return NaN;
      };
      const meetings = writes.map((w) => lagOf(w, ['meetings']));
      const every = writes.map((w) => lagOf(w, names));
      const rowsOut = [
        { 'visible in': `meetings read model (${deployment.name})`, writes: writes.length, 'p50 ms': round(percentile(meetings, 50), 1), 'p99 ms': below(percentile(meetings, 99), 100), 'max ms': round(Math.max(...meetings), 1) },
        { 'visible in': `every projection, ${names.length} (${deployment.name})`, writes: writes.length, 'p50 ms': round(percentile(every, 50), 1), 'p99 ms': below(percentile(every, 99), 100), 'max ms': round(Math.max(...every), 1) },
      ];
      // Each projection alone, to see which one holds "every projection" back (no target).
      const perProjection = names.map((n) => {
        const lags = writes.map((w) => lagOf(w, [n]));
        return { deployment: deployment.name, projection: n, 'p50 ms': round(percentile(lags, 50), 1), 'p99 ms': round(percentile(lags, 99), 1), 'max ms': round(Math.max(...lags), 1) };
      });
      return { rows: rowsOut, perProjection, achieved: round(achieved), machine: await machine(db.url) };
    } finally {
      await poller.end().catch(() => undefined);
      await service.stop();
      await projector?.stop();
    }
  } finally {
    await db.drop();
    await db.stop();
  }
}

async function main(): Promise<void> {
  const rows: Record<string, unknown>[] = [];
  const perProjection: Record<string, unknown>[] = [];
  const achieved: Record<string, number> = {};
  let onMachine: unknown;
  for (const d of DEPLOYMENTS.filter((x) => !QUICK || x.quick)) {
    const r = await measure(d);
    rows.push(...r.rows);
    perProjection.push(...r.perProjection);
    achieved[d.name] = r.achieved;
    onMachine = r.machine;
  }
  printTable(
    `Projection lag, commit to visible, under RecordMeeting at ${rate}/s for ${seconds} s after ${warmUp} s of warm-up (achieved ${Object.values(achieved).join(' and ')}/s; polled every ${POLL_MS} ms)`,
    rows,
  );
  printTable('Each projection alone, commit to visible (which one holds "every projection" back; no target)', perProjection);
  writeResult('lag', { machine: onMachine, rate, achieved, seconds, warmUp, pollMs: POLL_MS, rows, perProjection });
}

runMain(main);
