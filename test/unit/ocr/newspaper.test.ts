// Reading newspapers with the real OCR engine: two public-domain front pages and rendered pages
// photographed as a phone would. A dense front page takes up to three full OCR passes.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOcr, dateWindow, newspaperById, readNewspaper, type Newspaper, type Ocr } from '../../../src/ocr/index.js';
import { fixture, haveFixtures } from '../../support/fixtures.js';
import { photographPage, renderNewspaperPage } from './pages.js';

let ocr: Ocr;
beforeAll(async () => {
  ocr = await createOcr();
});
afterAll(async () => {
  await ocr?.close();
});

const paper = (id: string): Newspaper => {
  const n = newspaperById(id);
  if (!n) throw new Error(`no paper ${id}`);
  return n;
};
const phone = { pageScale: 0.8, rotation: -2.5, shear: 0.02, blur: 0.9, shadow: 0.3, jpegQuality: 60 };

describe('rendered front pages, photographed', () => {
  it("accepts today's Zhejiang Daily: masthead found, date read", async () => {
    const page = await renderNewspaperPage({ masthead: '浙江日报', dateLine: '2026年11月22日 星期日 农历十月初三 第25612期', script: 'zh' });
    const r = await readNewspaper(ocr, await photographPage(page, phone, 11), { newspaper: paper('cn-zj-zhejiang-daily'), window: dateWindow('2026-11-22') });
    expect(r).toMatchObject({ mastheadFound: true, dateRead: '2026-11-22' });
    expect(r.dateText).toMatch(/2026\s*年\s*11\s*月\s*22\s*日/);
    expect(r.ocrConfidence).toBeGreaterThan(0.5);
  });

  it('reads an English dateline and reports a stale paper with its real date', async () => {
    const page = await renderNewspaperPage({ masthead: 'The Guardian', dateLine: 'Friday 20 November 2026', script: 'en' });
    const r = await readNewspaper(ocr, await photographPage(page, { ...phone, rotation: 2 }, 12), { newspaper: paper('gb-the-guardian'), window: dateWindow('2026-11-22', 1) });
    expect(r.mastheadFound).toBe(true);
    // two days old: read right, and outside the window, so the decision can reject it
    expect(r.dateRead).toBe('2026-11-20');
  });

  it('says the masthead is not there when the seller holds another paper', async () => {
    const page = await renderNewspaperPage({ masthead: '湖北日报', dateLine: '2026年11月22日 星期日', script: 'zh' });
    const r = await readNewspaper(ocr, await photographPage(page, phone, 13), { newspaper: paper('cn-he-hebei-daily'), window: dateWindow('2026-11-22') });
    expect(r.mastheadFound).toBe(false);
    expect(r.dateRead).toBe('2026-11-22');
  });
});

describe.skipIf(!haveFixtures)('public-domain front pages', () => {
  it('finds the New York Times masthead of 11 November 1918 and never a wrong date', async () => {
    const r = await readNewspaper(ocr, readFileSync(fixture('newspapers/NET3010_25W/NYTimes-Page1-11-11-1918.jpg')), {
      newspaper: paper('us-new-york-times'),
      window: { from: '1918-11-11', to: '1918-11-11' },
    });
    expect(r.mastheadFound).toBe(true);
    // the dateline of this 640-pixel scan is a few pixels high: unreadable is the honest answer
    expect([null, '1918-11-11']).toContain(r.dateRead);
  }, 180_000);

  it('reads the Port Gibson Reveille of 3 March 1921', async () => {
    const reveille: Newspaper = { id: 'us-ms-port-gibson-reveille', name: { en: 'Port Gibson Reveille', 'zh-CN': '吉布森港号角报' }, mastheads: ['PORT GIBSON REVEILLE'], regions: ['US-MS'] };
    const r = await readNewspaper(ocr, readFileSync(fixture('newspapers/Newspaper-Navigator-API/newspaper_issue.png')), {
      newspaper: reveille,
      window: { from: '1921-03-03', to: '1921-03-03' },
    });
    expect(r.mastheadFound).toBe(true);
    // the page also prints "Re-Established Feb. 2, 1876": the date in the window wins
    expect(r.dateRead).toBe('1921-03-03');
    expect(r.datesRead.map((d) => d.iso)).toContain('1876-02-02');
  }, 180_000);
});
