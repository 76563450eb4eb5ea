// A photo at a phone sensor's full size (by default just under the intake's 40-MP limit), made at
// run time: noise at a tenth of the size scaled up, so it has a photo's texture and its JPEG stays
// under 10 MiB.
import sharp from 'sharp';

export const LARGE = { width: 7280, height: 5460 };

export async function renderLargePhoto(seed: number, { width, height } = LARGE): Promise<Uint8Array<ArrayBuffer>> {
  const w = Math.round(width / 10);
  const h = Math.round(height / 10);
  const small = new Uint8Array(w * h * 3);
  let state = (0x9e3779b9 ^ (seed * 7919)) >>> 0;
  for (let j = 0; j < small.length; j++) {
    state = (state * 1664525 + 1013904223) >>> 0;
    small[j] = state >>> 24;
  }
  const jpeg = await sharp(small, { raw: { width: w, height: h, channels: 3 } }).resize(width, height, { kernel: 'cubic' }).jpeg({ quality: 85 }).toBuffer();
  return new Uint8Array(jpeg);
}
