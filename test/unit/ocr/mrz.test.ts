import { describe, expect, it } from 'vitest';
import { cleanMrzLine, findMrz, lineVariants, parseMrzLines, repairDocumentNumber } from '../../../src/ocr/mrz.js';
import { checkDocument, mrzNameMatches, namesMatch, type DocumentReading } from '../../../src/ocr/document.js';

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
    return { documentType: 'passport', numberRead: mrz.documentNumber, nameRead: `${mrz.surname} ${mrz.givenNames}`, mrz, cnId: null, ocrConfidence: 0.9, passes: 1, ms: 1 };
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
    const e = checkDocument({ documentType: 'passport', numberRead: null, nameRead: null, mrz: null, cnId: null, ocrConfidence: null, passes: 2, ms: 1 },
      { fullName: 'A B', documentType: 'passport', documentNumber: 'X1' });
    expect(e).toMatchObject({ numberRead: null, checksumValid: null, numberMatches: null, nameMatches: null });
  });
});
