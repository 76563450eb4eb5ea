// Pictures drawn for the spoof tests: smooth picture-like content, the same with a screen's pixel
// grid over it, and either shown inside a bezel.
import sharp from 'sharp';
import { seeded } from './attacks.js';

/** Smooth random blobs: picture-like content with no periodic structure. */
export async function blobs(width: number, height: number, seed: number): Promise<Buffer> {
  const rng = seeded(seed);
  const shapes = Array.from({ length: 40 }, () => {
    const g = Math.round(rng() * 255);
    return `<ellipse cx="${rng() * width}" cy="${rng() * height}" rx="${20 + rng() * 120}" ry="${20 + rng() * 120}" fill="rgb(${g},${Math.round(g * 0.8)},${Math.round(g * 0.6)})" fill-opacity="0.6"/>`;
  }).join('');
  return sharp(Buffer.from(`<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}"><rect width="100%" height="100%" fill="#808080"/>${shapes}</svg>`))
    .blur(2).jpeg({ quality: 90 }).toBuffer();
}

/** The same content with a fine periodic grid over it (3.3 px, tilted 10°): a screen's pixel grid. */
export async function withGrid(image: Buffer, amplitude: number): Promise<Buffer> {
  const { data, info } = await sharp(image).raw().toBuffer({ resolveWithObject: true });
  const a = (10 * Math.PI) / 180;
  for (let y = 0; y < info.height; y++) {
    for (let x = 0; x < info.width; x++) {
      const u = x * Math.cos(a) + y * Math.sin(a);
      const v = -x * Math.sin(a) + y * Math.cos(a);
      const m = 1 + amplitude * (Math.cos((2 * Math.PI * u) / 3.3) + Math.cos((2 * Math.PI * v) / 3.3)) / 2;
      for (let c = 0; c < info.channels; c++) {
        const o = (y * info.width + x) * info.channels + c;
        data[o] = Math.max(0, Math.min(255, Math.round(data[o] * m)));
      }
    }
  }
  return sharp(data, { raw: info }).jpeg({ quality: 90 }).toBuffer();
}

/** Content shown inside a dark bezel, with a lighter room around it, tilted 2°. */
export async function framed(image: Buffer): Promise<Buffer> {
  const m = await sharp(image).metadata();
  const bezel = 30;
  const inner = await sharp(image).extend({ top: bezel, bottom: bezel, left: bezel, right: bezel, background: '#141414' }).toBuffer();
  return sharp(inner).extend({ top: 60, bottom: 60, left: 60, right: 60, background: '#9a9080' })
    .rotate(2, { background: '#9a9080' }).resize({ width: m.width }).jpeg({ quality: 88 }).toBuffer();
}

