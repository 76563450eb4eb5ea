// Image clean-up before OCR: tesseract reads dark text on a light, evenly lit background at a
// cap height of roughly 20-40 px best, so photos are greyed, stretched in contrast and rescaled.
import type { OcrBox } from './engine.js';

export interface Preprocess {
  /** scale so the image (or crop) is at least this wide; small text below ~20 px is misread */
  minWidth?: number;
  /** and at most this wide: beyond it tesseract only gets slower */
  maxWidth?: number;
  /** stretch contrast to the full range (uneven light, faded print) */
  normalise?: boolean;
  /** local contrast (CLAHE) against shadows across the page */
  localContrast?: boolean;
  /** soften JPEG blocks and noise before binarisation */
  median?: number;
  /** sharpen a blurred photo */
  sharpen?: boolean;
}

export interface Prepared {
  image: Uint8Array;
  /** prepared pixels per source pixel */
  scale: number;
  /** where the prepared image's origin lies in the source image */
  offset: { x: number; y: number };
}

export const DEFAULT_PREPROCESS: Required<Preprocess> = {
  minWidth: 1600,
  maxWidth: 2400,
  normalise: true,
  localContrast: false,
  median: 0,
  sharpen: false,
};

export async function prepareForOcr(image: Uint8Array, options: Preprocess & { crop?: OcrBox } = {}): Promise<Prepared> {
  const { default: sharp } = await import('sharp');
  const o = { ...DEFAULT_PREPROCESS, ...stripUndefined(options) };
  // orientation first, so crops and boxes are in the upright image's pixels
  const upright = await sharp(image).rotate().toBuffer({ resolveWithObject: true });
  let pipeline = sharp(upright.data);
  let width = upright.info.width;
  let offset = { x: 0, y: 0 };
  if (options.crop) {
    const c = clampBox(options.crop, upright.info.width, upright.info.height);
    pipeline = sharp(await pipeline.extract({ left: c.x, top: c.y, width: c.width, height: c.height }).toBuffer());
    width = c.width;
    offset = { x: c.x, y: c.y };
  }
  const scale = width < o.minWidth ? Math.min(4, o.minWidth / width) : width > o.maxWidth ? o.maxWidth / width : 1;
  pipeline = pipeline.greyscale();
  if (scale !== 1) pipeline = pipeline.resize({ width: Math.round(width * scale), kernel: 'lanczos3' });
  if (o.median > 0) pipeline = pipeline.median(o.median);
  if (o.localContrast) pipeline = pipeline.clahe({ width: 64, height: 64, maxSlope: 3 });
  if (o.normalise) pipeline = pipeline.normalise();
  if (o.sharpen) pipeline = pipeline.sharpen({ sigma: 1 });
  const out = await pipeline.png({ compressionLevel: 1 }).toBuffer();
  return { image: out, scale, offset };
}

function clampBox(box: OcrBox, width: number, height: number): OcrBox {
  const x = Math.max(0, Math.min(width - 1, Math.round(box.x)));
  const y = Math.max(0, Math.min(height - 1, Math.round(box.y)));
  return {
    x,
    y,
    width: Math.max(1, Math.min(width - x, Math.round(box.width))),
    height: Math.max(1, Math.min(height - y, Math.round(box.height))),
  };
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
