// Intake of one uploaded photo: everything the pipeline and the reviewers later see has passed
// through here, typed by its bytes, bounded, decoded once, stripped of metadata and re-encoded.
import { createHash } from 'node:crypto';
import sharp from 'sharp';
import { Problem } from '../problem/index.js';
import { emptyPhoto } from './read.js';
import { sniffImageType, type PhotoType } from './sniff.js';

export interface PhotoLimits {
  maxBytes: number;
  maxPixels: number;
  maxSide: number;
}

export const PHOTO_LIMITS: Readonly<PhotoLimits> = Object.freeze({
  // A full-resolution phone JPEG is 2-6 MiB; 10 MiB leaves room without inviting huge bodies.
  maxBytes: 10 * 1024 * 1024,
  // 40 MP covers today's phone sensors at full size; the decoder refuses more before allocating,
  // so a small file declaring vast dimensions (a decompression bomb) cannot exhaust memory.
  maxPixels: 40_000_000,
  // 2048 px on the longest side keeps the fine print that OCR reads (MRZ lines, a newspaper's
  // date, an 18-digit ID number on a card held at arm's length) while the face and hand models
  // work at a few hundred pixels anyway; it bounds storage and the pipeline's decode cost.
  maxSide: 2048,
});

export interface IntakenPhoto {
  bytes: Uint8Array;
  /** Hex SHA-256 of the re-encoded bytes: the photo's storage name and duplicate check. */
  sha256: string;
  width: number;
  height: number;
  contentType: 'image/jpeg';
}

// libvips keeps recent operations and their pixels (50 MB by default) in case the same one is asked
// for again; every upload is new, so nothing is ever found there and a 40-MP photo's buffers stay.
sharp.cache(false);

/**
 * Photos decoded at once. A 40-MP photo needs over 100 MB of pixels while it is turned and shrunk;
 * four at a time raised the peak and what the allocator kept afterwards (`npm run bench
 * intake-memory`), and bought no speed: sharp already gives each decode one libvips thread under
 * glibc, so the others simply wait their turn.
 */
const DECODES_AT_ONCE = 1;
let decoding = 0;
const waiting: (() => void)[] = [];

async function oneDecodeAtATime<T>(work: () => Promise<T>): Promise<T> {
  if (decoding >= DECODES_AT_ONCE) await new Promise<void>((resolve) => waiting.push(resolve));
  else decoding++;
  try {
    return await work();
  } finally {
    // The slot passes straight to the next in line, so a newcomer cannot overtake it.
    const next = waiting.shift();
    if (next) next();
    else decoding--;
  }
}

// The decoder's own name for each accepted type: the sniffed type and the decoded one must agree.
const DECODER_FORMAT: Record<PhotoType, string> = { 'image/jpeg': 'jpeg', 'image/png': 'png', 'image/webp': 'webp' };

export async function intakePhoto(bytes: Uint8Array, limits: Partial<PhotoLimits> = {}): Promise<IntakenPhoto> {
  const { maxBytes, maxPixels, maxSide } = { ...PHOTO_LIMITS, ...limits };
  if (bytes.byteLength === 0) throw emptyPhoto();
  if (bytes.byteLength > maxBytes) throw new Problem('photo.too_large', 413, `a photo is at most ${maxBytes} bytes`);

  const type = sniffImageType(bytes);
  if (!type) throw new Problem('photo.unsupported_type', 415, 'a photo must be a JPEG, PNG or WebP image');

  const input = {
    limitInputPixels: maxPixels,
    // 'error' refuses truncated and corrupt pixel data but lets through the harmless warnings
    // some encoders provoke (an sRGB profile libpng dislikes, say).
    failOn: 'error' as const,
    // Only the first frame of an animated WebP is the photo.
    animated: false,
  };

  // The header alone gives the dimensions, so a bomb is refused before any pixel is decoded.
  let header: sharp.Metadata;
  try {
    header = await sharp(bytes, input).metadata();
  } catch (err) {
    throw decodeFailure(err, maxPixels);
  }
  if (header.format !== DECODER_FORMAT[type]) {
    throw new Problem('photo.unsupported_type', 415, 'the photo\'s content does not match its image type');
  }
  if (!header.width || !header.height) throw undecodable(new Error('no dimensions in the image header'));
  if (header.width * header.height > maxPixels) throw tooManyPixels(maxPixels);

  let encoded: { data: Buffer; info: sharp.OutputInfo };
  try {
    encoded = await oneDecodeAtATime(() => sharp(bytes, input)
      // Camera orientation becomes real pixel rotation, since the EXIF tag is about to go.
      .rotate()
      .resize({ width: maxSide, height: maxSide, fit: 'inside', withoutEnlargement: true })
      // JPEG has no alpha; a transparent PNG or WebP gets a white ground, not a black one.
      .flatten({ background: '#ffffff' })
      // No withMetadata(): sharp writes none of EXIF (GPS, device, time), XMP, IPTC or ICC, and
      // converts to sRGB so the colours survive the profile's removal.
      .jpeg({ quality: 90 })
      .toBuffer({ resolveWithObject: true }));
  } catch (err) {
    throw decodeFailure(err, maxPixels);
  }

  const out = new Uint8Array(encoded.data.buffer, encoded.data.byteOffset, encoded.data.byteLength);
  return {
    bytes: out,
    sha256: createHash('sha256').update(out).digest('hex'),
    width: encoded.info.width,
    height: encoded.info.height,
    contentType: 'image/jpeg',
  };
}

// sharp reports its own pixel-limit refusal as an error message; any other failure is the file's.
function decodeFailure(err: unknown, maxPixels: number): Problem {
  if (err instanceof Error && /pixel limit/i.test(err.message)) return tooManyPixels(maxPixels);
  return undecodable(err);
}

function tooManyPixels(maxPixels: number): Problem {
  return new Problem('photo.too_many_pixels', 422, `a photo has at most ${maxPixels} pixels`);
}

function undecodable(cause: unknown): Problem {
  const failure = new Problem('photo.undecodable', 422, 'the photo is corrupt or truncated and could not be decoded');
  failure.cause = cause;
  return failure;
}
