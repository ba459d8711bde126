import type { Commitment } from '../api.js';
import { type Child, type Column, badge, h, names, table, when } from '../dom.js';
import { Section } from './section.js';

/** Open commitments, the overdue ones first (open, and due wholly before today). */
export class CommitmentsSection extends Section {
  readonly title = 'Commitments';
  readonly projections = ['commitments'];

  protected async render(minPosition: string | undefined): Promise<Child> {
    const open = await this.ctx.api.all<Commitment>('/commitments', { status: 'open', minPosition });
    const byDue = (a: Commitment, b: Commitment) => (a.dueBy ?? '9999').localeCompare(b.dueBy ?? '9999');
    const overdue = open.filter((c) => c.overdue).sort(byDue);
    const notYet = open.filter((c) => !c.overdue).sort(byDue);
    const columns: Column<Commitment>[] = [
      { label: 'Commitment', cell: (c) => c.description },
      { label: 'Parties', cell: (c) => names(c.parties) },
      { label: 'Due by', cell: (c) => when(c.dueBy, 'no date') },
      { label: 'Made on', cell: (c) => when(c.madeOn) },
      { label: 'Status', cell: (c) => (c.overdue ? badge('overdue', 'red') : badge('open', 'blue')) },
    ];
    if (this.ctx.auditor) columns.push({ label: 'Audit', cell: (c) => this.logButton(c.id, c.description) });
    return [
      h('p', { class: 'summary' }, `${open.length} open, ${overdue.length} of them overdue.`),
      h('h3', { id: 'overdue-title' }, `Overdue (${overdue.length})`),
      table('Overdue commitments', columns, overdue, { empty: 'Nothing is overdue.', captionClass: 'visually-hidden' }),
      h('h3', { id: 'open-title' }, `Open, not overdue (${notYet.length})`),
      table('Open commitments not overdue', columns, notYet, { empty: 'No other open commitments.', captionClass: 'visually-hidden' }),
    ];
  }
}
