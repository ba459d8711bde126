import type { Party, Partnership, TimelineEntry } from '../api.js';
import { meetingsChart } from '../chart.js';
import { type Child, badge, h, replaceContent, when } from '../dom.js';
import { meetingsPerYear } from '../meetings-per-year.js';
import { type Context, Section } from './section.js';

const PARTY_KEY = 'entente.party';

/** A chosen party's timeline, with a chart of its meetings per year. */
export class TimelineSection extends Section {
  readonly title = 'Party timeline';
  readonly projections = ['timeline', 'parties'];

  private readonly select: HTMLSelectElement;
  private parties: Party[] = [];
  private chartHost: HTMLElement | null = null;
  private chartWidth = 0;
  private chartData: { entries: TimelineEntry[]; party: string } | null = null;
  private readonly resize: ResizeObserver;

  constructor(id: string, ctx: Context) {
    super(id, ctx);
    const select = this.root.querySelector<HTMLSelectElement>('select');
    if (!select) throw new Error('no party select');
    this.select = select;
    this.select.addEventListener('change', () => {
      sessionStorage.setItem(PARTY_KEY, this.select.value);
      void this.refresh();
    }, { signal: this.signal });
    // The chart is drawn for its width: draw it again when the width changes.
    this.resize = new ResizeObserver(() => {
      if (this.chartHost && Math.abs(this.widthFor() - this.chartWidth) > 24) this.drawChart();
    });
    this.resize.observe(this.body);
  }

  private widthFor(): number {
    return Math.min(this.body.clientWidth, 960);
  }

  private drawChart(): void {
    if (!this.chartHost || !this.chartData) return;
    this.chartWidth = this.widthFor();
    replaceContent(this.chartHost, meetingsChart(meetingsPerYear(this.chartData.entries), this.chartData.party, this.chartWidth));
  }

  /** The party chosen before in this tab, else the one with the most partners. */
  private async defaultParty(): Promise<string | undefined> {
    const kept = sessionStorage.getItem(PARTY_KEY);
    if (kept && this.parties.some((p) => p.id === kept)) return kept;
    const partnerships = await this.ctx.api.all<Partnership>('/partnerships');
    const partners = new Map<string, number>();
    for (const p of partnerships) for (const party of p.parties) partners.set(party.id, (partners.get(party.id) ?? 0) + 1);
    return [...partners].sort((a, b) => b[1] - a[1])[0]?.[0] ?? this.parties[0]?.id;
  }

  private fillSelect(chosen: string | undefined): void {
    const options = this.parties.map((p) => h('option', { value: p.id }, p.shortName ? `${p.name} (${p.shortName})` : p.name));
    this.select.replaceChildren(...options);
    if (chosen) this.select.value = chosen;
  }

  protected async render(minPosition: string | undefined): Promise<Child> {
    this.parties = await this.ctx.api.all<Party>('/parties', { minPosition });
    const current = this.select.value && this.parties.some((p) => p.id === this.select.value) ? this.select.value : await this.defaultParty();
    this.fillSelect(current);
    const party = this.parties.find((p) => p.id === current);
    if (!party) return h('p', { class: 'empty' }, 'No parties are registered yet.');

    const entries = await this.ctx.api.all<TimelineEntry>('/timeline', { partyId: party.id, minPosition });
    this.chartData = { entries, party: party.name };
    this.chartHost = h('div', { class: 'chart-host' });
    this.drawChart();
    const list =
      entries.length === 0
        ? h('p', { class: 'empty' }, `Nothing recorded for ${party.name} yet.`)
        : h(
            'ol',
            { class: 'timeline', 'aria-label': `Timeline of ${party.name}, in the order things happened` },
            entries.map((e) => {
              const others = e.parties.filter((p) => p.id !== party.id);
              return h(
                'li',
                {},
                h('span', { class: 'when' }, when(e.on)),
                h(
                  'span',
                  { class: 'what' },
                  badge(e.kind, 'grey'),
                  ' ',
                  h('span', { class: 'entry-title' }, e.title),
                  others.length ? h('span', { class: 'with muted' }, ` with ${others.map((p) => p.name).join(', ')}`) : null,
                ),
                this.logButton(e.recordId, e.title, e.id),
              );
            }),
          );
    return [
      h('p', { class: 'summary' }, `${entries.length} ${entries.length === 1 ? 'entry' : 'entries'} for ${party.name}.`),
      this.chartHost,
      h('h3', {}, 'What happened'),
      list,
    ];
  }

  override dispose(): void {
    super.dispose();
    this.resize.disconnect();
    this.select.replaceChildren();
    this.chartHost = null;
    this.chartData = null;
  }
}
