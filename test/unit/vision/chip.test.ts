// The aligned chip puts the eyes where the descriptor expects them, level, whether the face is
// larger than the chip (sampled from the photo) or smaller (enlarged): a photo drawn with two dark
// eyes on a tilted line, the mesh's eye rings and upper lip placed on them.
import { describe, expect, it } from 'vitest';
import { CHIP_PX, EYE_GAP, EYE_Y, chipGeometry, cutChip, cutSquareChip, dlibSquare, mirrorChip, type RawImage } from '../../../src/vision/chip.js';
import type { Point } from '../../../src/vision/types.js';

const RIGHT_EYE = [33, 133, 159, 145, 160, 158, 144, 153];
const LEFT_EYE = [263, 362, 386, 374, 387, 385, 373, 380];

/** A light photo with two dark discs `gap` apart around (cx, cy), the eye line turned `tiltDeg` clockwise. */
function face(width: number, height: number, cx: number, cy: number, gap: number, tiltDeg: number) {
  const t = (tiltDeg * Math.PI) / 180;
  const right = { x: cx - (Math.cos(t) * gap) / 2, y: cy - (Math.sin(t) * gap) / 2 };
  const left = { x: cx + (Math.cos(t) * gap) / 2, y: cy + (Math.sin(t) * gap) / 2 };
  const radius = gap / 8;
  const pixels = new Uint8Array(width * height * 3).fill(220);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      // pixel (x, y) covers [x, x + 1): its centre is x + 0.5, as the mesh counts
      const inEye = [right, left].some((e) => Math.hypot(x + 0.5 - e.x, y + 0.5 - e.y) < radius);
      if (inEye) pixels.fill(20, (y * width + x) * 3, (y * width + x) * 3 + 3);
    }
  }
  // the upper lip below the eyes, across the eye line, where the chip template expects it
  const down = gap * (0.37 / EYE_GAP);
  const lip = { x: cx - Math.sin(t) * down, y: cy + Math.cos(t) * down };
  const mesh: Point[] = Array.from({ length: 468 }, () => ({ x: cx, y: cy }));
  for (const i of RIGHT_EYE) mesh[i] = right;
  for (const i of LEFT_EYE) mesh[i] = left;
  mesh[0] = lip;
  return { image: { pixels, width, height } satisfies RawImage, mesh };
}

/** Centroids of the dark pixels in the chip's left and right halves, chip pixel centres at i + 0.5. */
function darkCentroids(chip: Float32Array) {
  const sums = [{ x: 0, y: 0, n: 0 }, { x: 0, y: 0, n: 0 }];
  for (let y = 0; y < CHIP_PX; y++) {
    for (let x = 0; x < CHIP_PX; x++) {
      const i = (y * CHIP_PX + x) * 3;
      if (chip[i] + chip[i + 1] + chip[i + 2] > 3 * 120) continue;
      const s = sums[x < CHIP_PX / 2 ? 0 : 1];
      s.x += x + 0.5;
      s.y += y + 0.5;
      s.n++;
    }
  }
  return sums.map((s) => ({ x: s.x / s.n, y: s.y / s.n, n: s.n }));
}

describe('face chip', () => {
  for (const [name, gap, tilt] of [
    ['a face larger than the chip, tilted clockwise', 200, 12],
    ['a face larger than the chip, tilted the other way', 180, -20],
    ['a small face, enlarged', 40, 12],
  ] as const) {
    it(`levels the eyes and puts them at the template's places: ${name}`, async () => {
      const { image, mesh } = face(1100, 1000, 530.3, 410.7, gap, tilt);
      const g = chipGeometry(mesh);
      expect(g.tiltDeg).toBeCloseTo(tilt, 6);
      const chip = await cutChip(image, g);
      expect(chip).toHaveLength(CHIP_PX * CHIP_PX * 3);
      const [right, left] = darkCentroids(chip);
      expect(right.n).toBeGreaterThan(10);
      expect(left.n).toBeGreaterThan(10);
      const tolerance = 1.5; // chip pixels
      expect(Math.abs(right.y - left.y)).toBeLessThan(tolerance);
      expect(Math.abs((right.y + left.y) / 2 - EYE_Y * CHIP_PX)).toBeLessThan(tolerance);
      expect(Math.abs(right.x - (0.5 - EYE_GAP / 2) * CHIP_PX)).toBeLessThan(tolerance);
      expect(Math.abs(left.x - (0.5 + EYE_GAP / 2) * CHIP_PX)).toBeLessThan(tolerance);
    });
  }

  it('fills what lies outside the photo with black and refuses a chip wholly outside it', async () => {
    const { image, mesh } = face(900, 700, 120, 90, 200, 0);
    const chip = await cutChip(image, chipGeometry(mesh));
    // the chip reaches past the photo's top-left corner: its first pixel is black, a mid-cheek one light
    expect(Array.from(chip.subarray(0, 3))).toEqual([0, 0, 0]);
    const cheek = ((CHIP_PX * 0.6) * CHIP_PX + CHIP_PX / 2) * 3;
    expect(chip[Math.round(cheek)]).toBeGreaterThan(200);
    const far = chipGeometry(mesh.map((p) => ({ x: p.x + 5000, y: p.y })));
    await expect(cutChip(image, far)).rejects.toThrow(/outside the photo/);
  });

  it('frames the chip as face-api does: the eyes-and-mouth centroid at 0.5 across and 0.43 down, eye-to-mouth 0.45 of the side', () => {
    // eyes 60 px apart, mouth 70 px below their midpoint: eye-to-mouth distance sqrt(30² + 70²)
    const { image } = face(600, 600, 300.5, 250.5, 60, 0);
    const points = { right: { x: 270.5, y: 250.5 }, left: { x: 330.5, y: 250.5 }, mouth: { x: 300.5, y: 320.5 } };
    const sq = dlibSquare(points, false);
    expect(sq.angle).toBe(0);
    expect(sq.side).toBeCloseTo(Math.hypot(30, 70) / 0.45, 9);
    const ref = { x: 300.5, y: (250.5 * 2 + 320.5) / 3 };
    // the sampler puts pixel i at coordinate i, the landmarks at i + 0.5
    expect(sq.cx + 0.5 - sq.side / 2 + 0.5 * sq.side).toBeCloseTo(ref.x, 9);
    expect(sq.cy + 0.5 - sq.side / 2 + 0.43 * sq.side).toBeCloseTo(ref.y, 9);
    const [right, left] = darkCentroids(cutSquareChip(image, sq));
    const k = CHIP_PX / sq.side;
    // the eyes land where that box puts them, level and symmetric about the chip's centre
    expect(Math.abs(right.y - left.y)).toBeLessThan(1);
    expect(Math.abs(right.y - (0.43 * sq.side - 70 / 3) * k)).toBeLessThan(1.5);
    expect(Math.abs((right.x + left.x) / 2 - CHIP_PX / 2)).toBeLessThan(1);
    // turned level, a tilted eye line comes out level too
    const t = (15 * Math.PI) / 180;
    const tilted = dlibSquare({ right: points.right, left: { x: 270.5 + 60 * Math.cos(t), y: 250.5 + 60 * Math.sin(t) }, mouth: points.mouth }, true);
    expect(tilted.angle).toBeCloseTo(t, 9);
  });

  it('mirrors a chip left to right', () => {
    const chip = new Float32Array(CHIP_PX * CHIP_PX * 3);
    chip.set([1, 2, 3], 0);
    const m = mirrorChip(chip);
    expect(Array.from(m.subarray((CHIP_PX - 1) * 3, CHIP_PX * 3))).toEqual([1, 2, 3]);
    expect(Array.from(mirrorChip(m))).toEqual(Array.from(chip));
  });
});
