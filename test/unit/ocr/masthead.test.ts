import { describe, expect, it } from 'vitest';
import { newspaperById } from '../../../src/ocr/newspapers.js';
import { matchMasthead, normaliseTitle, substringDistance } from '../../../src/ocr/masthead.js';

const paper = (id: string) => {
  const n = newspaperById(id);
  if (!n) throw new Error(`no paper ${id}`);
  return n;
};

describe('substringDistance', () => {
  it.each([
    ['ABC', 'XXABCXX', 0],
    ['ABC', 'XXABXX', 1],
    ['浙江日报', '今天淀江日报第1版', 1],
    ['ABCD', '', 4],
  ] as const)('%s in %s: %i', (p, t, d) => {
    expect(substringDistance(p, t).distance).toBe(d);
  });
});

describe('matchMasthead', () => {
  it('finds a title through OCR spaces, case and punctuation', () => {
    const m = matchMasthead('  the New-York  times \n SUNDAY, NOVEMBER 22, 2026', paper('us-new-york-times'));
    expect(m.found).toBe(true);
    expect(m.similarity).toBe(1);
  });

  it('forgives one misread character in a Chinese title', () => {
    const m = matchMasthead('淀 江 日 报\n2026年11月22日', paper('cn-zj-zhejiang-daily'));
    expect(m).toMatchObject({ found: true, text: '淀江日报', similarity: 0.75 });
  });

  it('finds the pinyin title when the Chinese one is unreadable', () => {
    expect(matchMasthead('#@% ZHEJIANG RIBA0', paper('cn-zj-zhejiang-daily')).found).toBe(true);
  });

  it('says no when the page shows another paper one character away', () => {
    const m = matchMasthead('湖北日报\n2026年11月22日', paper('cn-he-hebei-daily'));
    expect(m.found).toBe(false);
    expect(m.rival).toBe('cn-hb-hubei-daily');
  });

  it('cannot tell when the misread character is the one that tells two papers apart', () => {
    expect(matchMasthead('汌北日报', paper('cn-he-hebei-daily')).found).toBeNull();
  });

  it('says no when the title is absent, and cannot tell when there is no text', () => {
    expect(matchMasthead('City council approves new budget', paper('gb-the-guardian')).found).toBe(false);
    expect(matchMasthead('  \n ', paper('gb-the-guardian')).found).toBeNull();
  });

  it('normalises titles to letters, digits and CJK', () => {
    expect(normaliseTitle('Süddeutsche Zeitung')).toBe('SUDDEUTSCHEZEITUNG');
    expect(normaliseTitle('聯合報 · United')).toBe('聯合報UNITED');
  });
});
