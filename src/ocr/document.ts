// Reading the identity document's number and name from its photo, and comparing them with what
// the seller declared. Chinese resident ID cards are read in Chinese; passports and ID cards with a
// machine-readable zone are read from the MRZ, whose check digits prove the reading.
import type { DocumentEvidence, DocumentSeen } from '../decide/evidence.js';
import { cnResidentIdCheck, findCnResidentIds, normaliseCnResidentId, type CnResidentIdCheck } from './cn-id.js';
import type { Ocr, OcrResult } from './engine.js';
import { editDistance } from './masthead.js';
import { findMrz, mrzReadValid, type MrzReading } from './mrz.js';

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
  /** what showed the photo to be an identity document; null when nothing did (a plain headshot) */
  seen: DocumentSeen | null;
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
      seen: cnId?.checksumValid
        ? { kind: 'cn_resident_id', by: 'id_number' }
        : cardLabelsIn(first.text) >= MIN_CARD_LABELS ? { kind: 'cn_resident_id', by: 'card_text' } : null,
      ocrConfidence: (cnId ? numberSource : first).confidence,
    },
    passes,
  };
}

/** The labels printed on every resident ID card's front. */
const CARD_LABELS = ['姓名', '性别', '民族', '出生', '住址', '公民身份号码'];

/**
 * Labels that must be read for the card's printed layout to count as seen when its number was not
 * read. test/bench/ocr.ts ("document seen"): none of 33 plain headshots, each read as a resident
 * ID and as a passport, was seen by any means; the number found 2 of 4 rendered, photographed
 * cards and the labels no further one (the pale-blue labels fade first in a photo), so a card
 * whose number is lost goes to review as not seen.
 */
const MIN_CARD_LABELS = 2;

function cardLabelsIn(text: string): number {
  const folded = text.replace(/[\s\u3000]/g, '');
  return CARD_LABELS.filter((l) => folded.includes(l)).length;
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
  if (!attempts[0].mrz || !mrzReadValid(attempts[0].mrz)) {
    const { width, height } = await imageSize(image);
    await tryPass({
      layout: 'block',
      crop: { x: 0, y: Math.round(height * 0.55), width, height: Math.round(height * 0.45) },
      preprocess: { minWidth: 2400, maxWidth: 2400 },
    });
  }
  const best = attempts
    .filter((a) => a.mrz)
    .sort((a, b) => Number(mrzReadValid(b.mrz!)) - Number(mrzReadValid(a.mrz!))
      || a.mrz!.failedChecks.length - b.mrz!.failedChecks.length || a.mrz!.repairs - b.mrz!.repairs)[0];
  const mrz = best?.mrz ?? null;
  const name = mrz ? cleanMrzName(mrzNameFields(mrz)[0]) : null;
  return {
    reading: {
      documentType,
      // an unreadable zone gives no number: a guess must not be compared with the declared one
      numberRead: mrz && mrzReadValid(mrz) && mrz.documentNumber ? normaliseDocumentNumber(mrz.documentNumber) : null,
      nameRead: name ? [name.surname, name.givenNames].filter(Boolean).join(' ') || null : null,
      mrz,
      cnId: null,
      seen: mrz && checkDigitsHeld(mrz) >= MIN_MRZ_CHECKS_HELD ? { kind: 'mrz_document', by: 'mrz' } : null,
      ocrConfidence: best?.confidence ?? attempts[0]?.confidence ?? null,
    },
    passes: attempts.length,
  };
}

/** Check digits each format carries (the mrz package's *CheckDigit fields). */
const MRZ_CHECK_DIGITS: Record<MrzReading['format'], number> = { TD1: 4, TD2: 4, TD3: 5 };

function checkDigitsHeld(mrz: MrzReading): number {
  return MRZ_CHECK_DIGITS[mrz.format] - mrz.failedChecks.length;
}

/**
 * Check digits that must hold for a zone to show a document is there, readable or not: lines of
 * ICAO length alone can be a page's other text read with the MRZ alphabet. test/bench/ocr.ts (MRZ
 * section, "seen"): no plain headshot gives a zone at all; of the 31 zones found on the 35
 * specimens 28 hold two or more, the GBR page's header read as a zone holds none, and two zones
 * read too poorly to count (NLD, the annotated Spanish excerpt) hold one and none.
 */
const MIN_MRZ_CHECKS_HELD = 2;

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

export interface MrzName {
  surname: string;
  givenNames: string;
  /** the name's edge with the filler, or a separator, was guessed: it may not be the printed name */
  doubtful: boolean;
}

/** Letters tesseract reads where OCR-B prints the filler '<'. */
const FILLER_LOOKALIKES = 'KLCE';

/**
 * The name in an MRZ name field with the filler cut away: the run of '<' and its lookalikes that
 * reaches the end of the field goes (from its first '<': a K that ends ERIK<<< stays), a lone
 * K, L or C between two '<' is a misread separator, a word made of lookalikes is filler read
 * without its '<', and three or more K, L, C ending a word are too. The name is doubtful unless
 * the field as read is exactly that name followed by clean filler: noise anywhere in the field
 * (the Hungarian specimen's ROZALIASIRMASS<<C<CLLLL...R, where S stands for '<') says the letters
 * kept may be noise too. Null when no letters remain.
 */
export function cleanMrzName(field: string): MrzName | null {
  let doubtful = false;
  const tail = new RegExp(`[<${FILLER_LOOKALIKES}]*$`).exec(field)![0];
  let body = field.slice(0, field.length - tail.length) + (tail.includes('<') ? tail.slice(0, tail.indexOf('<')) : tail);
  body = body.replace(/[0-9]/g, '');
  // a lone lookalike between two separators is a separator (LIN<K<MEI)
  body = body.replace(/(?<=<)[KLC](?=<)/g, '<');
  const isFiller = (word: string) => word.length >= 3 && [...word].filter((c) => FILLER_LOOKALIKES.includes(c)).length / word.length >= 0.75;
  const clean = (part: string) => part.split('<').filter(Boolean)
    .map((w) => w.replace(/(?<=[A-Z])[KLC]{3,}$/, ''))
    .filter((w) => !isFiller(w));
  const split = body.indexOf('<<');
  let surnameWords = clean(split < 0 ? body : body.slice(0, split));
  let givenWords = split < 0 ? [] : clean(body.slice(split + 2));
  // the given names end at the next '<<': what follows it is filler noise
  const second = split < 0 ? -1 : body.indexOf('<<', split + 2);
  if (second >= 0) givenWords = clean(body.slice(split + 2, second));
  if (surnameWords.length === 0 && givenWords.length > 0) [surnameWords, givenWords] = [givenWords, []];
  if (surnameWords.length === 0) return null;
  const surname = surnameWords.join(' ');
  const givenNames = givenWords.join(' ');
  const printed = `${surnameWords.join('<')}${givenWords.length ? `<<${givenWords.join('<')}` : ''}`;
  if (split < 0 || field !== printed.padEnd(field.length, '<')) doubtful = true;
  return { surname, givenNames, doubtful };
}

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

/**
 * The declared name against one MRZ name field: a match as read or once cleaned of filler is a
 * match; a difference is a mismatch only when the name read is clean, else a reviewer's call
 * (a name with filler noise says little about whose document it is).
 */
function mrzNameVerdict(field: string, declared: string, repairedName: boolean): boolean | null {
  const asRead = mrzNameMatches(field, declared);
  if (asRead === true) return true;
  const name = cleanMrzName(field);
  if (!name) return null;
  if (repairedName) name.doubtful = true;
  const cleaned = namesMatch([name.surname, name.givenNames].filter(Boolean).join(' '), declared);
  if (cleaned === true) return true;
  if (asRead === null || cleaned === null || name.doubtful) return null;
  return false;
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
    // OCR cannot tell a misread check digit from a wrong one, nor a repair from a forgery: a zone
    // is valid as read (within MRZ_MAX_REPAIRS) or unreadable, never proof of an invalid document
    checksumValid = mrzReadValid(reading.mrz) ? true : null;
    failedChecks.push(...reading.mrz.failedChecks);
  }
  const numberMatches = numbersMatch(reading.numberRead, declaredNumber, checksumValid);
  const nameMatches = reading.mrz
    ? bestOf(mrzNameFields(reading.mrz).map((field) => mrzNameVerdict(field, declared.fullName, reading.mrz!.nameRepairs > 0)))
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
    seen: reading.seen,
    mrzRepairs: reading.mrz?.repairs ?? null,
  };
}

async function imageSize(image: Uint8Array): Promise<{ width: number; height: number }> {
  const { default: sharp } = await import('sharp');
  const m = await sharp(image).metadata();
  const turned = (m.orientation ?? 1) >= 5;
  return { width: (turned ? m.height : m.width) ?? 0, height: (turned ? m.width : m.height) ?? 0 };
}
