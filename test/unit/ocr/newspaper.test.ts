// Reading newspapers with the real OCR engine: two public-domain front pages and rendered pages
// photographed as a phone would, or held below a real person's face. The photo is read in bands from
// the top (or from the face down) until the title and a date are found.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOcr, dateWindow, newspaperById, readNewspaper, type Newspaper, type Ocr } from '../../../src/ocr/index.js';
import { bands } from '../../../src/ocr/newspaper.js';
import { newspaperPhoto } from '../../support/compose.js';
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

describe('bands', () => {
  it('cover the photo from top to bottom, each overlapping the next', () => {
    const b = bands(1080, 1440, 0.3, 0.2);
    expect(b[0]).toEqual({ x: 0, y: 0, width: 1080, height: 432 });
    expect(b.at(-1)!.y + b.at(-1)!.height).toBe(1440);
    for (let i = 1; i < b.length; i++) {
      expect(b[i].y).toBeGreaterThan(b[i - 1].y);
      // the overlap holds a title line and the dateline under it
      expect(b[i - 1].y + b[i - 1].height - b[i].y).toBeGreaterThanOrEqual(144);
    }
  });

  it('start from the face down when the face is known, the bands above it last', () => {
    const face = { x: 300, y: 200, width: 300, height: 400 };
    const b = bands(1000, 1300, 0.3, 0.2, face);
    expect(b[0].y + b[0].height).toBeGreaterThan(face.y + face.height / 2);
    expect(b[0].y).toBeLessThanOrEqual(face.y + face.height);
    expect(b.at(-1)!.y).toBe(0);
    expect(new Set(b.map((x) => x.y)).size).toBe(bands(1000, 1300, 0.3, 0.2).length);
  });
});

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

describe.skipIf(!haveFixtures)('a page held below a real face', () => {
  it('reads it with the face box and without', async () => {
    const person = readFileSync(fixture('faces/human/stock-emotions-a-7.jpg'));
    const photo = await newspaperPhoto(person, { masthead: 'The Guardian', dateLine: 'Monday 23 November 2026', script: 'en' });
    const { sharp } = await import('./pages.js');
    const { width = 0, height = 0 } = await sharp(photo).metadata();
    // where compose.ts puts the face when it is not told
    const face = { x: width * 0.33, y: height * 0.15, width: width * 0.34, height: height * 0.33 };
    const expected = { newspaper: paper('gb-the-guardian'), window: dateWindow('2026-11-23', 1) };
    for (const hint of [{}, { face }]) {
      const r = await readNewspaper(ocr, photo, expected, {}, hint);
      expect(r).toMatchObject({ mastheadFound: true, dateRead: '2026-11-23' });
    }
  }, 120_000);
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
