import fc from 'fast-check';
import { meetingsPerYear } from '../web/src/meetings-per-year.js';
import { SseParser } from '../web/src/sse.js';

/** The page's pure parts: the text/event-stream parser and the chart's meetings per year. */
describe('SseParser', () => {
  const stream =
    'retry: 2000\n\n' +
    'event: ready\ndata: {"position":"63"}\n\n' +
    ': heartbeat\n\n' +
    'event: change\nid: 64\ndata: {"position":"64","projections":["meetings"]}\n\n' +
    'data: first line\r\ndata: second line\r\n\r\n' +
    'event: change\nid: 65\ndata:{"position":"65"}\n\n';
  const expected = [
    { event: 'ready', data: '{"position":"63"}', id: null },
    { event: 'change', data: '{"position":"64","projections":["meetings"]}', id: '64' },
    { event: 'message', data: 'first line\nsecond line', id: '64' },
    { event: 'change', data: '{"position":"65"}', id: '65' },
  ];

  it('reads events, ids, multi-line data, retry and comments', () => {
    const comments: string[] = [];
    const parser = new SseParser((c) => comments.push(c));
    expect(parser.feed(stream)).toEqual(expected);
    expect(comments).toEqual(['heartbeat']);
    expect(parser.retry).toBe(2000);
  });

  it('gives the same events however the stream is cut into chunks (even inside CRLF)', () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.integer({ min: 1, max: stream.length - 1 }), { maxLength: 30 }), (cuts) => {
        const at = [0, ...cuts.sort((a, b) => a - b), stream.length];
        const parser = new SseParser();
        const out = [];
        for (let i = 1; i < at.length; i++) out.push(...parser.feed(stream.slice(at[i - 1], at[i])));
        expect(out).toEqual(expected);
      }),
    );
  });

  it('holds back an event until its blank line arrives', () => {
    const parser = new SseParser();
    expect(parser.feed('event: change\ndata: {}\n')).toEqual([]);
    expect(parser.feed('\n')).toEqual([{ event: 'change', data: '{}', id: null }]);
  });
});

describe('meetingsPerYear', () => {
  const m = (recordId: string, on: string, kind = 'meeting') => ({ recordId, on, kind });

  it('counts each meeting once in the year of its partial date, with empty years between', () => {
    expect(
      meetingsPerYear([
        m('a', '2020-12-02'),
        m('b', '2023'),
        m('c', '2023-03-08'),
        m('c', '2023-03-08'), // the same meeting twice
        m('f', '2021', 'forum'),
        m('d', '2025-12'),
      ]),
    ).toEqual([
      { year: 2020, count: 1 },
      { year: 2021, count: 0 },
      { year: 2022, count: 0 },
      { year: 2023, count: 2 },
      { year: 2024, count: 0 },
      { year: 2025, count: 1 },
    ]);
  });

  it('answers nothing when the party had no meetings', () => {
    expect(meetingsPerYear([m('f', '2021', 'forum')])).toEqual([]);
  });
});
