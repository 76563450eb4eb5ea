// Near duplicates: a copy of a photo (re-encoded, resized, brightened) stays within the pHash
// threshold; different photos, even of one person in one place, stay outside it.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import { duplicateScore, findDuplicates, hammingDistance, NEAR_DUPLICATE_MAX_BITS, perceptualHash } from '../../../src/spoof/index.js';
import { DEFAULT_POLICY } from '../../../src/decide/index.js';
import { fixture, haveFixtures } from '../../support/fixtures.js';
import { genuinePhotos, rate } from './photos.js';

describe('hammingDistance', () => {
  it.each([
    ['0000000000000000', '0000000000000000', 0],
    ['0000000000000000', 'ffffffffffffffff', 64],
    ['0f0f0f0f0f0f0f0f', 'f0f0f0f0f0f0f0f0', 64],
    ['8000000000000001', '0000000000000000', 2],
    ['ABCDEF0123456789', 'abcdef0123456788', 1],
  ])('%s vs %s is %i bits', (a, b, d) => {
    expect(hammingDistance(a, b)).toBe(d);
  });

  it('refuses hashes of different length or that are not hex', () => {
    expect(() => hammingDistance('00', '000')).toThrow(/equal length/);
    expect(() => hammingDistance('zz', '00')).toThrow(/hex/);
  });
});

describe('perceptualHash', () => {
  // A scene of shapes in several greys: flat synthetic pictures with nothing but a gradient leave
  // most DCT terms at zero, and no perceptual hash is stable on those.
  const scene = (flip: boolean) => {
    const shapes = [
      '<rect x="20" y="30" width="90" height="140" fill="#303030"/>',
      '<circle cx="200" cy="90" r="55" fill="#d0d0d0"/>',
      '<rect x="150" y="160" width="150" height="60" fill="#707070"/>',
      '<circle cx="70" cy="200" r="30" fill="#f0f0f0"/>',
    ].join('');
    const body = flip ? `<g transform="translate(320 0) scale(-1 1)">${shapes}</g>` : shapes;
    return sharp(Buffer.from(`<svg xmlns="http://www.w3.org/2000/svg" width="320" height="240"><rect width="320" height="240" fill="#a0a0a0"/>${body}</svg>`)).png().toBuffer();
  };

  it('is 16 hex digits, the same for the same bytes, and close for a re-encoded copy', async () => {
    const img = await scene(false);
    const h = await perceptualHash(img);
    expect(h).toMatch(/^[0-9a-f]{16}$/);
    expect(await perceptualHash(Buffer.from(img))).toBe(h);
    const copy = await perceptualHash(await sharp(img).jpeg({ quality: 70 }).toBuffer());
    expect(hammingDistance(h, copy)).toBeLessThanOrEqual(NEAR_DUPLICATE_MAX_BITS);
  });

  it('tells a picture from its mirror image', async () => {
    const d = hammingDistance(await perceptualHash(await scene(false)), await perceptualHash(await scene(true)));
    expect(d).toBeGreaterThan(NEAR_DUPLICATE_MAX_BITS * 2);
  });
});

describe('findDuplicates', () => {
  /** A hash `bits` bits away from the all-zero hash. */
  const away = (bits: number) => BigInt.asUintN(64, (1n << BigInt(bits)) - 1n).toString(16).padStart(16, '0');
  const photo = (stepId: string, bits: number, sha = stepId) => ({ stepId, sha256: sha, phash: away(bits) });

  it('identical bytes on two steps are the same photo twice, at full strength', () => {
    const signals = findDuplicates([photo('selfie', 0, 'x'), photo('g1', 30), photo('g2', 0, 'x')]);
    expect(signals).toEqual([expect.objectContaining({ code: 'same_photo_twice', stepId: 'g2', score: 1 })]);
    expect(signals[0].detail).toContain('selfie');
  });

  it(`a photo within ${NEAR_DUPLICATE_MAX_BITS} bits of another step is a near duplicate; one bit more is not`, () => {
    expect(findDuplicates([photo('a', 0), photo('b', NEAR_DUPLICATE_MAX_BITS)]).map((s) => s.code)).toEqual(['near_duplicate_in_session']);
    expect(findDuplicates([photo('a', 0), photo('b', NEAR_DUPLICATE_MAX_BITS + 1)])).toEqual([]);
  });

  it('reports the closest match once per step, scored so only a copy within 3 bits reaches the reject level', () => {
    const signals = findDuplicates([photo('a', 0), photo('b', 6), photo('c', 3)]);
    const c = signals.filter((s) => s.stepId === 'c');
    expect(c).toHaveLength(1);
    expect(c[0].detail).toContain('3 of 64');
    expect(duplicateScore(3)).toBeGreaterThan(DEFAULT_POLICY.spoofRejectAbove);
    expect(duplicateScore(4)).toBeLessThanOrEqual(DEFAULT_POLICY.spoofRejectAbove);
    expect(duplicateScore(NEAR_DUPLICATE_MAX_BITS)).toBeGreaterThan(DEFAULT_POLICY.spoofReviewAbove);
  });

  it('a photo near one of another session is reported without naming that session', () => {
    const signals = findDuplicates([photo('g1', 2)], [{ sessionId: 'sess-7', phash: away(0) }, { sessionId: 'sess-8', phash: away(40) }]);
    expect(signals).toEqual([expect.objectContaining({ code: 'near_duplicate_other_session', stepId: 'g1', score: duplicateScore(2) })]);
    expect(signals[0].detail).not.toContain('sess-7');
  });

  it('different photos raise nothing', () => {
    expect(findDuplicates([photo('a', 0), photo('b', 20), photo('c', 40)], [{ sessionId: 's', phash: away(60) }])).toEqual([]);
  });
});

describe.skipIf(!haveFixtures)('near duplicates among the fixture photos', () => {
  const photos = genuinePhotos();
  const hashes = new Map<string, string>();
  const copies: { photo: string; kind: string; bits: number; small: boolean }[] = [];

  beforeAll(async () => {
    for (const p of photos) {
      const buf = readFileSync(fixture(p));
      const h = await perceptualHash(buf);
      hashes.set(p, h);
      const meta = await sharp(buf).metadata();
      const small = Math.max(meta.width!, meta.height!) < 400;
      const variants: Record<string, Promise<Buffer>> = {
        'JPEG q60': sharp(buf).jpeg({ quality: 60 }).toBuffer(),
        'half size': sharp(buf).resize({ width: Math.round(meta.width! / 2) }).jpeg({ quality: 85 }).toBuffer(),
        '10% brighter': sharp(buf).modulate({ brightness: 1.1 }).jpeg({ quality: 85 }).toBuffer(),
        '10% darker': sharp(buf).linear(0.9, 0).jpeg({ quality: 85 }).toBuffer(),
      };
      for (const [kind, v] of Object.entries(variants)) copies.push({ photo: p, kind, small, bits: hammingDistance(h, await perceptualHash(await v)) });
    }
    const within = copies.filter((c) => c.bits <= NEAR_DUPLICATE_MAX_BITS).length;
    const worst = copies.filter((c) => c.bits > NEAR_DUPLICATE_MAX_BITS).map((c) => `${c.photo} ${c.kind} ${c.bits}`);
    console.log(`[pHash] copies within ${NEAR_DUPLICATE_MAX_BITS} bits: ${rate(within, copies.length)}; outside: ${worst.join('; ') || 'none'}`);
  }, 170_000);

  it('a re-encoded, resized, brightened or darkened copy of a camera-size photo is a near duplicate', () => {
    const camera = copies.filter((c) => !c.small);
    expect(camera.length).toBeGreaterThan(100);
    expect(camera.filter((c) => c.bits > NEAR_DUPLICATE_MAX_BITS)).toEqual([]);
  });

  it('copies of the tiny flat-background pictures mostly stay near duplicates too', () => {
    const small = copies.filter((c) => c.small);
    expect(small.filter((c) => c.bits <= NEAR_DUPLICATE_MAX_BITS).length / small.length).toBeGreaterThanOrEqual(0.85);
  });

  it('no two different photos are near duplicates, not even one person seconds apart', () => {
    const pairs: { a: string; b: string; bits: number }[] = [];
    for (let i = 0; i < photos.length; i++) {
      for (let j = i + 1; j < photos.length; j++) pairs.push({ a: photos[i], b: photos[j], bits: hammingDistance(hashes.get(photos[i])!, hashes.get(photos[j])!) });
    }
    pairs.sort((x, y) => x.bits - y.bits);
    console.log(`[pHash] ${pairs.length} pairs of different photos; closest: ${pairs.slice(0, 3).map((p) => `${p.a} / ${p.b} ${p.bits}`).join('; ')}`);
    expect(pairs[0].bits).toBeGreaterThan(NEAR_DUPLICATE_MAX_BITS);
    const sameWoman = hammingDistance(hashes.get('faces/human/stock-emotions-a-5.jpg')!, hashes.get('faces/human/stock-emotions-a-7.jpg')!);
    expect(sameWoman).toBeGreaterThan(NEAR_DUPLICATE_MAX_BITS);
  });

  it('two gesture photos of one person in one place are not near duplicates', async () => {
    // No fixture shows one person making two gestures in one spot: compose them, a real hand photo
    // pasted beside the same real portrait, once low left and once low right.
    const people = ['faces/human/stock-emotions-b-1.jpg', 'faces/human/stock-emotions-a-1.jpg', 'faces/face_recognition/images/obama__train_obama.jpg', 'faces/human/person-vlado1.jpg'];
    const hands = ['gestures/hand-gesture-recognition-system/thumbs_up.jpg', 'gestures/hand-gesture-recognition-system/victory.jpg'];
    const distances: number[] = [];
    for (const person of people) {
      const p = readFileSync(fixture(person));
      const m = await sharp(p).metadata();
      const w = Math.round(m.width! * 0.2);
      const shots: string[] = [];
      for (const [i, hand] of hands.entries()) {
        const h = await sharp(readFileSync(fixture(hand))).resize({ width: w }).toBuffer();
        const hm = await sharp(h).metadata();
        const left = i === 0 ? Math.round(m.width! * 0.05) : m.width! - w - Math.round(m.width! * 0.05);
        const top = m.height! - hm.height! - Math.round(m.height! * 0.05);
        shots.push(await perceptualHash(await sharp(p).composite([{ input: h, left, top }]).jpeg({ quality: 85 }).toBuffer()));
      }
      distances.push(hammingDistance(shots[0], shots[1]));
    }
    console.log(`[pHash] gesture A vs gesture B of one person: ${distances.join(', ')} bits`);
    expect(Math.min(...distances)).toBeGreaterThan(NEAR_DUPLICATE_MAX_BITS);
  });

  it('a session with one photo uploaded twice, a re-encoded copy, and a photo seen in another session', async () => {
    const a = readFileSync(fixture('faces/human/stock-emotions-a-1.jpg'));
    const b = readFileSync(fixture('faces/human/stock-emotions-a-3.jpg'));
    const c = readFileSync(fixture('faces/human/stock-emotions-a-5.jpg'));
    const copyOfC = await sharp(c).resize({ width: 700 }).jpeg({ quality: 75 }).toBuffer();
    const photo = async (stepId: string, x: Buffer) => ({ stepId, sha256: createHash('sha256').update(x).digest('hex'), phash: await perceptualHash(x) });
    const session = [await photo('selfie', a), await photo('g1', b), await photo('g2', a), await photo('paper', copyOfC), await photo('id', c)];
    const others = [{ sessionId: 's-other', phash: await perceptualHash(await sharp(b).modulate({ brightness: 1.05 }).jpeg().toBuffer()) }];

    const signals = findDuplicates(session, others);
    const by = (code: string) => signals.filter((s) => s.code === code).map((s) => s.stepId);
    expect(by('same_photo_twice')).toEqual(['g2']);
    expect(by('near_duplicate_in_session')).toEqual(['id']);
    expect(by('near_duplicate_other_session')).toEqual(['g1']);
    for (const s of signals) expect(s.detail).not.toContain('s-other');
    expect(signals.find((s) => s.code === 'same_photo_twice')!.score).toBe(1);

    // Genuine, different photos of the same woman raise nothing.
    expect(findDuplicates([await photo('selfie', a), await photo('g1', b), await photo('g2', c)])).toEqual([]);
  });
});
