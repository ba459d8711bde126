/** Small DOM helpers. Text always goes in as text nodes: nothing the API answers is parsed as HTML. */

export type Child = Node | string | number | null | undefined | false | Child[];
type AttrValue = string | number | boolean | null | undefined | ((event: Event) => void);
export type Attrs = Record<string, AttrValue>;

function append(parent: Node, children: Child[]): void {
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    if (Array.isArray(c)) append(parent, c);
    else parent.appendChild(typeof c === 'object' ? c : document.createTextNode(String(c)));
  }
}

function setAttrs(el: Element, attrs: Attrs): void {
  for (const [key, value] of Object.entries(attrs)) {
    if (value === null || value === undefined || value === false) continue;
    if (typeof value === 'function') el.addEventListener(key.replace(/^on/, '').toLowerCase(), value);
    else el.setAttribute(key, value === true ? '' : String(value));
  }
}

/** An HTML element: `h('td', { class: 'num' }, count)`. */
export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Attrs = {}, ...children: Child[]): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  setAttrs(el, attrs);
  append(el, children);
  return el;
}

const SVG_NS = 'http://www.w3.org/2000/svg';

/** An SVG element, for the inline charts. */
export function s<K extends keyof SVGElementTagNameMap>(tag: K, attrs: Attrs = {}, ...children: Child[]): SVGElementTagNameMap[K] {
  const el = document.createElementNS(SVG_NS, tag);
  setAttrs(el, attrs);
  append(el, children);
  return el;
}

/**
 * Replaces what a container shows. The element that had focus inside it (marked with
 * `data-key`) gets focus back in the new content, so a live update never drops a keyboard
 * user's place.
 */
export function replaceContent(container: Element, ...children: Child[]): void {
  const active = document.activeElement;
  const key = active && container.contains(active) ? active.getAttribute('data-key') : null;
  const fragment = document.createDocumentFragment();
  append(fragment, children);
  container.replaceChildren(fragment);
  if (key) {
    const again = [...container.querySelectorAll<HTMLElement>('[data-key]')].find((e) => e.getAttribute('data-key') === key);
    again?.focus();
  }
}

/** A partial date exactly as written (`2026`, `2026-05`, `2026-05-01`), as a `<time>`. */
export function when(date: string | null | undefined, none = 'not set'): Node {
  if (!date) return h('span', { class: 'muted' }, none);
  return h('time', { datetime: date }, date);
}

/** A span of partial dates: `2026-05-02 – 2026-05-03`, or one date. */
export function span(from: string | null | undefined, to: string | null | undefined): Node {
  if (!from) return when(null);
  if (!to || to === from) return when(from);
  return h('span', { class: 'nowrap' }, when(from), ' – ', when(to));
}

export function names(parties: { name: string }[] | null | undefined): string {
  return (parties ?? []).map((p) => p.name).join(', ');
}

export function badge(text: string, tone: string): HTMLElement {
  return h('span', { class: `badge badge-${tone}` }, text);
}

export interface Column<T> {
  label: string;
  cell(row: T): Child;
  class?: string;
}

/**
 * A data table with a caption and column headers. Explicit ARIA roles keep it a table for
 * assistive technology when the phone layout turns rows into cards; `data-label` gives each
 * card cell its header.
 */
export function table<T>(caption: string, columns: Column<T>[], rows: T[], options: { empty: string; captionClass?: string }): HTMLElement {
  if (rows.length === 0) return h('p', { class: 'empty' }, options.empty);
  return h(
    'table',
    { class: 'data cards', role: 'table' },
    h('caption', { class: options.captionClass ?? '' }, caption),
    h('thead', { role: 'rowgroup' }, h('tr', { role: 'row' }, columns.map((c) => h('th', { scope: 'col', role: 'columnheader', class: c.class }, c.label)))),
    h(
      'tbody',
      { role: 'rowgroup' },
      rows.map((row) =>
        h(
          'tr',
          { role: 'row' },
          columns.map((c, i) => {
            const content = c.cell(row);
            return i === 0
              ? h('th', { scope: 'row', role: 'rowheader', 'data-label': c.label, class: c.class }, content)
              : h('td', { role: 'cell', 'data-label': c.label, class: c.class }, content);
          }),
        ),
      ),
    ),
  );
}

export function clock(date = new Date()): string {
  return date.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', second: '2-digit' });
}
