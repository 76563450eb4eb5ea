// What the spoof signals do to a decision: a replayed photo rejects, a photographed screen goes to a
// reviewer, and Human's weak scores never decide on their own.
import { createHash } from 'node:crypto';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { decide, DEFAULT_POLICY, type Evidence, type SpoofSignal } from '../../../src/decide/index.js';
import { findDuplicates, livenessSignals, perceptualHash, screenOrPrintSignals } from '../../../src/spoof/index.js';
import { passingEvidence } from '../decide/sessions.js';
import { blobs, framed, withGrid } from './pictures.js';

const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

function sessionWith(signals: SpoofSignal[]): Evidence {
  const e = passingEvidence();
  e.spoof.push(...signals);
  return e;
}

describe('spoof signals in a decision', () => {
  it('the same photo uploaded for two gesture steps rejects the session', async () => {
    const a = await blobs(640, 480, 11);
    const b = await blobs(640, 480, 12);
    const photos = [
      { stepId: 'g1', sha256: sha256(a), phash: await perceptualHash(a) },
      { stepId: 'g2', sha256: sha256(a), phash: await perceptualHash(a) },
      { stepId: 'selfie', sha256: sha256(b), phash: await perceptualHash(b) },
    ];
    const d = decide(sessionWith(findDuplicates(photos)), DEFAULT_POLICY);
    expect(d.outcome).toBe('rejected');
    expect(d.reasons[0].code).toBe('spoof_strong');
    expect(d.reasons[0].detail).toContain('same_photo_twice');
  });

  it('a re-encoded copy of a gesture photo on the other gesture step rejects the session', async () => {
    const a = await blobs(800, 600, 13);
    const copy = await sharp(a).resize({ width: 720 }).jpeg({ quality: 70 }).toBuffer();
    const photos = [
      { stepId: 'g1', sha256: sha256(a), phash: await perceptualHash(a) },
      { stepId: 'g2', sha256: sha256(copy), phash: await perceptualHash(copy) },
    ];
    const signals = findDuplicates(photos);
    expect(signals.map((s) => s.code)).toEqual(['near_duplicate_in_session']);
    expect(decide(sessionWith(signals), DEFAULT_POLICY).outcome).toBe('rejected');
  });

  it('a photographed screen goes to a reviewer: neither approved nor rejected on a heuristic', async () => {
    const signals = await screenOrPrintSignals(await framed(await withGrid(await blobs(640, 480, 14), 0.25)), 'selfie');
    expect(signals.length).toBeGreaterThan(0);
    const d = decide(sessionWith(signals), DEFAULT_POLICY);
    expect(d.outcome).toBe('review');
    expect(d.reasons.map((r) => r.code)).toContain('spoof_suspected');
  });

  it('a plain photo adds no screen signal, and the session is approved', async () => {
    const signals = await screenOrPrintSignals(await blobs(640, 480, 15), 'selfie');
    expect(signals).toEqual([]);
    expect(decide(sessionWith(signals), DEFAULT_POLICY).outcome).toBe('approved');
  });

  it("Human's scores: a middling one is only recorded, an extreme one is reviewed, none rejects", () => {
    const recorded = decide(sessionWith(livenessSignals([{ real: 0.42, live: 0.9 }], 'selfie')), DEFAULT_POLICY);
    expect(recorded.outcome).toBe('approved');
    expect(recorded.reasons.map((r) => r.code)).toContain('spoof_weak_signal');

    const extreme = decide(sessionWith(livenessSignals([{ real: 0.01, live: 0.01 }], 'selfie')), DEFAULT_POLICY);
    expect(extreme.outcome).toBe('review');
  });
});
