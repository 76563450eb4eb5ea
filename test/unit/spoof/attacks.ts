// Presentation attacks rendered at test time from genuine fixture photos: the photo shown on a
// screen and photographed, and the photo printed (halftone) and photographed. Parameters are drawn
// from a seeded random source so every run renders the same attacks.
import sharp from 'sharp';
import type { Rng } from '../../support/random.js';

/** The attack set's random source: seeded, so it is the same on every run. */
export { seededRandom as seeded, type Rng } from '../../support/random.js';

const between = (rng: Rng, lo: number, hi: number) => lo + (hi - lo) * rng();

async function rgb(image: Uint8Array | Buffer, width: number): Promise<{ data: Buffer; width: number; height: number }> {
  const { data, info } = await sharp(image).rotate().flatten({ background: '#000000' }).removeAlpha()
    .resize({ width, withoutEnlargement: false }).raw().toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height };
}

/** A room or table behind the screen or print: another photo, blurred and dimmed. */
async function surroundings(backdrop: Uint8Array | Buffer, width: number, height: number, rng: Rng): Promise<Buffer> {
  return sharp(backdrop).rotate().flatten({ background: '#000000' }).removeAlpha()
    .resize(width, height, { fit: 'cover' }).blur(between(rng, 4, 10)).linear(between(rng, 0.4, 0.8), between(rng, 0, 30))
    .raw().toBuffer();
}

/** A soft elliptical highlight, as a lamp or window reflects on glass or glossy paper. */
function glare(width: number, height: number, rng: Rng, strength: number): Buffer {
  const cx = between(rng, 0.2, 0.8) * width;
  const cy = between(rng, 0.2, 0.8) * height;
  const rx = between(rng, 0.15, 0.35) * width;
  const ry = between(rng, 0.1, 0.3) * height;
  return Buffer.from(`<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}">
    <defs><radialGradient id="g"><stop offset="0" stop-color="#fff" stop-opacity="${strength}"/><stop offset="1" stop-color="#fff" stop-opacity="0"/></radialGradient></defs>
    <ellipse cx="${cx}" cy="${cy}" rx="${rx}" ry="${ry}" fill="url(#g)"/></svg>`);
}

/** Photographs a raster lying in a scene: place it with a margin, tilt, light, sample, compress. */
async function photograph(
  raster: Buffer, width: number, height: number, backdrop: Uint8Array | Buffer, rng: Rng,
  o: { marginFrac: number; outWidth: number; glare: number; blur: number; kernel: 'nearest' | 'linear' | 'lanczos3' },
): Promise<Buffer> {
  const margin = Math.round(o.marginFrac * width);
  const W = width + 2 * margin;
  const H = height + 2 * margin;
  const room = await surroundings(backdrop, W, H, rng);
  const scene = await sharp(room, { raw: { width: W, height: H, channels: 3 } })
    .composite([{ input: raster, raw: { width, height, channels: 3 }, left: margin, top: margin }])
    .png({ compressionLevel: 0 }).toBuffer();
  const angle = between(rng, -4, 4);
  let img = sharp(scene).rotate(angle, { background: '#404040' });
  const rotated = await img.raw().toBuffer({ resolveWithObject: true });
  // Crop back to the scene's size so the rotation's corners do not frame the picture themselves.
  const cw = Math.min(W, rotated.info.width);
  const ch = Math.min(H, rotated.info.height);
  img = sharp(rotated.data, { raw: rotated.info }).extract({
    left: Math.floor((rotated.info.width - cw) / 2), top: Math.floor((rotated.info.height - ch) / 2), width: cw, height: ch,
  });
  const lit = await img.composite([{ input: glare(cw, ch, rng, o.glare), blend: 'screen' }]).png({ compressionLevel: 0 }).toBuffer();
  let cam = sharp(lit);
  if (o.blur > 0.3) cam = cam.blur(o.blur);
  return cam.resize({ width: o.outWidth, kernel: o.kernel }).jpeg({ quality: Math.round(between(rng, 78, 92)) }).toBuffer();
}

/**
 * The photo on a phone or monitor, photographed: RGB sub-pixel stripes and dark gaps between pixel
 * rows, a dark bezel, the room around it, a tilt, glare, and a camera that samples the pixel grid
 * without a perfect low-pass filter (which is where moiré comes from).
 */
export async function screenAttack(photo: Uint8Array | Buffer, backdrop: Uint8Array | Buffer, rng: Rng): Promise<Buffer> {
  const content = await rgb(photo, Math.round(between(rng, 260, 340)));
  const px = 3; // screen pixels are drawn 3×3: one column per sub-pixel
  const sw = content.width * px;
  const sh = content.height * px;
  const bezel = Math.round(between(rng, 0.03, 0.07) * sw);
  const W = sw + 2 * bezel;
  const H = sh + 2 * bezel;
  const out = Buffer.alloc(W * H * 3);
  const bezelLevel = between(rng, 8, 40);
  const subOff = between(rng, 0.15, 0.35);
  // A screen's backlight makes up for the sub-pixel mask: the picture keeps roughly its brightness.
  const gain = 3 / (1 + 2 * subOff) / ((px - 1 + 0.55) / px);
  for (let y = 0; y < H; y++) {
    for (let x = 0; x < W; x++) {
      const o = (y * W + x) * 3;
      const ix = x - bezel;
      const iy = y - bezel;
      if (ix < 0 || iy < 0 || ix >= sw || iy >= sh) {
        out[o] = out[o + 1] = out[o + 2] = bezelLevel;
        continue;
      }
      const i = (Math.floor(iy / px) * content.width + Math.floor(ix / px)) * 3;
      const sub = ix % px;
      const row = iy % px === px - 1 ? 0.55 : 1;
      for (let c = 0; c < 3; c++) out[o + c] = Math.min(255, Math.round(content.data[i + c] * (c === sub ? 1 : subOff) * row * gain));
    }
  }
  return photograph(out, W, H, backdrop, rng, {
    marginFrac: between(rng, 0.04, 0.12),
    outWidth: Math.round(between(rng, 560, 900)),
    glare: between(rng, 0.2, 0.5),
    blur: between(rng, 0.4, 1.1),
    kernel: 'nearest',
  });
}

/**
 * The photo printed on paper and photographed: a CMY halftone screen (dots at 15°, 75° and 45°), a
 * white paper margin, the table around it, a tilt, glare, and the camera's blur and compression.
 */
export async function printAttack(photo: Uint8Array | Buffer, backdrop: Uint8Array | Buffer, rng: Rng): Promise<Buffer> {
  const scale = 2;
  const content = await rgb(photo, Math.round(between(rng, 300, 420)) * scale);
  const { width: w, height: h } = content;
  const period = between(rng, 4.5, 6.5);
  const angles = [15, 75, 45].map((a) => (a * Math.PI) / 180);
  const paper = Math.round(between(rng, 225, 250));
  const margin = Math.round(between(rng, 0.05, 0.1) * w);
  const W = w + 2 * margin;
  const H = h + 2 * margin;
  const out = Buffer.alloc(W * H * 3, paper);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const i = (y * w + x) * 3;
      const o = ((y + margin) * W + (x + margin)) * 3;
      for (let c = 0; c < 3; c++) {
        const cos = Math.cos(angles[c]);
        const sin = Math.sin(angles[c]);
        const u = (x * cos + y * sin) / period;
        const v = (-x * sin + y * cos) / period;
        const du = u - Math.round(u);
        const dv = v - Math.round(v);
        const coverage = 1 - content.data[i + c] / 255;
        const r = Math.sqrt(coverage / Math.PI);
        out[o + c] = du * du + dv * dv < r * r ? Math.round(paper * 0.12) : paper;
      }
    }
  }
  return photograph(out, W, H, backdrop, rng, {
    marginFrac: between(rng, 0.04, 0.12),
    outWidth: Math.round(between(rng, 0.5, 0.75) * W),
    glare: between(rng, 0.15, 0.35),
    blur: between(rng, 0.5, 0.9),
    kernel: 'lanczos3',
  });
}

/** The attacker's close-up: the camera filled with the screen or print, so no border shows. */
export async function closeUp(attack: Buffer, fraction = 0.6): Promise<Buffer> {
  const m = await sharp(attack).metadata();
  const w = Math.round(m.width! * fraction);
  const h = Math.round(m.height! * fraction);
  return sharp(attack).extract({ left: Math.round((m.width! - w) / 2), top: Math.round((m.height! - h) / 2), width: w, height: h })
    .jpeg({ quality: 90 }).toBuffer();
}
