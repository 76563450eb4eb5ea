import { describe, expect, it } from 'vitest';
import { cleanMrzLine, findMrz, lineVariants, MRZ_MAX_REPAIRS, mrzReadValid, parseMrzLines, repairDocumentNumber } from '../../../src/ocr/mrz.js';
import { MRZ_MAX_REPAIRS as DECIDE_MRZ_MAX_REPAIRS } from '../../../src/decide/index.js';
import { checkDocument, cleanMrzName, mrzNameMatches, namesMatch, type DocumentReading } from '../../../src/ocr/document.js';

// ICAO 9303 part 4 and 5 specimens
const TD3 = ['P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<', 'L898902C36UTO7408122F1204159ZE184226B<<<<<10'];
const TD1 = ['I<UTOD231458907<<<<<<<<<<<<<<<', '7408122F1204159UTO<<<<<<<<<<<6', 'ERIKSSON<<ANNA<MARIA<<<<<<<<<<'];

describe('parseMrzLines', () => {
  it('reads a passport zone and checks every check digit', () => {
    const r = parseMrzLines(TD3)!;
    expect(r).toMatchObject({ format: 'TD3', checksValid: true, documentNumber: 'L898902C3', surname: 'ERIKSSON', givenNames: 'ANNA MARIA', birthDate: '740812' });
    // UTO is the specimen state: the parser refuses it, and that is not a check digit
    expect(r.invalidFields).toContain('issuingState');
  });
  it('names each failing check digit', () => {
    const bad = [TD3[0], TD3[1].replace('7408122', '7408132')];
    expect(parseMrzLines(bad)!.failedChecks).toEqual(['birthDateCheckDigit', 'compositeCheckDigit']);
  });
  it('reads an ID card zone', () => {
    expect(parseMrzLines(TD1)).toMatchObject({ format: 'TD1', checksValid: true, documentNumber: 'D23145890' });
  });
});

describe('findMrz repairs what tesseract does to OCR-B', () => {
  it('finds the zone among other text', () => {
    const r = findMrz(`PASSPORT  PASSEPORT\nUtopia\n${TD3.join('\n')}\n`)!;
    expect(r.lines).toEqual(TD3);
    expect(r.repairs).toBe(0);
  });

  it('turns filler read as K, L and C back into <, and cuts an over-long name line', () => {
    const read = ['PKUTOERIKSSONK<KANNA<KMARIA<K<KLKLLLKLKLKLLLLKLKLKLKLKKLKL', 'L898902C36UT07408122F1204159ZE184226B<<<<<K10'];
    const r = findMrz(read.join('\n'))!;
    expect(r.checksValid).toBe(true);
    expect(r.documentNumber).toBe('L898902C3');
    expect(r.birthDate).toBe('740812');
    expect(r.lines[1]).toBe('L898902C36UT07408122F1204159ZE184226B<<<<<10');
  });

  it('fixes a document number lookalike only when the check digit picks one answer', () => {
    const misread = parseMrzLines([TD3[0], TD3[1].replace('L898902C3', 'L8989O2C3')])!;
    expect(misread.failedChecks).toContain('documentNumberCheckDigit');
    const fixed = repairDocumentNumber(misread);
    expect(fixed.documentNumber).toBe('L898902C3');
    expect(fixed.checksValid).toBe(true);
  });

  it('leaves a wrong number wrong when no lookalike explains it', () => {
    const wrong = parseMrzLines([TD3[0], TD3[1].replace('L898902C3', 'L898907C3')])!;
    expect(repairDocumentNumber(wrong).failedChecks).toContain('documentNumberCheckDigit');
  });

  it('gives variants of the right length, fewest repairs first', () => {
    const v = lineVariants('ABC<K<DEF', 8);
    expect(v.every((x) => x.line.length === 8)).toBe(true);
    expect(v[0].repairs).toBeGreaterThan(0);
    expect(v.map((x) => x.line)).toContain('ABC<<DEF');
  });

  it('cleans stand-ins for the filler', () => {
    expect(cleanMrzLine('p«uto eriksson‹')).toBe('P<<UTOERIKSSON<');
  });

  it('counts the data characters it changed, and a zone that needed more than the limit is not valid', () => {
    // six digits of the two dates read as their lookalike letters: the parser's autocorrect makes
    // the check digits hold, but that is six guesses, not a reading
    const guessed = findMrz([TD3[0], TD3[1].replace('7408122F1204159', '74O8I22FI2O4IS9')].join('\n'))!;
    expect(guessed.checksValid).toBe(true);
    expect(guessed.repairs).toBeGreaterThan(MRZ_MAX_REPAIRS);
    expect(mrzReadValid(guessed)).toBe(false);
    // filler read as K or L inside a run of filler is padding restored, not a guess at data
    const padded = findMrz([TD3[0], TD3[1].replace('B<<<<<10', 'B<K<L<10')].join('\n'))!;
    expect(padded.repairs).toBe(0);
    expect(mrzReadValid(padded)).toBe(true);
    expect(findMrz(TD3.join('\n'))!.repairs).toBe(0);
  });

  it('has the same repair limit as decide', () => {
    expect(DECIDE_MRZ_MAX_REPAIRS).toBe(MRZ_MAX_REPAIRS);
  });

  it('finds nothing in ordinary text', () => {
    expect(findMrz('REPUBLIC OF UTOPIA\nNATIONAL IDENTITY CARD\n')).toBeNull();
  });
});

describe('names', () => {
  it('matches the declared name against the MRZ in either order, filler misreads forgiven', () => {
    expect(mrzNameMatches('ERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<', 'Anna Maria Eriksson')).toBe(true);
    expect(mrzNameMatches('ERIKSSONK<KANNA<KMARIA<<<<<<<<<<<<<<<<<', 'ERIKSSON Anna Maria')).toBe(true);
    expect(mrzNameMatches('LIN<<MEI<HUA<<L<L<KKLLLLLLL', 'Lin Mei Hua')).toBe(true);
    expect(mrzNameMatches('ERIK<<JAN<<<<<<<<<<<<<<<', 'Jan Erik')).toBe(true);
  });
  it('leaves a one-letter slip to a reviewer and rejects another name', () => {
    expect(mrzNameMatches('ERIKSSOM<<ANNA<MARIA<<<<<<<<<<<<', 'Anna Maria Eriksson')).toBeNull();
    expect(mrzNameMatches('SMITH<<JOHN<<<<<<<<<<<<<<<<<<<<', 'Anna Maria Eriksson')).toBe(false);
  });
  it('cleans filler and its misreads from a name, and says when that was a guess', () => {
    expect(cleanMrzName('ERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<')).toEqual({ surname: 'ERIKSSON', givenNames: 'ANNA MARIA', doubtful: false });
    expect(cleanMrzName('ERIK<<JAN<<<<<<<<<<<<<<<')).toMatchObject({ surname: 'ERIK', givenNames: 'JAN' });
    expect(cleanMrzName('SPECIMEN<<VZORCLLLLLLLLLLLLLLLLLLLLL<LKL')).toEqual({ surname: 'SPECIMEN', givenNames: 'VZOR', doubtful: true });
    expect(cleanMrzName('BASANAVICIENE<<BIRUTE<<<LLLLLLLLLLKLKLKL')).toMatchObject({ surname: 'BASANAVICIENE', givenNames: 'BIRUTE' });
    expect(cleanMrzName('MAUS<<KETTY<<KECKCLECCLCELEELCLLCELECECE<')).toMatchObject({ surname: 'MAUS', givenNames: 'KETTY' });
    expect(cleanMrzName('LIN<K<MEI<HUA<<<<<<<<<<')).toEqual({ surname: 'LIN', givenNames: 'MEI HUA', doubtful: true });
    expect(cleanMrzName('<<<<<<<<<<<LLLLKLKL')).toBeNull();
  });
  it('leaves a name with filler noise to a reviewer rather than rejecting it', () => {
    const declared = { fullName: 'Maria Olivia Virtanen', documentType: 'passport' as const, documentNumber: 'XP8271602' };
    const reading = (line0: string): DocumentReading => {
      const mrz = parseMrzLines([line0.padEnd(44, '<').slice(0, 44), 'XP82716024FIN7112214F1108213211271<426U<<<04'])!;
      return { documentType: 'passport', numberRead: mrz.documentNumber, nameRead: null, mrz, cnId: null, seen: { kind: 'mrz_document', by: 'mrz' }, ocrConfidence: 0.9, passes: 1, ms: 1 };
    };
    expect(checkDocument(reading('P<FINVIRTANEN<<MARIAKOLIVIA<LLLLLLLLLLLLKLKL'), declared).nameMatches).toBe(true);
    // filler read as a wall of C and L where the given names should be
    expect(checkDocument(reading('P<FINVIRTANEN<<CCCCCLLLLLLLLLLLLLLLLLLLLLLL'), declared).nameMatches).toBeNull();
    // a clean name that is another person's still rejects
    expect(checkDocument(reading('P<FINSMITH<<JOHN<<<<<<<<<<<<<<<<<<<<<<<<<<<<'), declared).nameMatches).toBe(false);
  });
  it('compares Chinese names character by character, full-width and spaces folded', () => {
    expect(namesMatch('张 三丰', '张三丰')).toBe(true);
    expect(namesMatch('张三峰', '张三丰')).toBeNull();
    expect(namesMatch('李四', '张三丰')).toBe(false);
    expect(namesMatch('ＺＨＡＮＧ San', 'zhang san')).toBe(true);
  });
});

describe('checkDocument', () => {
  const mrzReading = (lines: string[]): DocumentReading => {
    const mrz = parseMrzLines(lines)!;
    return { documentType: 'passport', numberRead: mrz.documentNumber, nameRead: `${mrz.surname} ${mrz.givenNames}`, mrz, cnId: null, seen: { kind: 'mrz_document', by: 'mrz' }, ocrConfidence: 0.9, passes: 1, ms: 1 };
  };
  it('passes the declared passport', () => {
    const e = checkDocument(mrzReading(TD3), { fullName: 'Anna Maria ERIKSSON', documentType: 'passport', documentNumber: 'l898902c3' });
    expect(e).toMatchObject({ checksumValid: true, numberMatches: true, nameMatches: true, declaredNumber: 'L898902C3', failedChecks: [] });
  });
  it('matches the name when OCR added a character to the passport header', () => {
    const reading = mrzReading(['PS<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<', TD3[1]]);
    expect(checkDocument(reading, { fullName: 'Anna Maria Eriksson', documentType: 'passport', documentNumber: 'L898902C3' }).nameMatches).toBe(true);
    expect(checkDocument(reading, { fullName: 'Maria Svensson', documentType: 'passport', documentNumber: 'L898902C3' }).nameMatches).toBe(false);
  });
  it('rejects another number when the zone checks out', () => {
    const e = checkDocument(mrzReading(TD3), { fullName: 'Anna Maria Eriksson', documentType: 'passport', documentNumber: 'L898902C4' });
    expect(e.numberMatches).toBe(false);
  });
  it('says unreadable, not mismatch, when nothing was read', () => {
    const e = checkDocument({ documentType: 'passport', numberRead: null, nameRead: null, mrz: null, cnId: null, seen: null, ocrConfidence: null, passes: 2, ms: 1 },
      { fullName: 'A B', documentType: 'passport', documentNumber: 'X1' });
    expect(e).toMatchObject({ numberRead: null, checksumValid: null, numberMatches: null, nameMatches: null });
  });
});
