// A square of a photo, turned and scaled, sampled straight from its RGB pixels into a model's float
// input: the hand landmark crops and the face descriptor's chip. One pass in JavaScript, no image
// library round trip: on a shrinking crop each output pixel averages n x n bilinear samples (a box
// filter, n the shrink rounded, at most 3); outside the photo is black.
import type { RawImage } from './chip.js';

export interface Square {
  /** centre, photo pixels */
  cx: number;
  cy: number;
  /** side, photo pixels */
  side: number;
  /** radians; the square's x axis runs along (cos a, sin a) in the photo, its "up" along (sin a, -cos a) */
  angle: number;
}

/**
 * `px` x `px` RGB values of the square into `out`, each divided by `divisor` (255 for 0..1). Pixel i's
 * value is taken to lie at coordinate i: a caller whose coordinates put it at i + 0.5 moves its
 * square by half a pixel.
 */
export function sampleSquare(img: RawImage, square: Square, px: number, out: Float32Array, divisor: number): Float32Array {
  const step = square.side / px;
  const n = Math.max(1, Math.min(3, Math.round(step)));
  const cos = Math.cos(square.angle);
  const sin = Math.sin(square.angle);
  const { pixels, width, height } = img;
  const norm = 1 / (divisor * n * n);
  // photo position of output pixel (0, 0)'s first sample, and the steps along the square's axes
  const ox = square.cx - (cos - sin) * (square.side / 2) + (cos - sin) * (step / (2 * n));
  const oy = square.cy - (sin + cos) * (square.side / 2) + (sin + cos) * (step / (2 * n));
  const [ux, uy] = [cos * step / n, sin * step / n];
  const [vx, vy] = [-sin * step / n, cos * step / n];
  let o = 0;
  for (let v = 0; v < px; v++) {
    for (let u = 0; u < px; u++) {
      let r = 0;
      let g = 0;
      let b = 0;
      for (let sv = 0; sv < n; sv++) {
        for (let su = 0; su < n; su++) {
          const a = u * n + su;
          const c = v * n + sv;
          const x = ox + a * ux + c * vx;
          const y = oy + a * uy + c * vy;
          const xi = Math.floor(x);
          const yi = Math.floor(y);
          if (xi < 0 || yi < 0 || xi >= width - 1 || yi >= height - 1) continue; // outside: black
          const fx = x - xi;
          const fy = y - yi;
          const w00 = (1 - fx) * (1 - fy);
          const w10 = fx * (1 - fy);
          const w01 = (1 - fx) * fy;
          const w11 = fx * fy;
          const i = (yi * width + xi) * 3;
          const j = i + width * 3;
          r += pixels[i] * w00 + pixels[i + 3] * w10 + pixels[j] * w01 + pixels[j + 3] * w11;
          g += pixels[i + 1] * w00 + pixels[i + 4] * w10 + pixels[j + 1] * w01 + pixels[j + 4] * w11;
          b += pixels[i + 2] * w00 + pixels[i + 5] * w10 + pixels[j + 2] * w01 + pixels[j + 5] * w11;
        }
      }
      out[o++] = r * norm;
      out[o++] = g * norm;
      out[o++] = b * norm;
    }
  }
  return out;
}
