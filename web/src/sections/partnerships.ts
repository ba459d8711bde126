import type { Partnership } from '../api.js';
import { type Child, type Column, h, table, when } from '../dom.js';
import { Section } from './section.js';

/** Most recent activity first; partial dates compare as written (`2020` < `2020-12` < `2021`). */
function byActivity(a: Partnership, b: Partnership): number {
  return (b.lastActivityOn ?? '').localeCompare(a.lastActivityOn ?? '') || b.meetingsCount - a.meetingsCount;
}

export function pairName(p: Partnership): string {
  return p.parties.map((x) => x.name).join(' and ');
}

/** One row per pair of parties that share anything. */
export class PartnershipsSection extends Section {
  readonly title = 'Partnerships';
  readonly projections = ['partnerships'];

  protected async render(minPosition: string | undefined): Promise<Child> {
    const items = (await this.ctx.api.all<Partnership>('/partnerships', { minPosition })).sort(byActivity);
    const columns: Column<Partnership>[] = [
      { label: 'Partners', cell: (p) => h('span', { class: 'pair' }, p.parties[0]?.name ?? '', h('span', { class: 'and' }, ' and '), p.parties[1]?.name ?? '') },
      { label: 'Since', cell: (p) => when(p.since) },
      { label: 'Meetings', cell: (p) => p.meetingsCount, class: 'num' },
      { label: 'Last meeting', cell: (p) => when(p.lastMeetingOn, 'none') },
      {
        label: 'Agreements in force',
        cell: (p) =>
          p.agreementsInForce.length === 0
            ? h('span', { class: 'muted' }, 'none')
            : h('ul', { class: 'plain' }, p.agreementsInForce.map((a) => h('li', {}, a.title, ' ', h('span', { class: 'muted' }, '(signed ', when(a.signedOn), ')')))),
      },
      { label: 'Open commitments', cell: (p) => p.openCommitments, class: 'num' },
    ];
    const withMeetings = items.filter((p) => p.meetingsCount > 0).length;
    return [
      h('p', { class: 'summary' }, `${items.length} partnerships, ${withMeetings} with meetings; most recent activity first.`),
      table('Partnerships, most recent activity first', columns, items, { empty: 'No partnerships yet.', captionClass: 'visually-hidden' }),
    ];
  }
}
