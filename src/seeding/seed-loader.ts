import { createHash } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { DataSource } from 'typeorm';
import { HISTORY, type SeedStep } from '../../seeds/history.js';
import { idempotencyKeyOf, planStep, type PlannedStep } from '../../seeds/seed-plan.js';
import { EventStore } from '../event-store/event-store.js';
import { canonicalJson } from '../shared/canonical-json.js';
import type { CommandContext, CommandOutcome } from '../shared/commands/command-context.js';
import { AppError } from '../shared/errors.js';
import { createValidationPipe } from '../shared/http/validation-pipe.js';
import { uuidv7 } from '../shared/ids.js';
import { SEED_COMMANDS } from './seed-commands.js';

/** The actor (token label) every seeded event carries in its metadata. */
export const SEED_ACTOR = 'seed';

export interface SeedProgress {
  /** steps done so far, this one included */
  done: number;
  total: number;
  step: SeedStep;
  /** events this step wrote: 0 when it was already in the log */
  written: number;
}

export interface SeedSummary {
  steps: number;
  /** steps that wrote their events in this run */
  stepsWritten: number;
  /** steps already in the log (their idempotency key answered) */
  stepsSkipped: number;
  eventsWritten: number;
  /** the position the last step answered: pass it as minPosition to read the seeded history */
  last: string;
  /** the id each keyed step created, by key (`party:unaoc`, `appointment:karimli-minister`) */
  ids: Map<string, string>;
  correlationId: string;
}

export interface SeedOptions {
  steps?: readonly SeedStep[];
  onProgress?: (p: SeedProgress) => void;
}

/** A step the service refused: which one, and why (the problem's field errors included). */
export class SeedStepError extends Error {
  constructor(
    readonly index: number,
    readonly step: SeedStep,
    readonly cause: unknown,
  ) {
    super(`seed step ${index + 1} (${step.command}${step.key ? ` ${step.key}` : ''}) failed: ${describe(cause)}`);
    this.name = 'SeedStepError';
  }
}

function describe(err: unknown): string {
  if (err instanceof AppError) {
    const fields = err.errors?.map((e) => `${e.field}: ${e.message}`).join('; ');
    const hint = err.code === 'IDEMPOTENCY.KEY_REUSED' ? ' (the seed data of this step changed since it was loaded)' : '';
    return `${err.message}${fields ? ` [${fields}]` : ''}${hint}`;
  }
  return err instanceof Error ? err.message : String(err);
}

/**
 * Loads the recorded history in-process: each step is validated with its command's DTO and
 * dispatched on the CommandBus as its controller would, so every fact is an event written by
 * the same handler and decider a user's request goes through. Each step carries an
 * idempotency key of its own (actor `seed`), so a second load writes nothing and answers the
 * ids of the first, which later steps need for their `@key` references.
 */
@Injectable()
export class SeedLoader {
  private readonly validation = createValidationPipe();

  constructor(
    private readonly commands: CommandBus,
    private readonly store: EventStore,
    private readonly db: DataSource,
  ) {}

  async load(options: SeedOptions = {}): Promise<SeedSummary> {
    const steps = options.steps ?? HISTORY;
    assertDistinctKeys(steps);
    const correlationId = uuidv7();
    const ids = new Map<string, string>();
    const summary: SeedSummary = { steps: steps.length, stepsWritten: 0, stepsSkipped: 0, eventsWritten: 0, last: '0', ids, correlationId };

    for (const [index, step] of steps.entries()) {
      const planned = planStep(step, index, ids);
      const requestId = uuidv7();
      let outcome: CommandOutcome;
      try {
        outcome = await this.run(planned, { correlationId, requestId });
      } catch (err) {
        throw new SeedStepError(index, step, err);
      }
      const written = await this.eventsWrittenBy(outcome.body.position, requestId);
      if (written > 0) summary.stepsWritten += 1;
      else summary.stepsSkipped += 1;
      summary.eventsWritten += written;
      summary.last = outcome.body.position;
      if (step.key) ids.set(step.key, await this.createdId(step, outcome));
      options.onProgress?.({ done: index + 1, total: steps.length, step, written });
    }
    return summary;
  }

  private async run(planned: PlannedStep, ids: { correlationId: string; requestId: string }): Promise<CommandOutcome> {
    const spec = SEED_COMMANDS[planned.step.command];
    const body = await this.validation.transform(planned.body, { type: 'body', metatype: spec.dto });
    const ctx: CommandContext = {
      actor: SEED_ACTOR,
      role: 'system',
      correlationId: ids.correlationId,
      requestId: ids.requestId,
      idempotencyKey: planned.idempotencyKey,
      // what the key stands for: a changed step is refused (422) rather than silently skipped
      requestHash: createHash('sha256')
        .update(`${planned.step.command} ${planned.target} ${planned.appointment}\n${canonicalJson(planned.body)}`)
        .digest('hex'),
      sourceRef: planned.sourceRef,
    };
    return this.commands.execute(spec.build(body, planned, ctx));
  }

  /** Events this request wrote in the transaction of the answered position (0 when the answer was replayed). */
  private async eventsWrittenBy(position: string, requestId: string): Promise<number> {
    const [row] = await this.db.query(
      `select count(*)::int as n from events
        where transaction_id = (select transaction_id from events where global_position = $1)
          and metadata->>'requestId' = $2`,
      [position, requestId],
    );
    return row.n;
  }

  /** The id a keyed step created; an appointment's is in its PersonAppointed event, not in the answer. */
  private async createdId(step: SeedStep, outcome: CommandOutcome): Promise<string> {
    if (step.command !== 'AppointPerson') return outcome.body.id;
    const appointed = (await this.store.readStream(outcome.body.id)).find((e) => e.position === outcome.body.position && e.type === 'PersonAppointed');
    if (!appointed) throw new Error(`seed: no PersonAppointed at position ${outcome.body.position} for ${step.key}`);
    return (appointed.data as { appointmentId: string }).appointmentId;
  }
}

/** Two steps under one key would make the second a silent replay of the first. */
function assertDistinctKeys(steps: readonly SeedStep[]): void {
  const seen = new Map<string, number>();
  for (const [i, step] of steps.entries()) {
    const key = idempotencyKeyOf(step);
    const first = seen.get(key);
    if (first !== undefined) throw new Error(`seed steps ${first + 1} and ${i + 1} share the idempotency key ${key}`);
    seen.set(key, i);
  }
}
