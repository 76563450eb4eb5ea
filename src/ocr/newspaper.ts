// Reading the newspaper a seller holds up: is it the paper the challenge named, and what date is
// printed on it. The seller's face in the same photo is the pipeline's business (vision), not this.
import type { Ocr, OcrBox, OcrLanguages, OcrResult, PageLayout } from './engine.js';
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
  /**
   * Height of the horizontal bands read first, as a share of the photo's height; 0 reads the whole
   * photo first. A band holds the title and the dateline without the page's body text below them,
   * which is where a whole-photo pass spends most of its time.
   */
  band: number;
  /** how far each band starts below the previous one, as a share of the photo's height */
  bandStep: number;
  /** an empty band is read again this many times taller */
  tallerBand: number;
  /** a band with this many lines of at least bodyLineChars characters, but no title, shows the page's body */
  bodyLines: number;
  bodyLineChars: number;
  /** let tesseract straighten the band first */
  bandDeskew: boolean;
  /** let tesseract straighten the photo first (the whole-photo pass and the second reads) */
  deskew: boolean;
  layout: PageLayout;
  /** width the photo (or band) is scaled to */
  width: number;
  /** width the band around a located title is scaled to when it is read again */
  titleWidth: number;
  /** the whole photo, then the title band and the top half, when the bands leave a gap */
  retries: boolean;
}

// Figures from `OCR_BENCH_MRZ=0 npx tsx test/bench/ocr.ts 100` (dates right / unreadable, CPU per
// photo), 0 wrong and 10 of 10 stale refused in every run:
// - whole photo first (1600 px, deskew, then title band at 2400 and top half): 97 / 3, 3552 ms.
// - band 0.3, step 0.2, no deskew on bands, second read at 1600: 95 / 5, 1346 ms; the misses and
//   most fallbacks to the whole photo were pages turned 3.5-4 degrees.
// - the same with the bands deskewed: 98 / 2, 1472 ms (a band costs about half as much again).
// - and an empty band read 1.5 times taller once: 97 / 3, 1313 ms (7 whole-photo fallbacks
//   where there were 12). On 30 pages a second read at 2400 px cost 1362 ms, at 1600 1091 ms,
//   with the same 30 dates right; on 100, at 2000 px: 98 / 2, 1298 ms, chosen as the second read
//   at another scale than the first (tesseract's output moves by a page or two between runs;
//   another run of the same: 99 / 1, 1505 ms, 9 pages falling back after reading all five bands).
// - and the band scan stopped at a band of body text (3 lines of 8 characters) without the
//   title: 98 / 2, 1392 ms; the fallbacks read 3-5 passes instead of 6-8.
// Bands of 0.3 of the height hold a rendered page's title and dateline with a few body lines; the
// 0.1 overlap is taller than a title line, so every line lies whole in some band.
export const NEWSPAPER_TUNING: NewspaperTuning = {
  band: 0.3,
  bandStep: 0.2,
  tallerBand: 1.5,
  bodyLines: 3,
  bodyLineChars: 8,
  bandDeskew: true,
  deskew: true,
  layout: 'auto',
  width: 1600,
  titleWidth: 2000,
  retries: true,
};

/** Where the seller's face is in the photo, when the caller knows: the page is held below or beside it. */
export interface NewspaperHint {
  face?: OcrBox;
}

const CJK = /[\u3400-\u9fff]/;

/** Chinese-script papers need chi_sim (it reads the digits of 2026年11月22日 too); others eng. */
function languagesFor(newspaper: Newspaper): OcrLanguages {
  return newspaper.mastheads.some((m) => CJK.test(m)) ? 'chi_sim+eng' : 'eng';
}

interface Pass {
  result: OcrResult;
  /** the lines read whole: a line the crop cut through is left out, its glyphs are incomplete */
  text: string;
}

/**
 * Reads masthead and date. Papers print both at the top of the page, so the photo is read in
 * overlapping horizontal bands, from the top down (from the face down when the caller says where the
 * face is), until one band gives the named title and a date. A band that shows the title but no date
 * in the window is read again around the title, enlarged. Only when the bands leave a gap is the
 * whole photo read, straightened, then the title band and the top half, as a page with an unusual
 * layout needs.
 */
export async function readNewspaper(
  ocr: Ocr,
  image: Uint8Array,
  expected: NewspaperExpectation,
  tuning: Partial<NewspaperTuning> = {},
  hint: NewspaperHint = {},
): Promise<NewspaperReading> {
  const t = { ...NEWSPAPER_TUNING, ...tuning };
  const started = performance.now();
  const languages = languagesFor(expected.newspaper);
  const passes: Pass[] = [];
  const { width, height } = await imageSize(image);

  const run = async (crop: OcrBox | undefined, opts: { width: number; deskew: boolean }) => {
    const result = await ocr.recognize(image, {
      languages,
      crop,
      layout: t.layout,
      deskew: opts.deskew,
      preprocess: { minWidth: opts.width, maxWidth: opts.width },
    });
    const pass = { result, text: crop ? wholeLines(result, crop, width, height) : result.text };
    passes.push(pass);
    return pass;
  };
  const texts = () => passes.map((p) => p.text);

  let state: Judgement | null = null;
  let titleRead = false;
  // The date line sits just above or below the title, across the page: the band around the title
  // (or, when the title's line cannot be told apart, the whole region it was read in) is read again,
  // straightened and at another scale, which gives tesseract a second, independent look.
  const readTitleBand = async (pass: Pass, region?: OcrBox) => {
    const title = state?.masthead.text ? locate(pass.result, state.masthead.text) : null;
    const band = title ? { x: 0, y: title.y - title.height * 1.5, width, height: title.height * 5 } : region;
    if (!band) return false;
    titleRead = true;
    await run(clip(band, width, height), { width: t.titleWidth, deskew: t.deskew });
    state = judge(texts(), expected);
    return true;
  };

  // done: the named title and a date in the window, or the title band read twice giving only dates
  // outside it (a stale paper is refused on two reads agreeing, not on every pass there is)
  let done = false;
  if (t.band > 0 && t.band < 1) {
    let tallerTried = false;
    for (const band of bands(width, height, t.band, t.bandStep, hint.face)) {
      let pass = await run(band, { width: t.width, deskew: t.bandDeskew });
      let region = band;
      if (pass.result.lines.length === 0 && !tallerTried) {
        // Not one line: tesseract can take a skewed page cut by the band's edge for a picture.
        // The same band read taller (once per photo: a band showing only a face is empty too).
        tallerTried = true;
        region = clip({ ...band, height: band.height * t.tallerBand }, width, height);
        pass = await run(region, { width: t.width, deskew: t.bandDeskew });
      }
      state = judge(texts(), expected);
      done = settled(state, expected.window);
      if (!done && matchMasthead(pass.text, expected.newspaper).found === true) {
        await readTitleBand(pass, region);
        const chosen = state.chosen;
        done = settled(state, expected.window) || (chosen !== null && passes.filter((p) => parseDates(p.text).some((d) => d.iso === chosen.iso)).length >= 2);
        // the title and the lines around it read twice without a date: the whole photo next
        break;
      }
      // Lines of text but no title: the page's body, and its title above it in a band tesseract
      // could not read; the bands below hold no title either, the whole photo next.
      if (done || pass.text.split('\n').filter((l) => l.trim().length >= t.bodyLineChars).length >= t.bodyLines) break;
    }
  }
  if (!state || (t.retries && !done)) {
    const whole = await run(undefined, { width: t.width, deskew: t.deskew });
    state = judge(texts(), expected);
    if (t.retries && !settled(state, expected.window)) {
      if (!titleRead) await readTitleBand(whole);
      if (!settled(state, expected.window)) {
        await run({ x: 0, y: 0, width, height: Math.round(height / 2) }, { width: 2000, deskew: t.deskew });
        state = judge(texts(), expected);
      }
    }
  }

  const { masthead, dates, chosen } = state;
  const source = chosen ? passes.find((p) => parseDates(p.text).some((d) => d.iso === chosen.iso)) : undefined;
  // the confidence that matters is the dateline's, not the page's (body text drags a page down)
  const squeeze = (t: string) => t.replace(/\s/g, '');
  const dateLine = chosen && source ? source.result.lines.find((l) => squeeze(l.text).includes(squeeze(chosen.text))) : undefined;
  return {
    mastheadFound: masthead.found,
    mastheadText: masthead.text,
    dateRead: chosen?.iso ?? null,
    dateText: chosen?.text ?? null,
    datesRead: dates,
    ocrConfidence: dateLine?.confidence ?? (source ?? passes[0])?.result.confidence ?? null,
    passes: passes.length,
    ms: Math.round(performance.now() - started),
  };
}

/**
 * Full-width bands of `share` of the photo's height, `step` apart, the last one ending at the
 * bottom. With a face, the bands from the face's lower half down come first, then those above.
 */
export function bands(width: number, height: number, share: number, step: number, face?: OcrBox): OcrBox[] {
  const h = Math.round(height * share);
  const starts: number[] = [];
  for (let y = 0; ; y += Math.max(1, Math.round(height * step))) {
    if (y + h >= height) {
      starts.push(Math.max(0, height - h));
      break;
    }
    starts.push(y);
  }
  const all = starts.map((y) => ({ x: 0, y, width, height: Math.min(h, height) }));
  if (!face) return all;
  const chin = face.y + face.height / 2;
  const below = all.filter((b) => b.y + b.height > chin);
  return [...below, ...all.filter((b) => b.y + b.height <= chin)];
}

/** The text of the lines that lie inside the crop, leaving out those touching an edge it cut. */
function wholeLines(result: OcrResult, crop: OcrBox, width: number, height: number): string {
  const margin = 2;
  const cutTop = crop.y > 0;
  const cutBottom = crop.y + crop.height < height;
  const cutLeft = crop.x > 0;
  const cutRight = crop.x + crop.width < width;
  return result.lines
    .filter(({ box }) =>
      !(cutTop && box.y <= crop.y + margin) &&
      !(cutBottom && box.y + box.height >= crop.y + crop.height - margin) &&
      !(cutLeft && box.x <= crop.x + margin) &&
      !(cutRight && box.x + box.width >= crop.x + crop.width - margin))
    .map((l) => l.text)
    .join('\n');
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
function locate(result: OcrResult, titleText: string): OcrBox | null {
  const want = titleText.replace(/\s/g, '');
  const line = result.lines.find((l) => l.text.replace(/[^A-Za-z0-9\u3400-\u9fff]/g, '').toUpperCase().includes(want.slice(0, Math.max(2, Math.ceil(want.length / 2)))));
  return line?.box ?? null;
}

function clip(b: OcrBox, width: number, height: number): OcrBox {
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
