// Finding a newspaper's masthead in OCR text, tolerant of a misread character or two but never
// mistaking one paper for another whose title differs by the same character. Pure.
import { allNewspapers, type Newspaper } from './newspapers.js';

export interface MastheadMatch {
  /** true: the expected title is there; false: it is not (or another paper's is); null: cannot tell */
  found: boolean | null;
  /** the stretch of OCR text that matched best, as read */
  text: string | null;
  /** 1 - edit distance / title length, for the best expected title */
  similarity: number;
  /** another paper whose title fits the text as well or better, if any */
  rival: string | null;
}

/**
 * Share of a title's characters that may be misread and still count. Set on the rendered-page
 * benchmark (test/bench/ocr.ts): with 0.75 a four-character Chinese title survives one misread
 * character (浙 read as 淀 happens on bold mastheads) and an English one of 15 letters three.
 */
export const MASTHEAD_MIN_SIMILARITY = 0.75;
/** Below this the title is taken as absent, between it and the minimum the answer is "cannot tell". */
const MASTHEAD_ABSENT_BELOW = 0.5;

const CJK = /[\u3400-\u9fff\uf900-\ufaff]/;

/** Upper-case letters, digits and CJK characters only: spaces, punctuation and case are OCR noise. */
export function normaliseTitle(s: string): string {
  return s
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toUpperCase()
    .replace(/[^A-Z0-9\u3400-\u9fff\uf900-\ufaff]/g, '');
}

/** Smallest edit distance between `pattern` and any substring of `text` (Sellers), with where it ends. */
export function substringDistance(pattern: string, text: string): { distance: number; start: number; end: number } {
  const p = [...pattern];
  const t = [...text];
  const m = p.length;
  // column per text position; starts[i] tracks where the alignment ending here began
  let prev = Array.from({ length: m + 1 }, (_, i) => i);
  let prevStart = Array(m + 1).fill(0);
  let best = { distance: m, start: 0, end: 0 };
  for (let j = 1; j <= t.length; j++) {
    const cur = [0];
    const curStart = [j];
    for (let i = 1; i <= m; i++) {
      const sub = prev[i - 1] + (p[i - 1] === t[j - 1] ? 0 : 1);
      const del = cur[i - 1] + 1;
      const ins = prev[i] + 1;
      if (sub <= del && sub <= ins) {
        cur.push(sub);
        curStart.push(prevStart[i - 1]);
      } else if (ins <= del) {
        cur.push(ins);
        curStart.push(prevStart[i]);
      } else {
        cur.push(del);
        curStart.push(curStart[i - 1]);
      }
    }
    if (cur[m] < best.distance) best = { distance: cur[m], start: curStart[m], end: j };
    prev = cur;
    prevStart = curStart;
  }
  return best;
}

export function editDistance(a: string, b: string): number {
  const x = [...a];
  const y = [...b];
  let prev = Array.from({ length: y.length + 1 }, (_, j) => j);
  for (let i = 1; i <= x.length; i++) {
    const cur = [i];
    for (let j = 1; j <= y.length; j++) {
      cur.push(Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (x[i - 1] === y[j - 1] ? 0 : 1)));
    }
    prev = cur;
  }
  return prev[y.length];
}

function similarity(title: string, text: string): { value: number; start: number; end: number } {
  const pattern = normaliseTitle(title);
  if (!pattern) return { value: 0, start: 0, end: 0 };
  const { distance, start, end } = substringDistance(pattern, text);
  return { value: 1 - distance / [...pattern].length, start, end };
}

/** Looks for the expected paper's titles in OCR text, and checks no other known paper fits better. */
export function matchMasthead(ocrText: string, expected: Newspaper, others: readonly Newspaper[] = allNewspapers()): MastheadMatch {
  const lines = ocrText.split(/\n+/).map((l) => ({ raw: l, norm: normaliseTitle(l) })).filter((l) => l.norm.length > 0);
  const text = lines.map((l) => l.norm).join('');
  if (!text) return { found: null, text: null, similarity: 0, rival: null };
  let best = { value: 0, start: 0, end: 0, title: '' };
  for (const title of expected.mastheads) {
    const s = similarity(title, text);
    if (s.value > best.value) best = { ...s, title };
  }
  const matched = [...text].slice(best.start, best.end).join('');
  let rival: string | null = null;
  let rivalValue = 0;
  if (best.value >= MASTHEAD_ABSENT_BELOW) {
    const cjk = CJK.test(best.title);
    // a rival is judged on the very stretch our title matched, whole: 江西日报 is two edits from a
    // misread 淀江日报, while 湖北日报 read as such beats an expected 河北日报 outright
    for (const other of others) {
      if (other.id === expected.id) continue;
      for (const title of other.mastheads) {
        if (CJK.test(title) !== cjk || expected.mastheads.some((t) => normaliseTitle(t) === normaliseTitle(title))) continue;
        const r = normaliseTitle(title);
        const value = 1 - editDistance(r, matched) / Math.max([...r].length, [...matched].length);
        if (value > rivalValue) {
          rivalValue = value;
          rival = other.id;
        }
      }
    }
    if (rivalValue < MASTHEAD_ABSENT_BELOW) rival = null;
  }
  let found: boolean | null;
  if (best.value >= MASTHEAD_MIN_SIMILARITY) {
    if (rivalValue > best.value) found = false; // the page shows another paper, one character off
    else if (rivalValue === best.value) found = best.value === 1 ? true : null;
    else found = true;
  } else if (best.value >= MASTHEAD_ABSENT_BELOW) {
    found = rivalValue >= MASTHEAD_MIN_SIMILARITY ? false : null;
  } else {
    found = false;
  }
  return { found, text: best.value >= MASTHEAD_ABSENT_BELOW ? matched : null, similarity: best.value, rival };
}
