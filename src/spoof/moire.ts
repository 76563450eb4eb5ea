// Periodic high-frequency energy: a screen's pixel grid sampled by a camera (moiré) and a print's
// halftone dots both put sharp, isolated peaks in the spectrum of a photo; skin, hair and rooms
// spread their energy smoothly. The score is how far the sharpest peak stands above its neighbours.
import sharp from 'sharp';
import { powerSpectrum } from './fft.js';

/** Tile side: 128 fits the smallest photos the service accepts and resolves periods of 2..20 px. */
export const TILE = 128;
/** Photos larger than this on their long side are analysed downscaled, to bound the work. */
const MAX_SIDE = 2048;

export interface MoireMeasure {
  /** median over tiles of each tile's sharpest peak prominence (natural-log power units) */
  peak: number;
  /** prominence of each tile's sharpest peak */
  tiles: number[];
  /** period in pixels of the sharpest peak of the median tile */
  period: number | null;
}

const HANN: Float64Array = Float64Array.from({ length: TILE }, (_, i) => 0.5 - 0.5 * Math.cos((2 * Math.PI * i) / (TILE - 1)));

/**
 * Bins to ignore: near the centre (periods over 16 px are picture content, not a pixel grid or
 * halftone) and JPEG's 8-pixel block grid (every multiple of TILE/8 on either axis, ±1). The axes
 * themselves stay: a screen photographed square-on puts its peaks right beside them.
 */
const EXCLUDED: Uint8Array = (() => {
  const ex = new Uint8Array(TILE * TILE);
  const block = TILE / 8;
  const clearOfBlockGrid = (f: number) => f < block - 1 || (f % block > 1 && f % block < block - 1);
  for (let ky = 0; ky < TILE; ky++) {
    for (let kx = 0; kx < TILE; kx++) {
      const fx = Math.min(kx, TILE - kx);
      const fy = Math.min(ky, TILE - ky);
      const band = Math.hypot(fx, fy) >= TILE / 16 && fx < TILE / 2 && fy < TILE / 2;
      ex[ky * TILE + kx] = band && clearOfBlockGrid(fx) && clearOfBlockGrid(fy) ? 0 : 1;
    }
  }
  return ex;
})();

/** Sharpest-peak prominence of one tile, and that peak's period. */
export function tilePeak(grey: Float64Array): { prominence: number; period: number | null } {
  let mean = 0;
  for (let i = 0; i < grey.length; i++) mean += grey[i];
  mean /= grey.length;
  const tile = new Float64Array(TILE * TILE);
  for (let y = 0; y < TILE; y++) for (let x = 0; x < TILE; x++) tile[y * TILE + x] = (grey[y * TILE + x] - mean) * HANN[x] * HANN[y];
  const p = powerSpectrum(tile, TILE);
  const L = new Float64Array(TILE * TILE);
  for (let i = 0; i < L.length; i++) L[i] = Math.log(p[i] + 1e-6);

  let best = 0;
  let bestPeriod: number | null = null;
  const ring = new Float64Array(72);
  // Half the plane suffices: a real tile's spectrum is symmetric.
  for (let ky = 0; ky < TILE / 2; ky++) {
    for (let kx = 0; kx < TILE; kx++) {
      const i = ky * TILE + kx;
      if (EXCLUDED[i]) continue;
      const v = L[i];
      // A peak is a local maximum of its 3×3 neighbourhood; most bins fail here, cheaply.
      let isMax = true;
      for (let dy = -1; dy <= 1 && isMax; dy++) {
        const row = ((ky + dy + TILE) % TILE) * TILE;
        for (let dx = -1; dx <= 1; dx++) {
          if ((dx !== 0 || dy !== 0) && L[row + ((kx + dx + TILE) % TILE)] > v) { isMax = false; break; }
        }
      }
      if (!isMax) continue;
      let n = 0;
      for (let dy = -4; dy <= 4; dy++) {
        const row = ((ky + dy + TILE) % TILE) * TILE;
        for (let dx = -4; dx <= 4; dx++) {
          if (Math.abs(dx) > 1 || Math.abs(dy) > 1) ring[n++] = L[row + ((kx + dx + TILE) % TILE)];
        }
      }
      // The ring's median, not its mean: a straight edge's ridge through the ring must not lift it.
      ring.sort();
      const prominence = v - ring[36];
      if (prominence > best) {
        best = prominence;
        const fx = Math.min(kx, TILE - kx);
        bestPeriod = TILE / Math.hypot(fx, ky);
      }
    }
  }
  return { prominence: best, period: bestPeriod };
}

/** Measures periodic peaks over a 3×3 grid of tiles across the middle of the photo. */
export async function measureMoire(image: Uint8Array): Promise<MoireMeasure> {
  let pipeline = sharp(image).rotate().flatten({ background: '#000000' }).greyscale();
  const meta = await sharp(image).metadata();
  const long = Math.max(meta.width ?? 0, meta.height ?? 0);
  if (long > MAX_SIDE) pipeline = pipeline.resize({ width: MAX_SIDE, height: MAX_SIDE, fit: 'inside' });
  const { data, info } = await pipeline.raw().toBuffer({ resolveWithObject: true });
  const { width, height, channels } = info;
  if (width < TILE || height < TILE) return { peak: 0, tiles: [], period: null };

  const results: { prominence: number; period: number | null }[] = [];
  const grey = new Float64Array(TILE * TILE);
  for (const fy of [0.3, 0.5, 0.7]) {
    for (const fx of [0.3, 0.5, 0.7]) {
      const left = Math.min(width - TILE, Math.max(0, Math.round(fx * width - TILE / 2)));
      const top = Math.min(height - TILE, Math.max(0, Math.round(fy * height - TILE / 2)));
      for (let y = 0; y < TILE; y++) for (let x = 0; x < TILE; x++) grey[y * TILE + x] = data[((top + y) * width + left + x) * channels];
      results.push(tilePeak(grey));
    }
  }
  const sorted = [...results].sort((a, b) => a.prominence - b.prominence);
  const median = sorted[Math.floor(sorted.length / 2)];
  return { peak: median.prominence, tiles: results.map((r) => r.prominence), period: median.period };
}
