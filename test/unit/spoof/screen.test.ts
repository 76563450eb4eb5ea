// Screen and print signals stay quiet on genuine photos, and each measure does what it claims on
// pictures built to have, or lack, the pattern it looks for.
import { readFileSync } from 'node:fs';
import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  BORDER_EDGE_COVERAGE, BORDER_MIN_SIDES, livenessSignals, measureBorder, measureMoire, MOIRE_PEAK, screenOrPrintFromMeasures,
  screenOrPrintSignals, SCREEN_CHECK_STEP_KINDS, weakSignalScore, ANTISPOOF_REVIEW_BELOW, LIVENESS_REVIEW_BELOW,
} from '../../../src/spoof/index.js';
import { DEFAULT_POLICY } from '../../../src/decide/index.js';
import { fixture, haveFixtures } from '../../support/fixtures.js';
import { genuinePhotos, rate } from './photos.js';
import { blobs, framed, withGrid } from './pictures.js';

describe('moiré measure', () => {
  it('a fine periodic grid stands out; the same picture without it does not', async () => {
    const plain = await blobs(640, 480, 1);
    const plainPeak = (await measureMoire(plain)).peak;
    const gridded = await measureMoire(await withGrid(plain, 0.25));
    expect(plainPeak).toBeLessThan(MOIRE_PEAK);
    expect(gridded.peak).toBeGreaterThan(MOIRE_PEAK);
    expect(gridded.period).toBeGreaterThan(2.9);
    expect(gridded.period).toBeLessThan(3.7);
  });

  it('JPEG blocking alone is not moiré', async () => {
    const blocky = await sharp(await blobs(640, 480, 2)).jpeg({ quality: 15 }).toBuffer();
    expect((await measureMoire(blocky)).peak).toBeLessThan(MOIRE_PEAK);
  });

  it('a photo smaller than one tile is not measured', async () => {
    const tiny = await sharp(await blobs(640, 480, 3)).resize(100, 80).toBuffer();
    expect(await measureMoire(tiny)).toEqual({ peak: 0, tiles: [], period: null });
  });
});

describe('frame measure', () => {
  it('a bezel around the picture frames every side; the bare picture frames none', async () => {
    const plain = await blobs(640, 480, 4);
    const bare = Object.values((await measureBorder(plain)).coverage).filter((c) => c >= BORDER_EDGE_COVERAGE);
    const inFrame = Object.values((await measureBorder(await framed(plain))).coverage).filter((c) => c >= BORDER_EDGE_COVERAGE);
    expect(bare.length).toBeLessThan(BORDER_MIN_SIDES);
    expect(inFrame.length).toBe(4);
  });

  it('letterboxing (bars above and below only) raises no signal', async () => {
    const plain = await blobs(640, 360, 5);
    const letterboxed = await sharp(plain).extend({ top: 60, bottom: 60, background: '#000000' }).jpeg().toBuffer();
    const signals = await screenOrPrintSignals(letterboxed, 'selfie');
    expect(signals.filter((s) => s.code === 'screen_border')).toEqual([]);
  });

  it('signals carry the step, a score above the review level and the measured values', async () => {
    const signals = await screenOrPrintSignals(await framed(await withGrid(await blobs(640, 480, 6), 0.25)), 'g1');
    expect(signals.map((s) => s.code).sort()).toEqual(['moire', 'screen_border']);
    for (const s of signals) {
      expect(s.stepId).toBe('g1');
      expect(s.score).toBeGreaterThan(0.5);
      expect(s.score).toBeLessThanOrEqual(1);
      expect(s.detail).toMatch(/\d\.\d\d/);
    }
  });
});

describe('livenessSignals', () => {
  // [face, codes, whether any signal reaches decide's default review level]
  it.each([
    [{ real: 0.9, live: 0.95 }, [], false],
    [{ real: 0.45, live: 0.95 }, ['antispoof_low'], false],
    [{ real: 0.2, live: 0.95 }, ['antispoof_low'], true],
    [{ real: 0.9, live: 0.3 }, ['liveness_low'], false],
    [{ real: 0.9, live: 0.05 }, ['liveness_low'], true],
    [{ real: 0.49, live: 0.3 }, ['antispoof_low', 'liveness_low'], false],
    [{}, [], false],
    [{ real: Number.NaN }, [], false],
  ])('%j → %j (review: %s)', (face, codes, review) => {
    const signals = livenessSignals([face], 'selfie');
    expect(signals.map((s) => s.code)).toEqual(codes);
    expect(signals.some((s) => s.score > DEFAULT_POLICY.spoofReviewAbove)).toBe(review);
    for (const s of signals) {
      expect(s.stepId).toBe('selfie');
      expect(s.score).toBeGreaterThanOrEqual(0);
      expect(s.score).toBeLessThanOrEqual(1);
    }
  });

  it('reaches review exactly below the review levels', () => {
    expect(weakSignalScore(ANTISPOOF_REVIEW_BELOW, ANTISPOOF_REVIEW_BELOW)).toBe(0.5);
    expect(weakSignalScore(0, LIVENESS_REVIEW_BELOW)).toBe(1);
    expect(weakSignalScore(ANTISPOOF_REVIEW_BELOW + 0.01, ANTISPOOF_REVIEW_BELOW)).toBeLessThan(0.5);
  });

  it('names which face when there are several, and scores by how low', () => {
    const [a, b] = livenessSignals([{ real: 0.4 }, { real: 0.05 }], 'g2');
    expect(a.detail).toContain('face 1 of 2');
    expect(b.detail).toContain('face 2 of 2');
    expect(b.score).toBeGreaterThan(a.score);
  });
});

describe.skipIf(!haveFixtures)('genuine fixture photos raise no screen or print signal', () => {
  const measured: { photo: string; codes: string[]; peak: number; framedSides: number }[] = [];

  beforeAll(async () => {
    for (const photo of genuinePhotos()) {
      const original = readFileSync(fixture(photo));
      const meta = await sharp(original).metadata();
      // As the service stores it (re-encoded) and as a smaller camera would take it.
      const smaller = await sharp(original).resize({ width: Math.round(meta.width! * 0.75) }).jpeg({ quality: 80 }).toBuffer();
      for (const [variant, image] of [['original', original], ['75% JPEG', smaller]] as const) {
        const [moire, border] = await Promise.all([measureMoire(image), measureBorder(image)]);
        const signals = screenOrPrintFromMeasures(border, moire, 's');
        measured.push({
          photo: `${photo} (${variant})`, codes: signals.map((s) => s.code), peak: moire.peak,
          framedSides: Object.values(border.coverage).filter((c) => c >= BORDER_EDGE_COVERAGE).length,
        });
      }
    }
    const by = (code: string) => measured.filter((m) => m.codes.includes(code)).length;
    const topPeaks = [...measured].sort((x, y) => y.peak - x.peak).slice(0, 3).map((m) => `${m.photo} ${m.peak.toFixed(2)}`);
    console.log(`[spoof] genuine photos: ${measured.length}; moire ${rate(by('moire'), measured.length)}, screen_border ${rate(by('screen_border'), measured.length)}; highest peaks: ${topPeaks.join('; ')}; most framed sides: ${Math.max(...measured.map((m) => m.framedSides))}`);
  }, 170_000);

  it('false alarms stay at or below 2% for each signal', () => {
    expect(measured.length).toBeGreaterThanOrEqual(90);
    for (const code of ['moire', 'screen_border']) {
      const alarms = measured.filter((m) => m.codes.includes(code));
      expect(alarms.length / measured.length, `${code}: ${alarms.map((a) => a.photo).join(', ')}`).toBeLessThanOrEqual(0.02);
    }
  });
});

describe.skipIf(!haveFixtures)('photos that are prints by nature', () => {
  it('ID cards and newspaper pages look framed or printed, so only live steps are checked', async () => {
    const prints = [
      'id_documents/webank-UserApp/front-id.png', 'id_documents/webank-UserApp/BackId.png',
      'newspapers/NET3010_25W/NYTimes-Page1-11-11-1918.jpg', 'newspapers/Newspaper-Navigator-API/newspaper_issue.png',
    ];
    const fired: string[][] = [];
    for (const p of prints) fired.push((await screenOrPrintSignals(readFileSync(fixture(p)), 's')).map((s) => s.code));
    console.log(`[spoof] prints by nature: ${prints.map((p, i) => `${p.split('/').pop()} ${fired[i].join('+') || 'none'}`).join('; ')}`);
    expect(fired.filter((codes) => codes.length > 0).length).toBeGreaterThanOrEqual(3);
    expect(SCREEN_CHECK_STEP_KINDS).not.toContain('id_front');
    expect(SCREEN_CHECK_STEP_KINDS).not.toContain('newspaper');
  });
});
