// Printed dates in the Chinese and English forms newspapers use, read out of OCR text. Pure.
//
// Accepted: 2026年11月22日 (also full-width digits and Chinese numerals 二〇二六年十一月二十二日),
// 22 November 2026, November 22, 2026, Nov. 22, 2026, Sunday, Nov 22 2026, 2026-11-22, 2026/11/22,
// 2026.11.22 and 22.11.2026.
// Refused, because the order of day and month cannot be known: 11/22/2026, 22/11/2026, 22-11-2026,
// and any two-digit year (22.11.26). A named weekday that disagrees with the date drops the reading:
// it is how a misread digit (22 read as 23) shows itself.

export interface DateReading {
  /** yyyy-mm-dd */
  iso: string;
  /** the text as it appeared in the input */
  text: string;
}

export interface DateWindow {
  /** inclusive, yyyy-mm-dd */
  from: string;
  to: string;
}

const MONTHS: Record<string, number> = {
  jan: 1, january: 1, feb: 2, february: 2, mar: 3, march: 3, apr: 4, april: 4, may: 5, jun: 6, june: 6,
  jul: 7, july: 7, aug: 8, august: 8, sep: 9, sept: 9, september: 9, oct: 10, october: 10,
  nov: 11, november: 11, dec: 12, december: 12,
};
const MONTH_NAME = '(jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)';
const WEEKDAYS_EN = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'];
const WEEKDAY_EN = '(sun(?:day)?|mon(?:day)?|tue(?:s(?:day)?)?|wed(?:nesday)?|thu(?:r(?:s(?:day)?)?)?|fri(?:day)?|sat(?:urday)?)';
const WEEKDAYS_ZH: Record<string, number> = { '日': 0, '天': 0, '一': 1, '二': 2, '三': 3, '四': 4, '五': 5, '六': 6 };

const ZH_DIGITS: Record<string, number> = {
  '〇': 0, '○': 0, '零': 0, O: 0, o: 0, '0': 0, '一': 1, '二': 2, '三': 3, '四': 4, '五': 5, '六': 6, '七': 7, '八': 8, '九': 9,
};

/**
 * Every date found in the text, in reading order. Full-width characters are folded first, and
 * letters OCR puts in place of digits (O for 0, l or I for 1) are read as digits only inside a
 * run that already holds a digit and touches no other letter.
 */
export function parseDates(text: string): DateReading[] {
  const source = foldWidth(text);
  const folded = foldDigitConfusions(source);
  const found: { at: number; iso: string; text: string }[] = [];
  const push = (at: number, length: number, y: number, m: number, d: number, weekday: number | null) => {
    const iso = isoDate(y, m, d);
    if (!iso) return;
    if (weekday !== null && weekdayOf(iso) !== weekday) return;
    found.push({ at, iso, text: text.slice(at, at + length).trim() });
  };
  const sp = '[\\s\\u3000]*';

  // 2026年11月22日 (星期日)
  for (const m of folded.matchAll(new RegExp(`(\\d{4})${sp}年${sp}(\\d{1,2})${sp}月${sp}(\\d{1,2})${sp}[日号]`, 'g'))) {
    push(m.index, m[0].length, +m[1], +m[2], +m[3], weekdayZhAfter(folded, m.index + m[0].length));
  }
  // 二〇二六年十一月二十二日
  const zhNum = '[〇○零Oo0一二三四五六七八九十廿]';
  for (const m of folded.matchAll(new RegExp(`(${zhNum}{4})${sp}年${sp}(${zhNum}{1,3})${sp}月${sp}(${zhNum}{1,4})${sp}[日号]`, 'g'))) {
    const y = zhYear(m[1]);
    const mo = zhNumber(m[2]);
    const d = zhNumber(m[3]);
    if (y !== null && mo !== null && d !== null) push(m.index, m[0].length, y, mo, d, weekdayZhAfter(folded, m.index + m[0].length));
  }
  // 22 November 2026, 22nd Nov. 2026, 22 November, 2026
  for (const m of folded.matchAll(new RegExp(`(?<![\\dA-Za-z])(\\d{1,2})(?:st|nd|rd|th)?\\.?\\s*(?:of\\s+)?${MONTH_NAME}\\.?,?\\s*(\\d{4})(?!\\d)`, 'gi'))) {
    push(m.index, m[0].length, +m[3], MONTHS[m[2].toLowerCase()], +m[1], weekdayEnBefore(folded, m.index));
  }
  // November 22, 2026; Nov. 22, 2026; Nov 22 2026
  for (const m of folded.matchAll(new RegExp(`(?<![A-Za-z])${MONTH_NAME}\\.?\\s*(\\d{1,2})(?:st|nd|rd|th)?,?\\s*(\\d{4})(?!\\d)`, 'gi'))) {
    push(m.index, m[0].length, +m[3], MONTHS[m[1].toLowerCase()], +m[2], weekdayEnBefore(folded, m.index));
  }
  // 2026-11-22, 2026/11/22, 2026.11.22 (year first: the order is never in doubt)
  for (const m of folded.matchAll(/(?<![\d.\/-])(\d{4})\s?([-\/.])\s?(\d{1,2})\s?\2\s?(\d{1,2})(?![\d\/-])/g)) {
    push(m.index, m[0].length, +m[1], +m[3], +m[4], weekdayEnBefore(folded, m.index));
  }
  // 22.11.2026 (dotted day-first, the only order in which dotted dates are written)
  for (const m of folded.matchAll(/(?<![\d.\/-])(\d{1,2})\.\s?(\d{1,2})\.\s?(\d{4})(?![\d.]\d)/g)) {
    push(m.index, m[0].length, +m[3], +m[2], +m[1], weekdayEnBefore(folded, m.index));
  }

  found.sort((a, b) => a.at - b.at);
  const seen = new Set<string>();
  const readings: DateReading[] = [];
  for (const f of found) {
    const key = `${f.at}:${f.iso}`;
    if (seen.has(key)) continue;
    seen.add(key);
    readings.push({ iso: f.iso, text: f.text });
  }
  return readings;
}

/** Whether an ISO date lies in the window, both ends included. */
export function dateInWindow(iso: string, window: DateWindow): boolean {
  if (!isIsoDate(iso) || !isIsoDate(window.from) || !isIsoDate(window.to)) return false;
  return window.from <= iso && iso <= window.to;
}

/** The window from `daysBack` days before `today` to `today`, for a policy that allows yesterday's paper. */
export function dateWindow(today: string, daysBack = 0): DateWindow {
  const to = new Date(`${today}T00:00:00Z`);
  const from = new Date(to.getTime() - daysBack * 86_400_000);
  return { from: from.toISOString().slice(0, 10), to: to.toISOString().slice(0, 10) };
}

function isIsoDate(s: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  return m !== null && isoDate(+m[1], +m[2], +m[3]) === s;
}

/** Calendar-valid yyyy-mm-dd, or null; years outside 1800-2199 are OCR noise, not newspapers. */
function isoDate(y: number, m: number, d: number): string | null {
  if (!Number.isInteger(y) || y < 1800 || y > 2199 || !(m >= 1 && m <= 12) || !(d >= 1 && d <= 31)) return null;
  const date = new Date(Date.UTC(y, m - 1, d));
  if (date.getUTCMonth() !== m - 1 || date.getUTCDate() !== d) return null;
  return `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

function weekdayOf(iso: string): number {
  return new Date(`${iso}T00:00:00Z`).getUTCDay();
}

/** "Sunday, " right before a date; null when none is there. */
function weekdayEnBefore(text: string, at: number): number | null {
  const m = new RegExp(`${WEEKDAY_EN}\\.?[\\s,]{0,3}$`, 'i').exec(text.slice(Math.max(0, at - 14), at));
  if (!m) return null;
  const prefix = m[1].toLowerCase().slice(0, 3);
  return WEEKDAYS_EN.findIndex((w) => w.startsWith(prefix));
}

/** 星期日 / 礼拜天 / 周日 right after a date; null when none is there. */
function weekdayZhAfter(text: string, at: number): number | null {
  const m = /^[\s\u3000,，]{0,3}(?:星期|礼拜|周)[\s\u3000]?([日天一二三四五六])/.exec(text.slice(at, at + 10));
  return m ? WEEKDAYS_ZH[m[1]] : null;
}

/** 二〇二六 → 2026: a year is written digit by digit. */
function zhYear(s: string): number | null {
  let y = 0;
  for (const ch of s) {
    const v = ZH_DIGITS[ch];
    if (v === undefined) return null;
    y = y * 10 + v;
  }
  return y;
}

/** 十一 → 11, 二十二 → 22, 三十 → 30, 廿二 → 22: months and days are written as numbers. */
function zhNumber(s: string): number | null {
  const t = s.replace('廿', '二十');
  const m = /^([一二三四五六七八九])?(十)?([一二三四五六七八九])?$/.exec(t);
  if (!m || t === '') return null;
  if (!m[2]) return m[1] && !m[3] ? ZH_DIGITS[m[1]] : null;
  return (m[1] ? ZH_DIGITS[m[1]] : 1) * 10 + (m[3] ? ZH_DIGITS[m[3]] : 0);
}

/** Full-width digits, letters and punctuation to ASCII, one code unit for one, so positions in
 *  the folded text are positions in the original. */
function foldWidth(text: string): string {
  return text.replace(/[\uff01-\uff5e\u3000]/g, (ch) => (ch === '\u3000' ? ' ' : String.fromCharCode(ch.charCodeAt(0) - 0xfee0)));
}

/** O/o → 0 and l/I/| → 1 inside digit runs that touch no other letter (2O26, 1l). */
function foldDigitConfusions(text: string): string {
  return text.replace(/(?<![A-Za-z])[0-9OolI|]*[0-9][0-9OolI|]*(?![A-Za-z])/g, (run) =>
    run.replace(/[Oo]/g, '0').replace(/[lI|]/g, '1'));
}

// Local calendar dates. A seller is asked for, and judged by, the date of their own region, never
// the server's UTC date: before 08:00 in Beijing the UTC date is still yesterday's.

const LOCAL_PARTS = new Map<string, Intl.DateTimeFormat>();

/** The calendar date (yyyy-mm-dd) and hour (0-23) an instant has in an IANA time zone. */
export function localDateTime(instant: Date, timeZone: string): { date: string; hour: number } {
  let format = LOCAL_PARTS.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', hourCycle: 'h23' });
    LOCAL_PARTS.set(timeZone, format);
  }
  const parts = Object.fromEntries(format.formatToParts(instant).map((p) => [p.type, p.value]));
  return { date: `${parts.year}-${parts.month}-${parts.day}`, hour: Number(parts.hour) };
}

/** The date `days` calendar days after an ISO date (before it when negative). */
export function shiftDate(iso: string, days: number): string {
  return new Date(Date.parse(`${iso}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

/** A calendar date written out in full as a reader of the locale expects it, weekday included (as
 *  mastheads print it): 2026年12月8日星期二, Tuesday, December 8, 2026. */
export function formatLocalDate(iso: string, locale: string): string {
  // The date is already the seller's local one: format it at UTC midnight so no zone moves it.
  return new Intl.DateTimeFormat(locale, { dateStyle: 'full', timeZone: 'UTC' }).format(new Date(`${iso}T00:00:00Z`));
}
