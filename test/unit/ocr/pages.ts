// Pictures the OCR tests and benchmark draw for themselves: today's newspaper front pages and
// specimen Chinese resident ID cards, rendered from SVG, then degraded as a phone photo would be.
// Chinese glyphs come from the Noto Sans SC package: fontconfig is pointed at it before sharp
// renders any text (librsvg reads FONTCONFIG_FILE once, on its first text).
import { mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gaussianNoise, seededRandom } from '../../support/random.js';

const fontDir = path.dirname(createRequire(import.meta.url).resolve('@expo-google-fonts/noto-sans-sc/package.json'));
const confDir = path.join(tmpdir(), 'realperson-ocr-fonts');
mkdirSync(confDir, { recursive: true });
const fontsConf = path.join(confDir, 'fonts.conf');
writeFileSync(
  fontsConf,
  `<?xml version="1.0"?>
<!DOCTYPE fontconfig SYSTEM "fonts.dtd">
<fontconfig>
  <include ignore_missing="yes">/etc/fonts/fonts.conf</include>
  <dir>${fontDir}</dir>
  <cachedir>${path.join(confDir, 'cache')}</cachedir>
</fontconfig>
`,
);
process.env.FONTCONFIG_FILE = fontsConf;
const { default: sharp } = await import('sharp');

export const CJK_FONT = 'Noto Sans SC';
const SERIF = 'DejaVu Serif';

/** Small deterministic random source, so a failing page can be drawn again from its seed. */
export { seededRandom };

function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

const CHINESE_BODY = [
  '全省经济运行稳中有进 十一月以来重点项目加快推进',
  '11月20日，省政府召开常务会议，研究部署冬季安全生产工作。',
  '本报讯 记者从省交通运输厅获悉，今年前十个月全省完成交通投资一千余亿元。',
  '专题报道 乡村振兴的新探索 第3版',
  '热线电话 0571-85311234 订阅代号 31-1',
  '气象 今天白天多云 最高气温15℃ 最低气温8℃',
];
const ENGLISH_BODY = [
  'City council approves new budget for public transport',
  'Markets steady as investors await the quarterly figures',
  'Weather: cloudy, high 15C, low 8C. Details on page 12',
  'Vol. 175 No. 60,812 Price $3.00',
  'On Nov. 20 the committee met to review the proposals',
  'Sports: home side wins the cup final after extra time',
];

export interface NewspaperPage {
  masthead: string;
  /** the date line as printed */
  dateLine: string;
  /** Chinese body text (and fonts) or English */
  script: 'zh' | 'en';
  width?: number;
  height?: number;
}

/** A front page: masthead, the dated line beneath it, and columns of body text. PNG bytes. */
export async function renderNewspaperPage(page: NewspaperPage): Promise<Buffer> {
  const width = page.width ?? 1000;
  const height = page.height ?? 1400;
  const zh = page.script === 'zh';
  const mastFont = zh ? CJK_FONT : SERIF;
  const mastSize = zh ? 120 : Math.min(96, Math.floor((width - 80) / (page.masthead.length * 0.62)));
  const body = zh ? CHINESE_BODY : ENGLISH_BODY;
  const lines: string[] = [];
  let y = 300;
  for (let i = 0; y < height - 40; i++) {
    const size = i % 4 === 0 ? 38 : 26;
    const text = body[i % body.length];
    lines.push(`<text x="50" y="${y}" font-family="${zh ? CJK_FONT : SERIF}" font-size="${size}" font-weight="${size > 30 ? 700 : 400}" fill="#222">${esc(text)}</text>`);
    y += size + 26;
  }
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}">
  <rect width="100%" height="100%" fill="#f4f1ea"/>
  <text x="${width / 2}" y="150" text-anchor="middle" font-family="${mastFont}" font-weight="900" font-size="${mastSize}" fill="${zh ? '#b01818' : '#111'}">${esc(page.masthead)}</text>
  <line x1="40" y1="190" x2="${width - 40}" y2="190" stroke="#111" stroke-width="4"/>
  <text x="50" y="232" font-family="${CJK_FONT}" font-size="30" fill="#111">${esc(page.dateLine)}</text>
  <line x1="40" y1="252" x2="${width - 40}" y2="252" stroke="#111" stroke-width="2"/>
  ${lines.join('\n  ')}
</svg>`;
  return sharp(Buffer.from(svg)).png().toBuffer();
}

export interface Degradation {
  /** page width as a share of the photo's width */
  pageScale: number;
  /** degrees */
  rotation: number;
  /** horizontal shear, a stand-in for a slightly tilted page */
  shear: number;
  /** Gaussian blur sigma in pixels (0: none) */
  blur: number;
  /** darkening at the dim side of the light gradient, 0..1 */
  shadow: number;
  jpegQuality: number;
}

/** A random phone-photo degradation, within the bounds the benchmark sets. */
export function randomDegradation(random: () => number): Degradation {
  const between = (a: number, b: number) => a + (b - a) * random();
  return {
    pageScale: between(0.7, 0.95),
    rotation: between(-4, 4),
    shear: between(-0.04, 0.04),
    blur: between(0.3, 1.2),
    shadow: between(0.1, 0.4),
    jpegQuality: Math.round(between(50, 70)),
  };
}

/**
 * The page photographed: held in front of a cluttered background, turned and tilted a little,
 * out of focus, unevenly lit, with sensor noise, saved as a phone's JPEG. 1080 x 1440 pixels.
 */
export async function photographPage(page: Buffer, d: Degradation, seed = 1): Promise<Buffer> {
  const W = 1080;
  const H = 1440;
  const pageWidth = Math.round(W * d.pageScale);
  const scaled = await sharp(page).resize({ width: pageWidth }).toBuffer();
  const background = { r: 90, g: 96, b: 104, alpha: 1 };
  const turned = await sharp(scaled)
    .affine([[1, d.shear], [0, 1]], { background })
    .rotate(d.rotation, { background })
    .toBuffer({ resolveWithObject: true });
  const left = Math.max(0, Math.round((W - turned.info.width) / 2));
  const top = Math.max(0, Math.round((H - turned.info.height) / 2 - H * 0.05));
  const fitted = await sharp(turned.data)
    .extract({ left: 0, top: 0, width: Math.min(turned.info.width, W - left), height: Math.min(turned.info.height, H - top) })
    .toBuffer();
  const random = seededRandom(seed);
  const angle = random() * 360;
  const light = Buffer.from(`<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}">
  <defs><linearGradient id="l" gradientTransform="rotate(${angle.toFixed(0)} .5 .5)">
    <stop offset="0" stop-color="rgb(255,255,255)"/>
    <stop offset="1" stop-color="rgb(${Array(3).fill(Math.round(255 * (1 - d.shadow))).join(',')})"/>
  </linearGradient></defs>
  <rect width="100%" height="100%" fill="url(#l)"/></svg>`);
  // sensor noise from the same seed
  const noise = await sharp(gaussianNoise(W, H, { mean: 128, sigma: 12 }, random), { raw: { width: W, height: H, channels: 3 } }).png().toBuffer();
  let photo = sharp({ create: { width: W, height: H, channels: 3, background } })
    .composite([
      { input: fitted, left, top },
      { input: light, blend: 'multiply' },
      { input: noise, blend: 'soft-light' },
    ]);
  const flat = await photo.png().toBuffer();
  photo = sharp(flat);
  if (d.blur >= 0.3) photo = photo.blur(d.blur);
  return photo.jpeg({ quality: d.jpegQuality }).toBuffer();
}

export interface IdCardSpecimen {
  name: string;
  sex: '男' | '女';
  birth: { y: number; m: number; d: number };
  address: string;
  number: string;
  /** a portrait to paste (fixture pixels); a grey silhouette when absent */
  portrait?: Buffer;
}

/** The front of a Chinese resident ID card in the standard layout, 856 x 540 (85.6 x 54 mm). */
export async function renderCnIdCard(card: IdCardSpecimen): Promise<Buffer> {
  const W = 856;
  const H = 540;
  const label = (x: number, y: number, t: string) =>
    `<text x="${x}" y="${y}" font-family="${CJK_FONT}" font-size="26" fill="#2b6fa8">${esc(t)}</text>`;
  const value = (x: number, y: number, t: string, size = 30) =>
    `<text x="${x}" y="${y}" font-family="${CJK_FONT}" font-size="${size}" fill="#111">${esc(t)}</text>`;
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}">
  <defs><linearGradient id="g" x1="0" y1="0" x2="1" y2="1"><stop offset="0" stop-color="#e9f1f6"/><stop offset="1" stop-color="#f6efe4"/></linearGradient></defs>
  <rect width="100%" height="100%" rx="28" fill="url(#g)"/>
  ${label(50, 80, '姓 名')}${value(150, 82, card.name, 34)}
  ${label(50, 145, '性 别')}${value(150, 147, card.sex)}${label(250, 145, '民 族')}${value(350, 147, '汉')}
  ${label(50, 210, '出 生')}${value(150, 212, `${card.birth.y} 年 ${card.birth.m} 月 ${card.birth.d} 日`)}
  ${label(50, 275, '住 址')}${value(150, 277, card.address.slice(0, 11))}${value(150, 320, card.address.slice(11))}
  ${label(50, 470, '公民身份号码')}
  <text x="250" y="472" font-family="DejaVu Sans Mono" font-weight="bold" font-size="36" letter-spacing="3" fill="#111">${esc(card.number)}</text>
  <rect x="590" y="60" width="220" height="280" fill="#d8dde2"/>
</svg>`;
  const base = sharp(Buffer.from(svg));
  if (!card.portrait) return base.png().toBuffer();
  const portrait = await sharp(card.portrait).resize(220, 280, { fit: 'cover' }).toBuffer();
  return base.composite([{ input: portrait, left: 590, top: 60 }]).png().toBuffer();
}

export { sharp };
