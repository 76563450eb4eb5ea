// Small named makers of the pictures the intake tests need, rendered at test time.
import { deflateSync, crc32 } from 'node:zlib';
import sharp from 'sharp';
import { gaussianNoise, seededRandom } from '../../support/random.js';

/** A photo-like image: smooth gradient plus noise, so JPEG sizes and decoding behave as for a photo. */
export async function renderPhoto(width: number, height: number): Promise<sharp.Sharp> {
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}">
    <defs><linearGradient id="g" x1="0" y1="0" x2="1" y2="1"><stop offset="0" stop-color="#c96"/><stop offset="1" stop-color="#369"/></linearGradient></defs>
    <rect width="100%" height="100%" fill="url(#g)"/><circle cx="${width / 2}" cy="${height / 2}" r="${Math.min(width, height) / 4}" fill="#eed"/></svg>`;
  const noise = await sharp(gaussianNoise(width, height, { mean: 128, sigma: 30 }, seededRandom(width * 7919 + height)), { raw: { width, height, channels: 3 } }).png().toBuffer();
  const photo = await sharp(Buffer.from(svg)).composite([{ input: noise, blend: 'soft-light' }]).png().toBuffer();
  return sharp(photo);
}

/** An image whose left half is red and right half blue, to see which way a rotation went. */
export function renderRedLeftBlueRight(width: number, height: number): sharp.Sharp {
  const half = Math.floor(width / 2);
  return sharp({ create: { width, height, channels: 3, background: '#0000ff' } }).composite([
    { input: { create: { width: half, height, channels: 3, background: '#ff0000' } }, left: 0, top: 0 },
  ]);
}

/**
 * A real decompression bomb: a ~50 KB PNG whose IDAT inflates to a 20000x20000 1-bit image
 * (400 megapixels; 1.2 GB once decoded to RGB).
 */
export function renderPngBomb(side = 20_000): Buffer {
  const rowBytes = 1 + Math.ceil(side / 8); // filter byte + packed 1-bit pixels
  const idat = deflateSync(Buffer.alloc(rowBytes * side), { level: 9 });
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(side, 0);
  ihdr.writeUInt32BE(side, 4);
  ihdr[8] = 1; // bit depth
  ihdr[9] = 0; // greyscale
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    pngChunk('IHDR', ihdr),
    pngChunk('IDAT', idat),
    pngChunk('IEND', Buffer.alloc(0)),
  ]);
}

function pngChunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

/** The marker codes of a JPEG's segments before the image data (APP1 = EXIF/XMP, APP2 = ICC, APP13 = IPTC). */
export function jpegMarkers(bytes: Uint8Array): number[] {
  const markers: number[] = [];
  let at = 2; // after SOI
  while (at + 4 <= bytes.length && bytes[at] === 0xff) {
    const marker = bytes[at + 1];
    markers.push(marker);
    if (marker === 0xda) break; // start of scan: metadata segments all come before it
    at += 2 + ((bytes[at + 2] << 8) | bytes[at + 3]);
  }
  return markers;
}
