/** One bar of the chart: a year and how many meetings it had. */
export interface YearCount {
  year: number;
  count: number;
}

/**
 * Meetings per year from a party's timeline: each meeting once (by record id), counted in the
 * year its partial date falls in (`2026`, `2026-05` and `2026-05-01` all count for 2026), every
 * year from the first to the last shown, with 0 for years without a meeting. No DOM here.
 */
export function meetingsPerYear(entries: readonly { kind: string; on: string; recordId: string }[]): YearCount[] {
  const yearOf = new Map<string, number>();
  for (const e of entries) {
    if (e.kind !== 'meeting') continue;
    const year = Number(e.on.slice(0, 4));
    if (Number.isInteger(year)) yearOf.set(e.recordId, year);
  }
  if (yearOf.size === 0) return [];
  const counts = new Map<number, number>();
  for (const year of yearOf.values()) counts.set(year, (counts.get(year) ?? 0) + 1);
  const years = [...counts.keys()];
  const first = Math.min(...years);
  const last = Math.max(...years);
  const out: YearCount[] = [];
  for (let y = first; y <= last; y++) out.push({ year: y, count: counts.get(y) ?? 0 });
  return out;
}
