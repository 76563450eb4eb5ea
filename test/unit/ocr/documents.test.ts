// Reading real MRZ specimens and rendered Chinese resident ID cards with the real OCR engine.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkDocument, cnResidentIdCheckChar, createOcr, readDocument, type Ocr } from '../../../src/ocr/index.js';
import { fixture, haveFixtures } from '../../support/fixtures.js';
import { MRZ_MAX_REPAIRS } from '../../../src/ocr/mrz.js';
import { photographPage, renderCnIdCard, sharp } from './pages.js';

let ocr: Ocr;
beforeAll(async () => {
  ocr = await createOcr();
});
afterAll(async () => {
  await ocr?.close();
});

/** A specimen number for a Hangzhou man born 1990-03-07, with its check character computed. */
const SPECIMEN_17 = '33010619900307001';
const SPECIMEN = SPECIMEN_17 + cnResidentIdCheckChar(SPECIMEN_17);

describe('Chinese resident ID card', () => {
  it('reads the number and name of a photographed specimen card, and they check out', async () => {
    const portrait = haveFixtures ? readFileSync(fixture('faces/human/person-vlado.jpg')) : undefined;
    const card = await renderCnIdCard({ name: '张三丰', sex: '男', birth: { y: 1990, m: 3, d: 7 }, address: '浙江省杭州市西湖区文三路100号', number: SPECIMEN, portrait });
    const photo = await photographPage(card, { pageScale: 0.9, rotation: 1.5, shear: 0.01, blur: 0.6, shadow: 0.25, jpegQuality: 65 }, 3);
    const reading = await readDocument(ocr, photo, 'cn_resident_id', '2026-11-22');
    expect(reading.numberRead).toBe(SPECIMEN);
    expect(reading.cnId).toMatchObject({ valid: true, birthDate: '1990-03-07', sex: 'male' });
    expect(reading.nameRead).toBe('张三丰');
    const evidence = checkDocument(reading, { fullName: '张三丰', documentType: 'cn_resident_id', documentNumber: SPECIMEN.toLowerCase() });
    expect(evidence).toMatchObject({ checksumValid: true, consistent: true, numberMatches: true, nameMatches: true });
    const other = checkDocument(reading, { fullName: '李四', documentType: 'cn_resident_id', documentNumber: '11010519491231002X' });
    expect(other).toMatchObject({ numberMatches: false, nameMatches: false });
  });
});

describe.skipIf(!haveFixtures)('MRZ specimens', () => {
  it('reads the ICAO passport specimen and every check digit holds', async () => {
    const reading = await readDocument(ocr, readFileSync(fixture('id_documents/PassportEye/passport-td3.jpg')), 'passport');
    expect(reading.mrz).toMatchObject({ format: 'TD3', checksValid: true, documentNumber: 'L898902C3', birthDate: '740812' });
    const evidence = checkDocument(reading, { fullName: 'Anna Maria Eriksson', documentType: 'passport', documentNumber: 'L898902C3' });
    expect(evidence).toMatchObject({ checksumValid: true, numberMatches: true, nameMatches: true, failedChecks: [] });
  });

  it('reads a Chinese-issued passport specimen', async () => {
    const reading = await readDocument(ocr, readFileSync(fixture('id_documents/PassportEye/100_pass-chn.jpg')), 'passport');
    expect(reading.mrz?.checksValid).toBe(true);
    expect(checkDocument(reading, { fullName: 'LIN Mei Hua', documentType: 'passport', documentNumber: reading.numberRead ?? '' }).nameMatches).toBe(true);
  });

  it('does not pass the zone of a card that breaks the ICAO check digits', async () => {
    // the Cameroon card's two 36-character lines do not follow ICAO 9303 check digits
    const reading = await readDocument(ocr, readFileSync(fixture('id_documents/webank-UserApp/BackId.png')), 'id_card');
    expect(reading.mrz).not.toBeNull();
    expect(reading.mrz!.lines.join('\n')).toMatch(/IDCAMLAWRENCE<NSANYI/);
    expect(reading.mrz!.checksValid).toBe(false);
    // OCR cannot tell a broken check digit from a misread one: unreadable (review), never valid
    const evidence = checkDocument(reading, { fullName: 'Lawrence Nsanyi', documentType: 'id_card', documentNumber: '880908184' });
    expect(evidence.checksumValid).toBeNull();
    expect(evidence.numberMatches).not.toBe(true);
    expect(evidence.seen).toEqual({ kind: 'mrz_document', by: 'mrz' });
  });

  it('never reports a zone valid whose check digits held only after repairs', async () => {
    // The Taiwan passport's M00000426 reads as MO0O00426 and the search finds lines on which every
    // check digit holds, five characters away from what OCR read: a guess, not a reading
    const reading = await readDocument(ocr, readFileSync(fixture('id_documents/PassportEye/43_pass-twn.jpg')), 'passport');
    expect(reading.mrz?.repairs).toBeGreaterThan(MRZ_MAX_REPAIRS);
    expect(reading.numberRead).toBeNull();
    const evidence = checkDocument(reading, { fullName: 'Lin Chien Sheng', documentType: 'passport', documentNumber: 'M00000426' });
    expect(evidence.checksumValid).not.toBe(true);
    expect(evidence.numberMatches).not.toBe(false);
    expect(evidence.nameMatches).not.toBe(false);
  });

  it('finds no MRZ on a page without one', async () => {
    const blank = await sharp({ create: { width: 600, height: 400, channels: 3, background: '#eeeeee' } }).png().toBuffer();
    const reading = await readDocument(ocr, blank, 'passport');
    expect(reading).toMatchObject({ numberRead: null, mrz: null });
    expect(checkDocument(reading, { fullName: 'A B', documentType: 'passport', documentNumber: 'X' }).numberMatches).toBeNull();
  });
});
