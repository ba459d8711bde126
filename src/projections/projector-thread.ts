import { Worker } from 'node:worker_threads';
import type { Config } from '../config/config.js';
import type { ProjectorLink } from './projection-runner.js';

/** What the projector thread is started with (`workerData`). */
export interface ProjectorData {
  config: Config;
  databaseUrl: string;
}

/** From the main thread to the projector thread. */
export type ToProjector = { type: 'wake' } | { type: 'stop' };

/** From the projector thread to the main thread. */
export type ProjectorMessage = { type: 'ready'; instanceId: string } | { type: 'stopped'; error?: string };

export interface ProjectorThreadOptions {
  config: Config;
  databaseUrl: string;
  /** the worker's script (default: projector-worker.js beside this file); tests give their own */
  script?: URL;
  log?: { log(message: string): void; error(message: string): void };
  /** how long a start may take before the thread is given up on (default 60 s) */
  startTimeoutMs?: number;
  /** waits before each restart after an unexpected exit, the last one repeated (default 1, 2, 5, 10, 30 s) */
  restartDelaysMs?: readonly number[];
  /** a thread that ran this long before it died starts the delays from the first again (default 60 s) */
  stableAfterMs?: number;
  /** how long `stop` waits for the thread to hand over before it terminates it (default 20 s) */
  stopTimeoutMs?: number;
}

/**
 * The projector thread of a process (PROJECTIONS_THREAD=worker, the default): the projections
 * run in a worker thread with an event loop and a heap of their own, beside the HTTP work of the
 * main thread, as a second instance in the same process would (leases, commit-order reading and
 * checkpoints are the same as for instances in other processes).
 *
 * Why: in one event loop, a request's 3 ms of CPU and a projection's batch queue behind each
 * other, and at 200 writes/s on 2 cores that loop is busy nearly all the time: the lag bench's
 * p99 from commit to visible was 83 to 312 ms that way, 44 to 79 ms with the projections in a
 * process of their own (bench/README.md).
 *
 * `start` resolves once the thread's runner has started (and rejects when it cannot start: a
 * bad start is a failed start-up). A thread that dies later is logged and started again after
 * a delay that grows with each failure; meanwhile its leases expire as a dead instance's do, and
 * the readiness probe and `/admin/projections` show the projections falling behind.
 */
export class ProjectorThread implements ProjectorLink {
  private worker: Worker | null = null;
  private id: string | null = null;
  private stopping = false;
  private failures = 0;
  private upSince = 0;
  private restartTimer: NodeJS.Timeout | null = null;
  private readonly script: URL;
  private readonly log: NonNullable<ProjectorThreadOptions['log']>;
  /** times the thread was started again after an unexpected exit */
  restarts = 0;

  constructor(private readonly options: ProjectorThreadOptions) {
    this.script = options.script ?? new URL('./projector-worker.js', import.meta.url);
    this.log = options.log ?? { log: (m) => console.log(m), error: (m) => console.error(m) };
  }

  /** The instance id of the thread's runner while it runs (its leases' owner), else null. */
  get instanceId(): string | null {
    return this.id;
  }

  async start(): Promise<void> {
    this.stopping = false;
    await this.spawn();
  }

  wake(): void {
    if (this.id) this.worker?.postMessage({ type: 'wake' } satisfies ToProjector);
  }

  /**
   * Stops the thread's runner at a batch boundary, its leases handed over and its pool closed,
   * then ends the thread; a thread that has not answered within the stop timeout is terminated
   * (its leases then expire).
   */
  async stop(): Promise<void> {
    this.stopping = true;
    if (this.restartTimer) clearTimeout(this.restartTimer);
    this.restartTimer = null;
    const worker = this.worker;
    if (!worker) return;
    const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
    const answered = new Promise<string | undefined>((resolve) =>
      worker.on('message', (m: ProjectorMessage) => m.type === 'stopped' && resolve(m.error ?? undefined)),
    );
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<'late'>((resolve) => (timer = setTimeout(() => resolve('late'), this.options.stopTimeoutMs ?? 20_000)));
    worker.postMessage({ type: 'stop' } satisfies ToProjector);
    const outcome = await Promise.race([answered, exited.then(() => 'exited' as const), late]);
    clearTimeout(timer);
    if (outcome === 'late') this.log.error('projector thread: no answer to stop in time; terminating it (its leases expire)');
    else if (outcome !== 'exited' && outcome !== undefined) this.log.error(`projector thread: stopping failed: ${outcome}`);
    // Everything of the thread's is closed once it answers: nothing is lost by ending it now.
    await worker.terminate();
    await exited;
  }

  private spawn(): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const data: ProjectorData = { config: this.options.config, databaseUrl: this.options.databaseUrl };
      const worker = new Worker(this.script, { workerData: data, name: 'entente-projector' });
      this.worker = worker;
      let ready = false;
      let failure: string | null = null;
      const startTimeout = this.options.startTimeoutMs ?? 60_000;
      const timer = setTimeout(() => {
        failure = `not started after ${startTimeout} ms`;
        void worker.terminate();
      }, startTimeout);
      worker.on('message', (m: ProjectorMessage) => {
        if (m.type === 'ready') {
          ready = true;
          clearTimeout(timer);
          this.id = m.instanceId;
          this.upSince = Date.now();
          resolve();
        }
      });
      worker.on('error', (err) => {
        failure = err.stack ?? err.message;
      });
      worker.on('exit', (code) => {
        clearTimeout(timer);
        if (this.worker === worker) {
          this.worker = null;
          this.id = null;
        }
        if (!ready) {
          reject(new Error(`the projector thread did not start: ${failure ?? `it exited with code ${code}`}`));
          return;
        }
        if (this.stopping) return;
        if (Date.now() - this.upSince >= (this.options.stableAfterMs ?? 60_000)) this.failures = 0;
        this.log.error(`projector thread exited (code ${code}): ${failure ?? 'no error reported'}`);
        this.scheduleRestart();
      });
    });
  }

  private scheduleRestart(): void {
    const delays = this.options.restartDelaysMs ?? [1_000, 2_000, 5_000, 10_000, 30_000];
    const delay = delays[Math.min(this.failures, delays.length - 1)];
    this.failures += 1;
    this.log.error(`projector thread: starting it again in ${delay} ms`);
    this.restartTimer = setTimeout(() => {
      this.restartTimer = null;
      if (this.stopping) return;
      this.spawn().then(
        () => {
          this.restarts += 1;
          this.log.log('projector thread: running again');
        },
        (err: Error) => {
          if (this.stopping) return;
          this.log.error(err.message);
          this.scheduleRestart();
        },
      );
    }, delay);
  }
}
