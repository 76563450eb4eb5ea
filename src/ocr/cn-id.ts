// Chinese resident identity card numbers (GB 11643-1999): six digits of the issuing region, the
// birth date as yyyymmdd, a three-digit sequence (odd for men, even for women) and an ISO 7064
// MOD 11-2 check character. Pure.
import { CN_ID_REGION_PREFIXES } from './regions.js';

export type CnResidentIdProblem =
  | 'format' // not 17 digits followed by a digit or X
  | 'checksum' // the check character does not match
  | 'birth_date_invalid' // no such calendar date, or before 1900
  | 'birth_date_future'
  | 'region_unknown'; // the first two digits are no province-level region

export interface CnResidentIdCheck {
  /** every check passed */
  valid: boolean;
  /** the number as checked: half-width, no spaces, upper-case X */
  number: string;
  checksumValid: boolean;
  /** yyyy-mm-dd, or null when the digits are no valid date */
  birthDate: string | null;
  regionValid: boolean;
  sex: 'male' | 'female' | null;
  reasons: CnResidentIdProblem[];
}

const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK_CHARS = '10X98765432';

/** Half-width, without spaces or separators, with an upper-case X. */
export function normaliseCnResidentId(raw: string): string {
  return raw
    .replace(/[\uff10-\uff19\uff38\uff58]/g, (ch) => String.fromCharCode(ch.charCodeAt(0) - 0xfee0))
    .replace(/[\s\u3000-]/g, '')
    .toUpperCase();
}

/** The ISO 7064 MOD 11-2 check character for the first 17 digits. */
export function cnResidentIdCheckChar(first17: string): string {
  if (!/^\d{17}$/.test(first17)) throw new Error('expected 17 digits');
  const sum = WEIGHTS.reduce((acc, w, i) => acc + w * Number(first17[i]), 0);
  return CHECK_CHARS[sum % 11];
}

/**
 * Checks a resident ID number. `today` (yyyy-mm-dd) is the date a birth date may not pass; it is
 * passed in so the check stays pure.
 */
export function cnResidentIdCheck(raw: string, today: string = new Date().toISOString().slice(0, 10)): CnResidentIdCheck {
  const number = normaliseCnResidentId(raw);
  if (!/^\d{17}[\dX]$/.test(number)) {
    return { valid: false, number, checksumValid: false, birthDate: null, regionValid: false, sex: null, reasons: ['format'] };
  }
  const reasons: CnResidentIdProblem[] = [];
  const checksumValid = cnResidentIdCheckChar(number.slice(0, 17)) === number[17];
  if (!checksumValid) reasons.push('checksum');

  const [y, m, d] = [number.slice(6, 10), number.slice(10, 12), number.slice(12, 14)].map(Number);
  const date = new Date(Date.UTC(y, m - 1, d));
  const real = y >= 1900 && date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
  let birthDate: string | null = null;
  if (!real) reasons.push('birth_date_invalid');
  else {
    birthDate = `${number.slice(6, 10)}-${number.slice(10, 12)}-${number.slice(12, 14)}`;
    if (birthDate > today) reasons.push('birth_date_future');
  }
  const regionValid = CN_ID_REGION_PREFIXES.has(number.slice(0, 2));
  if (!regionValid) reasons.push('region_unknown');
  const sex = Number(number[16]) % 2 === 1 ? 'male' : 'female';
  return { valid: reasons.length === 0, number, checksumValid, birthDate, regionValid, sex, reasons };
}

/** Places in OCR text that look like a resident ID number (18 characters, the last may be X). */
export function findCnResidentIds(text: string): string[] {
  const folded = normaliseCnResidentId(text.replace(/\s+(?=[\dXx])/g, ''));
  return [...folded.matchAll(/(?<!\d)\d{17}[\dX](?![\dX])/g)].map((m) => m[0]);
}
