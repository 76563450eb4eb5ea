// OCR benchmark: newspaper dates read right / wrong / unreadable over rendered phone photos of
// front pages, masthead found, ms per photo, on this machine.
// Run: npx tsx test/bench/ocr.ts [pages] [tuning-json]   (OCR_BENCH_MRZ=0 skips the MRZ specimens,
// OCR_BENCH_SEEN=0 the document-seen photos,
// OCR_BENCH_MODEL=fast uses the best_int language data)
import { readdirSync, readFileSync } from 'node:fs';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { checkDocument, cnResidentIdCheckChar, createOcr, dateInWindow, dateWindow, newspaperById, readDocument, type Ocr } from '../../src/ocr/index.js';
import { cleanMrzName, mrzNameFields } from '../../src/ocr/document.js';
import { mrzReadValid } from '../../src/ocr/mrz.js';
import { fixture, haveFixtures } from '../support/fixtures.js';
import { readNewspaper, type NewspaperTuning } from '../../src/ocr/newspaper.js';
import type { MrzTuning } from '../../src/ocr/document.js';
import { photographPage, randomDegradation, renderCnIdCard, renderNewspaperPage, seededRandom } from '../unit/ocr/pages.js';

export interface OcrBenchFigures {
  machine: { cpu: string; cores: number; node: string; loadAverage: number };
  newspapers: {
    pages: number;
    right: number;
    /** a date other than the printed one */
    wrong: number;
    /** ... and inside the window, so it would have been accepted: the number that must stay 0 */
    wrongAccepted: number;
    unreadable: number;
    /** pages whose printed date lies outside the window (an old paper) that were not accepted */
    stalePages: number;
    staleRejected: number;
    mastheadFound: number;
    msMean: number;
    msP95: number;
    /** CPU time of the process (all OCR threads) per photo: wall time depends on what else runs */
    cpuMsMean: number;
    /** OCR confidence of the dateline on pages read right: the floor decide's policy can use */
    confidenceRight: { min: number; p05: number; median: number } | null;
    /** ... and on pages read wrong (none, when no date was read wrong) */
    confidenceWrongMax: number | null;
    failures: { seed: number; paper: string; printed: string; read: string | null; text: string | null }[];
  };
  mrz: {
    specimens: number;
    /** specimens whose file name says 100 (fully valid zone) */
    expectedValid: number;
    /** ... read with every check digit holding */
    readValid: number;
    /** specimens PassportEye's own reader scored below 100 (a hard photo, not a bad zone) that
     *  were read here with every check digit holding */
    readValidBelow100: number;
    msMean: number;
    /** valid readings (checks hold within MRZ_MAX_REPAIRS) whose number and dates are the printed ones */
    right: number;
    /** valid readings that differ from the printed zone: must be 0 */
    wrong: number;
    /** no zone, check digits failing, or holding only after more than MRZ_MAX_REPAIRS changes */
    unreadable: number;
    /** valid readings of a specimen without a transcribed zone */
    unjudged: number;
    /** readings whose check digits held only after more than MRZ_MAX_REPAIRS changes (counted unreadable) */
    heldOnlyAfterRepairs: number;
    /** every reading whose check digits held, with the data characters it changed: the limit's evidence */
    repairsOfChecked: { file: string; repairs: number; right: boolean | null }[];
    /** names of valid readings, cleaned: as printed, doubtful (left to a reviewer), or another clean name */
    names: { right: number; doubtful: number; wrong: number; trueNameRejected: number };
    /** specimens on which a document was seen */
    seen: number;
    results: { file: string; expected: number; verdict: string; repairs: number | null; number: string | null; name: string | null; nameVerdict: string | null; failed: string[] }[];
  } | null;
  documentSeen: {
    cards: number;
    cardsSeen: number;
    cardsSeenBy: Record<string, number>;
    headshots: number;
    /** headshots (each read as a resident ID and as a passport) on which a document was seen: must be empty */
    headshotsSeen: string[];
    otherDocuments: { file: string; seen: string | null }[];
  } | null;
}

interface PageCase {
  paper: string;
  masthead: string;
  script: 'zh' | 'en';
  line: (d: Date) => string;
}

const WEEK_ZH = '日一二三四五六';
const WEEK_EN = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const MONTH_EN = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
const ZH_DIGIT = '〇一二三四五六七八九';
const zhNum = (n: number) => (n < 10 ? ZH_DIGIT[n] : `${n >= 20 ? ZH_DIGIT[Math.floor(n / 10)] : ''}十${n % 10 ? ZH_DIGIT[n % 10] : ''}`);
const ymd = (d: Date) => [d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate()] as const;

/** The papers and date-line forms the rendered pages use: Chinese provincial and national dailies, English papers. */
const CASES: PageCase[] = [
  { paper: 'cn-zj-zhejiang-daily', masthead: '浙江日报', script: 'zh', line: (d) => { const [y, m, dd] = ymd(d); return `${y}年${m}月${dd}日 星期${WEEK_ZH[d.getUTCDay()]} 第25612期`; } },
  { paper: 'cn-bj-beijing-daily', masthead: '北京日报', script: 'zh', line: (d) => { const [y, m, dd] = ymd(d); return `${y}年${String(m).padStart(2, '0')}月${String(dd).padStart(2, '0')}日 星期${WEEK_ZH[d.getUTCDay()]}`; } },
  { paper: 'cn-peoples-daily', masthead: '人民日报', script: 'zh', line: (d) => { const [y, m, dd] = ymd(d); return `${[...String(y)].map((c) => ZH_DIGIT[+c]).join('')}年${zhNum(m)}月${zhNum(dd)}日 星期${WEEK_ZH[d.getUTCDay()]}`; } },
  { paper: 'cn-gd-nanfang-daily', masthead: '南方日报', script: 'zh', line: (d) => { const [y, m, dd] = ymd(d); return `${y}年${m}月${dd}日 今日24版`; } },
  { paper: 'us-new-york-times', masthead: 'The New York Times', script: 'en', line: (d) => { const [y, m, dd] = ymd(d); return `${WEEK_EN[d.getUTCDay()].toUpperCase()}, ${MONTH_EN[m - 1].toUpperCase()} ${dd}, ${y}`; } },
  { paper: 'gb-the-guardian', masthead: 'The Guardian', script: 'en', line: (d) => { const [y, m, dd] = ymd(d); return `${WEEK_EN[d.getUTCDay()]} ${dd} ${MONTH_EN[m - 1]} ${y}`; } },
  { paper: 'gb-financial-times', masthead: 'FINANCIAL TIMES', script: 'en', line: (d) => { const [y, m, dd] = ymd(d); return `${WEEK_EN[d.getUTCDay()].slice(0, 3)}. ${MONTH_EN[m - 1].slice(0, 3)}. ${dd}, ${y}`; } },
  { paper: 'sg-straits-times', masthead: 'The Straits Times', script: 'en', line: (d) => d.toISOString().slice(0, 10) + ' | Singapore' },
];

function percentile(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(p * s.length))] ?? 0;
}

export function machine(): OcrBenchFigures['machine'] {
  return { cpu: os.cpus()[0]?.model ?? 'unknown', cores: os.cpus().length, node: process.version, loadAverage: os.loadavg()[0] };
}

/**
 * Renders `pages` front pages (printed date drawn at random in 2026-2027; one page in ten is a
 * stale paper two days old), photographs each with a random phone degradation, and reads it.
 * The window is the printed day and the day before, as a policy allowing yesterday's paper.
 */
export async function benchNewspapers(ocr: Ocr, pages = 100, tuning: Partial<NewspaperTuning> = {}, log = (_: string) => {}): Promise<OcrBenchFigures['newspapers']> {
  const f: OcrBenchFigures['newspapers'] = {
    pages, right: 0, wrong: 0, wrongAccepted: 0, unreadable: 0, stalePages: 0, staleRejected: 0,
    mastheadFound: 0, msMean: 0, msP95: 0, cpuMsMean: 0, confidenceRight: null, confidenceWrongMax: null, failures: [],
  };
  const confRight: number[] = [];
  const confWrong: number[] = [];
  const ms: number[] = [];
  let cpu = 0;
  for (let seed = 1; seed <= pages; seed++) {
    const random = seededRandom(seed * 7919);
    const c = CASES[(seed - 1) % CASES.length];
    const paper = newspaperById(c.paper);
    if (!paper) throw new Error(`unknown paper ${c.paper}`);
    const printed = new Date(Date.UTC(2026, 0, 1) + Math.floor(random() * 730) * 86_400_000);
    const printedIso = printed.toISOString().slice(0, 10);
    const stale = seed % 10 === 0;
    const today = stale ? new Date(printed.getTime() + 2 * 86_400_000).toISOString().slice(0, 10) : printedIso;
    const window = dateWindow(today, 1);
    const page = await renderNewspaperPage({ masthead: c.masthead, dateLine: c.line(printed), script: c.script });
    const photo = await photographPage(page, randomDegradation(random), seed);
    const before = process.cpuUsage();
    const r = await readNewspaper(ocr, photo, { newspaper: paper, window }, tuning);
    const used = process.cpuUsage(before);
    cpu += (used.user + used.system) / 1000;
    ms.push(r.ms);
    if (r.mastheadFound === true) f.mastheadFound++;
    const accepted = r.dateRead !== null && dateInWindow(r.dateRead, window);
    if (stale) {
      f.stalePages++;
      if (!accepted) f.staleRejected++;
    }
    if (r.dateRead === printedIso) {
      f.right++;
      if (r.ocrConfidence !== null) confRight.push(r.ocrConfidence);
    } else if (r.dateRead === null) f.unreadable++;
    else {
      f.wrong++;
      if (r.ocrConfidence !== null) confWrong.push(r.ocrConfidence);
      if (accepted) f.wrongAccepted++;
    }
    if (r.dateRead !== printedIso || r.mastheadFound !== true) {
      f.failures.push({ seed, paper: c.paper, printed: printedIso, read: r.dateRead, text: `${r.dateText} | masthead ${r.mastheadFound} ${r.mastheadText}` });
    }
    log(`${seed} ${c.paper} printed ${printedIso} read ${r.dateRead} (${r.dateText}) masthead ${r.mastheadFound} conf ${r.ocrConfidence?.toFixed(2)} passes ${r.passes} ${r.ms} ms`);
  }
  if (pages === 0) return f;
  f.msMean = Math.round(ms.reduce((a, b) => a + b, 0) / ms.length);
  f.msP95 = Math.round(percentile(ms, 0.95));
  f.cpuMsMean = Math.round(cpu / pages);
  const round = (x: number) => Math.round(x * 100) / 100;
  if (confRight.length) f.confidenceRight = { min: round(Math.min(...confRight)), p05: round(percentile(confRight, 0.05)), median: round(percentile(confRight, 0.5)) };
  if (confWrong.length) f.confidenceWrongMax = round(Math.max(...confWrong));
  return f;
}

/** The zones as printed on the specimens whose zone was ever read with its check digits holding
 *  (transcribed from the photos), in test/bench/mrz-truth.tsv. */
function mrzTruth(): Map<string, { number: string; birth: string; expiry: string; surname: string; given: string }> {
  const rows = readFileSync(fileURLToPath(new URL('./mrz-truth.tsv', import.meta.url)), 'utf8').trim().split('\n').slice(1);
  return new Map(rows.map((r) => {
    const [file, number, birth, expiry, surname, given] = r.split('\t');
    return [file, { number, birth, expiry, surname, given }];
  }));
}

/**
 * Reads every PassportEye specimen (the leading number of a file name is the validity score
 * PassportEye's reader reached on it) and sorts each reading: valid (every check digit holds within
 * MRZ_MAX_REPAIRS data characters changed) and right or wrong against the printed zone, or
 * unreadable. Wrong-but-valid is the figure that must stay 0: such a read can approve.
 */
export async function benchMrz(ocr: Ocr, log = (_: string) => {}, tuning: Partial<MrzTuning> = {}): Promise<OcrBenchFigures['mrz']> {
  if (!haveFixtures) return null;
  const dir = fixture('id_documents/PassportEye');
  const truth = mrzTruth();
  const files = readdirSync(dir).filter((f) => /\.(jpe?g|png)$/i.test(f));
  const f: NonNullable<OcrBenchFigures['mrz']> = {
    specimens: files.length, expectedValid: 0, readValid: 0, readValidBelow100: 0, msMean: 0,
    right: 0, wrong: 0, unreadable: 0, unjudged: 0, heldOnlyAfterRepairs: 0, repairsOfChecked: [],
    names: { right: 0, doubtful: 0, wrong: 0, trueNameRejected: 0 }, seen: 0, results: [],
  };
  let ms = 0;
  for (const file of files) {
    const expected = Number(/^(\d+)_/.exec(file)?.[1] ?? 100);
    const documentType = /id|card/.test(file) ? 'id_card' : 'passport';
    const r = await readDocument(ocr, readFileSync(`${dir}/${file}`), documentType, undefined, tuning);
    ms += r.ms;
    if (r.seen) f.seen++;
    const valid = r.mrz ? mrzReadValid(r.mrz) : false;
    const t = truth.get(file);
    let verdict: 'right' | 'wrong' | 'unreadable' | 'unjudged' = 'unreadable';
    if (valid) {
      const m = r.mrz!;
      verdict = !t ? 'unjudged'
        : m.documentNumber?.replace(/[<\s]/g, '') === t.number && m.birthDate === t.birth && m.expirationDate === t.expiry ? 'right' : 'wrong';
    }
    f[verdict]++;
    if (r.mrz?.checksValid) {
      f.repairsOfChecked.push({ file, repairs: r.mrz.repairs, right: t ? r.mrz.documentNumber?.replace(/[<\s]/g, '') === t.number && r.mrz.birthDate === t.birth && r.mrz.expirationDate === t.expiry : null });
      if (!valid) f.heldOnlyAfterRepairs++;
    }
    if (expected === 100) {
      f.expectedValid++;
      if (valid) f.readValid++;
    } else if (valid) f.readValidBelow100++;
    let name: 'right' | 'doubtful' | 'wrong' | null = null;
    if (valid && t && r.mrz) {
      const cleaned = cleanMrzName(mrzNameFields(r.mrz)[0]);
      const asPrinted = `${t.surname} ${t.given}`.trim();
      name = !cleaned || cleaned.doubtful ? 'doubtful' : `${cleaned.surname} ${cleaned.givenNames}`.trim() === asPrinted ? 'right' : 'wrong';
      f.names[name]++;
      // the holder declaring the name printed on the zone must never be rejected for it
      const evidence = checkDocument(r, { fullName: `${t.given} ${t.surname}`, documentType, documentNumber: t.number });
      if (evidence.nameMatches === false) f.names.trueNameRejected++;
    }
    f.results.push({ file, expected, verdict, repairs: r.mrz?.repairs ?? null, number: r.mrz?.documentNumber ?? null, name: r.nameRead, nameVerdict: name, failed: r.mrz?.failedChecks ?? [] });
    log(`${file} expected ${expected} ${verdict} repairs ${r.mrz?.repairs ?? '-'} number ${r.mrz?.documentNumber ?? null} name ${r.nameRead} (${name ?? '-'}) failed ${r.mrz?.failedChecks.join(',') ?? '-'} seen ${r.seen?.by ?? '-'} ${r.ms} ms`);
  }
  f.msMean = Math.round(ms / files.length);
  return f;
}

/**
 * Whether the ID photo shows a document: the MRZ specimens and rendered, photographed Chinese
 * resident ID cards carrying a fixture face (positives) against plain headshots from the face
 * fixtures, read as a resident ID and as a passport (negatives: none may be seen).
 */
export async function benchDocumentSeen(ocr: Ocr, log = (_: string) => {}): Promise<OcrBenchFigures['documentSeen']> {
  if (!haveFixtures) return null;
  const headshots = [
    ...readdirSync(fixture('faces/face_recognition/images')).map((f) => `faces/face_recognition/images/${f}`),
    ...readdirSync(fixture('faces/human')).filter((f) => f.endsWith('.jpg')).map((f) => `faces/human/${f}`),
  ].filter((f) => /\.(jpe?g|png)$/i.test(f));
  const out: NonNullable<OcrBenchFigures['documentSeen']> = { cards: 0, cardsSeen: 0, cardsSeenBy: {}, headshots: headshots.length, headshotsSeen: [], otherDocuments: [] };
  const portraits = ['faces/human/person-vlado.jpg', 'faces/human/stock-emotions-a-3.jpg', 'faces/human/stock-emotions-b-1.jpg', 'faces/face_recognition/images/obama__train_obama.jpg'];
  for (const [k, rel] of portraits.entries()) {
    const seventeen = `3301061990030700${k}`;
    const card = await renderCnIdCard({ name: '张三丰', sex: '男', birth: { y: 1990, m: 3, d: 7 }, address: '浙江省杭州市西湖区文三路100号', number: seventeen + cnResidentIdCheckChar(seventeen), portrait: readFileSync(fixture(rel)) });
    const photo = await photographPage(card, randomDegradation(seededRandom(101 + k)), 101 + k);
    const r = await readDocument(ocr, photo, 'cn_resident_id');
    out.cards++;
    if (r.seen) {
      out.cardsSeen++;
      out.cardsSeenBy[r.seen.by] = (out.cardsSeenBy[r.seen.by] ?? 0) + 1;
    }
    log(`rendered card with ${rel}: seen ${r.seen?.by ?? '-'}`);
  }
  for (const rel of ['id_documents/webank-UserApp/front-id.png', 'id_documents/webank-UserApp/BackId.png', 'id_documents/SIDTD_Dataset/alb00.jpg', 'id_documents/SIDTD_Dataset/aze00.jpg']) {
    const r = await readDocument(ocr, readFileSync(fixture(rel)), rel.includes('aze') ? 'passport' : 'id_card');
    out.otherDocuments.push({ file: rel, seen: r.seen?.by ?? null });
    log(`${rel}: seen ${r.seen?.by ?? '-'}`);
  }
  for (const rel of headshots) {
    const bytes = readFileSync(fixture(rel));
    for (const type of ['cn_resident_id', 'passport'] as const) {
      const r = await readDocument(ocr, bytes, type);
      if (r.seen) out.headshotsSeen.push(`${rel} as ${type} (${r.seen.by})`);
      log(`headshot ${rel} as ${type}: seen ${r.seen?.by ?? '-'}`);
    }
  }
  return out;
}

/** Every OCR figure; the main bench calls this. */
export async function benchOcr(
  options: {
    pages?: number;
    mrz?: boolean;
    seen?: boolean;
    model?: 'standard' | 'fast';
    tuning?: Partial<NewspaperTuning>;
    mrzTuning?: Partial<MrzTuning>;
    log?: (s: string) => void;
  } = {},
): Promise<OcrBenchFigures> {
  const ocr = await createOcr({ model: options.model });
  try {
    const mrz = options.mrz === false ? null : await benchMrz(ocr, options.log, options.mrzTuning);
    const documentSeen = options.seen === false ? null : await benchDocumentSeen(ocr, options.log);
    const newspapers = await benchNewspapers(ocr, options.pages ?? 100, options.tuning, options.log);
    return { machine: machine(), newspapers, mrz, documentSeen };
  } finally {
    await ocr.close();
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const pages = Number(process.argv[2] ?? 100);
  const tuning = process.argv[3] ? (JSON.parse(process.argv[3]) as Partial<NewspaperTuning>) : {};
  const model = process.env.OCR_BENCH_MODEL === 'fast' ? 'fast' : 'standard';
  const mrzTuning = process.env.OCR_BENCH_MRZ_TUNING ? (JSON.parse(process.env.OCR_BENCH_MRZ_TUNING) as Partial<MrzTuning>) : {};
  const figures = await benchOcr({
    pages, tuning, mrzTuning, model, mrz: process.env.OCR_BENCH_MRZ !== '0', seen: process.env.OCR_BENCH_SEEN !== '0', log: (s) => console.error(s),
  });
  console.log(JSON.stringify(figures, null, 2));
}
