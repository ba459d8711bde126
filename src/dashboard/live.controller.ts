import { Controller, Get, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { HttpReply, HttpRequest } from '../shared/http/http-types.js';
import { Access } from '../shared/auth/access.js';
import { AppError } from '../shared/errors.js';
import { LiveFeed } from './live-feed.js';

/** One server-sent event: `event`, `id` and one `data` line (JSON never holds a raw newline). */
function sse(event: string, data: object, id?: string): string {
  return `event: ${event}\n${id ? `id: ${id}\n` : ''}data: ${JSON.stringify(data)}\n\n`;
}

@ApiTags('live')
@ApiBearerAuth()
@Controller('live')
export class LiveController {
  constructor(private readonly feed: LiveFeed) {}

  @Get()
  @Access('read')
  @ApiProduces('text/event-stream')
  @ApiOperation({
    summary: 'Server-sent events: which read models have applied new events',
    description:
      'A `text/event-stream` that stays open. First `event: ready` with `{ position }`: every event appended after that ' +
      'position will be told of. Then one `event: change` (its `id` is the position) each time read models have applied new ' +
      'events: `{ position, projections: [name], types: [event type], streams: [{id, type}] }`; a read of those models ' +
      'answers what the events changed (pass `minPosition=<position>` to be certain). A `: heartbeat` comment comes every ' +
      '15 s. Send the token in the Authorization header (read it with fetch(), not EventSource): never in the URL.',
  })
  async stream(@Req() req: HttpRequest, @Res() reply: HttpReply): Promise<void> {
    const res = reply.raw;
    req.raw.socket.setNoDelay(true);
    req.raw.socket.setTimeout(0);

    let closed = false;
    let started = false; // the status line and headers are written
    let heartbeat: NodeJS.Timeout | null = null;
    let unsubscribe: (() => void) | null = null;
    const cleanup = () => {
      if (closed) return;
      closed = true;
      if (heartbeat) clearInterval(heartbeat);
      unsubscribe?.();
    };
    res.on('close', cleanup);

    const sub = await this.feed.subscribe({
      change: (change) => {
        if (started && !closed) res.write(sse('change', change, change.position));
      },
      end: () => {
        cleanup();
        if (started) res.end();
      },
    });
    unsubscribe = sub.unsubscribe;
    if (closed) {
      // The client left while we subscribed, or the service is shutting down.
      unsubscribe();
      if (!res.destroyed) throw new AppError('unavailable', 'LIVE.SHUTTING_DOWN', 'The service is shutting down; reconnect shortly.');
      return;
    }
    // Subscribed: from here the stream is written to the socket by this method, not by Fastify
    // (a failure to subscribe was still answered as problem+json).
    reply.hijack();
    res.writeHead(200, {
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-store, no-transform',
      Connection: 'keep-alive',
      'X-Accel-Buffering': 'no', // nginx: do not buffer the stream
    });
    started = true;
    res.write(`retry: 2000\n\n`);
    res.write(sse('ready', { position: sub.position }));
    heartbeat = setInterval(() => res.write(': heartbeat\n\n'), this.feed.heartbeatMs);
  }
}
