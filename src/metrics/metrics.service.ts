import { Inject, Injectable, Logger, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import type { HookHandlerDoneFunction } from 'fastify';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { Subscription } from 'rxjs';
import { DataSource } from 'typeorm';
import { READ_DB } from '../database/read-database.js';
import { EventStore } from '../event-store/event-store.js';
import { projectionLags } from '../health/projection-lag.js';
import { within } from '../health/within.js';
import type { HttpReply, HttpRequest } from '../shared/http/http-types.js';
import { PROJECTIONS, type Projection } from '../projections/projection.js';
import { ProjectionRunner } from '../projections/projection-runner.js';

/** What one HTTP request records for the metrics: when it started and the command it ran, if any. */
interface RequestTiming {
  command?: string;
  commandStarted?: bigint;
}

/** A scrape answers within this even when the database does not; its database gauges then stay as they were. */
const SCRAPE_DB_TIMEOUT_MS = 2000;

const SECONDS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/** The pg Pool behind a TypeORM DataSource (the driver's master pool). */
interface PgPool {
  totalCount: number;
  idleCount: number;
  waitingCount: number;
}

/**
 * The service's Prometheus metrics, in a registry of this app instance's own (the tests start
 * several apps in one process; prom-client's global registry would mix them).
 *
 * - HTTP: requests by method, route (the matched pattern, never the raw path) and status; latency.
 * - Commands: latency by command and outcome, timed from the CommandBus to the answer.
 * - Events appended by this instance, by type.
 * - Projections (read from the database at scrape time, so every instance reports the same):
 *   checkpoint position, lag in events and seconds, dead letters, whether this instance holds
 *   the lease, rebuild progress.
 * - The pg pools (primary and, when configured, the read replica): open, idle and waiting.
 * - Node's process metrics (CPU, memory, event-loop delay, GC) from prom-client.
 */
@Injectable()
export class Metrics implements OnModuleInit, OnModuleDestroy {
  readonly registry = new Registry();
  private readonly log = new Logger('Metrics');
  /** The timing of each request being answered, by request id (a command names its request in its `ctx`). */
  private readonly inFlight = new Map<string, RequestTiming>();
  private subscription: Subscription | null = null;

  private readonly httpRequests = new Counter({
    name: 'entente_http_requests_total',
    help: 'HTTP requests answered, by method, route pattern and status',
    labelNames: ['method', 'route', 'status'] as const,
    registers: [this.registry],
  });
  private readonly httpDuration = new Histogram({
    name: 'entente_http_request_duration_seconds',
    help: 'HTTP request latency, by method and route pattern',
    labelNames: ['method', 'route'] as const,
    buckets: SECONDS,
    registers: [this.registry],
  });
  private readonly commandDuration = new Histogram({
    name: 'entente_command_duration_seconds',
    help: 'Command latency from the CommandBus to the answer, by command and outcome (ok, rejected: 4xx, failed: 5xx)',
    labelNames: ['command', 'outcome'] as const,
    buckets: SECONDS,
    registers: [this.registry],
  });
  private readonly eventsAppended = new Counter({
    name: 'entente_events_appended_total',
    help: 'Events appended to the log by this instance, by event type',
    labelNames: ['type'] as const,
    registers: [this.registry],
  });

  constructor(
    private readonly db: DataSource,
    @Inject(READ_DB) private readonly readDb: DataSource,
    private readonly commandBus: CommandBus,
    private readonly store: EventStore,
    private readonly runner: ProjectionRunner,
    @Inject(PROJECTIONS) private readonly projections: Projection[],
  ) {
    collectDefaultMetrics({ register: this.registry });
    this.projectionGauges();
    this.poolGauges();
  }

  onModuleInit(): void {
    // Published inside CommandBus.execute; a command sent over HTTP carries its request's id.
    this.subscription = this.commandBus.subscribe((command: object) => {
      const requestId = (command as { ctx?: { requestId?: unknown } }).ctx?.requestId;
      const t = typeof requestId === 'string' ? this.inFlight.get(requestId) : undefined;
      if (t && !t.command) {
        t.command = command.constructor.name.replace(/Command$/, '');
        t.commandStarted = process.hrtime.bigint();
      }
    });
    this.store.onAppended((types) => {
      for (const type of types) this.eventsAppended.inc({ type });
    });
  }

  onModuleDestroy(): void {
    this.subscription?.unsubscribe();
  }

  /**
   * A request hook (the first of the service's): counts and times every request when its
   * response ends. The route is the pattern the router matched (`/api/v1/parties/:id`), so ids
   * never become label values; a request no route matched (404) is `unmatched`. Each of the
   * dashboard's built files is a route of its own (a few, fixed by the build).
   */
  readonly httpHook = (req: HttpRequest, reply: HttpReply, done: HookHandlerDoneFunction): void => {
    const started = process.hrtime.bigint();
    const timing: RequestTiming = {};
    const id = req.id;
    this.inFlight.set(id, timing);
    const res = reply.raw;
    res.on('close', () => {
      this.inFlight.delete(id);
      const now = process.hrtime.bigint();
      const route = (!req.is404 && req.routeOptions.url) || 'unmatched';
      const status = res.headersSent ? res.statusCode : 499; // 499: the client went away first
      const method = req.method;
      this.httpRequests.inc({ method, route, status: String(status) });
      this.httpDuration.observe({ method, route }, Number(now - started) / 1e9);
      if (timing.command && timing.commandStarted !== undefined) {
        const outcome = status < 400 ? 'ok' : status < 500 ? 'rejected' : 'failed';
        this.commandDuration.observe({ command: timing.command, outcome }, Number(now - timing.commandStarted) / 1e9);
      }
    });
    done();
  };

  /** The Prometheus text exposition of this instance's registry. */
  async text(): Promise<{ contentType: string; body: string }> {
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }

  /**
   * The projection figures come from the database, read once per scrape: prom-client collects
   * every metric at once, so each projection gauge awaits the same read before it is rendered.
   */
  private projectionGauges(): void {
    const gauge = (name: string, help: string) =>
      new Gauge({ name, help, labelNames: ['projection'] as const, registers: [this.registry], collect: () => this.refresh() });
    const position = gauge('entente_projection_position', 'Global position of the last event a projection has applied (its checkpoint)');
    const lag = gauge('entente_projection_lag_events', 'Events of the types a projection handles that it has not applied yet (counted up to 10000)');
    const lagSeconds = gauge('entente_projection_lag_seconds', 'Age of the oldest event a projection has not applied yet; 0 when caught up');
    const deadLetters = gauge('entente_projection_dead_letters', 'Events a projection failed to apply and has not resolved (applied or skipped) since');
    const paused = gauge('entente_projection_paused', '1 when an operator paused the projection');
    const leaseHeld = gauge('entente_projection_lease_held', '1 when this instance holds the projection lease (runs the projection)');
    const rebuildRunning = gauge('entente_projection_rebuild_running', '1 while a rebuild of the projection is running');
    const rebuildDone = gauge('entente_projection_rebuild_events_done', 'Events the last (or running) rebuild of the projection has replayed');
    const rebuildTotal = gauge('entente_projection_rebuild_events_total', 'Events the last (or running) rebuild of the projection has to replay');
    const databaseUp = new Gauge({
      name: 'entente_metrics_database_up',
      help: '1 when the last scrape read the projection figures from the database; 0 when it could not (they then keep their last values)',
      registers: [this.registry],
      collect: () => this.refresh(),
    });

    this.readProjectionFigures = async () => {
      try {
        const [lags, rebuilds] = await within(
          Promise.all([
            projectionLags(this.db, this.projections),
            this.db.query(
              `select name, status, events_done::float8 as done, events_total::float8 as total from projection_rebuilds`,
            ) as Promise<{ name: string; status: string; done: number; total: number }[]>,
          ]),
          SCRAPE_DB_TIMEOUT_MS,
        );
        for (const p of lags) {
          const labels = { projection: p.name };
          position.set(labels, Number(p.position));
          lag.set(labels, p.lag);
          lagSeconds.set(labels, p.lagSeconds);
          deadLetters.set(labels, p.deadLetters);
          paused.set(labels, p.status === 'paused' ? 1 : 0);
          leaseHeld.set(labels, this.runner.holdsLease(p.name, p.owner) ? 1 : 0);
        }
        for (const r of rebuilds) {
          const labels = { projection: r.name };
          rebuildRunning.set(labels, r.status === 'running' ? 1 : 0);
          rebuildDone.set(labels, r.done);
          rebuildTotal.set(labels, r.total);
        }
        databaseUp.set(1);
      } catch (err) {
        this.log.warn(`projection figures not read: ${(err as Error).message}`);
        databaseUp.set(0);
      }
    };
  }

  private readProjectionFigures: () => Promise<void> = async () => undefined;
  private inflight: Promise<void> | null = null;

  /** One database read shared by every gauge of the scrape under way. */
  private refresh(): Promise<void> {
    this.inflight ??= this.readProjectionFigures().finally(() => {
      this.inflight = null;
    });
    return this.inflight;
  }

  private poolGauges(): void {
    const pools = (): [string, PgPool | undefined][] => {
      const list: [string, PgPool | undefined][] = [['primary', (this.db.driver as unknown as { master?: PgPool }).master]];
      if (this.readDb !== this.db) list.push(['read', (this.readDb.driver as unknown as { master?: PgPool }).master]);
      return list;
    };
    const gauge = (name: string, help: string, value: (p: PgPool) => number) =>
      new Gauge({
        name,
        help,
        labelNames: ['pool'] as const,
        registers: [this.registry],
        collect() {
          for (const [pool, p] of pools()) if (p) this.set({ pool }, value(p));
        },
      });
    gauge('entente_db_pool_connections', 'Connections the pg pool holds open (busy and idle)', (p) => p.totalCount);
    gauge('entente_db_pool_idle', 'Open connections of the pg pool not in use', (p) => p.idleCount);
    gauge('entente_db_pool_waiting', 'Queries waiting for a connection of the pg pool', (p) => p.waitingCount);
  }
}
