// Photos of other sessions close enough to a photo of this one to be a replay. The spoof module
// judges the distances (findDuplicates); this file only fetches the candidates from the database.
import { and, isNotNull, isNull, ne, sql } from 'drizzle-orm';
import { tables, type Db } from '../db/index.js';
import { NEAR_DUPLICATE_MAX_BITS, type OtherSessionPhoto } from '../spoof/index.js';

/**
 * Stored photos of other sessions (any tenant: one person selling under several names across
 * platforms is the fraud this stops) within NEAR_DUPLICATE_MAX_BITS of one of `phashes`. The
 * distance is counted in the database, so the search covers every stored photo rather than a
 * recent window; at most `perPhoto` closest ones per hash.
 */
export async function otherSessionPhotos(db: Db, sessionId: string, phashes: string[], perPhoto = 5): Promise<OtherSessionPhoto[]> {
  const p = tables.photos;
  const found: OtherSessionPhoto[] = [];
  for (const phash of new Set(phashes)) {
    if (!/^[0-9a-f]{16}$/.test(phash)) throw new Error(`not a 64-bit perceptual hash: ${phash.length} characters`);
    // 16 hex digits as bit(64): the XOR's popcount is the Hamming distance (PostgreSQL 14+).
    const distance = sql<number>`bit_count(('x' || ${p.phash})::bit(64) # ('x' || ${phash})::bit(64))`;
    const rows = await db.select({ sessionId: p.sessionId, phash: p.phash }).from(p)
      .where(and(isNotNull(p.phash), ne(p.sessionId, sessionId), isNull(p.deletedAt),
        sql`${p.phash} ~ '^[0-9a-f]{16}$'`, sql`${distance} <= ${NEAR_DUPLICATE_MAX_BITS}`))
      .orderBy(distance).limit(perPhoto);
    for (const r of rows) found.push({ sessionId: r.sessionId, phash: r.phash! });
  }
  return found;
}
