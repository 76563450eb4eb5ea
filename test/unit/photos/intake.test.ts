// Photo intake: what is accepted comes out as one clean JPEG; everything else is refused with a
// stable problem type and status, before anything is stored.
import { createHash, randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { Problem } from '../../../src/problem/index.js';
import { intakePhoto, PHOTO_LIMITS, sniffImageType } from '../../../src/photos/index.js';
import { fixture, haveFixtures } from '../../support/fixtures.js';
import { jpegMarkers, renderPhoto, renderPngBomb, renderRedLeftBlueRight } from './images.js';

const APP1 = 0xe1; // EXIF and XMP
const APP2 = 0xe2; // ICC profile
const APP13 = 0xed; // IPTC

async function refusal(bytes: Uint8Array, limits?: Parameters<typeof intakePhoto>[1]): Promise<[string, number]> {
  try {
    await intakePhoto(bytes, limits);
  } catch (err) {
    if (err instanceof Problem) return [err.type, err.status];
    throw err;
  }
  throw new Error('the photo was accepted');
}

async function pixelAt(jpeg: Uint8Array, x: number, y: number): Promise<number[]> {
  const { data, info } = await sharp(jpeg).raw().toBuffer({ resolveWithObject: true });
  const at = (y * info.width + x) * info.channels;
  return [data[at], data[at + 1], data[at + 2]];
}

function expectCleanJpeg(bytes: Uint8Array) {
  expect(sniffImageType(bytes)).toBe('image/jpeg');
  const markers = jpegMarkers(bytes);
  expect(markers).toContain(0xda); // the walk reached the image data, so no segment was missed
  expect(markers.filter((m) => m === APP1 || m === APP2 || m === APP13)).toEqual([]);
}

describe('sniffImageType', () => {
  it('knows JPEG, PNG and WebP by their first bytes, and nothing else', async () => {
    const base = await renderPhoto(32, 24);
    expect(sniffImageType(await base.clone().jpeg().toBuffer())).toBe('image/jpeg');
    expect(sniffImageType(await base.clone().png().toBuffer())).toBe('image/png');
    expect(sniffImageType(await base.clone().webp().toBuffer())).toBe('image/webp');
    expect(sniffImageType(await base.clone().gif().toBuffer())).toBeNull();
    expect(sniffImageType(await base.clone().tiff().toBuffer())).toBeNull();
    expect(sniffImageType(new TextEncoder().encode('<svg xmlns="http://www.w3.org/2000/svg"/>'))).toBeNull();
    expect(sniffImageType(new TextEncoder().encode('RIFF\0\0\0\0WAVEfmt '))).toBeNull();
    expect(sniffImageType(new Uint8Array([0xff, 0xd8]))).toBeNull();
    expect(sniffImageType(new Uint8Array(0))).toBeNull();
  });
});

describe('intakePhoto accepts', () => {
  it('a JPEG with camera metadata, and strips all of it (EXIF with GPS, XMP, ICC)', async () => {
    const input = await (await renderPhoto(640, 480))
      .withExif({ IFD0: { Make: 'TestCam', Model: 'Intake' }, IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '51/1 30/1 0/1' } })
      .withXmp('<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"/></x:xmpmeta>')
      .withIccProfile('p3')
      .jpeg({ quality: 95 })
      .toBuffer();
    const before = await sharp(input).metadata();
    expect([!!before.exif, !!before.xmp, !!before.icc]).toEqual([true, true, true]);
    expect(before.exif!.includes(Buffer.from([0x25, 0x88]))).toBe(true); // the GPS IFD pointer tag

    const photo = await intakePhoto(input);
    expect([photo.width, photo.height, photo.contentType]).toEqual([640, 480, 'image/jpeg']);
    expectCleanJpeg(photo.bytes);
    const after = await sharp(photo.bytes).metadata();
    expect([after.exif, after.xmp, after.icc, after.iptc]).toEqual([undefined, undefined, undefined, undefined]);
    expect(Buffer.from(photo.bytes).includes(Buffer.from('TestCam'))).toBe(false);
  });

  it('applies EXIF orientation 6 to the pixels: width and height swap, the top is what was the left', async () => {
    const input = await renderRedLeftBlueRight(300, 200).withMetadata({ orientation: 6 }).jpeg().toBuffer();
    expect((await sharp(input).metadata()).orientation).toBe(6);

    const photo = await intakePhoto(input);
    expect([photo.width, photo.height]).toEqual([200, 300]);
    expect((await sharp(photo.bytes).metadata()).orientation).toBeUndefined();
    const [r1, , b1] = await pixelAt(photo.bytes, 100, 20);
    const [r2, , b2] = await pixelAt(photo.bytes, 100, 280);
    expect(r1).toBeGreaterThan(200);
    expect(b1).toBeLessThan(60);
    expect(b2).toBeGreaterThan(200);
    expect(r2).toBeLessThan(60);
  });

  it('PNG with transparency, on a white ground', async () => {
    const input = await sharp({ create: { width: 120, height: 90, channels: 4, background: { r: 0, g: 0, b: 0, alpha: 0 } } }).png().toBuffer();
    const photo = await intakePhoto(input);
    expect([photo.width, photo.height]).toEqual([120, 90]);
    expectCleanJpeg(photo.bytes);
    expect((await pixelAt(photo.bytes, 60, 45)).every((c) => c > 240)).toBe(true);
  });

  it('WebP', async () => {
    const input = await (await renderPhoto(400, 300)).webp().toBuffer();
    const photo = await intakePhoto(input);
    expect([photo.width, photo.height]).toEqual([400, 300]);
    expectCleanJpeg(photo.bytes);
  });

  it('a large photo, scaled down to the longest side limit with its aspect kept', async () => {
    const input = await (await renderPhoto(3000, 1000)).jpeg().toBuffer();
    const photo = await intakePhoto(input);
    expect([photo.width, photo.height]).toEqual([PHOTO_LIMITS.maxSide, Math.round((1000 * PHOTO_LIMITS.maxSide) / 3000)]);
    const small = await intakePhoto(input, { maxSide: 600 });
    expect([small.width, small.height]).toEqual([600, 200]);
    expect((await sharp(small.bytes).metadata()).width).toBe(600);
  });

  it('never enlarges a small photo', async () => {
    const photo = await intakePhoto(await (await renderPhoto(80, 60)).png().toBuffer());
    expect([photo.width, photo.height]).toEqual([80, 60]);
  });

  it('names the photo by the SHA-256 of the stored bytes, the same for the same upload', async () => {
    const input = await (await renderPhoto(200, 150)).jpeg().toBuffer();
    const a = await intakePhoto(input);
    const b = await intakePhoto(input);
    const other = await intakePhoto(await (await renderPhoto(201, 150)).jpeg().toBuffer());
    expect(a.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(a.sha256).toBe(createHash('sha256').update(a.bytes).digest('hex'));
    expect(b.sha256).toBe(a.sha256);
    expect(other.sha256).not.toBe(a.sha256);
  });
});

describe.skipIf(!haveFixtures)('intakePhoto on real photos', () => {
  it('a 12 MP phone photo with EXIF comes out 2048 px tall with no metadata', async () => {
    const input = await readFile(fixture('gestures/mediapipe-samples/hand_victory.jpg'));
    const before = await sharp(input).metadata();
    expect([before.width, before.height, !!before.exif]).toEqual([3000, 4000, true]);
    const photo = await intakePhoto(input);
    expect([photo.width, photo.height]).toEqual([1536, 2048]);
    expectCleanJpeg(photo.bytes);
    expect((await sharp(photo.bytes).metadata()).exif).toBeUndefined();
  });

  it('a portrait with EXIF and an ICC profile comes out clean', async () => {
    const input = await readFile(fixture('faces/face_recognition/images/tests_obama3.jpg'));
    const before = await sharp(input).metadata();
    expect([!!before.exif, !!before.icc]).toEqual([true, true]);
    const photo = await intakePhoto(input);
    expect(Math.max(photo.width, photo.height)).toBe(2048);
    expectCleanJpeg(photo.bytes);
  });
});

describe('intakePhoto refuses', () => {
  it('a GIF, even one that would be named .jpg', async () => {
    const gif = await (await renderPhoto(64, 48)).gif().toBuffer();
    expect(await refusal(gif)).toEqual(['photo.unsupported_type', 415]);
  });

  it('an SVG (it can carry script)', async () => {
    const svg = new TextEncoder().encode('<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><script>alert(1)</script></svg>');
    expect(await refusal(svg)).toEqual(['photo.unsupported_type', 415]);
  });

  it('an HTML page', async () => {
    expect(await refusal(new TextEncoder().encode('<!doctype html><html><body>hi</body></html>'))).toEqual(['photo.unsupported_type', 415]);
  });

  it('a TIFF, which the decoder could read but the capture page never sends', async () => {
    const tiff = await (await renderPhoto(64, 48)).tiff().toBuffer();
    expect(await refusal(tiff)).toEqual(['photo.unsupported_type', 415]);
  });

  it('random bytes', async () => {
    const noise = randomBytes(4096);
    noise[0] = 0x00; // so the noise cannot open with an image signature by chance
    expect(await refusal(noise)).toEqual(['photo.unsupported_type', 415]);
  });

  it('a truncated JPEG', async () => {
    const whole = await (await renderPhoto(640, 480)).jpeg().toBuffer();
    expect(await refusal(whole.subarray(0, Math.floor(whole.length * 0.6)))).toEqual(['photo.undecodable', 422]);
  });

  it('a truncated PNG', async () => {
    const whole = await (await renderPhoto(320, 240)).png().toBuffer();
    expect(await refusal(whole.subarray(0, Math.floor(whole.length * 0.5)))).toEqual(['photo.undecodable', 422]);
  });

  it('JPEG magic bytes followed by garbage', async () => {
    const fake = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), randomBytes(2048)]);
    expect(await refusal(fake)).toEqual(['photo.undecodable', 422]);
  });

  it('a decompression bomb: a tiny PNG declaring 20000 x 20000 pixels', async () => {
    const bomb = renderPngBomb();
    expect(bomb.length).toBeLessThan(200_000);
    const started = performance.now();
    expect(await refusal(bomb)).toEqual(['photo.too_many_pixels', 422]);
    // Refused from the header: decoding 400 megapixels would take far longer than this.
    expect(performance.now() - started).toBeLessThan(1000);
  });

  it('more pixels than a lowered limit allows', async () => {
    const input = await (await renderPhoto(200, 200)).png().toBuffer();
    expect(await refusal(input, { maxPixels: 200 * 199 })).toEqual(['photo.too_many_pixels', 422]);
    await expect(intakePhoto(input, { maxPixels: 200 * 200 })).resolves.toMatchObject({ width: 200 });
  });

  it('more bytes than the limit', async () => {
    const input = await (await renderPhoto(200, 200)).png().toBuffer();
    expect(await refusal(input, { maxBytes: input.length - 1 })).toEqual(['photo.too_large', 413]);
  });

  it('nothing at all', async () => {
    expect(await refusal(new Uint8Array(0))).toEqual(['photo.empty', 400]);
  });
});
