import { Controller, Get, Header, Inject, Logger, Res, ServiceUnavailableException } from '@nestjs/common';
import { HealthCheckService, type HealthCheckResult, type HealthIndicatorResult, HealthIndicatorService } from '@nestjs/terminus';
import { ApiOkResponse, ApiOperation, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import type { HttpReply } from '../shared/http/http-types.js';
import { DataSource } from 'typeorm';
import { APP_CONFIG } from '../config/config.module.js';
import type { Config } from '../config/config.js';
import { READ_DB } from '../database/read-database.js';
import { PROJECTIONS, type Projection } from '../projections/projection.js';
import { ProjectionAdmin } from '../projections/projection-admin.service.js';
import { Public } from '../shared/auth/access.js';
import { projectionLags } from './projection-lag.js';
import { within } from './within.js';

/** /health/ready answers within this, whether the database answers or not. */
export const READY_TIMEOUT_MS = 1500;

/**
 * Liveness and readiness (@nestjs/terminus), without a token.
 *
 * `/health/live`: the process answers HTTP; nothing else (restarting a process because its
 * database is down helps nobody).
 *
 * `/health/ready`: 200 when this instance can serve, else 503 with `Retry-After` and the
 * details of what failed, in terminus' shape `{ status, info, error, details }`:
 * - `database`: the primary answers `select 1` within 1.5 s;
 * - `readReplica` (with DATABASE_READ_URL): the replica answers too;
 * - `migrations`: every migration this build knows is applied (`pending` lists the others);
 * - `projections`: no running projection's oldest unapplied event is older than
 *   READY_MAX_LAG_SECONDS (0: not checked). Each projection's lag (events and seconds), status
 *   and dead letters are listed; paused ones are listed but never fail it (an operator paused
 *   them). When the commit-order fence is held back, `blockedBy` names the transaction holding
 *   it (pid, xid, age, state; its query text is on `GET /api/v1/admin/projections`, for admins).
 *   Within the bound, a stall, a paused projection or a dead letter reports `degraded` (200).
 */
@ApiTags('health')
@Controller('health')
export class HealthController {
  private readonly log = new Logger('Health');
  private wasReady: boolean | null = null;

  constructor(
    private readonly health: HealthCheckService,
    private readonly indicators: HealthIndicatorService,
    private readonly db: DataSource,
    @Inject(READ_DB) private readonly readDb: DataSource,
    private readonly admin: ProjectionAdmin,
    @Inject(PROJECTIONS) private readonly projections: Projection[],
    @Inject(APP_CONFIG) private readonly config: Pick<Config, 'readyMaxLagSeconds'>,
  ) {}

  @Get('live')
  @Public()
  @Header('Cache-Control', 'no-store')
  @ApiOperation({ summary: 'Liveness: the process answers (no database check)' })
  live(): Promise<HealthCheckResult> {
    return this.health.check([]);
  }

  @Get('ready')
  @Public()
  @Header('Cache-Control', 'no-store')
  @ApiOperation({ summary: 'Readiness: database reachable, migrations applied, projections within their lag bound; 503 with details when not' })
  @ApiOkResponse({ description: '`{ status: "ok" | "degraded", info, error, details }`' })
  @ApiServiceUnavailableResponse({ description: '`{ status: "error", info, error, details }`, with Retry-After' })
  async ready(@Res({ passthrough: true }) res: HttpReply): Promise<HealthCheckResult> {
    const checks = [() => this.database('database', this.db), () => this.migrations(), () => this.projectionLag()];
    if (this.readDb !== this.db) checks.push(() => this.database('readReplica', this.readDb));
    try {
      const result = await this.health.check(checks);
      this.transition(true, result);
      return result;
    } catch (err) {
      if (!(err instanceof ServiceUnavailableException)) throw err;
      const result = err.getResponse() as HealthCheckResult;
      this.transition(false, result);
      res.status(503);
      res.header('Retry-After', '2');
      return result;
    }
  }

  private database(key: string, db: DataSource): PromiseLike<HealthIndicatorResult> {
    return this.indicators
      .check(key)
      .attempt(async () => {
        await db.query('select 1');
      })
      .withTimeout(READY_TIMEOUT_MS);
  }

  private async migrations(): Promise<HealthIndicatorResult> {
    const i = this.indicators.check('migrations');
    try {
      const known = this.db.migrations.map((m) => m.name ?? m.constructor.name);
      const rows: { name: string }[] = await within(this.db.query(`select name from schema_migrations`), READY_TIMEOUT_MS);
      const applied = new Set(rows.map((r) => r.name));
      const pending = known.filter((n) => !applied.has(n));
      return pending.length ? i.down({ pending }) : i.up({ applied: known.length });
    } catch (err) {
      return i.down({ message: (err as Error).message });
    }
  }

  private async projectionLag(): Promise<HealthIndicatorResult> {
    const i = this.indicators.check('projections');
    try {
      const [lags, blocker] = await within(Promise.all([projectionLags(this.db, this.projections), this.admin.blocker()]), READY_TIMEOUT_MS);
      const bound = this.config.readyMaxLagSeconds;
      const behind = bound > 0 ? lags.filter((p) => p.status !== 'paused' && p.lagSeconds > bound).map((p) => p.name) : [];
      const details = {
        maxLagSeconds: bound,
        behind,
        blockedBy: blocker ? { pid: blocker.pid, xid: blocker.xid, ageSeconds: blocker.ageSeconds, state: blocker.state } : null,
        projections: lags.map(({ name, position, lag, lagSeconds, status, deadLetters }) => ({ name, position, lag, lagSeconds, status, deadLetters })),
      };
      if (behind.length) return i.down(details);
      if (blocker || lags.some((p) => p.status === 'paused' || p.deadLetters > 0)) return i.degraded(details);
      return i.up(details);
    } catch (err) {
      return i.down({ message: (err as Error).message });
    }
  }

  /** One log line when readiness changes, not one per probe. */
  private transition(ready: boolean, result: HealthCheckResult): void {
    if (this.wasReady === ready) return;
    const first = this.wasReady === null;
    this.wasReady = ready;
    if (!ready) this.log.warn(`not ready: ${JSON.stringify(result.error ?? {})}`);
    else if (!first) this.log.log('ready again');
  }
}
