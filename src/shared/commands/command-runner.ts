import { Injectable } from '@nestjs/common';
import { EventStore, IdempotencyRaceError } from '../../event-store/event-store.js';
import type { NewEvent, StreamWrite } from '../../event-store/event.types.js';
import { AppError, ConcurrencyError } from '../errors.js';
import { uuidv7 } from '../ids.js';
import { today } from '../partial-date.js';
import { type DecideEnv, type Decider, fold } from '../decider.js';
import type { CommandContext, CommandOutcome } from './command-context.js';

const MAX_ATTEMPTS = 8;

export interface RunOptions<Event extends NewEvent> {
  /** the command creates this stream (201): a fresh id, unless `fixedId` */
  creates?: boolean;
  /**
   * the new stream's id is derived from the command (a partnership's pair), so it may exist
   * already: load it and let the decider refuse (409) rather than race on version 0
   */
  fixedId?: boolean;
  /** human name of the aggregate for a 404 ("meeting") */
  noun: string;
  /** where an event goes when not to the aggregate's own stream (e.g. a new commitment) */
  route?: (event: Event) => { streamId: string; streamType: string } | null;
}

/**
 * Runs one command against one aggregate: load its stream, fold, decide, append with the
 * version it was loaded at. Without If-Match a lost race is retried from a fresh load; with
 * it, the client's view is stale and gets 412. Idempotency-Key answers are stored with the events.
 */
@Injectable()
export class CommandRunner {
  constructor(private readonly store: EventStore) {}

  async run<C, S, E extends NewEvent>(
    decider: Decider<C, S, E>,
    streamId: string,
    command: C,
    ctx: CommandContext,
    options: RunOptions<E>,
  ): Promise<CommandOutcome> {
    const replay = await this.replayed(ctx);
    if (replay) return replay;
    // Writers without If-Match on one existing stream take turns in this process, so that 40 of
    // them at once all land instead of exhausting their retries against each other. Across
    // instances the unique constraint still decides and the loser retries from a fresh load.
    const queued = ctx.expectedVersion === undefined && (!options.creates || options.fixedId);
    return queued ? this.inTurn(streamId, () => this.attempt(decider, streamId, command, ctx, options)) : this.attempt(decider, streamId, command, ctx, options);
  }

  private readonly turns = new Map<string, Promise<unknown>>();

  /** Runs `work` after every earlier call for the same key has settled. */
  private async inTurn<T>(key: string, work: () => Promise<T>): Promise<T> {
    const previous = this.turns.get(key) ?? Promise.resolve();
    const mine = previous.then(work, work);
    const settled = mine.then(
      () => undefined,
      () => undefined,
    );
    this.turns.set(key, settled);
    try {
      return await mine;
    } finally {
      if (this.turns.get(key) === settled) this.turns.delete(key);
    }
  }

  private async attempt<C, S, E extends NewEvent>(
    decider: Decider<C, S, E>,
    streamId: string,
    command: C,
    ctx: CommandContext,
    options: RunOptions<E>,
  ): Promise<CommandOutcome> {
    for (let attempt = 1; ; attempt++) {
      try {
        const history = options.creates && !options.fixedId ? [] : await this.store.readStream(streamId);
        if (!options.creates && (history.length === 0 || history[0].streamType !== decider.streamType)) {
          throw AppError.notFound(options.noun, streamId);
        }
        const version = history.length;
        if (ctx.expectedVersion !== undefined && ctx.expectedVersion !== version) {
          throw new ConcurrencyError(streamId, ctx.expectedVersion, version);
        }
        const state = fold(decider, history);
        const now = new Date();
        const env: DecideEnv = { now, today: today(now), newId: () => uuidv7() };
        const events = decider.decide(command, state, env);
        const writes = this.group(decider.streamType, streamId, version, events, options);
        const status = options.creates ? 201 : 200;
        const result = await this.store.append(
          writes,
          {
            actor: ctx.actor,
            role: ctx.role,
            correlationId: ctx.correlationId,
            causationId: ctx.requestId,
            requestId: ctx.requestId,
            idempotencyKey: ctx.idempotencyKey ?? null,
            ...(ctx.sourceRef ? { sourceRef: ctx.sourceRef } : {}),
          },
          ctx.idempotencyKey && ctx.requestHash
            ? {
                actor: ctx.actor,
                key: ctx.idempotencyKey,
                requestHash: ctx.requestHash,
                status,
                response: (r) => ({ id: streamId, version: r.streams[0].version, position: r.position }),
              }
            : undefined,
        );
        return { status, body: { id: streamId, version: result.streams[0].version, position: result.position } };
      } catch (err) {
        if (ctx.idempotencyKey && (err instanceof IdempotencyRaceError || err instanceof AppError)) {
          // A retry racing the first request with this key: once the first commits, this one runs
          // into its key (IdempotencyRaceError) or into the stream the first moved on (412 for the
          // If-Match both carried, or the decider's 409). Either way the first answer is the answer.
          const answer = await this.replayed(ctx);
          if (answer) return answer;
          if (err instanceof IdempotencyRaceError) continue;
        }
        if (err instanceof ConcurrencyError && ctx.expectedVersion === undefined && attempt < MAX_ATTEMPTS) {
          await new Promise((r) => setTimeout(r, Math.random() * 5 * attempt));
          continue;
        }
        if (err instanceof ConcurrencyError && ctx.expectedVersion === undefined) {
          throw new AppError('conflict', 'CONCURRENCY.TOO_MANY_WRITERS', `Stream ${streamId} kept changing; try again.`);
        }
        throw err;
      }
    }
  }

  /** The stored first answer to a retry of the same Idempotency-Key, or 422 for another body. */
  private async replayed(ctx: CommandContext): Promise<CommandOutcome | null> {
    if (!ctx.idempotencyKey) return null;
    const stored = await this.store.findAnswer(ctx.actor, ctx.idempotencyKey);
    if (!stored) return null;
    if (stored.requestHash !== ctx.requestHash) {
      throw new AppError(
        'unprocessable',
        'IDEMPOTENCY.KEY_REUSED',
        'This Idempotency-Key was used with another request; use a new key.',
        [{ field: 'Idempotency-Key', message: 'was used before with a different request' }],
      );
    }
    return { status: stored.status as 200 | 201, body: stored.response as unknown as CommandOutcome['body'] };
  }

  private group<E extends NewEvent>(
    streamType: string,
    streamId: string,
    version: number,
    events: E[],
    options: RunOptions<E>,
  ): StreamWrite[] {
    const own: StreamWrite = { streamId, streamType, expectedVersion: version, events: [] };
    const writes = new Map<string, StreamWrite>([[streamId, own]]);
    for (const e of events) {
      const target = options.route?.(e);
      if (!target) {
        own.events.push(e);
        continue;
      }
      let w = writes.get(target.streamId);
      if (!w) {
        // Routed events start new streams (a commitment made in a meeting).
        w = { streamId: target.streamId, streamType: target.streamType, expectedVersion: 0, events: [] };
        writes.set(target.streamId, w);
      }
      w.events.push(e);
    }
    return [...writes.values()].filter((w) => w.events.length > 0);
  }
}
