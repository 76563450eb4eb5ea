// Deleting photos so that none outlives the decision to delete it. Whoever decides (an erasure, the
// retention purge, a retake, an upload about to write its blob) records the key or the session's
// folder in blob_deletions inside its own transaction; the blobs are deleted after the commit and
// the record removed last. A crash anywhere in between leaves the record, and the sweep (at start,
// hourly with retention, and `realperson purge`) finishes the deletes.
import { and, asc, eq, gt, lte } from 'drizzle-orm';
import { isDatabaseUnavailable, tables, type Db, type Tx } from '../db/index.js';
import type { BlobStore } from '../storage/index.js';
import type { Clock } from './deps.js';

type Executor = Db | Tx;

/**
 * An upload's blob is swept only after this long without its row: the request writing it has long
 * finished or failed by then (a photo is at most MAX_PHOTO_BYTES, read and re-encoded in seconds).
 */
export const UPLOAD_GRACE_MS = 15 * 60_000;

/** Every photo of a session lives under this folder (the capture flow writes them there). */
export function sessionFolder(tenantId: string, sessionId: string): string {
  return `photos/${tenantId}/${sessionId}/`;
}

/** Records blob keys or folders (ending in "/") to delete; a key already recorded keeps its record. */
export async function recordBlobDeletions(tx: Executor, tenantId: string, keys: string[], dueAt: Date, now: Date): Promise<void> {
  if (keys.length === 0) return;
  await tx.insert(tables.blobDeletions).values([...new Set(keys)].map((key) => ({ key, tenantId, dueAt, createdAt: now })))
    .onConflictDoUpdate({ target: tables.blobDeletions.key, set: { dueAt } });
}

/**
 * Deletes the blobs behind recorded keys and folders, then their records. Answers how many blobs
 * were found and deleted. A storage failure is thrown with the records left for the sweep.
 */
export async function deleteRecordedBlobs(deps: { db: Db; store: BlobStore }, keys: string[]): Promise<number> {
  let deleted = 0;
  for (const key of [...new Set(keys)]) {
    if (key.endsWith('/')) {
      // Listed in full first: deleting while paging through an S3 listing can skip keys.
      const found: string[] = [];
      for await (const k of deps.store.list(key)) found.push(k);
      for (const k of found) await deps.store.delete(k);
      deleted += found.length;
    } else {
      // Deleted even when absent: a write a crash cut short may have left its partial file behind.
      if (await deps.store.exists(key)) deleted++;
      await deps.store.delete(key);
    }
    await deps.db.delete(tables.blobDeletions).where(eq(tables.blobDeletions.key, key));
  }
  return deleted;
}

/**
 * Finishes every recorded deletion that is due: erasures and purges a crash interrupted, uploads
 * whose row never committed. Safe to run in several processes at once (deletes are idempotent).
 */
export async function sweepBlobDeletions(deps: { db: Db; store: BlobStore; clock: Clock }): Promise<{ blobs: number; records: number; failed: string[] }> {
  const now = deps.clock.now();
  let blobs = 0;
  let records = 0;
  const failed: string[] = [];
  let after = '';
  for (;;) {
    // Walked in key order from the last one seen, so a record whose delete keeps failing is not
    // read again in this pass. One key storage refuses (a legal hold, a denied policy) must not stop
    // the records after it, nor the purge that runs the sweep: it is counted, logged by the caller,
    // and tried again by the next sweep. A database that cannot be reached ends the pass.
    const batch = await deps.db.select({ key: tables.blobDeletions.key }).from(tables.blobDeletions)
      .where(and(lte(tables.blobDeletions.dueAt, now), after ? gt(tables.blobDeletions.key, after) : undefined))
      .orderBy(asc(tables.blobDeletions.key)).limit(200);
    if (batch.length === 0) break;
    for (const { key } of batch) {
      try {
        blobs += await deleteRecordedBlobs(deps, [key]);
        records++;
      } catch (err) {
        if (isDatabaseUnavailable(err)) throw err;
        failed.push(key);
      }
    }
    after = batch[batch.length - 1].key;
  }
  return { blobs, records, failed };
}
