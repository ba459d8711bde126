import {
  comparePartialDates,
  earliestPartialDate,
  isPartialDate,
  isWhollyBefore,
  parsePartialDate,
} from './partial-date.js';

describe('partial dates', () => {
  it('accepts the three precisions and keeps the text as given', () => {
    expect(parsePartialDate('2026')).toEqual({ text: '2026', precision: 'year', first: '2026-01-01', last: '2026-12-31' });
    expect(parsePartialDate('2024-02')).toEqual({ text: '2024-02', precision: 'month', first: '2024-02-01', last: '2024-02-29' });
    expect(parsePartialDate('2020-12-02')).toMatchObject({ precision: 'day', first: '2020-12-02', last: '2020-12-02' });
  });

  it.each(['2023-02-29', '2026-13', '2026-00', '2026-04-31', '26', '2026-1', '2026-01-1', '2026/01/01', '', ' 2026', '0000'])(
    'refuses %p',
    (value) => expect(isPartialDate(value)).toBe(false),
  );

  it('refuses what is not a string', () => {
    for (const v of [2026, null, undefined, {}, ['2026']]) expect(isPartialDate(v)).toBe(false);
  });

  it('knows leap days', () => {
    expect(isPartialDate('2024-02-29')).toBe(true);
    expect(isPartialDate('1900-02-29')).toBe(false);
    expect(isPartialDate('2000-02-29')).toBe(true);
  });

  it('sorts by first day, then last day', () => {
    const dates = ['2026-06', '2026-05', '2026', '2026-05-01', '2027-01', '2025-12-17'];
    expect([...dates].sort(comparePartialDates)).toEqual(['2025-12-17', '2026', '2026-05-01', '2026-05', '2026-06', '2027-01']);
  });

  it('"2026" is not wholly before 2026-11-22, but is wholly before 2027-01-01', () => {
    expect(isWhollyBefore('2026', '2026-11-22')).toBe(false);
    expect(isWhollyBefore('2026', '2027-01-01')).toBe(true);
    expect(isWhollyBefore('2026-11', '2026-11-30')).toBe(false);
    expect(isWhollyBefore('2026-10', '2026-11-01')).toBe(true);
  });

  it('finds the earliest, ignoring nulls', () => {
    expect(earliestPartialDate(null, '2010', '2008', undefined, '2008-05')).toBe('2008');
    expect(earliestPartialDate(null)).toBeNull();
  });
});
