// A frame around the picture: the bezel of a phone or monitor, or the margin of a print, shows as
// a long straight edge close to, and nearly parallel with, each side of the photo. A live scene
// rarely has one beside every side at once.
import sharp from 'sharp';

/** The photo is searched at this size on its long side: edges of a bezel survive, noise does not. */
const SIDE = 256;
/** Tilts searched, in degrees either way: a hand-held phone seldom frames a screen more crooked. */
const MAX_TILT = 6;
const TILT_STEP = 0.5;
/** How far in from each side a frame edge is looked for, as a fraction of the photo. */
const MAX_DEPTH = 0.35;
/** Only the middle of each side counts: corners are where frames bend out of view. */
const SPAN = 0.8;
/** Grey-level step (over 2 px) that counts as an edge point. */
const EDGE_STEP = 16;

export type Side = 'top' | 'bottom' | 'left' | 'right';

export interface BorderMeasure {
  /** per side: the largest share of points along one straight line that are edge points of one sign */
  coverage: Record<Side, number>;
}

interface Grey {
  data: Uint8Array;
  width: number;
  height: number;
}

/** Best straight-edge coverage along the top side of a greyscale raster (other sides are transposed to it). */
function topCoverage(g: Grey): number {
  const { data, width, height } = g;
  const x0 = Math.round(((1 - SPAN) / 2) * width);
  const x1 = Math.round(((1 + SPAN) / 2) * width);
  const n = x1 - x0;
  const maxDepth = Math.round(MAX_DEPTH * height);
  let best = 0;
  for (let tilt = -MAX_TILT; tilt <= MAX_TILT; tilt += TILT_STEP) {
    const slope = Math.tan((tilt * Math.PI) / 180);
    for (let depth = 1; depth <= maxDepth; depth++) {
      let up = 0;
      let down = 0;
      for (let x = x0; x < x1; x++) {
        const y = Math.round(depth + (x - width / 2) * slope);
        if (y < 1 || y >= height - 1) continue;
        const step = data[(y + 1) * width + x] - data[(y - 1) * width + x];
        if (step > EDGE_STEP) up++;
        else if (step < -EDGE_STEP) down++;
      }
      const c = Math.max(up, down) / n;
      if (c > best) best = c;
    }
  }
  return best;
}

function rotate90(g: Grey): Grey {
  // (x, y) → (height-1-y, x): the old left side becomes the top.
  const out = new Uint8Array(g.data.length);
  const W = g.height;
  for (let y = 0; y < g.height; y++) for (let x = 0; x < g.width; x++) out[x * W + (W - 1 - y)] = g.data[y * g.width + x];
  return { data: out, width: W, height: g.width };
}

/** Straight-edge coverage beside each side of the photo. */
export async function measureBorder(image: Uint8Array): Promise<BorderMeasure> {
  const { data, info } = await sharp(image).rotate().flatten({ background: '#000000' }).greyscale()
    .resize({ width: SIDE, height: SIDE, fit: 'inside' }).raw().toBuffer({ resolveWithObject: true });
  const ch = info.channels;
  const grey = new Uint8Array(info.width * info.height);
  for (let i = 0; i < grey.length; i++) grey[i] = data[i * ch];
  const top: Grey = { data: grey, width: info.width, height: info.height };
  const right = rotate90(rotate90(rotate90(top)));
  const bottom = rotate90(rotate90(top));
  const left = rotate90(top);
  return {
    coverage: { top: topCoverage(top), right: topCoverage(right), bottom: topCoverage(bottom), left: topCoverage(left) },
  };
}
