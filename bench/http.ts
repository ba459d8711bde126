import 'reflect-metadata';
import autocannon from 'autocannon';
import { benchDatabase, migrate } from './support/database.js';
import { QUICK, atLeast, concurrently, machine, median, printTable, round, runMain, writeResult } from './support/report.js';
import { type Service, startAll, startReference, startService } from './support/service.js';
import { rawPg, recordMeetingBody, writers } from './support/workloads.js';

/**
 * Pattern 2, RecordMeeting over HTTP end to end (auth, validation, reference check, command,
 * append) against the service in a process of its own, with autocannon at 16 and 64
 * connections; beside it, in alternating rounds, the raw `pg` pattern of the append benchmark
 * (1 event per transaction, 16 writers). The service runs without projections here: their cost
 * under writes is what the lag benchmark measures.
 *
 * A third row is the reference for what HTTP costs on this machine: a bare Express server doing
 * the same INSERT (support/bare-express.ts), under the same autocannon load. The load generator
 * shares the machine's cores with the server and PostgreSQL, which the raw `pg` pattern does not.
 */

const duration = QUICK ? 1 : 5;
const rounds = QUICK ? 3 : 5;
const rawEvents = QUICK ? 1000 : 6000;

async function party(service: Service, name: string): Promise<string> {
  const res = await fetch(`${service.url}/api/v1/parties`, {
    method: 'POST',
    headers: { ...service.auth('recorder'), 'content-type': 'application/json' },
    body: JSON.stringify({ name, kind: 'international_organization' }),
  });
  if (res.status !== 201) throw new Error(`register party: ${res.status} ${await res.text()}`);
  return ((await res.json()) as { id: string }).id;
}

async function main(): Promise<void> {
  const db = await benchDatabase();
  try {
    await migrate(db.url);
    const raw = await rawPg(db.url);
    const [service, bare] = await startAll(
      () => startService(db.url, { projections: false }),
      () => startReference('bare-express.js', db.url),
    );
    try {
      const parties = [await party(service, 'Ministry of Culture'), await party(service, 'UN Alliance of Civilizations')];
      const body = recordMeetingBody(parties);
      const http = async (connections: number, base = service.url, seconds = duration) => {
        const r = await autocannon({
          url: `${base}/api/v1/meetings`,
          method: 'POST',
          connections,
          duration: seconds,
          headers: { ...service.auth('recorder'), 'content-type': 'application/json' },
          body,
        });
        if (r.non2xx || r.errors || r.timeouts) throw new Error(`RecordMeeting: ${r.non2xx} non-2xx, ${r.errors} errors, ${r.timeouts} timeouts`);
        return { rps: r['2xx'] / r.duration, p50: r.latency.p50, p99: r.latency.p99 };
      };
      const runs: (() => Promise<{ rps: number; p50?: number; p99?: number }>)[] = [
        async () => ({ rps: await concurrently(16, rawEvents, (w, i) => raw.one(ws[w], i)) }),
        () => http(16),
        () => http(64),
        () => http(16, bare.url),
      ];
      const ws = writers(16);
      // warm-up, both servers
      await http(16, service.url, QUICK ? 0.5 : duration);
      await http(16, bare.url, QUICK ? 0.5 : duration);
      const results = runs.map(() => [] as { rps: number; p50?: number; p99?: number }[]);
      for (let r = 0; r < rounds; r++) {
        for (let k = 0; k < runs.length; k++) {
          const i = (k + r) % runs.length;
          results[i].push(await runs[i]());
        }
        process.stdout.write(`\r  round ${r + 1}/${rounds}`);
      }
      process.stdout.write('\n');
      const ratio = (i: number) => median(results[i].map((x, r) => x.rps / results[0][r].rps));
      const rows = [
        { pattern: 'raw pg, 1 event/tx, 16 writers', 'req/s (events/s)': round(median(results[0].map((x) => x.rps))), 'p50 ms': '', 'p99 ms': '', 'ratio to raw pg': '', 'ratio to bare Express': '' },
        ...[1, 2, 3].map((i) => ({
          pattern: i === 3 ? 'reference: bare Express + one INSERT, 16 connections' : `POST /meetings, ${i === 1 ? 16 : 64} connections`,
          'req/s (events/s)': round(median(results[i].map((x) => x.rps))),
          'p50 ms': round(median(results[i].map((x) => x.p50!)), 1),
          'p99 ms': round(median(results[i].map((x) => x.p99!)), 1),
          'ratio to raw pg': i === 1 ? atLeast(ratio(i), 0.4) : round(ratio(i), 2),
          'ratio to bare Express': i === 3 ? '' : round(median(results[i].map((x, r) => x.rps / results[3][r].rps)), 2),
        })),
      ];
      printTable(`RecordMeeting over HTTP (autocannon, ${duration} s per run): medians of ${rounds} alternating rounds`, rows);
      writeResult('http', { machine: await machine(db.url), duration, rounds, rows, runs: results });
    } finally {
      await service.stop();
      await bare.stop();
      await raw.close();
    }
  } finally {
    await db.drop();
    await db.stop();
  }
}

runMain(main);
