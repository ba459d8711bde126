import fc from 'fast-check';
import { joinUtf8, pageBytes } from './audit-log.query.js';

describe('pageBytes and joinUtf8', () => {
  const asText = (items: string[], next: string) => `{"items":[${items.join(',')}],"next":${JSON.stringify(next)}}`;
  const cursor = { transactionId: '1', position: '1' };

  it('gives the UTF-8 bytes of { items, next } for any event texts (non-ASCII, astral, empty pages)', () => {
    fc.assert(
      fc.property(fc.array(fc.json({ noUnicodeString: false }), { maxLength: 30 }), fc.string({ unit: 'grapheme', maxLength: 40 }), (items, next) => {
        const bytes = pageBytes({ items, next, cursor });
        expect(bytes.equals(Buffer.from(asText(items, next), 'utf8'))).toBe(true);
        expect(JSON.parse(bytes.toString('utf8'))).toEqual({ items: items.map((i) => JSON.parse(i)), next });
      }),
      { numRuns: 300 },
    );
  });

  it('holds a page of 1,000 long events whose every character takes three bytes', () => {
    const items = Array.from({ length: 1000 }, (_, i) => JSON.stringify({ i, text: '文化对话—'.repeat(200) }));
    const bytes = pageBytes({ items, next: 'n', cursor });
    expect(bytes.length).toBe(Buffer.byteLength(asText(items, 'n')));
    expect(bytes.equals(Buffer.from(asText(items, 'n')))).toBe(true);
  });

  it('joins lines for the export as join() and encoding would', () => {
    fc.assert(
      fc.property(fc.array(fc.string({ unit: 'binary', maxLength: 50 }), { maxLength: 20 }), (lines) => {
        expect(joinUtf8(lines, '\n', '', '\n').equals(Buffer.from(lines.join('\n') + '\n', 'utf8'))).toBe(true);
      }),
      { numRuns: 300 },
    );
  });
});
