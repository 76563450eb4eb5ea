// Reading the newspaper a seller holds up: is it the paper the challenge named, and what date is
// printed on it. The seller's face in the same photo is the pipeline's business (vision), not this.
import type { Ocr, OcrLanguages, OcrResult, PageLayout } from './engine.js';
import { dateInWindow, parseDates, type DateReading, type DateWindow } from './dates.js';
import { matchMasthead } from './masthead.js';
import type { Newspaper } from './newspapers.js';
import type { NewspaperEvidence } from '../decide/evidence.js';

export interface NewspaperReading {
  /** true: the named paper's title is there; false: it is not, or another paper's is; null: cannot tell */
  mastheadFound: boolean | null;
  mastheadText: string | null;
  /** the printed date chosen (one in the window when any was read), yyyy-mm-dd; null: unreadable */
  dateRead: string | null;
  dateText: string | null;
  /** every date read on the page, in reading order */
  datesRead: DateReading[];
  /** tesseract's confidence in the line the date was read from (else in the whole pass), 0..1 */
  ocrConfidence: number | null;
  /** OCR passes run: a clear photo needs one, a hard one up to three */
  passes: number;
  ms: number;
}

export interface NewspaperExpectation {
  newspaper: Newspaper;
  window: DateWindow;
}

/** How the photo is read; the defaults are the settings that won on test/bench/ocr.ts. */
export interface NewspaperTuning {
  /** let tesseract straighten the photo first */
  deskew: boolean;
  layout: PageLayout;
  /** width the whole photo is scaled to for the first pass */
  width: number;
  /** extra passes over the title band and the top half when the first leaves a gap */
  retries: boolean;
}

export const NEWSPAPER_TUNING: NewspaperTuning = { deskew: true, layout: 'auto', width: 1600, retries: true };

const CJK = /[\u3400-\u9fff]/;

/** Chinese-script papers need chi_sim (it reads the digits of 2026年11月22日 too); others eng. */
function languagesFor(newspaper: Newspaper): OcrLanguages {
  return newspaper.mastheads.some((m) => CJK.test(m)) ? 'chi_sim+eng' : 'eng';
}

/**
 * Reads masthead and date. The whole photo is read first; when that leaves the date or the title
 * unread, the band around the title (where papers print the date) is read again, enlarged, and
 * then the top half of the photo. Each extra pass costs about as much as the first.
 */
export async function readNewspaper(
  ocr: Ocr,
  image: Uint8Array,
  expected: NewspaperExpectation,
  tuning: Partial<NewspaperTuning> = {},
): Promise<NewspaperReading> {
  const t = { ...NEWSPAPER_TUNING, ...tuning };
  const started = performance.now();
  const languages = languagesFor(expected.newspaper);
  const passes: OcrResult[] = [];
  const texts: string[] = [];

  const run = async (crop?: { x: number; y: number; width: number; height: number }, width = t.width) => {
    const r = await ocr.recognize(image, {
      languages,
      crop,
      layout: t.layout,
      deskew: t.deskew,
      preprocess: { minWidth: width, maxWidth: width },
    });
    passes.push(r);
    texts.push(r.text);
    return r;
  };

  const first = await run();
  let state = judge(texts, expected);
  if (t.retries && !settled(state, expected.window)) {
    const { width, height } = await imageSize(image);
    const title = state.masthead.text ? locate(first, state.masthead.text) : null;
    if (title) {
      // the date line sits just above or below the title, across the page
      const band = { x: 0, y: title.y - title.height * 1.5, width, height: title.height * 5 };
      await run(clip(band, width, height), 2400);
    } else {
      await run({ x: 0, y: 0, width, height: Math.round(height / 2) }, 2000);
    }
    state = judge(texts, expected);
    if (!settled(state, expected.window) && title) {
      await run({ x: 0, y: 0, width, height: Math.round(height / 2) }, 2000);
      state = judge(texts, expected);
    }
  }

  const { masthead, dates, chosen } = state;
  const source = chosen ? passes.find((p) => parseDates(p.text).some((d) => d.iso === chosen.iso)) : undefined;
  // the confidence that matters is the dateline's, not the page's (body text drags a page down)
  const squeeze = (t: string) => t.replace(/\s/g, '');
  const dateLine = chosen && source ? source.lines.find((l) => squeeze(l.text).includes(squeeze(chosen.text))) : undefined;
  return {
    mastheadFound: masthead.found,
    mastheadText: masthead.text,
    dateRead: chosen?.iso ?? null,
    dateText: chosen?.text ?? null,
    datesRead: dates,
    ocrConfidence: dateLine?.confidence ?? (source ?? passes[0])?.confidence ?? null,
    passes: passes.length,
    ms: Math.round(performance.now() - started),
  };
}

interface Judgement {
  masthead: ReturnType<typeof matchMasthead>;
  dates: DateReading[];
  chosen: DateReading | null;
}

/** Combines every pass so far: the best title match, all distinct dates, one date chosen. */
function judge(texts: string[], expected: NewspaperExpectation): Judgement {
  const masthead = texts
    .map((t) => matchMasthead(t, expected.newspaper))
    .reduce((a, b) => (rank(b) > rank(a) ? b : a));
  const dates: DateReading[] = [];
  for (const t of texts) {
    for (const d of parseDates(t)) if (!dates.some((x) => x.iso === d.iso)) dates.push(d);
  }
  const chosen = chooseDate(dates, expected.window);
  return { masthead, dates, chosen };
}

function rank(m: ReturnType<typeof matchMasthead>): number {
  return (m.found === true ? 2 : m.found === null ? 1 : 0) + m.similarity / 10;
}

/**
 * One date in the window wins. Two different dates both in the window (an OCR slip on one of
 * them) leave no answer the check could trust, so none is chosen and the case goes to review. With
 * none in the window, the first date read (the top of the page, where the dateline is) stands.
 */
export function chooseDate(dates: DateReading[], window: DateWindow): DateReading | null {
  const inside = dates.filter((d) => dateInWindow(d.iso, window));
  const distinct = new Set(inside.map((d) => d.iso));
  if (distinct.size === 1) return inside[0];
  if (distinct.size > 1) return null;
  return dates[0] ?? null;
}

function settled(state: Judgement, window: DateWindow): boolean {
  return state.masthead.found === true && state.chosen !== null && dateInWindow(state.chosen.iso, window);
}

/** The OCR line holding the matched title text, in photo pixels. */
function locate(result: OcrResult, titleText: string): { x: number; y: number; width: number; height: number } | null {
  const want = titleText.replace(/\s/g, '');
  const line = result.lines.find((l) => l.text.replace(/[^A-Za-z0-9\u3400-\u9fff]/g, '').toUpperCase().includes(want.slice(0, Math.max(2, Math.ceil(want.length / 2)))));
  return line?.box ?? null;
}

function clip(b: { x: number; y: number; width: number; height: number }, width: number, height: number) {
  const x = Math.max(0, Math.round(b.x));
  const y = Math.max(0, Math.round(b.y));
  return { x, y, width: Math.min(width - x, Math.round(b.width)), height: Math.min(height - y, Math.round(b.height)) };
}

async function imageSize(image: Uint8Array): Promise<{ width: number; height: number }> {
  const { default: sharp } = await import('sharp');
  const m = await sharp(image).rotate().metadata();
  // rotate() does not change metadata(): swap for the EXIF orientations that turn the picture
  const turned = (m.orientation ?? 1) >= 5;
  return { width: (turned ? m.height : m.width) ?? 0, height: (turned ? m.width : m.height) ?? 0 };
}

/** The evidence decide expects, from a reading and the vision module's face check on the same photo. */
export function newspaperEvidence(stepId: string, expected: NewspaperExpectation, reading: NewspaperReading, faceInPhoto: boolean): NewspaperEvidence {
  return {
    stepId,
    expectedName: expected.newspaper.name.en,
    mastheadFound: reading.mastheadFound,
    dateRead: reading.dateRead,
    dateText: reading.dateText,
    window: expected.window,
    faceInPhoto,
    ocrConfidence: reading.ocrConfidence,
  };
}
