// Machine-readable zones (ICAO 9303 TD1, TD2, TD3) out of OCR text. Tesseract's English model
// reads the OCR-B filler '<' as K, L or C and sometimes doubles it, so lines are repaired by a small
// search steered by the check digits: the repair that makes most check digits hold wins. Pure.
import { parse, type ParseResult } from 'mrz';

export type MrzFormat = 'TD1' | 'TD2' | 'TD3';

const LINE_LENGTH: Record<MrzFormat, number> = { TD1: 30, TD2: 36, TD3: 44 };
const LINE_COUNT: Record<MrzFormat, number> = { TD1: 3, TD2: 2, TD3: 2 };

export interface MrzReading {
  format: MrzFormat;
  /** the lines as repaired and parsed */
  lines: string[];
  /** every check digit holds */
  checksValid: boolean;
  /** check-digit fields that do not hold, by the mrz package's field names */
  failedChecks: string[];
  /** other fields the parser refused (an unknown state code such as the specimen UTO) */
  invalidFields: string[];
  documentCode: string | null;
  documentNumber: string | null;
  issuingState: string | null;
  nationality: string | null;
  surname: string | null;
  givenNames: string | null;
  /** yymmdd as printed */
  birthDate: string | null;
  expirationDate: string | null;
  sex: string | null;
  /** characters of the data lines (document number, dates, optional data, check digits) changed,
   *  inserted or dropped from what OCR read to reach this reading: each one is a guess the check
   *  digits were asked to confirm, so a reading that needed more than MRZ_MAX_REPAIRS is unreadable */
  repairs: number;
  /** the same on the name line, whose filler tesseract reads as K, L or C; no check digit covers it */
  nameRepairs: number;
}

/** Which line carries the name (and, on TD2/TD3, the document code and issuing state). */
export const NAME_LINE: Record<MrzFormat, number> = { TD1: 2, TD2: 0, TD3: 0 };

/** The characters tesseract puts where OCR-B prints '<'. */
const CHEVRON_LOOKALIKES = new Set(['K', 'L', 'C']);

/** Upper case, only A-Z 0-9 <, with the usual OCR stand-ins for '<' (« and ‹) mapped back. */
export function cleanMrzLine(line: string): string {
  return line
    .toUpperCase()
    .replace(/«/g, '<<')
    .replace(/[‹＜]/g, '<')
    .replace(/[^A-Z0-9<]/g, '');
}

/** Lines of OCR text that look like MRZ: long runs of A-Z0-9< with filler-like characters. */
export function mrzCandidateLines(text: string): string[] {
  return text
    .split(/\r?\n/)
    .map((l) => cleanMrzLine(l.replace(/\s+/g, '')))
    .filter((l) => l.length >= 25 && (l.match(/</g)?.length ?? 0) + (l.match(/[KLC]/g)?.length ?? 0) >= 3 && /\d/.test(l + '0'));
}

/**
 * Variants of one raw line of the target length, fewest changes first: filler lookalikes beside a
 * '<' turned into '<', extra lookalikes dropped, missing filler added at the end of a '<' run.
 */
export function lineVariants(raw: string, length: number, limit = 48): LineVariant[] {
  const out = new Map<string, LineVariant>();
  const add = (line: string, repairs: number, filler = 0) => {
    if (line.length !== length) return;
    const prev = out.get(line);
    if (prev === undefined || repairs + filler < prev.repairs + prev.filler) out.set(line, { line, repairs, filler });
  };
  const bases: { line: string; repairs: number; filler: number }[] = [{ line: raw, repairs: 0, filler: 0 }];
  // every lookalike touching a '<' (directly or through other lookalikes) becomes '<'
  const chars = [...raw];
  const touching = chars.map((c, i) => CHEVRON_LOOKALIKES.has(c) && nearChevron(chars, i));
  const swapped = chars.map((c, i) => (touching[i] ? '<' : c)).join('');
  // a swap with '<' on both sides once swapped restores padding; one at a run's edge may have
  // eaten the last letter of a field, which only the check digits could tell: that is a repair
  const inRun = (i: number) => swapped[i - 1] === '<' && swapped[i + 1] === '<';
  const fillerSwaps = touching.filter((t, i) => t && inRun(i)).length;
  const swaps = touching.filter(Boolean).length;
  if (swaps > 0) bases.push({ line: swapped, repairs: swaps - fillerSwaps, filler: fillerSwaps });
  // a run of filler at the end of a line (the name line's) is filler even where no '<' was read,
  // however long tesseract made it: cut or pad it to the line's length
  const tail = /[<KLC]{3,}$/.exec(raw);
  if (tail && tail[0].includes('<')) {
    const head = raw.slice(0, tail.index) + '<';
    if (head.length <= length) add(head + '<'.repeat(length - head.length), 0, tail[0].replace(/</g, '').length);
  }
  for (const base of bases) {
    const diff = base.line.length - length;
    if (diff === 0) add(base.line, base.repairs, base.filler);
    else if (diff > 0 && diff <= 4) {
      // drop `diff` characters among lookalikes and '<' that sit next to another '<'
      // lookalikes first: an extra K beside the filler is likelier than an extra '<'
      const near = [...base.line].map((c, i) => i).filter((i) => (base.line[i] === '<' || CHEVRON_LOOKALIKES.has(base.line[i])) && nearChevron([...base.line], i));
      const droppable = [...near.filter((i) => base.line[i] !== '<'), ...near.filter((i) => base.line[i] === '<')];
      for (const combo of combinations(droppable, diff, 400)) {
        const drop = new Set(combo);
        add([...base.line].filter((_, i) => !drop.has(i)).join(''), base.repairs + diff, base.filler);
      }
      // or the line simply ran past its end
      add(base.line.slice(0, length), base.repairs + diff, base.filler);
    } else if (diff < 0 && diff >= -4) {
      // add filler to one of the '<' runs
      const runs = [...base.line.matchAll(/<+/g)].map((m) => m.index + m[0].length);
      for (const at of new Set([...runs, base.line.length])) add(base.line.slice(0, at) + '<'.repeat(-diff) + base.line.slice(at), base.repairs - diff, base.filler);
    }
  }
  return [...out.values()].sort((a, b) => a.repairs + a.filler - (b.repairs + b.filler)).slice(0, limit);
}

/** One way to read a line at its format's length. */
export interface LineVariant {
  line: string;
  /** characters changed, inserted or dropped, other than `filler` */
  repairs: number;
  /** K, L or C read back as '<' inside what is then a run of filler, or cut from the name line's end */
  filler: number;
}

function nearChevron(chars: string[], i: number): boolean {
  for (const dir of [-1, 1]) {
    for (let j = i + dir; j >= 0 && j < chars.length; j += dir) {
      if (chars[j] === '<') return true;
      if (!CHEVRON_LOOKALIKES.has(chars[j])) break;
    }
  }
  return false;
}

function* combinations<T>(items: T[], k: number, cap: number): Generator<T[]> {
  let yielded = 0;
  const pick: T[] = [];
  function* rec(start: number): Generator<T[]> {
    if (yielded >= cap) return;
    if (pick.length === k) {
      yielded++;
      yield [...pick];
      return;
    }
    for (let i = start; i < items.length; i++) {
      pick.push(items[i]);
      yield* rec(i + 1);
      pick.pop();
    }
  }
  yield* rec(0);
}

function formatOf(lines: string[]): MrzFormat | null {
  const last = lines.slice(-3);
  // the name line may run long: tesseract reads its filler as several characters each
  const near = (l: string, n: number, name = false) => l.length >= n - 4 && l.length <= n + (name ? 16 : 4);
  if (last.length === 3 && near(last[0], 30) && near(last[1], 30) && near(last[2], 30, true)) return 'TD1';
  const two = lines.slice(-2);
  if (two.length === 2 && near(two[0], 44, true) && near(two[1], 44)) return 'TD3';
  if (two.length === 2 && near(two[0], 36, true) && near(two[1], 36)) return 'TD2';
  return null;
}

/** Parses already-clean lines; null when the mrz package does not know the layout. */
export function parseMrzLines(lines: string[], repairs = 0, nameRepairs = 0): MrzReading | null {
  let result: ParseResult;
  try {
    result = parse(lines, { autocorrect: true });
  } catch {
    // an unknown layout is "no MRZ here", which the caller reports as unreadable
    return null;
  }
  if (!['TD1', 'TD2', 'TD3'].includes(result.format)) return null;
  const failedChecks = result.details.filter((d) => !d.valid && d.field?.endsWith('CheckDigit')).map((d) => d.field as string);
  const invalidFields = result.details.filter((d) => !d.valid && d.field && !d.field.endsWith('CheckDigit')).map((d) => d.field as string);
  const raw = (field: string) => {
    const d = result.details.find((x) => x.field === field);
    if (!d) return null;
    return lines[d.line].slice(d.start, d.end).replace(/<+$/g, '').replace(/</g, ' ') || null;
  };
  const f = result.fields;
  // the parser's own letter/digit swaps in fields of known type (a date's O read back as 0) are repairs too
  const nameLine = NAME_LINE[result.format as MrzFormat];
  const autocorrected = (name: boolean) =>
    result.details.reduce((n, d) => n + ((d.line === nameLine) === name ? d.autocorrect?.length ?? 0 : 0), 0);
  return {
    format: result.format as MrzFormat,
    lines,
    checksValid: failedChecks.length === 0,
    failedChecks,
    invalidFields,
    documentCode: f.documentCode ?? raw('documentCode'),
    documentNumber: result.documentNumber ?? f.documentNumber ?? raw('documentNumber'),
    issuingState: f.issuingState ?? raw('issuingState'),
    nationality: f.nationality ?? raw('nationality'),
    surname: f.lastName ?? raw('lastName'),
    givenNames: f.firstName ?? raw('firstName'),
    birthDate: f.birthDate ?? raw('birthDate'),
    expirationDate: f.expirationDate ?? raw('expirationDate'),
    sex: f.sex ?? null,
    repairs: repairs + autocorrected(false),
    nameRepairs: nameRepairs + autocorrected(true),
  };
}

/**
 * Finds the MRZ in OCR text and reads it, repairing lookalike characters where the check digits
 * agree. Returns the reading with the fewest failed check digits (then fewest repairs), or null
 * when no MRZ-shaped lines are there.
 */
export function findMrz(text: string): MrzReading | null {
  const candidates = mrzCandidateLines(text);
  if (candidates.length < 2) return null;
  let best: MrzReading | null = null;
  // the MRZ is the last two or three MRZ-like lines; try each consecutive group
  for (let end = candidates.length; end >= 2; end--) {
    for (const format of ['TD3', 'TD2', 'TD1'] as MrzFormat[]) {
      const group = candidates.slice(end - LINE_COUNT[format], end);
      if (group.length !== LINE_COUNT[format] || formatOf(group) !== format) continue;
      const repaired = bestRepair(group, format);
      const reading = repaired && repairDocumentNumber(repaired);
      if (reading && (!best || better(reading, best))) best = reading;
    }
    if (best?.checksValid) break;
  }
  return best;
}

/** Where the document number and its check digit sit: line, start, end (the check digit follows). */
const NUMBER_FIELD: Record<MrzFormat, { line: number; start: number; end: number }> = {
  TD1: { line: 0, start: 5, end: 14 },
  TD2: { line: 1, start: 0, end: 9 },
  TD3: { line: 1, start: 0, end: 9 },
};

/** Characters OCR confuses in the alphanumeric document number, which autocorrect cannot fix. */
const NUMBER_CONFUSIONS: Record<string, string> = {
  '0': 'OD', O: '0D', D: '0O', Q: '0O', '1': 'I', I: '1', '5': 'S', S: '5', '2': 'Z', Z: '2',
  '8': 'B', B: '8', '6': 'G', G: '6', K: '<', L: '<1', C: '<',
};

/**
 * A document number whose check digit fails is tried with one or two of its characters swapped
 * for their OCR lookalikes; a repair is taken only when exactly one number makes the digit hold,
 * so a guess never passes as a reading.
 */
export function repairDocumentNumber(reading: MrzReading): MrzReading {
  const { line, start, end } = NUMBER_FIELD[reading.format];
  const field = [...reading.lines[line].slice(start, end)];
  if (!reading.failedChecks.includes('documentNumberCheckDigit')) {
    // O among the digits can pass the check by chance (its value 24 weighs like a 4); issuers
    // avoid the letter O in numbers, so a reading with zeros that passes as well is preferred
    const lead = /^[A-Z]*/.exec(field.join(''))![0].length;
    const digits = field.map((c, k) => (k >= Math.max(1, lead === field.length ? 1 : Math.min(lead, 2)) && c === 'O' ? '0' : c));
    if (digits.join('') === field.join('')) return reading;
    const lines = [...reading.lines];
    lines[line] = lines[line].slice(0, start) + digits.join('') + lines[line].slice(end);
    const r = parseMrzLines(lines, reading.repairs + digits.filter((c, i) => c !== field[i]).length, reading.nameRepairs);
    return r && r.failedChecks.length <= reading.failedChecks.length ? r : reading;
  }
  const fixes = new Map<string, MrzReading>();
  const tryField = (chars: string[], changes: number) => {
    const lines = [...reading.lines];
    lines[line] = lines[line].slice(0, start) + chars.join('') + lines[line].slice(end);
    const r = parseMrzLines(lines, reading.repairs + changes, reading.nameRepairs);
    if (r && !r.failedChecks.includes('documentNumberCheckDigit')) fixes.set(chars.join(''), r);
  };
  const changed = (chars: string[]) => chars.filter((c, i) => c !== field[i]).length;
  // tier 1: one lookalike
  for (let i = 0; i < field.length; i++) {
    for (const a of NUMBER_CONFUSIONS[field[i]] ?? '') tryField(field.map((c, k) => (k === i ? a : c)), 1);
  }
  // tier 2: every O (and then every D) after the leading letters is a zero: numbers like
  // C01000047 come out as COIOOOO47 from a soft photo
  if (fixes.size === 0) {
    for (let lead = 0; lead <= 3; lead++) {
      for (const letters of ['OQ', 'OQD']) {
        const bulk = field.map((c, k) => (k >= lead && letters.includes(c) ? '0' : k >= lead && c === 'I' ? '1' : c));
        if (changed(bulk) > 0) tryField(bulk, changed(bulk));
      }
    }
  }
  // tier 3: two lookalikes
  if (fixes.size === 0) {
    for (let i = 0; i < field.length; i++) {
      for (const a of NUMBER_CONFUSIONS[field[i]] ?? '') {
        for (let j = i + 1; j < field.length; j++) {
          for (const b of NUMBER_CONFUSIONS[field[j]] ?? '') tryField(field.map((c, k) => (k === i ? a : k === j ? b : c)), 2);
        }
      }
    }
  }
  return fixes.size === 1 ? [...fixes.values()][0] : reading;
}

function better(a: MrzReading, b: MrzReading): boolean {
  if (a.failedChecks.length !== b.failedChecks.length) return a.failedChecks.length < b.failedChecks.length;
  if (a.repairs !== b.repairs) return a.repairs < b.repairs;
  return a.nameRepairs < b.nameRepairs;
}

function bestRepair(group: string[], format: MrzFormat): MrzReading | null {
  const length = LINE_LENGTH[format];
  const perLine = group.map((l) => lineVariants(l, length, format === 'TD1' ? 12 : 24));
  if (perLine.some((v) => v.length === 0)) return null;
  let best: MrzReading | null = null;
  let tried = 0;
  const pick: LineVariant[] = [];
  const walk = (i: number): void => {
    if (tried > 3000 || best?.checksValid && best.repairs === 0) return;
    if (i === perLine.length) {
      tried++;
      const nameLine = NAME_LINE[format];
      const r = parseMrzLines(
        pick.map((p) => p.line),
        pick.reduce((n, p, k) => n + (k === nameLine ? 0 : p.repairs), 0),
        pick[nameLine].repairs + pick[nameLine].filler,
      );
      if (r && (!best || better(r, best))) best = r;
      return;
    }
    for (const v of perLine[i]) {
      pick.push(v);
      walk(i + 1);
      pick.pop();
    }
  };
  walk(0);
  return best;
}

/**
 * The most data-line characters a reading may have needed and still count: past it the check
 * digits were asked to confirm a guess rather than a reading. test/bench/ocr.ts (MRZ section,
 * repairsOfChecked): of the 15 specimens read with every check digit holding, the one read wrong
 * (the Taiwan passport's M00000426 as MO0O00426, whose O's weigh out to the same check digit)
 * needed 5; the right ones needed 0 (6), 1 (3), 2 (2), 3 (2) and 5 (1). At 2, 11 read right, 0
 * wrong, and the wrong one is 3 characters past the line; the 3 right ones beyond go to review.
 */
export const MRZ_MAX_REPAIRS = 2;

/** A reading whose every check digit holds on what OCR read, give or take MRZ_MAX_REPAIRS characters. */
export function mrzReadValid(reading: MrzReading): boolean {
  return reading.checksValid && reading.repairs <= MRZ_MAX_REPAIRS;
}
