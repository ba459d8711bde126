import { isWhollyAfter, isWhollyBefore } from '../shared/partial-date.js';

/**
 * Whether an appointment is held on `day` (a full date): not ended, its known end (`to`) not
 * wholly before the day, and its start not wholly after it (an office recorded ahead of time
 * is not held yet). Derived at read time, never stored: it changes with the calendar.
 */
export function heldOn(a: { from: string; to: string | null; endedOn: string | null }, day: string): boolean {
  if (a.endedOn !== null) return false;
  if (a.to !== null && isWhollyBefore(a.to, day)) return false;
  return !isWhollyAfter(a.from, day);
}
