// Replayed photos: the same upload used for two steps, a re-encoded, resized or brightened copy of
// one, and a photo already seen in another session.
import type { SpoofSignal } from '../decide/evidence.js';
import { hammingDistance } from './phash.js';

/**
 * Hashes at most this many bits apart (of 64) are near duplicates. Measured by
 * test/unit/spoof/phash.test.ts on the 49 face and gesture fixture photos: of 196 copies (JPEG
 * quality 60, half size, 10% brighter, 10% darker) 194 stay within 8 bits, every copy of a
 * camera-size photo within 6; the two outside are 288×192 hand drawings on flat white brightened
 * (10 and 12 bits). Of the 1,176 pairs of different photos the closest are one woman in one studio
 * seconds apart (stock-emotions-a-5 / a-7, 10 bits) and two hand drawings (12); two gesture photos
 * composed of one portrait with a real hand pasted left, then right, are 14 to 20 bits apart.
 */
export const NEAR_DUPLICATE_MAX_BITS = 8;

/**
 * Signal strength from the distance: 1 at 0 bits, 1/40 less per bit. A copy within 3 bits scores
 * above 0.9 (decide's default level for a rejecting spoof signal); 4 to 8 bits, which a heavy
 * re-edit of a copy or an unlucky genuine pair can reach, score 0.8 to 0.9: a reviewer looks.
 */
export function duplicateScore(bits: number): number {
  return Math.max(0, 1 - bits / 40);
}

export interface HashedPhoto {
  stepId: string;
  sha256: string;
  phash: string;
}

export interface OtherSessionPhoto {
  sessionId: string;
  phash: string;
}

/**
 * same_photo_twice (identical bytes on two steps), near_duplicate_in_session (two steps within
 * NEAR_DUPLICATE_MAX_BITS) and near_duplicate_other_session (a step within it of a photo of another
 * session; the caller passes only other sessions' photos). One signal per offending step and kind,
 * carrying the closest match.
 */
export function findDuplicates(photos: HashedPhoto[], others: OtherSessionPhoto[] = []): SpoofSignal[] {
  const signals: SpoofSignal[] = [];
  for (let j = 1; j < photos.length; j++) {
    const b = photos[j];
    let closest: { a: HashedPhoto; bits: number } | null = null;
    let same: HashedPhoto | null = null;
    for (let i = 0; i < j; i++) {
      const a = photos[i];
      if (a.sha256 === b.sha256) {
        same = a;
        break;
      }
      const bits = hammingDistance(a.phash, b.phash);
      if (bits <= NEAR_DUPLICATE_MAX_BITS && (!closest || bits < closest.bits)) closest = { a, bits };
    }
    if (same) {
      signals.push({
        code: 'same_photo_twice', stepId: b.stepId, score: 1,
        detail: `steps ${same.stepId} and ${b.stepId} carry the same photo (identical SHA-256)`,
      });
    } else if (closest) {
      signals.push({
        code: 'near_duplicate_in_session', stepId: b.stepId, score: duplicateScore(closest.bits),
        detail: `photos of steps ${closest.a.stepId} and ${b.stepId} are ${closest.bits} of 64 perceptual-hash bits apart (near duplicate at ${NEAR_DUPLICATE_MAX_BITS} or fewer)`,
      });
    }
  }
  for (const p of photos) {
    const near = others.map((o) => hammingDistance(p.phash, o.phash)).filter((bits) => bits <= NEAR_DUPLICATE_MAX_BITS);
    if (near.length > 0) {
      const bits = Math.min(...near);
      // The detail names no other session: it may belong to another tenant.
      signals.push({
        code: 'near_duplicate_other_session', stepId: p.stepId, score: duplicateScore(bits),
        detail: `photo of step ${p.stepId} is ${bits} of 64 perceptual-hash bits from a photo of another session (${near.length} within ${NEAR_DUPLICATE_MAX_BITS})`,
      });
    }
  }
  return signals;
}
