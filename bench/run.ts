import { spawn } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { startBenchServer } from './support/database.js';
import { LOG_SIZES, makeLogTemplates } from './support/log.js';
import { QUICK, type Verdict, printTable, runMain, verdictText } from './support/report.js';

/**
 * `npm run bench` (`-- --quick` for the short run): every pattern in turn, each in a process of
 * its own (a fresh database each, on DATABASE_URL's server or the embedded one), then one table
 * of every target. Each benchmark prints its own table and writes bench/results/<name>.json;
 * this writes bench/results/summary.json and summary.md.
 */

const BENCHES = ['append', 'http', 'log-read', 'rebuild', 'lag', 'reads'];

/**
 * Node flags per benchmark. The rebuild runs with a 128 MB old space, as a deployment should
 * run the service: its live set stays under 100 MB at any log size, but left alone V8 lets the
 * heap grow with the garbage of the batches (see bench/README.md).
 */
const NODE_FLAGS: Record<string, string[]> = { rebuild: ['--max-old-space-size=128'] };

function run(name: string, args: string[]): Promise<number> {
  const script = fileURLToPath(new URL(`./${name}.js`, import.meta.url));
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [...(NODE_FLAGS[name] ?? []), script, ...args], { stdio: 'inherit' });
    child.on('exit', (code) => resolve(code ?? 1));
  });
}

/**
 * A checkpoint before each benchmark, so that it does not pay for the one before it: a rebuild
 * leaves gigabytes of dirty pages that PostgreSQL would otherwise write out during the next
 * benchmark (the lag benchmark's p99 went from about 115 ms alone to 650 ms right after the 1M
 * rebuild). Needs a superuser or pg_checkpoint; without one, the run goes on.
 */
async function settle(url: string): Promise<void> {
  const c = new pg.Client({ connectionString: url });
  try {
    await c.connect();
    await c.query('checkpoint');
  } catch (err) {
    console.warn(`(no checkpoint between benchmarks: ${(err as Error).message})`);
  } finally {
    await c.end().catch(() => undefined);
  }
}

const isVerdict = (v: unknown): v is Verdict => !!v && typeof v === 'object' && 'target' in v && 'met' in v && 'value' in v;

/** Every figure that has a target, labelled by its benchmark, its row and its column. */
function verdicts(name: string, result: Record<string, unknown>): { target: string; figure: string; verdict: Verdict }[] {
  const out: { target: string; figure: string; verdict: Verdict }[] = [];
  const rows = [...((result.rows as Record<string, unknown>[]) ?? []), ...(result.flat ? [result.flat as Record<string, unknown>] : [])];
  for (const row of rows) {
    const label = Object.values(row).find((v) => typeof v === 'string' || typeof v === 'number');
    for (const [column, v] of Object.entries(row)) {
      if (isVerdict(v)) out.push({ target: name, figure: `${row === result.flat ? '' : `${label}: `}${column}`, verdict: v });
    }
  }
  return out;
}

async function main(): Promise<void> {
  const only = process.argv.find((a) => a.startsWith('--only='))?.slice(7).split(',');
  const args = process.argv.slice(2).filter((a) => !a.startsWith('--only='));
  const started = Date.now();
  const failed: string[] = [];
  const timings: Record<string, number> = {};
  // Without DATABASE_URL: one embedded server for every benchmark of the run.
  const embedded = process.env.DATABASE_URL ? null : await startBenchServer();
  if (embedded) process.env.DATABASE_URL = embedded.url;
  const wanted = BENCHES.filter((name) => !only || only.includes(name));
  // The generated logs, once for the benchmarks that read them (each gets a copy).
  const logs = wanted.some((n) => n === 'log-read' || n === 'rebuild') ? await makeLogTemplates(LOG_SIZES) : null;
  if (logs) process.env.BENCH_LOG_TEMPLATES = JSON.stringify(logs.names);
  timings['generate logs'] = Math.round((Date.now() - started) / 1000);
  try {
    for (const name of wanted) {
      await settle(process.env.DATABASE_URL!);
      console.log(`\n=== ${name} ${args.join(' ')}`);
      const t = Date.now();
      if ((await run(name, args)) !== 0) failed.push(name);
      timings[name] = Math.round((Date.now() - t) / 1000);
    }
  } finally {
    await logs?.drop();
    await embedded?.stop();
  }
  const rows: Record<string, unknown>[] = [];
  const results: Record<string, unknown> = {};
  for (const name of BENCHES) {
    const file = `bench/results/${name}${QUICK ? '-quick' : ''}.json`;
    if (!existsSync(file) || (only && !only.includes(name))) continue;
    const result = JSON.parse(readFileSync(file, 'utf8'));
    results[name] = result;
    for (const v of verdicts(name, result)) rows.push({ benchmark: v.target, figure: v.figure, result: verdictText(v.verdict) });
  }
  const seconds = Math.round((Date.now() - started) / 1000);
  printTable(`Targets (${QUICK ? 'quick' : 'full'} run, ${seconds} s: ${Object.entries(timings).map(([k, v]) => `${k} ${v} s`).join(', ')}${failed.length ? `; FAILED: ${failed.join(', ')}` : ''})`, rows);
  const date = new Date().toISOString();
  writeFileSync(`bench/results/summary${QUICK ? '-quick' : ''}.json`, JSON.stringify({ date, quick: QUICK, seconds, timings, failed, targets: rows, results }, null, 2));
  const md = [`Run of ${date} (${QUICK ? 'quick' : 'full'}, ${seconds} s)`, '', '| benchmark | figure | result |', '|---|---|---|', ...rows.map((r) => `| ${r.benchmark} | ${r.figure} | ${r.result} |`)];
  writeFileSync(`bench/results/summary${QUICK ? '-quick' : ''}.md`, md.join('\n') + '\n');
  if (failed.length) throw new Error(`benchmarks failed: ${failed.join(', ')}`);
}

runMain(main);
