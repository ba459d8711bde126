import 'reflect-metadata';
import autocannon from 'autocannon';
import { benchDatabase, migrate } from './support/database.js';
import { QUICK, atLeast, concurrently, machine, median, printTable, round, runMain, writeResult } from './support/report.js';
import { type Service, startService } from './support/service.js';
import { rawPg, recordMeetingBody, writers } from './support/workloads.js';

/**
 * Pattern 2, RecordMeeting over HTTP end to end (auth, validation, reference check, command,
 * append) against the service in a process of its own, with autocannon at 16 and 64
 * connections; beside it, in alternating rounds, the raw `pg` pattern of the append benchmark
 * (1 event per transaction, 16 writers). The service runs without projections here: their cost
 * under writes is what the lag benchmark measures.
 */

const duration = QUICK ? 2 : 8;
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
    const service = await startService(db.url, { projections: false });
    try {
      const parties = [await party(service, 'Ministry of Culture'), await party(service, 'UN Alliance of Civilizations')];
      const body = recordMeetingBody(parties);
      const http = async (connections: number) => {
        const r = await autocannon({
          url: `${service.url}/api/v1/meetings`,
          method: 'POST',
          connections,
          duration,
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
      ];
      const ws = writers(16);
      await http(16); // warm-up
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
        { pattern: 'raw pg, 1 event/tx, 16 writers', 'req/s (events/s)': round(median(results[0].map((x) => x.rps))), 'p50 ms': '', 'p99 ms': '', 'ratio to raw pg': '' },
        ...[1, 2].map((i) => ({
          pattern: `POST /meetings, ${i === 1 ? 16 : 64} connections`,
          'req/s (events/s)': round(median(results[i].map((x) => x.rps))),
          'p50 ms': round(median(results[i].map((x) => x.p50!)), 1),
          'p99 ms': round(median(results[i].map((x) => x.p99!)), 1),
          'ratio to raw pg': i === 1 ? atLeast(ratio(i), 0.4) : round(ratio(i), 2),
        })),
      ];
      printTable(`RecordMeeting over HTTP (autocannon, ${duration} s per run): medians of ${rounds} alternating rounds`, rows);
      writeResult('http', { machine: await machine(db.url), duration, rounds, rows, runs: results });
    } finally {
      await service.stop();
      await raw.close();
    }
  } finally {
    await db.drop();
    await db.stop();
  }
}

runMain(main);
