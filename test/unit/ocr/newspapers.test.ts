import { describe, expect, it } from 'vitest';
import { allNewspapers, newspapersFor } from '../../../src/ocr/index.js';
import { CN_PROVINCES } from '../../../src/ocr/regions.js';

describe('newspapersFor', () => {
  it('names Zhejiang Daily for Zhejiang and Beijing Daily for Beijing', () => {
    expect(newspapersFor('CN-ZJ').map((n) => n.name['zh-CN'])).toContain('浙江日报');
    expect(newspapersFor('CN-BJ').map((n) => n.name['zh-CN'])).toContain('北京日报');
  });

  it('has a local paper for every province-level region of China, with a Chinese masthead', () => {
    for (const { iso } of Object.values(CN_PROVINCES)) {
      const papers = newspapersFor(iso);
      expect(papers.length, iso).toBeGreaterThan(0);
      expect(papers.every((n) => n.regions.includes(iso)), iso).toBe(true);
      expect(papers.some((n) => n.mastheads.some((m) => /[\u4e00-\u9fff]/.test(m))), iso).toBe(true);
    }
  });

  it('accepts lower case and numeric GB/T 2260 codes', () => {
    expect(newspapersFor('cn-zj')).toEqual(newspapersFor('CN-ZJ'));
    expect(newspapersFor('CN-33')).toEqual(newspapersFor('CN-ZJ'));
  });

  it('falls back to the country, then to a non-empty default', () => {
    expect(newspapersFor('CN-XX').map((n) => n.id)).toContain('cn-peoples-daily');
    expect(newspapersFor('CN').map((n) => n.id)).toContain('cn-peoples-daily');
    expect(newspapersFor('US-TX').map((n) => n.id)).toContain('us-new-york-times');
    expect(newspapersFor('ZZ').length).toBeGreaterThan(0);
    expect(newspapersFor('').length).toBeGreaterThan(0);
  });

  it('covers other countries and territories', () => {
    for (const c of ['US', 'GB', 'HK', 'TW', 'MO', 'SG', 'DE', 'FR', 'JP']) {
      expect(newspapersFor(c).every((n) => n.regions.includes(c)), c).toBe(true);
    }
  });

  it('gives every paper a unique id, both names, and at least one masthead', () => {
    const ids = allNewspapers().map((n) => n.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const n of allNewspapers()) {
      expect(n.name.en && n.name['zh-CN'] && n.mastheads.length > 0, n.id).toBeTruthy();
    }
  });
});
