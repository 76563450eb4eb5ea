import { describe, expect, it } from 'vitest';
import { cnResidentIdCheck, cnResidentIdCheckChar, findCnResidentIds } from '../../../src/ocr/cn-id.js';
import { cnNameFrom } from '../../../src/ocr/document.js';

const TODAY = '2026-11-22';

describe('cnResidentIdCheck', () => {
  // the worked examples printed in GB 11643-1999
  it('accepts the standard example, and refuses the other only for its 1880 birth year', () => {
    expect(cnResidentIdCheck('11010519491231002X', TODAY).valid).toBe(true);
    const old = cnResidentIdCheck('440524188001010014', TODAY);
    expect(old.checksumValid).toBe(true);
    expect(old.reasons).toEqual(['birth_date_invalid']);
  });

  it('reads the birth date, region and sex of the standard example', () => {
    expect(cnResidentIdCheck('11010519491231002X', TODAY)).toEqual({
      valid: true,
      number: '11010519491231002X',
      checksumValid: true,
      birthDate: '1949-12-31',
      regionValid: true,
      sex: 'female',
      reasons: [],
    });
  });

  it('computes the MOD 11-2 check character', () => {
    expect(cnResidentIdCheckChar('11010519491231002')).toBe('X');
    expect(cnResidentIdCheckChar('44052418800101001')).toBe('4');
  });

  it('normalises lower-case x, full-width digits and spaces', () => {
    expect(cnResidentIdCheck('110105 19491231 002x', TODAY).valid).toBe(true);
    expect(cnResidentIdCheck('１１０１０５１９４９１２３１００２Ｘ', TODAY).valid).toBe(true);
  });

  it.each([
    ['110105194912310021', ['checksum']],
    ['11010519491231002', ['format']],
    ['1101051949123100200', ['format']],
    ['11010519491231X02X', ['format']],
    ['', ['format']],
  ] as const)('rejects %s: %j', (n, reasons) => {
    const r = cnResidentIdCheck(n, TODAY);
    expect(r.valid).toBe(false);
    expect(r.reasons).toEqual(reasons);
  });

  const withCheck = (first17: string) => first17 + cnResidentIdCheckChar(first17);
  it('rejects an impossible birth date even with a right check character', () => {
    const r = cnResidentIdCheck(withCheck('11010519490230002'), TODAY);
    expect(r.checksumValid).toBe(true);
    expect(r.reasons).toEqual(['birth_date_invalid']);
  });
  it('rejects a birth date after today', () => {
    expect(cnResidentIdCheck(withCheck('11010520261123002'), TODAY).reasons).toEqual(['birth_date_future']);
    expect(cnResidentIdCheck(withCheck('11010520261122002'), TODAY).valid).toBe(true);
  });
  it('rejects a region that is no province', () => {
    for (const prefix of ['00', '10', '19', '30', '71', '99']) {
      const r = cnResidentIdCheck(withCheck(`${prefix}010519491231002`), TODAY);
      expect(r.regionValid, prefix).toBe(false);
      expect(r.reasons, prefix).toEqual(['region_unknown']);
    }
  });
  it('accepts Hong Kong, Macao and Taiwan residence permits', () => {
    for (const prefix of ['81', '82', '83']) expect(cnResidentIdCheck(withCheck(`${prefix}000019900101001`), TODAY).valid).toBe(true);
  });
  it('catches every single-digit misread of a valid number', () => {
    const good = '11010519491231002X';
    for (let i = 0; i < 17; i++) {
      for (const d of '0123456789') {
        if (d === good[i]) continue;
        const bad = good.slice(0, i) + d + good.slice(i + 1);
        expect(cnResidentIdCheck(bad, TODAY).checksumValid, bad).toBe(false);
      }
    }
  });
});

describe('findCnResidentIds', () => {
  it('finds the number in card text, across OCR spaces', () => {
    expect(findCnResidentIds('公民身份号码 1101 0519 4912 3100 2X\n')).toEqual(['11010519491231002X']);
    expect(findCnResidentIds('号码１１０１０５１９４９１２３１００２ｘ')).toEqual(['11010519491231002X']);
    expect(findCnResidentIds('phone 13800138000')).toEqual([]);
  });
});

describe('cnNameFrom', () => {
  it.each([
    ['姓 名 张三丰\n性 别 男 民 族 汉', '张三丰'],
    ['姓名：欧阳娜娜 性别 女', '欧阳娜娜'],
    ['张三丰\n男   民族 “汉\n1990 年3月7日', '张三丰'],
    ['中华人民共和国\n阿依古丽·买买提\n女 民族 维吾尔', '阿依古丽·买买提'],
    ['1990 年3月7日\n浙江省杭州市', null],
  ] as const)('%j → %s', (text, name) => {
    expect(cnNameFrom(text)).toBe(name);
  });
});
