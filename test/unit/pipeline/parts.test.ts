// The evidence builder's pure parts: which face is which, replay detection on real photo hashes,
// and reading the declared identity off OCR text. No models run here.
import { readFile } from 'node:fs/promises';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import type { FaceObservation, Observations } from '../../../src/vision/index.js';
import { perceptualHash } from '../../../src/spoof/phash.js';
import { classifyFaces, lowestPairSimilarity, pickCardPortrait } from '../../../src/pipeline/faces.js';
import { duplicateScore, duplicatesInSession, NEAR_DUPLICATE_MAX_BITS, type HashedPhoto } from '../../../src/pipeline/duplicates.js';
import { compareRead, mrzLinesFrom, normaliseName } from '../../../src/pipeline/document.js';
import { fixture, haveFixtures } from '../../support/fixtures.js';

function face(width: number, embedding: number[]): FaceObservation {
  return {
    box: { x: 0, y: 0, width, height: width }, score: 0.9, sizeRatio: 0.1, angles: { yaw: 0, pitch: 0, roll: 0 },
    embedding, embeddingModel: 'test',
  };
}
const obs = (...faces: FaceObservation[]): Observations => ({ width: 1000, height: 1000, faces, hands: [], models: [], ms: 0 });

describe('which face is which', () => {
  it('takes the largest face as the live one, a much smaller one as printed, a similar-sized one as another person', () => {
    const live = face(400, [1, 0]);
    const card = face(90, [0, 1]);
    const bystander = face(250, [1, 1]);
    const faces = classifyFaces(obs(live, bystander, card));
    expect(faces.live).toBe(live);
    expect(faces.extra).toEqual([bystander]);
    expect(faces.printed).toEqual([card]);
    expect(classifyFaces(obs()).live).toBeNull();
  });

  it('picks the printed portrait closest to the ID photo as the held card', () => {
    const id = face(200, [1, 0, 0]);
    const poster = face(80, [0, 1, 0]);
    const card = face(60, [0.9, 0.1, 0]);
    expect(pickCardPortrait([poster, card], id)).toBe(card);
    expect(pickCardPortrait([poster, card], null)).toBe(poster);
    expect(pickCardPortrait([], id)).toBeNull();
  });

  it('reports the lowest similarity over every pair of live faces', () => {
    const a = face(100, [1, 0]);
    const b = face(100, [0.8, 0.6]);
    const c = face(100, [0, 1]);
    expect(lowestPairSimilarity([a, b])).toBeCloseTo(0.8, 6);
    expect(lowestPairSimilarity([a, b, c])).toBeCloseTo(0, 6);
    expect(lowestPairSimilarity([a])).toBeNull();
  });
});

describe('replayed photos in one session', () => {
  const hashed = (stepId: string, sha256: string, phash: string): HashedPhoto => ({ stepId, photoId: `p-${stepId}`, sha256, phash });

  it('flags identical bytes at full strength and near hashes by distance', () => {
    const signals = duplicatesInSession([
      hashed('s1', 'aa', '0000000000000000'),
      hashed('s2', 'aa', 'ffffffffffffffff'),
      hashed('s3', 'bb', '0000000000000007'),
      hashed('s4', 'cc', '00000000000000ff'),
    ]);
    expect(signals).toContainEqual(expect.objectContaining({ code: 'same_photo_twice', stepId: 's2', score: 1 }));
    expect(signals).toContainEqual(expect.objectContaining({ code: 'near_duplicate_in_session', stepId: 's3', score: duplicateScore(3) }));
    // 8 bits from s1 and 5 from s3: only the nearer pair is within reach
    expect(signals.filter((s) => s.stepId === 's4').map((s) => s.detail)).toEqual([expect.stringContaining('5 of 64')]);
    expect(duplicateScore(3)).toBeGreaterThan(0.9);
    expect(duplicateScore(NEAR_DUPLICATE_MAX_BITS)).toBeLessThanOrEqual(0.9);
  });

  describe.skipIf(!haveFixtures)('on real photos', () => {
    const hashOf = async (stepId: string, bytes: Buffer) => hashed(stepId, stepId, await perceptualHash(bytes));

    it('finds a re-encoded, shrunk or brightened copy strongly, and a cropped one', async () => {
      const photo = await readFile(fixture('faces/human/stock-emotions-a-5.jpg'));
      const copies = await Promise.all([
        hashOf('original', photo),
        hashOf('jpeg', await sharp(photo).jpeg({ quality: 55 }).toBuffer()),
        hashOf('half', await sharp(photo).resize({ width: 512 }).jpeg({ quality: 70 }).toBuffer()),
        hashOf('bright', await sharp(photo).modulate({ brightness: 1.2 }).jpeg().toBuffer()),
      ]);
      const strong = duplicatesInSession(copies).filter((s) => s.detail.includes('original') && s.score > 0.9);
      expect(strong.map((s) => s.stepId).sort()).toEqual(['bright', 'half', 'jpeg']);
      const cropped = await hashOf('cropped', await sharp(photo).extract({ left: 15, top: 20, width: 990, height: 1240 }).jpeg().toBuffer());
      expect(duplicatesInSession([copies[0], cropped]).map((s) => s.code)).toEqual(['near_duplicate_in_session']);
    });

    it('does not take two shots of one person against one backdrop for a replay', async () => {
      const shots = await Promise.all([3, 5, 7].map(async (n) => hashOf(`a-${n}`, await readFile(fixture(`faces/human/stock-emotions-a-${n}.jpg`)))));
      expect(duplicatesInSession(shots)).toEqual([]);
    });
  });
});

describe('reading the declared identity', () => {
  it('normalises names and numbers the way documents print them', () => {
    expect(normaliseName(' 李 小红 ')).toBe('李小红');
    expect(normaliseName('Zhang  San-Feng')).toBe('ZHANGSANFENG');
  });

  it('calls a one-character difference unverified, not a mismatch', () => {
    expect(compareRead('330106199203150027', '330106199203150027')).toBe(true);
    expect(compareRead('330106199208150027', '330106199203150027')).toBeNull();
    expect(compareRead('110101198001010012', '330106199203150027')).toBe(false);
    expect(compareRead('李小红', '王大明')).toBe(false);
  });

  it('picks the MRZ lines out of OCR text and squares them to their format', () => {
    const text = 'PASSPORT\nUTOPIA\nP<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\nL898902C36UTO7408122F1204159ZE184226B<<<<<10\n';
    const lines = mrzLinesFrom(text);
    expect(lines).toHaveLength(2);
    expect(lines.every((l) => l.length === 44)).toBe(true);
    expect(lines[1].startsWith('L898902C3')).toBe(true);
    expect(mrzLinesFrom('no machine-readable zone here')).toEqual([]);
  });
});
