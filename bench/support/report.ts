import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import pg from 'pg';

/** `--quick`: fewer events and shorter rounds (the whole bench under 2 minutes). */
export const QUICK = process.argv.includes('--quick');

/** A numeric option `--name=value` (e.g. `--events=200000`), else the fallback. */
export function option(name: string, fallback: number): number {
  const arg = process.argv.find((a) => a.startsWith(`--${name}=`));
  if (!arg) return fallback;
  const n = Number(arg.slice(name.length + 3));
  if (!Number.isFinite(n) || n <= 0) throw new Error(`--${name} must be a positive number`);
  return n;
}

export function median(xs: number[]): number {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** Nearest-rank percentile (p in 0..100) of a list of numbers. */
export function percentile(xs: number[], p: number): number {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  const rank = Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1));
  return s[rank];
}

export const round = (x: number, digits = 0) => (Number.isFinite(x) ? Number(x.toFixed(digits)) : x);

/** Whether a figure meets its target, as the tables print it. */
export interface Verdict {
  target: string;
  value: number;
  met: boolean;
}

export function atLeast(value: number, min: number, unit = 'x'): Verdict {
  return { target: `>= ${min}${unit}`, value: round(value, 2), met: value >= min };
}

export function below(value: number, max: number, unit = ' ms'): Verdict {
  return { target: `< ${max}${unit}`, value: round(value, 1), met: value < max };
}

export const verdictText = (v: Verdict) => `${v.value} (${v.target}: ${v.met ? 'met' : 'MISSED'})`;

/** Prints rows as an aligned text table. */
export function printTable(title: string, rows: Record<string, unknown>[]): void {
  console.log(`\n${title}`);
  if (rows.length === 0) return;
  const cols = [...new Set(rows.flatMap((r) => Object.keys(r)))];
  const cell = (v: unknown) => (v === undefined || v === null ? '' : typeof v === 'object' ? verdictText(v as Verdict) : String(v));
  const widths = cols.map((c) => Math.max(c.length, ...rows.map((r) => cell(r[c]).length)));
  const line = (vals: string[]) => vals.map((v, i) => (i === 0 ? v.padEnd(widths[i]) : v.padStart(widths[i]))).join('  ');
  console.log(line(cols));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const r of rows) console.log(line(cols.map((c) => cell(r[c]))));
}

export interface Machine {
  nproc: number;
  cpu: string;
  memoryGb: number;
  node: string;
  postgres: string;
}

/** The machine a result was taken on: cores, memory, node and PostgreSQL versions. */
export async function machine(databaseUrl: string): Promise<Machine> {
  let nproc = cpus().length;
  try {
    nproc = Number(execFileSync('nproc', { encoding: 'utf8' }).trim()) || nproc;
  } catch {
    /* nproc is not everywhere */
  }
  const c = new pg.Client({ connectionString: databaseUrl });
  await c.connect();
  const { rows } = await c.query(`select current_setting('server_version') as v`);
  await c.end();
  return { nproc, cpu: cpus()[0]?.model ?? 'unknown', memoryGb: round(totalmem() / 2 ** 30, 1), node: process.version, postgres: rows[0].v };
}

/** Writes `bench/results/<name>.json` (`<name>-quick.json` for a quick run). */
export function writeResult(name: string, result: object): string {
  mkdirSync('bench/results', { recursive: true });
  const file = `bench/results/${name}${QUICK ? '-quick' : ''}.json`;
  writeFileSync(file, JSON.stringify({ name, date: new Date().toISOString(), quick: QUICK, ...result }, null, 2));
  console.log(`\nwritten: ${file}`);
  return file;
}

/** Runs a benchmark's main, exiting 0 or 1. */
export function runMain(main: () => Promise<void>): void {
  main().then(
    () => process.exit(0),
    (err) => {
      console.error(err);
      process.exit(1);
    },
  );
}

/** Samples this process's resident set size; answers the peak in MB. */
export function rssSampler(everyMs = 50): { stop(): number } {
  let peak = process.memoryUsage().rss;
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, everyMs);
  return {
    stop() {
      clearInterval(timer);
      return Math.round(Math.max(peak, process.memoryUsage().rss) / 1024 / 1024);
    },
  };
}

/** `n` workers taking jobs `0..total-1` from one counter; answers events per second. */
export async function concurrently(workers: number, total: number, job: (worker: number, i: number) => Promise<number>): Promise<number> {
  let next = 0;
  let events = 0;
  const t = process.hrtime.bigint();
  await Promise.all(
    Array.from({ length: workers }, async (_, w) => {
      for (let i = next++; i < total; i = next++) {
        const n = await job(w, i);
        events += n; // not `events += await ...`: that reads `events` before the await
      }
    }),
  );
  const seconds = Number(process.hrtime.bigint() - t) / 1e9;
  return events / seconds;
}
