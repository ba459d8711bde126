import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join, relative, resolve } from 'node:path';

/**
 * The real service as a child process (`node <build>/src/main.js`), for the tests that kill
 * it, restart it, or stop its database under it.
 *
 * The build: `npm run build` writes dist/ and deletes it first (nest-cli deleteOutDir), so a
 * build there by one engineer would pull the files from under another's running test. These
 * tests compile instead into data/service-build/<hash of the sources>/ with tsc (about 5 s),
 * once per content: a second test file, or a second run on the same sources, reuses it. The
 * build goes to a temporary directory first and is renamed into place when complete.
 */
const ROOT = process.cwd();
const BUILD_ROOT = resolve(ROOT, 'data/service-build');
const SOURCES = ['src', 'migrations', 'seeds', 'scripts', 'bench'];
const CONFIGS = ['tsconfig.json', 'tsconfig.build.json', 'package.json'];

function sourceHash(): string {
  const hash = createHash('sha256');
  const walk = (dir: string) => {
    if (!existsSync(dir)) return;
    for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.isFile() && /\.(ts|mts|json)$/.test(entry.name)) hash.update(relative(ROOT, path)).update('\0').update(readFileSync(path)).update('\0');
    }
  };
  for (const s of SOURCES) walk(resolve(ROOT, s));
  for (const c of CONFIGS) if (existsSync(resolve(ROOT, c))) hash.update(c).update(readFileSync(resolve(ROOT, c)));
  return hash.digest('hex').slice(0, 16);
}

let built: string | null = null;

/** The path of main.js of a build of the current sources; builds it when there is none. */
export async function serviceBuild(): Promise<string> {
  if (built) return built;
  const hash = sourceHash();
  const dir = join(BUILD_ROOT, hash);
  const main = join(dir, 'src/main.js');
  const done = join(dir, 'BUILD_OK');
  mkdirSync(BUILD_ROOT, { recursive: true });
  const lock = join(BUILD_ROOT, `${hash}.lock`);
  for (let waited = 0; !existsSync(done); waited += 200) {
    let mine = false;
    try {
      mkdirSync(lock);
      mine = true;
    } catch {
      // Another test file (or another engineer's run) is building these sources: wait for it,
      // unless its lock is older than two minutes (a build that died).
      if (existsSync(lock) && Date.now() - statSync(lock).mtimeMs > 120_000) rmSync(lock, { recursive: true, force: true });
    }
    if (mine) {
      try {
        if (!existsSync(done)) compile(dir);
      } finally {
        rmSync(lock, { recursive: true, force: true });
      }
      break;
    }
    if (waited > 180_000) throw new Error(`waited 3 minutes for the build in ${dir}`);
    await new Promise((r) => setTimeout(r, 200));
  }
  const now = new Date();
  utimesSync(dir, now, now);
  prune(hash);
  built = main;
  return main;
}

function compile(dir: string): void {
  const tmp = `${dir}.tmp-${process.pid}`;
  rmSync(tmp, { recursive: true, force: true });
  const tsc = resolve(ROOT, 'node_modules/typescript/bin/tsc');
  const r = spawnSync(process.execPath, [tsc, '-p', 'tsconfig.build.json', '--outDir', tmp], { cwd: ROOT, encoding: 'utf8' });
  // tsc emits even with type errors (someone else's work in progress); what matters is the JS.
  if (!existsSync(join(tmp, 'src/main.js'))) {
    throw new Error(`tsc built no src/main.js (exit ${r.status}):\n${r.stdout}\n${r.stderr}`);
  }
  writeFileSync(join(tmp, 'BUILD_OK'), new Date().toISOString());
  rmSync(dir, { recursive: true, force: true });
  renameSync(tmp, dir);
}

/** Builds of other sources not used for an hour. */
function prune(keep: string): void {
  for (const name of readdirSync(BUILD_ROOT)) {
    if (name === keep || name.endsWith('.lock')) continue;
    const path = join(BUILD_ROOT, name);
    try {
      if (Date.now() - statSync(path).mtimeMs > 3_600_000) rmSync(path, { recursive: true, force: true });
    } catch {
      /* another run pruned it */
    }
  }
}

/** A TCP port free at the time of asking. */
export function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolvePort(address.port) : reject(new Error('no port'))));
    });
  });
}

const children = new Set<ChildProcess>();

function killAll(): void {
  for (const c of children) {
    if (c.exitCode === null && c.signalCode === null) {
      try {
        c.kill('SIGKILL');
      } catch {
        /* gone */
      }
    }
  }
  children.clear();
}
// A test that fails, times out or is interrupted leaves no service behind.
process.on('exit', killAll);

export const SERVICE_TOKENS = { admin: 'svc-adm1n', recorder: 'svc-rec0rder', viewer: 'svc-v1ewer', auditor: 'svc-aud1tor' };

export interface ServiceOptions {
  /** unset: the service starts its embedded PostgreSQL (give DATA_DIR and EMBEDDED_PG_PORT in env) */
  databaseUrl?: string;
  port?: number;
  env?: Record<string, string>;
  /** main.js of another build (a copy of `serviceBuild()`'s, altered by the test) */
  main?: string;
}

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface ServiceProcess {
  pid: number;
  port: number;
  base: string;
  /** everything it printed so far */
  output(): string;
  /** resolves when it has exited */
  exited: Promise<Exit>;
  /** polls /health/live until it answers (or the process dies, or `timeoutMs` passes) */
  ready(timeoutMs?: number): Promise<void>;
  kill(signal: NodeJS.Signals): void;
  /** SIGKILL and wait for the exit */
  killHard(): Promise<Exit>;
}

/** Starts the built service with its own port; `ready()` waits for it to answer. */
export async function startService(options: ServiceOptions = {}): Promise<ServiceProcess> {
  const main = options.main ?? (await serviceBuild());
  const port = options.port ?? (await freePort());
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? '',
    PORT: String(port),
    HOST: '127.0.0.1',
    AUTH_TOKENS: Object.entries(SERVICE_TOKENS)
      .map(([role, token]) => `${role}:${token}`)
      .join(','),
    SEED: 'false',
    LOG_LEVEL: 'warn',
    ...(options.databaseUrl ? { DATABASE_URL: options.databaseUrl } : {}),
    ...options.env,
  };
  // cwd: an empty directory of the build, so that no .env of the working tree leaks in.
  const child = spawn(process.execPath, [main], { cwd: resolve(main, '../..'), env, stdio: ['ignore', 'pipe', 'pipe'] });
  children.add(child);
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<Exit>((resolveExit) =>
    child.on('exit', (code, signal) => {
      children.delete(child);
      resolveExit({ code, signal });
    }),
  );
  let dead = false;
  void exited.then(() => (dead = true));
  const base = `http://127.0.0.1:${port}`;
  return {
    pid: child.pid!,
    port,
    base,
    output: () => out,
    exited,
    async ready(timeoutMs = 30_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        if (dead) throw new Error(`the service exited while starting:\n${out}`);
        try {
          const res = await fetch(`${base}/health/live`, { signal: AbortSignal.timeout(1000) });
          if (res.ok) return;
        } catch {
          /* not listening yet */
        }
        if (Date.now() > deadline) throw new Error(`the service did not answer within ${timeoutMs} ms:\n${out}`);
        await new Promise((r) => setTimeout(r, 100));
      }
    },
    kill(signal) {
      child.kill(signal);
    },
    async killHard() {
      if (!dead) child.kill('SIGKILL');
      return exited;
    },
  };
}

/** Stops every service this test file started (afterAll / afterEach). */
export async function stopAllServices(): Promise<void> {
  const waits = [...children].map((c) => new Promise((r) => (c.exitCode !== null || c.signalCode !== null ? r(null) : c.once('exit', r))));
  killAll();
  await Promise.all(waits);
}

/** POSTs JSON to the service as the recorder (or `role`); answers status, headers and parsed body. */
export async function post(
  base: string,
  path: string,
  body: unknown,
  headers: Record<string, string> = {},
  role: keyof typeof SERVICE_TOKENS = 'recorder',
): Promise<{ status: number; headers: Headers; body: any }> {
  const res = await fetch(`${base}/api/v1${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${SERVICE_TOKENS[role]}`, ...headers },
    body: JSON.stringify(body),
  });
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    /* not JSON */
  }
  return { status: res.status, headers: res.headers, body: parsed };
}

/** Polls `check` until it answers truthy (that value is returned), or fails after `timeoutMs` naming `what`. */
export async function waitFor<T>(what: string, check: () => Promise<T | null | undefined | false>, timeoutMs = 30_000, everyMs = 50): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown = null;
  for (;;) {
    try {
      const v = await check();
      if (v) return v;
    } catch (err) {
      lastError = err;
    }
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${lastError ? `: ${(lastError as Error).message}` : ''}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}
