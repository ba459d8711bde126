import { type ChildProcess, spawn } from 'node:child_process';
import { createWriteStream, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';

export const TOKENS = { admin: 'bench-admin', recorder: 'bench-recorder', viewer: 'bench-viewer', auditor: 'bench-auditor' };

export interface Service {
  url: string;
  pid: number;
  auth(role: keyof typeof TOKENS): Record<string, string>;
  /** peak resident set size of the service process so far, MB (from /proc) */
  peakRssMb(): number;
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

/**
 * The real service (the built `src/main.js`) in a process of its own, as it runs in production,
 * so that the load generator does not share its event loop. Rate limiting is off.
 */
export async function startService(databaseUrl: string, options: { projections: boolean; env?: Record<string, string> }): Promise<Service> {
  const port = await freePort();
  const main = fileURLToPath(new URL('../../src/main.js', import.meta.url));
  // BENCH_SERVICE_NODE_ARGS: node flags for the service (e.g. `--cpu-prof --cpu-prof-dir=prof`).
  const nodeArgs = process.env.BENCH_SERVICE_NODE_ARGS?.split(' ').filter(Boolean) ?? [];
  const child: ChildProcess = spawn(process.execPath, [...nodeArgs, main], {
    env: {
      ...process.env,
      DATABASE_URL: databaseUrl,
      PORT: String(port),
      HOST: '127.0.0.1',
      AUTH_TOKENS: Object.entries(TOKENS)
        .map(([role, token]) => `${role}:${token}`)
        .join(','),
      LOG_LEVEL: 'warn',
      PROJECTIONS: String(options.projections),
      SEED: 'false',
      RATE_LIMIT_PER_MINUTE: '0',
      ...options.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (d) => (output = (output + d).slice(-20_000)));
  child.stderr!.on('data', (d) => (output = (output + d).slice(-20_000)));
  // BENCH_SERVICE_OUTPUT: a file that gets everything the service writes (e.g. with `--trace-gc`).
  if (process.env.BENCH_SERVICE_OUTPUT) {
    const file = createWriteStream(process.env.BENCH_SERVICE_OUTPUT, { flags: 'a' });
    child.stdout!.pipe(file);
    child.stderr!.pipe(file);
  }
  await new Promise<void>((resolve, reject) => {
    const timeout = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`service did not start in 60 s:\n${output}`));
    }, 60_000);
    const check = () => {
      if (output.includes('is listening')) {
        clearTimeout(timeout);
        resolve();
      }
    };
    child.stdout!.on('data', check);
    child.once('exit', (code) => {
      clearTimeout(timeout);
      reject(new Error(`service exited with ${code}:\n${output}`));
    });
  });
  const url = `http://127.0.0.1:${port}`;
  return {
    url,
    pid: child.pid!,
    auth: (role) => ({ authorization: `Bearer ${TOKENS[role]}` }),
    peakRssMb() {
      try {
        const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
        const m = /VmHWM:\s+(\d+) kB/.exec(status);
        return m ? Math.round(Number(m[1]) / 1024) : NaN;
      } catch {
        return NaN;
      }
    },
    async stop() {
      if (child.exitCode !== null) return;
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/**
 * A reference server (a script of bench/support, e.g. `bare-express.js`) in a process of its own,
 * on `databaseUrl`; the script prints `PORT <n>` once it listens. Answers its URL and how to stop it.
 */
export async function startReference(script: string, databaseUrl: string): Promise<{ url: string; stop(): Promise<void> }> {
  const main = fileURLToPath(new URL(`./${script}`, import.meta.url));
  const child = spawn(process.execPath, [main], { env: { ...process.env, DATABASE_URL: databaseUrl }, stdio: ['ignore', 'pipe', 'inherit'] });
  const port = await new Promise<string>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`${script} exited with ${code}`)));
    child.stdout!.on('data', (d) => {
      const m = /PORT (\d+)/.exec(String(d));
      if (m) resolve(m[1]);
    });
  });
  return {
    url: `http://127.0.0.1:${port}`,
    stop: async () => {
      if (child.exitCode !== null) return;
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    },
  };
}

/**
 * Starts several processes at once: each start is seconds of module loading and connecting, and
 * nothing is measured while they start. If one fails, the others are stopped and its error thrown.
 */
export async function startAll<T extends { stop(): Promise<void> }[]>(...starts: { [K in keyof T]: () => Promise<T[K]> }): Promise<T> {
  const settled = await Promise.allSettled(starts.map((start) => start()));
  const failed = settled.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) {
    await Promise.all(settled.map((r) => (r.status === 'fulfilled' ? (r.value as { stop(): Promise<void> }).stop().catch(() => undefined) : undefined)));
    throw failed.reason;
  }
  return settled.map((r) => (r as PromiseFulfilledResult<unknown>).value) as T;
}
