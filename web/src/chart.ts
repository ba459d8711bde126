import { h, s } from './dom.js';
import type { YearCount } from './meetings-per-year.js';

let chartIds = 0;

/**
 * A bar chart of meetings per year as inline SVG, drawn for the width it has (so its text stays
 * readable on a phone), with a text alternative: the SVG is an image labelled by its title and
 * described by its numbers, and the same numbers are in a table under a disclosure.
 */
export function meetingsChart(data: YearCount[], partyName: string, width: number): HTMLElement {
  const id = `chart-${++chartIds}`;
  const caption = `Meetings per year with ${partyName}`;
  if (data.length === 0) {
    return h('figure', { class: 'chart' }, h('figcaption', {}, caption), h('p', { class: 'empty' }, 'No meetings recorded.'));
  }
  const total = data.reduce((n, d) => n + d.count, 0);
  const W = Math.max(280, Math.floor(width));
  const H = 220;
  const m = { top: 22, right: 12, bottom: 30, left: 34 };
  const plotW = W - m.left - m.right;
  const plotH = H - m.top - m.bottom;
  const max = Math.max(1, ...data.map((d) => d.count));
  const step = Math.max(1, Math.ceil(max / 4));
  const top = Math.ceil(max / step) * step;
  const y = (v: number) => m.top + plotH - (v / top) * plotH;
  const band = plotW / data.length;
  const barW = Math.max(4, Math.min(48, band * 0.65));
  const labelEvery = Math.max(1, Math.ceil(44 / band));

  const grid = [];
  for (let v = 0; v <= top; v += step) {
    grid.push(
      s('line', { x1: m.left, x2: W - m.right, y1: y(v), y2: y(v), class: v === 0 ? 'axis' : 'grid' }),
      s('text', { x: m.left - 6, y: y(v) + 4, 'text-anchor': 'end', class: 'tick' }, v),
    );
  }
  const bars = data.map((d, i) => {
    const cx = m.left + band * i + band / 2;
    const label = `${d.year}: ${d.count} ${d.count === 1 ? 'meeting' : 'meetings'}`;
    return s(
      'g',
      { class: 'bar' },
      d.count > 0 ? s('rect', { x: cx - barW / 2, y: y(d.count), width: barW, height: y(0) - y(d.count), rx: 2 }, s('title', {}, label)) : null,
      d.count > 0 ? s('text', { x: cx, y: y(d.count) - 6, 'text-anchor': 'middle', class: 'value' }, d.count) : null,
      i % labelEvery === 0 || i === data.length - 1
        ? s('text', { x: cx, y: H - m.bottom + 18, 'text-anchor': 'middle', class: 'tick' }, d.year)
        : null,
    );
  });

  const svg = s(
    'svg',
    { width: W, height: H, viewBox: `0 0 ${W} ${H}`, role: 'img', 'aria-labelledby': `${id}-title`, 'aria-describedby': `${id}-desc`, focusable: 'false' },
    s('title', { id: `${id}-title` }, `${caption}: ${total} in all`),
    s('desc', { id: `${id}-desc` }, data.map((d) => `${d.year}: ${d.count}`).join(', ')),
    grid,
    bars,
  );
  return h(
    'figure',
    { class: 'chart' },
    h('figcaption', {}, `${caption} (${total} in all)`),
    svg,
    h(
      'details',
      {},
      h('summary', {}, 'The numbers as a table'),
      h(
        'table',
        { class: 'data compact' },
        h('caption', { class: 'visually-hidden' }, caption),
        h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Year'), h('th', { scope: 'col', class: 'num' }, 'Meetings'))),
        h('tbody', {}, data.map((d) => h('tr', {}, h('th', { scope: 'row' }, d.year), h('td', { class: 'num' }, d.count)))),
      ),
    ),
  );
}
