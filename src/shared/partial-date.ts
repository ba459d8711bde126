/**
 * Partial dates: a world date kept at the precision it was given (`YYYY`, `YYYY-MM`,
 * `YYYY-MM-DD`). A partial date is the interval of days it covers; it sorts by first day,
 * then by last day, so `2026` < `2026-05-01` < `2026-05` < `2026-06`.
 */
export type PartialDate = string;
export type Precision = 'year' | 'month' | 'day';

export interface PartialDateRange {
  text: PartialDate;
  precision: Precision;
  /** first day covered, `YYYY-MM-DD` */
  first: string;
  /** last day covered, `YYYY-MM-DD` */
  last: string;
}

const PATTERN = /^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$/;

export function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** Parses a partial date; answers null when it is not one (or names a day that does not exist). */
export function parsePartialDate(value: unknown): PartialDateRange | null {
  if (typeof value !== 'string') return null;
  const m = PATTERN.exec(value);
  if (!m) return null;
  const year = Number(m[1]);
  if (year < 1) return null;
  if (m[2] === undefined) {
    return { text: value, precision: 'year', first: `${m[1]}-01-01`, last: `${m[1]}-12-31` };
  }
  const month = Number(m[2]);
  if (month < 1 || month > 12) return null;
  const dim = daysInMonth(year, month);
  if (m[3] === undefined) {
    return { text: value, precision: 'month', first: `${m[1]}-${m[2]}-01`, last: `${m[1]}-${m[2]}-${pad(dim)}` };
  }
  const day = Number(m[3]);
  if (day < 1 || day > dim) return null;
  return { text: value, precision: 'day', first: value, last: value };
}

export function isPartialDate(value: unknown): value is PartialDate {
  return parsePartialDate(value) !== null;
}

export function isFullDate(value: unknown): value is string {
  const r = parsePartialDate(value);
  return r !== null && r.precision === 'day';
}

export function rangeOf(value: PartialDate): PartialDateRange {
  const r = parsePartialDate(value);
  if (!r) throw new TypeError(`not a partial date: ${String(value)}`);
  return r;
}

/** Sort order of the contract: by first day, then by last day. */
export function comparePartialDates(a: PartialDate, b: PartialDate): number {
  const ra = rangeOf(a);
  const rb = rangeOf(b);
  if (ra.first !== rb.first) return ra.first < rb.first ? -1 : 1;
  if (ra.last !== rb.last) return ra.last < rb.last ? -1 : 1;
  return 0;
}

/** True when every day of `value` is earlier than `day` (a full date). */
export function isWhollyBefore(value: PartialDate, day: string): boolean {
  return rangeOf(value).last < rangeOf(day).first;
}

/** True when every day of `value` is later than `day`. */
export function isWhollyAfter(value: PartialDate, day: string): boolean {
  return rangeOf(value).first > rangeOf(day).last;
}

/** The earliest of several partial dates in the contract's order (nulls ignored). */
export function earliestPartialDate(...values: (PartialDate | null | undefined)[]): PartialDate | null {
  let best: PartialDate | null = null;
  for (const v of values) {
    if (v == null) continue;
    if (best === null || comparePartialDates(v, best) < 0) best = v;
  }
  return best;
}

export function latestPartialDate(...values: (PartialDate | null | undefined)[]): PartialDate | null {
  let best: PartialDate | null = null;
  for (const v of values) {
    if (v == null) continue;
    if (best === null || comparePartialDates(v, best) > 0) best = v;
  }
  return best;
}

/** Today's date (UTC) as `YYYY-MM-DD`. */
export function today(now: Date = new Date()): string {
  return now.toISOString().slice(0, 10);
}
