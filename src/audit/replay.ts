import type { ProjectionRebuilder, RebuildProgress, RebuildReport } from '../projections/projection-rebuilder.js';

export interface ReplayOutput {
  /** a line of the report */
  line(text: string): void;
  /** the progress bar; on a terminal it redraws one line in place */
  progress(text: string): void;
}

export interface ReplayResult {
  reports: RebuildReport[];
  identical: boolean;
  events: number;
  seconds: number;
}

const BAR = 30;

export function progressBar(name: string, p: RebuildProgress): string {
  const share = p.total > 0 ? Math.min(1, p.done / p.total) : 1;
  const filled = Math.round(share * BAR);
  const eta = p.etaSeconds === null ? '' : ` eta ${p.etaSeconds.toFixed(0)} s`;
  return `${name.padEnd(13)} [${'#'.repeat(filled)}${'.'.repeat(BAR - filled)}] ${String(Math.round(share * 100)).padStart(3)}% ${p.done}/${p.total} events, ${Math.round(p.eventsPerSecond)}/s${eta}`;
}

/**
 * Replay that proves itself: rebuilds every projection from the whole log into shadow tables,
 * compares each table with the live one, and reports rows equal, differing and missing on
 * either side. The live tables are left as they are (compare mode). Every projection is rebuilt
 * at once, from one read of the log (`ProjectionRebuilder.rebuildAll`).
 */
export async function replayAll(rebuilder: ProjectionRebuilder, names: string[], out: ReplayOutput): Promise<ReplayResult> {
  const started = Date.now();
  // All at once from one read of the log; while it runs, one bar for all of them.
  const latest = new Map<string, RebuildProgress>();
  const label = names.length === 1 ? names[0] : `${names.length} projections`;
  const reports = await rebuilder.rebuildAll(names, 'compare', 'replay', (name, p) => {
    latest.set(name, p);
    const all = [...latest.values()];
    const etas = all.map((x) => x.etaSeconds).filter((x): x is number => x !== null);
    out.progress(
      progressBar(label, {
        done: all.reduce((n, x) => n + x.done, 0),
        total: all.reduce((n, x) => n + x.total, 0),
        eventsPerSecond: all.reduce((n, x) => n + x.eventsPerSecond, 0),
        etaSeconds: etas.length ? Math.max(...etas) : null,
      }),
    );
  });
  for (const report of reports) {
    out.progress(progressBar(report.name, { done: report.events, total: report.events, eventsPerSecond: report.eventsPerSecond, etaSeconds: 0 }));
  }
  const seconds = (Date.now() - started) / 1000;
  const events = reports.reduce((n, r) => n + r.events, 0);
  const identical = reports.every((r) => r.identical);

  const rows = reports.flatMap((r) => r.tables.map((t) => [r.name, t.table, t.equal, t.differing, t.missingInLive, t.missingInRebuild] as const));
  const header = ['projection', 'table', 'equal', 'differing', 'missing live', 'missing rebuilt'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => String(r[i]).length)));
  const fmt = (cells: readonly (string | number)[]) =>
    cells.map((c, i) => (typeof c === 'number' ? String(c).padStart(widths[i]) : String(c).padEnd(widths[i]))).join('  ');
  out.line('');
  out.line(fmt(header));
  out.line(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const r of rows) out.line(fmt(r));
  out.line('');
  for (const r of reports) {
    for (const t of r.tables) {
      for (const ex of t.examples ?? []) out.line(`DIFFERENT ${r.name}.${t.table} ${JSON.stringify(ex.key)}: ${ex.columns.join(', ')}`);
    }
  }
  out.line(
    `${identical ? 'OK' : 'DIFFERENCES FOUND'}: ${reports.length} projections, ${events} events replayed in ${seconds.toFixed(1)} s` +
      (identical ? '; every table equals its rebuild from the log.' : '; the live read models differ from the log (see above).'),
  );
  return { reports, identical, events, seconds };
}
