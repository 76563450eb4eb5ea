// The retention policy: photos and face embeddings older than RETENTION_DAYS are deleted; decisions and
// the audit log stay. Rows are marked and their blobs recorded for deletion in one transaction per
// batch, blobs removed after; a crash in between leaves the records, which the sweep at the start of
// every purge (and of every service process) finishes. `leftoverBlobs` counts blobs no live row
// listed: deletes a crash interrupted, uploads whose row never committed.
import { and, inArray, isNotNull, isNull, lt } from 'drizzle-orm';
import { tables } from '../db/index.js';
import { appendAudit } from '../audit/index.js';
import { deleteRecordedBlobs, recordBlobDeletions, sessionFolder, sweepBlobDeletions } from './blobs.js';
import type { FlowDeps } from './deps.js';

export async function purgeExpired(deps: Pick<FlowDeps, 'db' | 'store' | 'clock' | 'config'>, actor = 'system'): Promise<{ photos: number; embeddings: number; leftoverBlobs: number; blobDeletesFailed: number }> {
  const now = deps.clock.now();
  const cutoff = new Date(now.getTime() - deps.config.RETENTION_DAYS * 86_400_000);
  // Erasures, purges and retakes a crash interrupted, and uploads whose row never committed.
  const swept = await sweepBlobDeletions(deps);
  // Embeddings live in the database alone: cleared before any blob work, so storage failing below
  // (thrown with the deletions recorded for the next sweep) never keeps them past retention.
  const cleared = await deps.db.update(tables.evidence).set({ embeddings: null })
    .where(and(isNotNull(tables.evidence.embeddings), lt(tables.evidence.createdAt, cutoff))).returning({ id: tables.evidence.sessionId });
  let photos = 0;
  for (;;) {
    const keys = await deps.db.transaction(async (tx) => {
      const batch = await tx.select({ id: tables.photos.id, key: tables.photos.storageKey, tenantId: tables.photos.tenantId }).from(tables.photos)
        .where(and(isNull(tables.photos.deletedAt), lt(tables.photos.createdAt, cutoff))).limit(500);
      if (batch.length === 0) return [];
      await tx.update(tables.photos).set({ deletedAt: now }).where(inArray(tables.photos.id, batch.map((b) => b.id)));
      for (const b of batch) await recordBlobDeletions(tx, b.tenantId, [b.key], now, now);
      return batch.map((b) => b.key);
    });
    if (keys.length === 0) break;
    await deleteRecordedBlobs(deps, keys);
    photos += keys.length;
  }
  // A session whose capture link expired before the cutoff can hold no photo younger than it, so its
  // whole folder goes, once: blobs no row lists included (an upload that failed before deletions
  // were recorded could leave one).
  let leftover = swept.blobs;
  for (;;) {
    const folders = await deps.db.transaction(async (tx) => {
      const batch = await tx.select({ id: tables.sessions.id, tenantId: tables.sessions.tenantId }).from(tables.sessions)
        .where(and(isNull(tables.sessions.blobsPurgedAt), lt(tables.sessions.expiresAt, cutoff))).limit(200)
        .for('update', { skipLocked: true });
      if (batch.length === 0) return [];
      await tx.update(tables.sessions).set({ blobsPurgedAt: now }).where(inArray(tables.sessions.id, batch.map((b) => b.id)));
      for (const b of batch) await recordBlobDeletions(tx, b.tenantId, [sessionFolder(b.tenantId, b.id)], now, now);
      return batch.map((b) => sessionFolder(b.tenantId, b.id));
    });
    if (folders.length === 0) break;
    leftover += await deleteRecordedBlobs(deps, folders);
  }
  if (photos > 0 || cleared.length > 0 || leftover > 0) {
    await appendAudit(deps.db, { actor, action: 'retention.purged', data: { photos, embeddings: cleared.length, leftoverBlobs: leftover, retentionDays: deps.config.RETENTION_DAYS } }, now);
  }
  // Recorded deletes storage refused: kept for the next sweep, and said so.
  return { photos, embeddings: cleared.length, leftoverBlobs: leftover, blobDeletesFailed: swept.failed.length };
}
