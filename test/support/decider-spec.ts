import type { NewEvent } from '../../src/event-store/event.types.js';
import { type DecideEnv, type Decider, type Fact, fold } from '../../src/shared/decider.js';
import { AppError } from '../../src/shared/errors.js';

/** Deterministic ids and clock for decider specs. */
export function testEnv(today = '2026-11-23'): DecideEnv {
  let n = 0;
  return { now: new Date(`${today}T12:00:00Z`), today, newId: () => `00000000-0000-7000-8000-${String(++n).padStart(12, '0')}` };
}

/** given(events) / when(command) / then(events) or thenFails(kind, code). */
export function given<C, S, E extends NewEvent>(decider: Decider<C, S, E>, history: Fact[] = []) {
  return {
    when(command: C, env: DecideEnv = testEnv()) {
      const run = () => decider.decide(command, fold(decider, history), env);
      return {
        then(expected: Partial<E>[]): E[] {
          const events = run();
          expect(events).toEqual(expected.map((e) => expect.objectContaining(e)));
          return events;
        },
        thenFails(kind: AppError['kind'], code?: string, field?: string): AppError {
          let error: unknown;
          try {
            run();
          } catch (err) {
            error = err;
          }
          expect(error).toBeInstanceOf(AppError);
          const e = error as AppError;
          expect(e.kind).toBe(kind);
          if (code) expect(e.code).toBe(code);
          if (field) expect(e.errors?.map((x) => x.field)).toContain(field);
          return e;
        },
      };
    },
  };
}
