import { describe, expect, it } from 'vitest';
import { dateInWindow, dateWindow, formatLocalDate, localDateTime, parseDates, shiftDate } from '../../../src/ocr/dates.js';

describe('parseDates reads the forms newspapers print', () => {
  const cases: [string, string][] = [
    ['2026年11月22日', '2026-11-22'],
    ['２０２６年１１月２２日', '2026-11-22'],
    ['二〇二六年十一月二十二日', '2026-11-22'],
    ['二〇二六年一月五日 星期一', '2026-01-05'],
    ['2026 年 11 月 22 日 星期日', '2026-11-22'],
    ['22 November 2026', '2026-11-22'],
    ['22nd November, 2026', '2026-11-22'],
    ['November 22, 2026', '2026-11-22'],
    ['NOVEMBER 22, 2026', '2026-11-22'],
    ['Nov. 22, 2026', '2026-11-22'],
    ['Sunday, Nov 22 2026', '2026-11-22'],
    ['Sept. 3, 2026', '2026-09-03'],
    ['2026-11-22', '2026-11-22'],
    ['2026/11/22', '2026-11-22'],
    ['2026.11.22', '2026-11-22'],
    ['22.11.2026', '2026-11-22'],
    ['Sonntag, 22.11.2026', '2026-11-22'],
    ['NEW YORK, MONDAY, NOVEMBER 11, 1918', '1918-11-11'],
    ['PORT GIBSON, CLAIBORNE COUNTY, MISS., THURSDAY, MARCH 3, 1921', '1921-03-03'],
    // OCR confusions inside digit runs
    ['2O26年1l月22日', '2026-11-22'],
    ['November 2l, 2O26', '2026-11-21'],
    ['2026-l1-22', '2026-11-22'],
  ];
  it.each(cases)('%s → %s', (text, iso) => {
    expect(parseDates(`price 3 yuan | ${text} | issue 12345`).map((d) => d.iso)).toEqual([iso]);
  });

  it('reports the text each date came from', () => {
    expect(parseDates('今日 ２０２６年１１月２２日 星期日')[0].text).toBe('２０２６年１１月２２日');
  });

  it('finds several dates in reading order', () => {
    expect(parseDates('Nov. 21, 2026 ... 2026年11月22日').map((d) => d.iso)).toEqual(['2026-11-21', '2026-11-22']);
  });
});

describe('parseDates refuses what cannot be read for sure', () => {
  const refused = [
    '11/22/2026', // month-first or day-first: unknown
    '22/11/2026',
    '03/04/2026',
    '22-11-2026',
    '22.11.26', // two-digit year
    '2026年2月30日', // no such day
    '2026-13-01',
    'November 31, 2026',
    'Monday, November 22, 2026', // 22 November 2026 is a Sunday: a digit was misread
    '2026年11月23日 星期日',
    'Vol. 12 No. 22,206',
    'Nov 2026',
    'Tel. 2026 1122',
    'Novel 22 2026',
  ];
  it.each(refused)('%s', (text) => {
    expect(parseDates(text)).toEqual([]);
  });

  it('does not turn letters of words into digits', () => {
    expect(parseDates('Oil lO 11 Oct 2026')).toEqual([{ iso: '2026-10-11', text: '11 Oct 2026' }]);
  });
});

describe('dateInWindow', () => {
  const window = { from: '2026-11-20', to: '2026-11-22' };
  it.each([
    ['2026-11-20', true],
    ['2026-11-22', true],
    ['2026-11-21', true],
    ['2026-11-19', false],
    ['2026-11-23', false],
    ['2025-11-22', false],
    ['2026-02-30', false],
    ['garbage', false],
  ] as const)('%s → %s', (iso, inside) => {
    expect(dateInWindow(iso, window)).toBe(inside);
  });

  it('builds a window of today and N days back', () => {
    expect(dateWindow('2026-03-01', 2)).toEqual({ from: '2026-02-27', to: '2026-03-01' });
    expect(dateWindow('2026-11-22')).toEqual({ from: '2026-11-22', to: '2026-11-22' });
  });
});

describe('the seller\'s local date', () => {
  it('turns at local midnight, not at UTC midnight', () => {
    expect(localDateTime(new Date('2026-11-22T15:59:00Z'), 'Asia/Shanghai')).toEqual({ date: '2026-11-22', hour: 23 });
    expect(localDateTime(new Date('2026-11-22T16:01:00Z'), 'Asia/Shanghai')).toEqual({ date: '2026-11-23', hour: 0 });
    // 08:00 in Beijing is when the UTC date turns: the local date does not move.
    expect(localDateTime(new Date('2026-11-22T23:59:00Z'), 'Asia/Shanghai')).toEqual({ date: '2026-11-23', hour: 7 });
    expect(localDateTime(new Date('2026-11-23T00:01:00Z'), 'Asia/Shanghai')).toEqual({ date: '2026-11-23', hour: 8 });
  });

  it('follows summer time and zones west of UTC', () => {
    expect(localDateTime(new Date('2026-07-01T23:30:00Z'), 'Europe/London')).toEqual({ date: '2026-07-02', hour: 0 });
    expect(localDateTime(new Date('2026-01-01T23:30:00Z'), 'Europe/London')).toEqual({ date: '2026-01-01', hour: 23 });
    expect(localDateTime(new Date('2026-11-23T03:00:00Z'), 'America/Los_Angeles')).toEqual({ date: '2026-11-22', hour: 19 });
  });

  it('shifts calendar dates across months and years', () => {
    expect(shiftDate('2026-03-01', -1)).toBe('2026-02-28');
    expect(shiftDate('2028-03-01', -1)).toBe('2028-02-29');
    expect(shiftDate('2026-12-31', 1)).toBe('2027-01-01');
  });

  it('writes a date out as a reader of the locale expects, whatever the server\'s zone', () => {
    expect(formatLocalDate('2026-11-22', 'zh-CN')).toBe('2026年11月22日星期日');
    expect(formatLocalDate('2026-11-22', 'en')).toBe('Sunday, November 22, 2026');
  });
});
