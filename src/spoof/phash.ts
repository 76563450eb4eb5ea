// Perceptual hash: 64 bits that survive re-encoding, resizing and brightness changes, so a photo
// re-uploaded for another step or another session is found even when its bytes differ.
import sharp from 'sharp';

const SIZE = 32;
const KEEP = 8;

// cos((2x+1)uπ / 2N) for the DCT-II rows actually kept (u < KEEP).
const COS: Float64Array[] = Array.from({ length: KEEP }, (_, u) =>
  Float64Array.from({ length: SIZE }, (_, x) => Math.cos(((2 * x + 1) * u * Math.PI) / (2 * SIZE))),
);

/** 64-bit pHash as 16 hex digits: the 8×8 lowest DCT frequencies of a 32×32 greyscale, each bit "above the median". */
export async function perceptualHash(image: Uint8Array): Promise<string> {
  const { data, info } = await sharp(image)
    .rotate()
    // Transparent pixels carry arbitrary colour: flatten onto black, as a JPEG re-encode would.
    .flatten({ background: '#000000' })
    .greyscale()
    .resize(SIZE, SIZE, { fit: 'fill' })
    .raw()
    .toBuffer({ resolveWithObject: true });
  const ch = info.channels;
  const px = new Float64Array(SIZE * SIZE);
  for (let i = 0; i < SIZE * SIZE; i++) px[i] = data[i * ch];
  return hashFromPixels(px);
}

/** The hash of a 32×32 greyscale raster (row-major), exported for tests of the transform itself. */
export function hashFromPixels(px: Float64Array): string {
  // Separable DCT: rows first (keeping KEEP frequencies), then columns.
  const rows = new Float64Array(SIZE * KEEP);
  for (let y = 0; y < SIZE; y++) {
    for (let u = 0; u < KEEP; u++) {
      let s = 0;
      for (let x = 0; x < SIZE; x++) s += px[y * SIZE + x] * COS[u][x];
      rows[y * KEEP + u] = s;
    }
  }
  const coeffs = new Float64Array(KEEP * KEEP);
  for (let v = 0; v < KEEP; v++) {
    for (let u = 0; u < KEEP; u++) {
      let s = 0;
      for (let y = 0; y < SIZE; y++) s += rows[y * KEEP + u] * COS[v][y];
      coeffs[v * KEEP + u] = s;
    }
  }
  // The median leaves out the DC term, which only says how bright the picture is.
  const median = Array.from(coeffs.subarray(1)).sort((a, b) => a - b)[31];
  let hex = '';
  for (let nibble = 0; nibble < 16; nibble++) {
    let n = 0;
    for (let b = 0; b < 4; b++) n = (n << 1) | (coeffs[nibble * 4 + b] > median ? 1 : 0);
    hex += n.toString(16);
  }
  return hex;
}

/** Number of differing bits between two hex hashes of equal length. */
export function hammingDistance(a: string, b: string): number {
  if (a.length !== b.length || !/^[0-9a-f]*$/i.test(a) || !/^[0-9a-f]*$/i.test(b)) {
    throw new Error(`hashes must be hex strings of equal length (got ${a.length} and ${b.length} characters)`);
  }
  let d = 0;
  for (let i = 0; i < a.length; i++) {
    let x = parseInt(a[i], 16) ^ parseInt(b[i], 16);
    while (x) { d += x & 1; x >>= 1; }
  }
  return d;
}
