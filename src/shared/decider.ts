import type { NewEvent } from '../event-store/event.types.js';

/** What a decision may use besides the command and the state: the clock and new ids, passed in. */
export interface DecideEnv {
  now: Date;
  /** today's date, `YYYY-MM-DD` (UTC) */
  today: string;
  newId: () => string;
}

/** An event as a fold sees it. */
export interface Fact<T extends string = string, D = any> {
  type: T;
  data: D;
  occurredOn?: string | null;
  /** system time, when the fact comes from the log */
  recordedAt?: Date | string;
}

/**
 * A pure aggregate: `decide(command, state) → events` and `evolve(state, event) → state`.
 * Nothing here knows Nest, TypeORM or the clock.
 */
export interface Decider<Command, State, Event extends NewEvent> {
  streamType: string;
  initialState: () => State;
  evolve: (state: State, event: Fact) => State;
  decide: (command: Command, state: State, env: DecideEnv) => Event[];
}

export function fold<State>(decider: { initialState: () => State; evolve: (s: State, e: Fact) => State }, events: Iterable<Fact>): State {
  let state = decider.initialState();
  for (const e of events) state = decider.evolve(state, e);
  return state;
}

/** Exhaustiveness check at the end of a switch over a union. */
export function assertNever(value: never): never {
  throw new Error(`unhandled case: ${JSON.stringify(value)}`);
}
