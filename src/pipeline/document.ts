// The ID document read and checked against the declared identity: the number (MOD 11-2 and the
// birth date / region for resident IDs, every MRZ check digit for passports and MRZ ID cards) and the
// name. Built on the OCR module's public face (recognize, resident-ID checks) and the mrz package.
import { parse as parseMrz } from 'mrz';
import type { DocumentEvidence } from '../decide/evidence.js';
import type { Declared } from '../db/index.js';
import { cnResidentIdCheck, findCnResidentIds, normaliseCnResidentId, type Ocr } from '../ocr/index.js';

/** Letters, digits and CJK only, upper case: spacing, punctuation and width are not part of a name. */
export function normaliseName(s: string): string {
  return s.normalize('NFKC').toUpperCase().replace(/[^A-Z0-9\u3400-\u9fff]/g, '');
}

function editDistance(a: string, b: string): number {
  const x = [...a];
  const y = [...b];
  let prev = Array.from({ length: y.length + 1 }, (_, j) => j);
  for (let i = 1; i <= x.length; i++) {
    const cur = [i];
    for (let j = 1; j <= y.length; j++) cur.push(Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (x[i - 1] === y[j - 1] ? 0 : 1)));
    prev = cur;
  }
  return prev[y.length];
}

/**
 * true when equal; false when clearly another value; null when one or two characters apart, which
 * an OCR slip explains as well as a different person does: a reviewer compares them.
 */
export function compareRead(read: string, declared: string): boolean | null {
  if (read === declared) return true;
  const d = editDistance(read, declared);
  return d <= Math.max(1, Math.floor(Math.max([...read].length, [...declared].length) / 8)) ? null : false;
}

/** Name on a resident ID: the text after the 姓名 label (OCR often splits it as 姓 名). */
function cnNameFrom(text: string): string | null {
  for (const line of text.split('\n')) {
    const m = /姓\s*名\s*[:：]?\s*(.+)$/.exec(line);
    if (m) {
      const name = normaliseName(m[1]).replace(/[A-Z0-9]/g, '');
      if ([...name].length >= 2) return name;
    }
  }
  return null;
}

async function readCnResidentId(ocr: Ocr, image: Uint8Array, declared: Declared, today: string): Promise<DocumentEvidence> {
  const page = await ocr.recognize(image, { languages: 'chi_sim+eng' });
  let candidates = findCnResidentIds(page.text);
  if (candidates.length === 0) {
    // The number line alone, read as digits: the Chinese model sometimes merges digits into words.
    const digits = await ocr.recognize(image, { languages: 'eng', layout: 'sparse', whitelist: '0123456789X' });
    candidates = findCnResidentIds(digits.text);
  }
  const declaredNumber = normaliseCnResidentId(declared.documentNumber);
  const declaredName = normaliseName(declared.fullName);
  const nameRead = cnNameFrom(page.text);
  const base = { documentType: 'cn_resident_id' as const, declaredNumber, declaredName, nameRead, failedChecks: [] as string[] };
  const nameMatches = nameRead === null ? null : compareRead(nameRead, declaredName);
  if (candidates.length === 0) {
    return { ...base, numberRead: null, checksumValid: null, consistent: null, numberMatches: null, nameMatches };
  }
  const checks = candidates.map((c) => cnResidentIdCheck(c, today));
  const chosen = checks.find((c) => c.checksumValid) ?? checks[0];
  let checksumValid: boolean | null = chosen.checksumValid;
  let numberMatches = compareRead(chosen.number, declaredNumber);
  // A number one digit off the declared one that fails its check digit is most likely a misread of
  // the declared (valid) number, not a forged card: unverified, for a reviewer, rather than rejected.
  if (!chosen.checksumValid && numberMatches === null && cnResidentIdCheck(declaredNumber, today).checksumValid) {
    checksumValid = null;
  }
  if (chosen.checksumValid && numberMatches === null) numberMatches = false;
  const consistent = chosen.birthDate !== null && !chosen.reasons.includes('birth_date_future') && chosen.regionValid;
  return { ...base, numberRead: chosen.number, checksumValid, consistent, numberMatches, nameMatches };
}

const MRZ_LINE = /^[A-Z0-9<]{28,46}$/;
const MRZ_LENGTHS = [30, 36, 44];

/** MRZ lines from OCR text: the long runs of A-Z, 0-9 and <, squeezed and cut to a standard length. */
export function mrzLinesFrom(text: string): string[] {
  const lines = text.split('\n').map((l) => l.replace(/\s+/g, '').toUpperCase().replace(/[«‹]/g, '<')).filter((l) => MRZ_LINE.test(l) && l.includes('<'));
  if (lines.length < 2) return [];
  const len = MRZ_LENGTHS.reduce((best, n) => (Math.abs(n - lines[0].length) < Math.abs(best - lines[0].length) ? n : best));
  const fit = (l: string) => (l.length >= len ? l.slice(0, len) : l.padEnd(len, '<'));
  return (len === 30 ? lines.slice(-3) : lines.slice(-2)).map(fit);
}

async function readMrzDocument(ocr: Ocr, image: Uint8Array, declared: Declared): Promise<DocumentEvidence> {
  const result = await ocr.recognize(image, { languages: 'eng', layout: 'block', whitelist: 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789<' });
  const declaredNumber = normaliseName(declared.documentNumber);
  const declaredName = normaliseName(declared.fullName);
  const base = { documentType: declared.documentType, declaredNumber, declaredName, consistent: null };
  const lines = mrzLinesFrom(result.text);
  if (lines.length === 0) {
    return { ...base, numberRead: null, checksumValid: null, nameRead: null, numberMatches: null, nameMatches: null, failedChecks: [] };
  }
  const mrz = parseMrz(lines, { autocorrect: true });
  const checkDigits = mrz.details.filter((d) => d.field?.endsWith('CheckDigit'));
  const failedChecks = checkDigits.filter((d) => !d.valid).map((d) => d.field as string);
  const numberRead = mrz.fields.documentNumber ? normaliseName(mrz.fields.documentNumber) : null;
  const names = [mrz.fields.lastName, mrz.fields.firstName].filter(Boolean) as string[];
  const nameRead = names.length ? names.join(' ') : null;
  // MRZ names are transliterated, surname first: compare the words as a set, in any order.
  const words = (s: string) => s.normalize('NFKD').toUpperCase().replace(/[^A-Z ]/g, ' ').split(/\s+/).filter(Boolean).sort().join('');
  return {
    ...base,
    numberRead,
    checksumValid: checkDigits.length === 0 ? null : failedChecks.length === 0,
    nameRead,
    numberMatches: numberRead === null ? null : compareRead(numberRead, declaredNumber),
    nameMatches: nameRead === null ? null : compareRead(words(nameRead), words(declared.fullName)),
    failedChecks,
  };
}

/** Reads the ID photo's number and name and checks them; `today` bounds a resident ID's birth date. */
export async function readDocument(ocr: Ocr, image: Uint8Array, declared: Declared, today: string): Promise<DocumentEvidence> {
  return declared.documentType === 'cn_resident_id'
    ? readCnResidentId(ocr, image, declared, today)
    : readMrzDocument(ocr, image, declared);
}
