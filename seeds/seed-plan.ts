import { HISTORY, type SeedCommand, type SeedStep, SOURCES } from './history.js';

/** The HTTP route of each command the seeds use (the same routes users call). */
const ROUTES: Record<SeedCommand, (target: string, appointment: string) => string> = {
  RegisterParty: () => '/parties',
  RenameParty: (t) => `/parties/${t}/renaming`,
  RegisterPerson: () => '/people',
  AppointPerson: (t) => `/people/${t}/appointments`,
  EndAppointment: (t, a) => `/people/${t}/appointments/${a}/end`,
  EstablishPartnership: () => '/partnerships',
  LaunchInitiative: () => '/initiatives',
  AnnounceForum: () => '/forums',
  PostponeForum: (t) => `/forums/${t}/postponement`,
  RecordForumHeld: (t) => `/forums/${t}/convening`,
  SignMoU: () => '/agreements',
  RecordMeeting: () => '/meetings',
  CorrectMeetingRecord: (t) => `/meetings/${t}/corrections`,
};

/** Replaces every `@key` in a value by the id an earlier step created. */
export function resolveRefs<T>(value: T, ids: ReadonlyMap<string, string>): T {
  if (typeof value === 'string' && value.startsWith('@')) {
    const id = ids.get(value.slice(1));
    if (!id) throw new Error(`seed: ${value} names nothing created before it`);
    return id as T;
  }
  if (Array.isArray(value)) return value.map((v) => resolveRefs(v, ids)) as T;
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, resolveRefs(v, ids)])) as T;
  }
  return value;
}

export interface PlannedStep {
  step: SeedStep;
  index: number;
  path: string;
  /** the id of the record the command acts on (resolved `target`), or '' */
  target: string;
  /** for EndAppointment: the appointment's id, or '' */
  appointment: string;
  body: Record<string, unknown>;
  /** one key per fact, so that loading twice changes nothing */
  idempotencyKey: string;
  sourceRef: string;
}

/** One key per fact (`seed:party:unaoc`, `seed:RecordForumHeld:@forum:wfid-1`): stable while steps are added or moved. */
export function idempotencyKeyOf(step: SeedStep): string {
  return `seed:${step.key ?? [step.command, step.target, step.appointment].filter(Boolean).join(':')}`;
}

/** Resolves one step against the ids created so far. */
export function planStep(step: SeedStep, index: number, ids: ReadonlyMap<string, string>): PlannedStep {
  const target = step.target ? resolveRefs(step.target, ids) : '';
  const appointment = step.appointment ? resolveRefs(step.appointment, ids) : '';
  const sources = Array.isArray(step.source) ? step.source : [step.source];
  return {
    step,
    index,
    path: ROUTES[step.command](target, appointment),
    target,
    appointment,
    body: resolveRefs(step.body, ids),
    idempotencyKey: idempotencyKeyOf(step),
    sourceRef: sources.map((s) => SOURCES[s]).join(', '),
  };
}

export { HISTORY };
