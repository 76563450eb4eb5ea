// Pure geometry of the vision module: tiles for the small-face search, descriptor similarity, head angles.
import { describe, expect, it } from 'vitest';
import { overlap, tileGrid } from '../../../src/vision/tiles.js';
import { faceSimilarity, l2normalize } from '../../../src/vision/match.js';
import { toHeadAngles, mouthOpenness } from '../../../src/vision/normalize.js';

describe('small-face tiles', () => {
  it('cover the whole photo with half-overlapping squares inside it', () => {
    const tiles = tileGrid(600, 368, 200);
    for (const t of tiles) {
      expect(t.left + t.side).toBeLessThanOrEqual(600);
      expect(t.top + t.side).toBeLessThanOrEqual(368);
    }
    for (const [x, y] of [[0, 0], [599, 367], [300, 184], [599, 0]]) {
      expect(tiles.some((t) => x >= t.left && x < t.left + t.side && y >= t.top && y < t.top + t.side)).toBe(true);
    }
    expect(new Set(tiles.map((t) => `${t.left},${t.top}`)).size).toBe(tiles.length);
  });

  it('a face box inside another counts as the same face', () => {
    expect(overlap([0, 0, 100, 100], [10, 10, 20, 20])).toBe(1);
    expect(overlap([0, 0, 100, 100], [200, 0, 20, 20])).toBe(0);
    expect(overlap([0, 0, 100, 100], [50, 0, 100, 100])).toBeCloseTo(0.5);
  });
});

describe('face similarity', () => {
  it('is 1 for the same descriptor, symmetric, and refuses descriptors of different matchers', () => {
    const a = l2normalize([1, 2, 3, 4]);
    const b = l2normalize([4, 3, 2, 1]);
    expect(faceSimilarity(a, a)).toBeCloseTo(1, 10);
    expect(faceSimilarity(a, b)).toBeCloseTo(faceSimilarity(b, a), 12);
    expect(faceSimilarity(a, b)).toBeLessThan(1);
    expect(faceSimilarity(a, l2normalize([-1, -2, -3, -4]))).toBe(0);
    expect(() => faceSimilarity(a, [1, 2])).toThrow(/different/);
  });

  it('is the cosine for unit vectors and falls with the Euclidean distance of raw descriptors', () => {
    const a = l2normalize([1, 2, 3, 4]);
    const b = l2normalize([4, 3, 2, 1]);
    const cosine = a.reduce((s, x, i) => s + x * b[i], 0);
    expect(faceSimilarity(a, b)).toBeCloseTo(cosine, 12);
    // raw descriptors of different lengths: only the distance between them counts
    const raw = [1.2, 0.5, -0.3];
    const at = (d: number) => [raw[0] + d, raw[1], raw[2]];
    expect(faceSimilarity(raw, at(0.6))).toBeCloseTo(0.82, 12);
    expect(faceSimilarity(raw, at(0.3))).toBeGreaterThan(faceSimilarity(raw, at(0.6)));
    expect(faceSimilarity(raw, at(3))).toBe(0);
  });
});

describe('head angles', () => {
  it('turns radians into degrees with the project signs (yaw and pitch flipped from Human)', () => {
    const deg = toHeadAngles({ yaw: 0.2, pitch: -0.1, roll: 0.3 });
    expect(deg.yaw).toBeCloseTo(-11.5, 1);
    expect(deg.pitch).toBeCloseTo(5.7, 1);
    expect(deg.roll).toBeCloseTo(17.2, 1);
    expect(toHeadAngles(null)).toEqual({ yaw: 0, pitch: 0, roll: 0 });
  });

  it('measures mouth opening as lip gap over mouth width', () => {
    const mesh: [number, number][] = Array.from({ length: 468 }, () => [0, 0]);
    mesh[61] = [0, 50];
    mesh[291] = [40, 50];
    mesh[13] = [20, 45];
    mesh[14] = [20, 65];
    expect(mouthOpenness(mesh)).toBeCloseTo(0.5);
  });
});
