// Session photos composed from real fixture pixels. No single fixture shows one person with their ID
// card, a requested gesture and today's newspaper, so the tests build such photos: a specimen card
// carrying a crop of the person's own photo, that card pasted beside their face, a real hand photo
// placed beside it, a rendered newspaper page beside it. Every face and hand is a real photo; only the
// card and the page are drawn.
import { renderCnIdCard, renderNewspaperPage, sharp } from '../unit/ocr/pages.js';
import { gaussianNoise, seededRandom } from './random.js';

export interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** Where a photo's face is, so props go beside it rather than over it; defaults suit a head-and-shoulders portrait. */
export interface Placement {
  face?: Box;
}

async function sizeOf(image: Buffer): Promise<{ width: number; height: number }> {
  const m = await sharp(image).rotate().metadata();
  const turned = (m.orientation ?? 1) >= 5;
  return { width: (turned ? m.height : m.width) ?? 0, height: (turned ? m.width : m.height) ?? 0 };
}

/** A head-and-shoulders portrait (ID-photo proportions 220:280) cut from a real photo around its face box. */
export async function cropPortrait(photo: Buffer, face: Box): Promise<Buffer> {
  const { width, height } = await sizeOf(photo);
  const h = Math.min(height, face.height * 1.9);
  const w = Math.min(width, (h * 220) / 280);
  const cx = face.x + face.width / 2;
  const cy = face.y + face.height * 0.55;
  const left = Math.round(Math.max(0, Math.min(width - w, cx - w / 2)));
  const top = Math.round(Math.max(0, Math.min(height - h, cy - h / 2)));
  return sharp(photo).rotate().extract({ left, top, width: Math.round(w), height: Math.round(h) }).png().toBuffer();
}

export interface IdCardInput {
  /** the person's portrait: fixture pixels, ideally a crop from cropPortrait */
  portrait: Buffer;
  name: string;
  /** an 18-digit resident ID number; the birth date printed on the card is taken from it */
  number: string;
  sex?: '男' | '女';
  address?: string;
}

/**
 * A specimen-style Chinese resident ID card (front, 856 x 540) carrying a real person's face, drawn with
 * the OCR tests' card renderer. Not a real document: specimen name, checksum-valid specimen number.
 */
export async function renderIdCard(card: IdCardInput): Promise<Buffer> {
  const birth = /^\d{6}(\d{4})(\d{2})(\d{2})/.exec(card.number);
  return renderCnIdCard({
    name: card.name,
    sex: card.sex ?? '女',
    birth: birth ? { y: Number(birth[1]), m: Number(birth[2]), d: Number(birth[3]) } : { y: 1990, m: 1, d: 1 },
    address: card.address ?? '浙江省杭州市西湖区文三路一百号',
    number: card.number,
    portrait: card.portrait,
  });
}

/** The card photographed on a table, slightly turned, as the ID-front step's camera would see it: 1280 x 960 JPEG. */
export async function photographCard(card: Buffer, opts: { rotation?: number } = {}): Promise<Buffer> {
  const W = 1280;
  const H = 960;
  const scaled = await sharp(card).resize({ width: Math.round(W * 0.78) })
    .rotate(opts.rotation ?? -2, { background: { r: 0, g: 0, b: 0, alpha: 0 } }).png().toBuffer({ resolveWithObject: true });
  const table = await sharp(gaussianNoise(W, H, { mean: 110, sigma: 9 }, seededRandom(1)), { raw: { width: W, height: H, channels: 3 } })
    .png().toBuffer();
  return sharp(table)
    .composite([{ input: scaled.data, left: Math.round((W - scaled.info.width) / 2), top: Math.round((H - scaled.info.height) / 2) }])
    .jpeg({ quality: 88 }).toBuffer();
}

/** Left edge for a prop of `width` beside the face: the side of the photo with more room. */
function besideFace(photoWidth: number, face: Box, width: number, gap: number): number {
  const roomRight = photoWidth - (face.x + face.width);
  return roomRight >= face.x
    ? Math.round(Math.min(photoWidth - width, face.x + face.width + gap))
    : Math.round(Math.max(0, face.x - gap - width));
}

function defaultFace(width: number, height: number): Box {
  // head-and-shoulders stock portraits: the face sits in the upper middle
  return { x: width * 0.33, y: height * 0.15, width: width * 0.34, height: height * 0.33 };
}

/**
 * The person's real photo with the rendered card pasted beside their face at `cardWidth` (share of the
 * photo's width), a little turned, as if held up to the camera. JPEG.
 */
export async function selfieHoldingCard(person: Buffer, card: Buffer, opts: Placement & { cardWidth?: number } = {}): Promise<Buffer> {
  const { width, height } = await sizeOf(person);
  const face = opts.face ?? defaultFace(width, height);
  const cw = Math.round(width * (opts.cardWidth ?? 0.45));
  const turned = await sharp(card).resize({ width: cw }).rotate(4, { background: { r: 0, g: 0, b: 0, alpha: 0 } })
    .png().toBuffer({ resolveWithObject: true });
  const left = besideFace(width, face, turned.info.width, width * 0.02);
  const top = Math.round(Math.min(height - turned.info.height, Math.max(0, face.y + face.height * 0.4)));
  return sharp(person).rotate().composite([{ input: turned.data, left, top }]).jpeg({ quality: 90 }).toBuffer();
}

/**
 * The person's real photo with a real hand photo (a fixture from gestures/) placed beside their face,
 * scaled to `handHeight` (share of the photo's height). The hand keeps its own background: a composed
 * photo, not a seamless one. JPEG.
 */
export async function gesturePhoto(person: Buffer, hand: Buffer, opts: Placement & { handHeight?: number } = {}): Promise<Buffer> {
  const { width, height } = await sizeOf(person);
  const face = opts.face ?? defaultFace(width, height);
  const h = Math.round(height * (opts.handHeight ?? 0.4));
  const resized = await sharp(hand).rotate().resize({ height: h, width: Math.round(width * 0.45), fit: 'inside' })
    .png().toBuffer({ resolveWithObject: true });
  const left = besideFace(width, face, resized.info.width, width * 0.03);
  const top = Math.round(Math.min(height - resized.info.height, Math.max(0, face.y + face.height / 2 - resized.info.height / 2)));
  return sharp(person).rotate().composite([{ input: resized.data, left, top }]).jpeg({ quality: 90 }).toBuffer();
}

export interface PageInput {
  masthead: string;
  dateLine: string;
  script: 'zh' | 'en';
}

/**
 * The person's real photo with a rendered front page (masthead and date line, drawn by the OCR tests'
 * page renderer) held beside their face at `pageWidth` (share of the photo's width). JPEG.
 */
export async function newspaperPhoto(person: Buffer, page: PageInput | Buffer, opts: Placement & { pageWidth?: number } = {}): Promise<Buffer> {
  const { width, height } = await sizeOf(person);
  const face = opts.face ?? defaultFace(width, height);
  const rendered = Buffer.isBuffer(page) ? page : await renderNewspaperPage(page);
  const pw = Math.round(width * (opts.pageWidth ?? 0.55));
  const sheet = await sharp(rendered).resize({ width: pw }).rotate(-2, { background: { r: 0, g: 0, b: 0, alpha: 0 } })
    .png().toBuffer({ resolveWithObject: true });
  // the page is held at chest height, its top just below the chin
  const left = Math.round(Math.max(0, Math.min(width - sheet.info.width, face.x + face.width / 2 - sheet.info.width / 2)));
  const top = Math.round(Math.min(height - Math.min(sheet.info.height, height * 0.5), face.y + face.height * 1.05));
  const visible = Math.min(sheet.info.height, height - top);
  const cut = await sharp(sheet.data).extract({ left: 0, top: 0, width: sheet.info.width, height: visible }).png().toBuffer();
  return sharp(person).rotate().composite([{ input: cut, left, top }]).jpeg({ quality: 90 }).toBuffer();
}

export interface HandCutOut {
  png: Buffer;
  width: number;
  height: number;
  tip: { x: number; y: number };
  armFrom: 'left' | 'right' | 'top' | 'bottom' | null;
}

/** A hand photo's hand and forearm on transparency, `tip` its topmost point and `armFrom` the border
 *  its forearm leaves by. For photos on a plain light-grey ground (the vision_ml hands): the ground
 *  is flooded from the border (neutral, near the corner colour), everything else is hand. */
export async function cutOutHand(photo: Buffer): Promise<HandCutOut> {
  const { data, info } = await sharp(photo).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  const { width, height } = info;
  const px = (i: number, c: number) => data[i * 3 + c];
  const corner = [0, 1, 2].map((c) => (px(0, c) + px(width - 1, c) + px((height - 1) * width, c) + px(height * width - 1, c)) / 4);
  const groundLike = (i: number) => {
    const [r, g, b] = [px(i, 0), px(i, 1), px(i, 2)];
    const chroma = Math.max(r, g, b) - Math.min(r, g, b);
    return chroma < 14 && Math.abs((r + g + b) / 3 - (corner[0] + corner[1] + corner[2]) / 3) < 28;
  };
  const ground = new Uint8Array(width * height);
  const stack: number[] = [];
  for (let x = 0; x < width; x++) stack.push(x, (height - 1) * width + x);
  for (let y = 0; y < height; y++) stack.push(y * width, y * width + width - 1);
  while (stack.length) {
    const i = stack.pop()!;
    if (ground[i] || !groundLike(i)) continue;
    ground[i] = 1;
    const x = i % width;
    if (x > 0) stack.push(i - 1);
    if (x < width - 1) stack.push(i + 1);
    if (i >= width) stack.push(i - width);
    if (i < width * (height - 1)) stack.push(i + width);
  }
  const rgba = Buffer.alloc(width * height * 4);
  let [x0, y0, x1, y1] = [width, height, 0, 0];
  let tip = { x: 0, y: height };
  for (let i = 0; i < width * height; i++) {
    const x = i % width;
    const y = Math.floor(i / width);
    for (let c = 0; c < 3; c++) rgba[i * 4 + c] = px(i, c);
    rgba[i * 4 + 3] = ground[i] ? 0 : 255;
    if (!ground[i]) {
      [x0, y0, x1, y1] = [Math.min(x0, x), Math.min(y0, y), Math.max(x1, x), Math.max(y1, y)];
      if (y < tip.y) tip = { x, y };
    }
  }
  const w = x1 - x0 + 1;
  const h = y1 - y0 + 1;
  const png = await sharp(rgba, { raw: { width, height, channels: 4 } }).extract({ left: x0, top: y0, width: w, height: h }).png().toBuffer();
  // the forearm leaves the photo through the border the cut-out touches
  const armFrom = x0 === 0 ? 'left' : x1 === width - 1 ? 'right' : y1 === height - 1 ? 'bottom' : y0 === 0 ? 'top' : null;
  return { png, width: w, height: h, tip: { x: tip.x - x0, y: tip.y - y0 }, armFrom };
}

/** Pastes `overlay` with its point (ax, ay) at (x, y) of `base`, clipping what falls outside. */
export async function pasteAt(base: Buffer, overlay: Buffer, ax: number, ay: number, x: number, y: number): Promise<Buffer> {
  const b = await sharp(base).rotate().metadata();
  const o = await sharp(overlay).metadata();
  const [W, H, w, h] = [b.width!, b.height!, o.width!, o.height!];
  const left = Math.round(x - ax);
  const top = Math.round(y - ay);
  const cl = Math.max(0, -left);
  const ct = Math.max(0, -top);
  const cw = Math.min(w - cl, W - Math.max(0, left));
  const ch = Math.min(h - ct, H - Math.max(0, top));
  const clipped = await sharp(overlay).extract({ left: cl, top: ct, width: cw, height: ch }).png().toBuffer();
  return sharp(base).rotate().composite([{ input: clipped, left: Math.max(0, left), top: Math.max(0, top) }]).jpeg({ quality: 92 }).toBuffer();
}
