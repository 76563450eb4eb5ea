// Replayed photos: the same upload used for two steps, a re-encoded or resized copy of one, and a
// photo already seen in another session. Perceptual hashes survive re-encoding; SHA-256 catches the
// byte-identical case for free.
import { and, isNotNull, isNull, ne, sql } from 'drizzle-orm';
import type { SpoofSignal } from '../decide/evidence.js';
import { tables, type Db } from '../db/index.js';
import { hammingDistance } from '../spoof/phash.js';

/**
 * Hashes at most this many bits apart (of 64) are reported. Measured on the fixture portraits
 * (test/unit/pipeline/duplicates.test.ts): a JPEG re-encode, a halving of the size or a brighter copy
 * moves the hash 0 bits, a 3% crop 4, a 2 degree turn 6; two distinct shots of one person against one
 * dark studio backdrop are 10 apart, and composed session photos of one person 8 to 16. Above 6, a
 * genuine series of shots would be flagged as often as a replay.
 */
export const NEAR_DUPLICATE_MAX_BITS = 6;

/**
 * Signal strength from the distance: 1 at 0 bits, falling by 1/40 per bit, so a copy within 3 bits
 * scores above 0.9 (decide's default reject level for duplicates) and 4 to 6 bits (a cropped or
 * turned copy, or an unlucky genuine pair) score 0.85 to 0.9: a reviewer looks.
 */
export function duplicateScore(bits: number): number {
  return Math.max(0, 1 - bits / 40);
}

export interface HashedPhoto {
  stepId: string;
  photoId: string;
  sha256: string;
  phash: string;
}

/** Same photo twice, or a near copy, among the steps of one session. */
export function duplicatesInSession(photos: HashedPhoto[]): SpoofSignal[] {
  const signals: SpoofSignal[] = [];
  for (let i = 0; i < photos.length; i++) {
    for (let j = i + 1; j < photos.length; j++) {
      const a = photos[i];
      const b = photos[j];
      if (a.sha256 === b.sha256) {
        signals.push({ code: 'same_photo_twice', stepId: b.stepId, score: 1, detail: `steps ${a.stepId} and ${b.stepId} carry the same photo (identical bytes)` });
        continue;
      }
      const bits = hammingDistance(a.phash, b.phash);
      if (bits <= NEAR_DUPLICATE_MAX_BITS) {
        signals.push({
          code: 'near_duplicate_in_session', stepId: b.stepId, score: duplicateScore(bits),
          detail: `photos of steps ${a.stepId} and ${b.stepId} are ${bits} of 64 perceptual-hash bits apart`,
        });
      }
    }
  }
  return signals;
}

/**
 * Photos of other sessions (any tenant: one person selling under several names across platforms is
 * the fraud this stops) whose hash is within NEAR_DUPLICATE_MAX_BITS, counted in the database so the
 * search covers every stored photo. The detail names no other session: it may be another tenant's.
 */
export async function duplicatesElsewhere(db: Db, sessionId: string, photos: HashedPhoto[]): Promise<SpoofSignal[]> {
  const signals: SpoofSignal[] = [];
  const p = tables.photos;
  for (const photo of photos) {
    // pHash is 16 hex digits: as bit(64) the XOR's popcount is the Hamming distance (PostgreSQL 14+).
    const distance = sql<number>`bit_count(('x' || ${p.phash})::bit(64) # ('x' || ${photo.phash})::bit(64))`;
    const rows = await db.select({ bits: distance, createdAt: p.createdAt }).from(p)
      .where(and(isNotNull(p.phash), ne(p.sessionId, sessionId), isNull(p.deletedAt),
        sql`length(${p.phash}) = 16`, sql`${distance} <= ${NEAR_DUPLICATE_MAX_BITS}`))
      .orderBy(distance).limit(1);
    const hit = rows[0];
    if (!hit) continue;
    const bits = Number(hit.bits);
    signals.push({
      code: 'near_duplicate_other_session', stepId: photo.stepId, score: duplicateScore(bits),
      detail: `photo of step ${photo.stepId} is ${bits} of 64 perceptual-hash bits from a photo of another session uploaded ${new Date(hit.createdAt).toISOString().slice(0, 10)}`,
    });
  }
  return signals;
}
