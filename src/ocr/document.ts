// Reading the identity document's number and name from its photo, and comparing them with what
// the seller declared. Chinese resident ID cards are read in Chinese; passports and ID cards with a
// machine-readable zone are read from the MRZ, whose check digits prove the reading.
import type { DocumentEvidence } from '../decide/evidence.js';
import { cnResidentIdCheck, findCnResidentIds, normaliseCnResidentId, type CnResidentIdCheck } from './cn-id.js';
import type { Ocr, OcrResult } from './engine.js';
import { editDistance } from './masthead.js';
import { findMrz, type MrzReading } from './mrz.js';

export type DocumentType = DocumentEvidence['documentType'];

export interface DocumentReading {
  documentType: DocumentType;
  /** normalised number read, or null when unreadable */
  numberRead: string | null;
  /** the name as printed (Chinese characters), or for an MRZ "SURNAME GIVEN NAMES" */
  nameRead: string | null;
  /** MRZ documents: the zone as read and checked */
  mrz: MrzReading | null;
  /** Chinese resident IDs: the number's checks */
  cnId: CnResidentIdCheck | null;
  ocrConfidence: number | null;
  passes: number;
  ms: number;
}

export interface DeclaredIdentity {
  fullName: string;
  documentType: DocumentType;
  documentNumber: string;
}

export const MRZ_WHITELIST = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789<';

/**
 * Reads a document photo. `today` (yyyy-mm-dd) bounds a resident ID's birth date; it is a
 * parameter so a test can fix the clock.
 */
export async function readDocument(
  ocr: Ocr,
  image: Uint8Array,
  documentType: DocumentType,
  today: string = new Date().toISOString().slice(0, 10),
  tuning: Partial<MrzTuning> = {},
): Promise<DocumentReading> {
  const started = performance.now();
  if (documentType === 'cn_resident_id') {
    const { reading, passes } = await readCnResidentId(ocr, image, today);
    return { ...reading, passes, ms: Math.round(performance.now() - started) };
  }
  const { reading, passes } = await readMrzDocument(ocr, image, documentType, { ...MRZ_TUNING, ...tuning });
  return { ...reading, passes, ms: Math.round(performance.now() - started) };
}

/** How an MRZ photo is read; the defaults won on the PassportEye specimens (test/bench/ocr.ts). */
export interface MrzTuning {
  /** straighten first: 15 of 35 specimens read with every check digit holding, against 13
   *  without (a strict superset), for about 12% more time */
  deskew: boolean;
}
export const MRZ_TUNING: MrzTuning = { deskew: true };

type Partial2 = Omit<DocumentReading, 'ms' | 'passes'>;

async function readCnResidentId(ocr: Ocr, image: Uint8Array, today: string): Promise<{ reading: Partial2; passes: number }> {
  const first = await ocr.recognize(image, { languages: 'chi_sim+eng', deskew: true });
  let passes = 1;
  let numbers = findCnResidentIds(first.text);
  let numberSource: OcrResult = first;
  if (!numbers.some((n) => cnResidentIdCheck(n, today).checksumValid)) {
    // the number line again, digits only: the bottom third of the card, where the standard layout prints it
    const { width, height } = await imageSize(image);
    const band = await ocr.recognize(image, {
      languages: 'eng',
      whitelist: '0123456789Xx',
      layout: 'sparse',
      crop: { x: 0, y: Math.round(height * 0.6), width, height: Math.round(height * 0.4) },
      preprocess: { minWidth: 1800, maxWidth: 1800 },
    });
    passes++;
    const more = findCnResidentIds(band.text);
    if (more.length > 0) {
      numbers = [...more, ...numbers];
      numberSource = band;
    }
  }
  // a number whose check character holds beats one that does not
  const checked = numbers.map((n) => cnResidentIdCheck(n, today));
  const cnId = checked.find((c) => c.valid) ?? checked.find((c) => c.checksumValid) ?? checked[0] ?? null;
  return {
    reading: {
      documentType: 'cn_resident_id',
      numberRead: cnId?.number ?? null,
      nameRead: cnNameFrom(first.text),
      mrz: null,
      cnId,
      ocrConfidence: (cnId ? numberSource : first).confidence,
    },
    passes,
  };
}

const CARD_WORDS = /^(姓名|性别|民族|出生|住址|公民身份号码|中华人民共和国|居民身份证|签发机关|有效期限|男|女|汉)$/;

/**
 * The name on the card: after the 姓名 label when it was read, else the first line of two to
 * twelve Chinese characters above the 性别 / birth line (the labels are printed in pale blue and
 * often vanish in a photo, while the name in black survives).
 */
export function cnNameFrom(text: string): string | null {
  const labelled = /姓[\s\u3000]*名[\s\u3000:：]*([\u3400-\u9fff·•][\u3400-\u9fff·•\s\u3000]{0,15})/.exec(text);
  if (labelled) {
    const name = labelled[1].split(/\n/)[0].replace(/[\s\u3000]/g, '').replace(/•/g, '·').replace(/(性别|性|民族).*$/, '');
    if (name.length >= 2) return name;
  }
  for (const raw of text.split(/\n/)) {
    const line = raw.replace(/[\s\u3000]/g, '').replace(/•/g, '·');
    if (/[男女]|民族|出生|\d{4}/.test(line)) break; // past the name's place
    if (/^[\u3400-\u9fff·]{2,12}$/.test(line) && !CARD_WORDS.test(line)) return line;
  }
  return null;
}

async function readMrzDocument(ocr: Ocr, image: Uint8Array, documentType: DocumentType, tuning: MrzTuning): Promise<{ reading: Partial2; passes: number }> {
  const attempts: { mrz: MrzReading | null; confidence: number }[] = [];
  const tryPass = async (options: Parameters<Ocr['recognize']>[1]) => {
    const r = await ocr.recognize(image, { languages: 'eng', whitelist: MRZ_WHITELIST, deskew: tuning.deskew, ...options });
    attempts.push({ mrz: findMrz(r.text), confidence: r.confidence });
  };
  // whole page first (the MRZ may sit anywhere in a tilted photo), then the bottom band enlarged
  await tryPass({ layout: 'auto', preprocess: { minWidth: 1800, maxWidth: 2400 } });
  if (!attempts[0].mrz?.checksValid) {
    const { width, height } = await imageSize(image);
    await tryPass({
      layout: 'block',
      crop: { x: 0, y: Math.round(height * 0.55), width, height: Math.round(height * 0.45) },
      preprocess: { minWidth: 2400, maxWidth: 2400 },
    });
  }
  const best = attempts
    .filter((a) => a.mrz)
    .sort((a, b) => a.mrz!.failedChecks.length - b.mrz!.failedChecks.length || a.mrz!.repairs - b.mrz!.repairs)[0];
  const mrz = best?.mrz ?? null;
  return {
    reading: {
      documentType,
      numberRead: mrz?.documentNumber ? normaliseDocumentNumber(mrz.documentNumber) : null,
      nameRead: mrz ? [mrz.surname, mrz.givenNames].filter(Boolean).join(' ') || null : null,
      mrz,
      cnId: null,
      ocrConfidence: best?.confidence ?? attempts[0]?.confidence ?? null,
    },
    passes: attempts.length,
  };
}

/** Upper case, half-width, without spaces, dashes or MRZ filler. */
export function normaliseDocumentNumber(raw: string): string {
  return raw.normalize('NFKC').toUpperCase().replace(/[\s<\-]/g, '');
}

/** Name letters only, upper case, accents dropped, full-width folded; order kept. */
export function normaliseName(raw: string): string {
  return raw
    .normalize('NFKC')
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toUpperCase()
    .replace(/[·•.\-'’,]/g, ' ')
    .replace(/</g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

/**
 * Whether a name read from the document is the declared one: true when the words agree in any
 * order (MRZ puts the surname first), null when they differ by a misread letter or two (a reviewer
 * looks), false when they are different names. Chinese names compare character by character.
 */
export function namesMatch(read: string, declared: string): boolean | null {
  const a = normaliseName(read);
  const b = normaliseName(declared);
  if (!a || !b) return null;
  const cjk = /[\u3400-\u9fff]/;
  if (cjk.test(a) !== cjk.test(b)) return null; // a Chinese name against its pinyin: a reviewer's call
  if (cjk.test(a)) {
    const [x, y] = [a.replace(/\s/g, ''), b.replace(/\s/g, '')];
    if (x === y) return true;
    return editDistance(x, y) === 1 && x.length >= 3 ? null : false;
  }
  const wa = a.split(' ').sort();
  const wb = b.split(' ').sort();
  if (wa.join(' ') === wb.join(' ')) return true;
  // every order of the declared words, against the letters read, for OCR slips and MRZ truncation
  const letters = a.replace(/\s/g, '');
  const words = b.split(' ');
  let closest = Infinity;
  for (let i = 0; i < words.length; i++) {
    const rotated = [...words.slice(i), ...words.slice(0, i)].join('');
    closest = Math.min(closest, editDistance(letters, rotated), letters.length >= 30 && rotated.startsWith(letters) ? 0 : Infinity);
  }
  return closest <= Math.max(1, Math.floor(letters.length * NAME_SLIP_SHARE)) ? null : false;
}

/** Share of letters an OCR slip may change before two Latin names are called different (one in eight). */
const NAME_SLIP_SHARE = 0.125;

/** The MRZ's name field as read: SURNAME<<GIVEN<NAMES<<<... On a passport's first line it starts
 *  after the document code and the issuing state; a character OCR added or lost in that header
 *  shifts it by one, so the neighbours are offered too (that line has no check digit to tell). */
export function mrzNameFields(mrz: MrzReading): string[] {
  if (mrz.format === 'TD1') return [mrz.lines[2]];
  return [mrz.lines[0].slice(5), mrz.lines[0].slice(6), mrz.lines[0].slice(4)];
}

/** true beats null beats false: the best of several readings of the same field. */
function bestOf(verdicts: (boolean | null)[]): boolean | null {
  if (verdicts.includes(true)) return true;
  if (verdicts.includes(null)) return null;
  return false;
}

/**
 * The declared name against an MRZ name field, in every order of the declared words (the MRZ puts
 * the surname first), with the filler misreads tesseract makes forgiven: '<' read as K, L or C, and
 * a K, L or C added beside a '<'. The price: a name that differs from the document's only by such
 * a letter at a word's end (ERIK / ERI) is not told apart; the face match still is.
 */
export function mrzNameMatches(field: string, declared: string): boolean | null {
  const words = normaliseName(declared).split(' ').filter(Boolean);
  // the filler after the name goes, but not a K, L or C that ends the name itself (ERIK<<<)
  const read = field.replace(/[<KLC]*$/, (t) => (t.includes('<') ? t.slice(0, t.indexOf('<')) : t));
  if (!words.length || !read) return null;
  let closest = Infinity;
  for (let i = 0; i < words.length; i++) {
    const order = [...words.slice(i), ...words.slice(0, i)];
    const expected = order.length > 1 ? `${order[0]}<<${order.slice(1).join('<')}` : order[0];
    closest = Math.min(closest, chevronDistance(read, expected));
  }
  if (closest === 0) return true;
  const letters = words.join('').length;
  return closest <= Math.max(1, Math.floor(letters * NAME_SLIP_SHARE)) ? null : false;
}

/** Edit distance of an MRZ name as read to the expected one, filler misreads free. */
function chevronDistance(read: string, expected: string): number {
  const r = [...read];
  const e = [...expected];
  const look = (c: string) => c === '<' || c === 'K' || c === 'L' || c === 'C';
  let prev = Array.from({ length: e.length + 1 }, (_, j) => j);
  for (let i = 1; i <= r.length; i++) {
    // an extra K, L, C or < in what was read costs nothing next to a '<'
    const extraFree = look(r[i - 1]) && (r[i - 2] === '<' || r[i] === '<' || r[i - 1] === '<');
    const cur = [prev[0] + (extraFree ? 0 : 1)];
    for (let j = 1; j <= e.length; j++) {
      const same = r[i - 1] === e[j - 1] || (e[j - 1] === '<' && look(r[i - 1]));
      cur.push(Math.min(prev[j] + (extraFree ? 0 : 1), cur[j - 1] + 1, prev[j - 1] + (same ? 0 : 1)));
    }
    prev = cur;
  }
  return prev[e.length];
}

/** Numbers: equal is a match; a reading whose check digits hold and differs is a mismatch; an
 *  unchecked reading one or two characters off is left to a reviewer. */
function numbersMatch(read: string | null, declared: string, checked: boolean | null): boolean | null {
  if (read === null) return null;
  if (read === declared) return true;
  if (checked) return false;
  return editDistance(read, declared) <= 2 ? null : false;
}

/**
 * The evidence for decide: what was read, whether it checks out, and whether it is what the seller
 * declared. Unread values stay null (review), never false.
 */
export function checkDocument(reading: DocumentReading, declared: DeclaredIdentity): DocumentEvidence {
  const declaredNumber = declared.documentType === 'cn_resident_id'
    ? normaliseCnResidentId(declared.documentNumber)
    : normaliseDocumentNumber(declared.documentNumber);
  const declaredName = normaliseName(declared.fullName);
  const failedChecks: string[] = [];
  let checksumValid: boolean | null = null;
  let consistent: boolean | null = null;
  if (reading.cnId) {
    checksumValid = reading.cnId.checksumValid;
    consistent = reading.cnId.birthDate !== null && !reading.cnId.reasons.includes('birth_date_future') && reading.cnId.regionValid;
    if (!reading.cnId.checksumValid) failedChecks.push('checkDigit');
    for (const r of reading.cnId.reasons) if (r !== 'checksum') failedChecks.push(r);
  } else if (reading.mrz) {
    checksumValid = reading.mrz.checksValid;
    failedChecks.push(...reading.mrz.failedChecks);
  }
  const numberMatches = numbersMatch(reading.numberRead, declaredNumber, checksumValid);
  const nameMatches = reading.mrz
    ? bestOf(mrzNameFields(reading.mrz).map((field) => mrzNameMatches(field, declared.fullName)))
    : reading.nameRead === null ? null : namesMatch(reading.nameRead, declared.fullName);
  return {
    documentType: declared.documentType,
    numberRead: reading.numberRead,
    checksumValid,
    consistent,
    nameRead: reading.nameRead,
    declaredNumber,
    declaredName,
    numberMatches,
    nameMatches,
    failedChecks,
  };
}

async function imageSize(image: Uint8Array): Promise<{ width: number; height: number }> {
  const { default: sharp } = await import('sharp');
  const m = await sharp(image).metadata();
  const turned = (m.orientation ?? 1) >= 5;
  return { width: (turned ? m.height : m.width) ?? 0, height: (turned ? m.width : m.height) ?? 0 };
}
