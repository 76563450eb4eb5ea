import { describe, expect, it } from 'vitest';
import { allNewspapers, newspapersFor } from '../../../src/ocr/index.js';
import { newspaperRequests } from '../../../src/ocr/newspapers.js';
import { localDateTime } from '../../../src/ocr/dates.js';
import { CN_PROVINCES, regionTimeZones } from '../../../src/ocr/regions.js';

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

describe('the edition a seller can hold at their local hour', () => {
  const zj = regionTimeZones('CN-ZJ')!;
  const at = (iso: string, region = 'CN-ZJ', zones = zj) => newspaperRequests(region, new Date(iso), zones)
    .map((r) => ({ id: r.newspaper.id, date: r.date, day: r.day, latest: r.latest }));

  it('asks for the day\'s papers, evening ones included, late in the local evening', () => {
    // 23:59 in Hangzhou
    expect(at('2026-11-22T15:59:00Z')).toEqual([
      { id: 'cn-zj-zhejiang-daily', date: '2026-11-22', day: 'today', latest: '2026-11-22' },
      { id: 'cn-zj-qianjiang-evening-news', date: '2026-11-22', day: 'today', latest: '2026-11-22' },
    ]);
  });

  it('asks for the last papers printed just after local midnight, and accepts the new day\'s', () => {
    // 00:01 in Hangzhou, still the 22nd in UTC
    expect(at('2026-11-22T16:01:00Z')).toEqual([
      { id: 'cn-zj-zhejiang-daily', date: '2026-11-22', day: 'yesterday', latest: '2026-11-23' },
      { id: 'cn-zj-qianjiang-evening-news', date: '2026-11-22', day: 'yesterday', latest: '2026-11-23' },
    ]);
  });

  it('never asks for an evening paper in the morning while a morning paper of the day is on sale', () => {
    // 07:59 and 08:01 in Hangzhou, either side of the UTC date's turn
    for (const iso of ['2026-11-22T23:59:00Z', '2026-11-23T00:01:00Z', '2026-11-23T08:59:00Z']) {
      expect(at(iso), iso).toEqual([{ id: 'cn-zj-zhejiang-daily', date: '2026-11-23', day: 'today', latest: '2026-11-23' }]);
    }
    // 17:00: 钱江晚报 is on sale
    expect(at('2026-11-23T09:00:00Z').map((r) => r.id)).toContain('cn-zj-qianjiang-evening-news');
  });

  it('asks for yesterday\'s evening paper in the morning where only evening papers are sold', () => {
    const evening = allNewspapers().filter((n) => n.id === 'cn-zj-qianjiang-evening-news');
    // 09:00 and 16:59 in Hangzhou, then 17:00
    for (const iso of ['2026-11-23T01:00:00Z', '2026-11-23T08:59:00Z']) {
      expect(newspaperRequests('CN-ZJ', new Date(iso), zj, evening).map((r) => [r.date, r.day, r.edition, r.latest]), iso)
        .toEqual([['2026-11-22', 'yesterday', 'evening', '2026-11-23']]);
    }
    expect(newspaperRequests('CN-ZJ', new Date('2026-11-23T09:00:00Z'), zj, evening).map((r) => [r.date, r.day])).toEqual([['2026-11-23', 'today']]);
  });

  it('asks for yesterday\'s paper before the morning papers are out', () => {
    // 06:59 in Hangzhou
    expect(at('2026-11-22T22:59:00Z').map((r) => [r.date, r.day])).toEqual([['2026-11-22', 'yesterday'], ['2026-11-22', 'yesterday']]);
  });

  it('asks a country spanning zones for the date its westernmost seller has reached, and accepts its easternmost\'s', () => {
    const us = regionTimeZones('US')!;
    // 09:00 in New York, 04:00 in Honolulu
    const r = at('2026-11-23T14:00:00Z', 'US', us);
    expect(new Set(r.map((x) => x.date))).toEqual(new Set(['2026-11-22']));
    expect(new Set(r.map((x) => x.latest))).toEqual(new Set(['2026-11-23']));
    // 21:00 in Honolulu, 02:00 next day in New York
    const late = at('2026-11-24T07:00:00Z', 'US', us);
    expect(new Set(late.map((x) => x.date))).toEqual(new Set(['2026-11-23']));
    expect(new Set(late.map((x) => x.latest))).toEqual(new Set(['2026-11-24']));
  });

  it('asks for a paper dated the next day by that date once it is on sale everywhere', () => {
    const paris = regionTimeZones('FR')!;
    const monde = allNewspapers().filter((n) => n.id === 'fr-le-monde').map((n) => ({ ...n, edition: 'evening' as const, datedNextDay: true }));
    // 18:00 in Paris
    expect(newspaperRequests('FR', new Date('2026-11-23T17:00:00Z'), paris, monde).map((r) => [r.date, r.day, r.latest]))
      .toEqual([['2026-11-24', 'tomorrow', '2026-11-24']]);
  });

  it('asks for Le Monde by the day\'s date: its next-day issue reaches most of France only the next morning', () => {
    const paris = regionTimeZones('FR')!;
    // 18:00 in Paris
    expect(at('2026-11-23T17:00:00Z', 'FR', paris)).toContainEqual({ id: 'fr-le-monde', date: '2026-11-23', day: 'today', latest: '2026-11-23' });
  });
});

describe('the time zone of a region', () => {
  it('is Beijing time for every mainland province, and its own for Hong Kong, Macao and Taiwan', () => {
    for (const { iso } of Object.values(CN_PROVINCES)) {
      const zone = regionTimeZones(iso)?.timeZone;
      expect(zone, iso).toBe({ 'CN-HK': 'Asia/Hong_Kong', 'CN-MO': 'Asia/Macau', 'CN-TW': 'Asia/Taipei' }[iso] ?? 'Asia/Shanghai');
    }
    expect(regionTimeZones('CN-33')?.timeZone).toBe('Asia/Shanghai');
  });

  it('is known for every region the newspaper list serves, and is a zone the runtime knows', () => {
    for (const region of new Set(allNewspapers().flatMap((n) => n.regions))) {
      const zones = regionTimeZones(region);
      expect(zones, region).not.toBeNull();
      expect(() => localDateTime(new Date(), zones!.timeZone), region).not.toThrow();
      expect(() => localDateTime(new Date(), zones!.latestTimeZone), region).not.toThrow();
    }
  });

  it('takes its country\'s for a subdivision not listed, and is unknown for a country not listed or a made-up province', () => {
    expect(regionTimeZones('US-TX')).toEqual(regionTimeZones('US'));
    expect(regionTimeZones('GB-SCT')?.timeZone).toBe('Europe/London');
    expect(regionTimeZones('BR')).toBeNull();
    expect(regionTimeZones('CN-XX')).toBeNull();
  });
});
