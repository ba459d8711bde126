import { Controller, Get, Header, Logger, Param, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiProduces, ApiPropertyOptional, ApiResponse, ApiTags } from '@nestjs/swagger';
import { IsISO8601, IsOptional, IsUUID, Matches, MaxLength } from 'class-validator';
import type { HttpReply } from '../shared/http/http-types.js';
import { EventStore } from '../event-store/event-store.js';
import { Access } from '../shared/auth/access.js';
import { AppError } from '../shared/errors.js';
import { IdParam } from '../shared/http/id-param.pipe.js';
import { pageLimit } from '../shared/http/paging.js';
import { ReadQueryDto } from '../shared/http/list-query.dto.js';
import { AuditLogQuery, joinUtf8, type LogFilter, pageBytes, toView } from './audit-log.query.js';
import { Verifier } from './verifier.js';

export class EventsQueryDto extends ReadQueryDto {
  @ApiPropertyOptional({ type: Number, minimum: 1, maximum: 1000, default: 50 })
  @IsOptional()
  @Matches(/^([1-9]\d{0,2}|1000)$/, { message: 'limit must be a whole number from 1 to 1000' })
  limit?: string;

  @ApiPropertyOptional({ description: 'The `next` of the previous page.' })
  @IsOptional()
  @Matches(/^[A-Za-z0-9_-]{1,400}$/, { message: 'cursor is not a cursor this service gave' })
  cursor?: string;

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID('all')
  streamId?: string;

  @ApiPropertyOptional({ example: 'MeetingRecorded' })
  @IsOptional()
  @Matches(/^[A-Za-z]{1,100}$/, { message: 'type must be an event type name' })
  type?: string;

  @ApiPropertyOptional({ description: "The token label of who sent the commands (metadata.actor)." })
  @IsOptional()
  @MaxLength(200)
  actor?: string;

  @ApiPropertyOptional({ format: 'date-time' })
  @IsOptional()
  @IsISO8601({ strict: true }, { message: 'recordedFrom must be an ISO 8601 timestamp' })
  recordedFrom?: string;

  @ApiPropertyOptional({ format: 'date-time', description: 'Exclusive.' })
  @IsOptional()
  @IsISO8601({ strict: true }, { message: 'recordedTo must be an ISO 8601 timestamp' })
  recordedTo?: string;
}

function filterOf(q: EventsQueryDto): LogFilter {
  return {
    streamId: q.streamId,
    type: q.type,
    actor: q.actor,
    recordedFrom: q.recordedFrom ? new Date(q.recordedFrom) : undefined,
    recordedTo: q.recordedTo ? new Date(q.recordedTo) : undefined,
  };
}

@ApiTags('audit')
@ApiBearerAuth()
@Controller()
export class AuditController {
  private readonly logger = new Logger('Audit');

  constructor(
    private readonly log: AuditLogQuery,
    private readonly store: EventStore,
    private readonly verifier: Verifier,
  ) {}

  @Get('events')
  @Access('audit')
  @ApiOperation({ summary: 'The log in commit order; follow `next` (given even at the head, to poll from)' })
  @Header('Content-Type', 'application/json; charset=utf-8')
  @ApiOkResponse({
    description: '`{ items, next }`',
    headers: { ETag: { description: 'Weak; the same page, the same tag (send it as If-None-Match when polling)', schema: { type: 'string' } } },
  })
  @ApiResponse({ status: 304, description: 'If-None-Match named the tag of this very page: nothing new' })
  async events(@Query() q: EventsQueryDto, @Res({ passthrough: true }) res: HttpReply): Promise<Buffer> {
    if (q.minPosition) await this.log.waitVisible(q.minPosition);
    const filter = filterOf(q);
    const after = this.log.cursorFrom(q.cursor);
    const limit = pageLimit(q.limit);
    const page = await this.log.page(filter, after, limit);
    // Set here, so the answer is not hashed for its ETag; If-None-Match still gets a 304 (conditional-get.ts).
    res.header('ETag', this.log.etagOf(filter, after, limit, page));
    // `{ items, next }`, its events as PostgreSQL rendered them (AuditLogQuery.page)
    return pageBytes(page);
  }

  @Get('events/export')
  @Access('audit')
  @ApiProduces('application/x-ndjson')
  @ApiOperation({ summary: 'The whole log (or the filtered part) as NDJSON, one event per line, streamed' })
  async export(@Query() q: EventsQueryDto, @Res() reply: HttpReply): Promise<void> {
    if (q.minPosition) await this.log.waitVisible(q.minPosition);
    const filter = filterOf(q);
    let cursor = this.log.cursorFrom(q.cursor);
    // The first page is read before anything is sent, so that a failure is still a problem+json answer.
    let page = await this.log.page(filter, cursor, 1000);
    // From here the answer is written to the socket by this method, not by Fastify.
    reply.hijack();
    const res = reply.raw;
    res.writeHead(200, { 'Content-Type': 'application/x-ndjson; charset=utf-8', 'Cache-Control': 'no-store' });
    let closed = false;
    res.on('close', () => (closed = true));
    try {
      // Page by page with back-pressure: memory stays flat however long the log is.
      for (;;) {
        if (page.items.length === 0 || closed) break;
        const chunk = joinUtf8(page.items, '\n', '', '\n');
        if (!res.write(chunk)) await new Promise((r) => res.once('drain', r));
        cursor = page.cursor;
        if (page.items.length < 1000) break;
        page = await this.log.page(filter, cursor, 1000);
      }
    } catch (err) {
      // The status line has gone: all that is left is to cut the answer short, so the client
      // sees a truncated stream (no final newline, the connection reset) rather than a complete one.
      this.logger.error(`export failed after it started: ${err instanceof Error ? err.message : String(err)}`);
      res.destroy();
      return;
    }
    res.end();
  }

  @Get('streams/:streamId')
  @Access('audit')
  @ApiOperation({ summary: "One stream's events, oldest first" })
  async stream(@Param('streamId', IdParam) streamId: string, @Query() q: ReadQueryDto) {
    if (q.minPosition) await this.log.waitVisible(q.minPosition);
    const events = await this.store.readStream(streamId);
    if (events.length === 0) throw AppError.notFound('stream', streamId);
    return { streamId, streamType: events[0].streamType, version: events[events.length - 1].version, events: events.map(toView) };
  }

  @Get('audit/requests/:correlationId')
  @Access('audit')
  @ApiOperation({ summary: 'Everything one request caused: the events sharing its correlation id' })
  async request(@Param('correlationId') correlationId: string, @Query() q: ReadQueryDto) {
    if (q.minPosition) await this.log.waitVisible(q.minPosition);
    if (!/^[\x21-\x7e]{1,200}$/.test(correlationId)) {
      throw AppError.badInput([{ field: 'correlationId', message: 'must be 1 to 200 visible ASCII characters' }]);
    }
    const events = await this.log.byCorrelation(correlationId);
    if (events.length === 0) throw AppError.notFound('request', correlationId);
    return { correlationId, events };
  }

  @Get('audit/verify')
  @Access('audit')
  @ApiOperation({ summary: 'Recompute every hash and the seal chain: { ok, eventsChecked, firstBrokenPosition }' })
  async verify(@Query() q: ReadQueryDto) {
    if (q.minPosition) await this.log.waitVisible(q.minPosition);
    return this.verifier.verify();
  }
}
