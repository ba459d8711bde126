import type { UpcomingForum } from '../api.js';
import { type Child, type Column, badge, h, names, span, table, when } from '../dom.js';
import { Section } from './section.js';

const STATUS_TONE: Record<string, string> = { proposed: 'violet', planned: 'blue', scheduled: 'green', postponed: 'amber' };

export function forumName(f: { title: string | null; series: string; edition: number | null }): string {
  return f.title ?? (f.edition ? `${f.series}, edition ${f.edition}` : f.series);
}

/** Forums not held or cancelled, earliest first, dates exactly as recorded. */
export class ForumsSection extends Section {
  readonly title = 'Upcoming forums';
  readonly projections = ['forums'];

  protected async render(minPosition: string | undefined): Promise<Child> {
    const forums = await this.ctx.api.all<UpcomingForum>('/forums/upcoming', { minPosition });
    const columns: Column<UpcomingForum>[] = [
      { label: 'Forum', cell: (f) => forumName(f) },
      { label: 'Series', cell: (f) => f.series },
      { label: 'Edition', cell: (f) => f.edition ?? h('span', { class: 'muted' }, 'none'), class: 'num' },
      { label: 'Place', cell: (f) => f.hostCity ?? h('span', { class: 'muted' }, 'not set') },
      {
        label: 'When',
        cell: (f) => (f.startsOn ? span(f.startsOn, f.endsOn) : f.plannedFor ? when(f.plannedFor) : h('span', { class: 'muted' }, 'no date')),
      },
      { label: 'Status', cell: (f) => badge(f.status, STATUS_TONE[f.status] ?? 'grey') },
      { label: 'Organisers', cell: (f) => names(f.organizers) },
    ];
    if (this.ctx.auditor) columns.push({ label: 'Audit', cell: (f) => this.logButton(f.id, forumName(f)) });
    return [
      h('p', { class: 'summary' }, forums.length === 1 ? '1 forum to come.' : `${forums.length} forums to come.`),
      table('Upcoming forums, earliest first', columns, forums, { empty: 'No forums to come.', captionClass: 'visually-hidden' }),
    ];
  }
}
