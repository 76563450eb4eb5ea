// The retention policy: photos and face embeddings older than RETENTION_DAYS are deleted; decisions and
// the audit log stay. Rows are marked and their blobs recorded for deletion in one transaction per
// batch, blobs removed after; a crash in between leaves the records, which the sweep at the start of
// every purge (and of every service process) finishes.
import { and, inArray, isNotNull, isNull, lt } from 'drizzle-orm';
import { tables } from '../db/index.js';
import { appendAudit } from '../audit/index.js';
import { deleteRecordedBlobs, recordBlobDeletions, sweepBlobDeletions } from './blobs.js';
import type { FlowDeps } from './deps.js';

export async function purgeExpired(deps: Pick<FlowDeps, 'db' | 'store' | 'clock' | 'config'>, actor = 'system'): Promise<{ photos: number; embeddings: number; unfinishedDeletes: number }> {
  const now = deps.clock.now();
  const cutoff = new Date(now.getTime() - deps.config.RETENTION_DAYS * 86_400_000);
  // Erasures, purges and retakes a crash interrupted, and uploads whose row never committed.
  const swept = await sweepBlobDeletions(deps);
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
  const cleared = await deps.db.update(tables.evidence).set({ embeddings: null })
    .where(and(isNotNull(tables.evidence.embeddings), lt(tables.evidence.createdAt, cutoff))).returning({ id: tables.evidence.sessionId });
  if (photos > 0 || cleared.length > 0 || swept.blobs > 0) {
    await appendAudit(deps.db, { actor, action: 'retention.purged', data: { photos, embeddings: cleared.length, unfinishedDeletes: swept.blobs, retentionDays: deps.config.RETENTION_DAYS } }, now);
  }
  return { photos, embeddings: cleared.length, unfinishedDeletes: swept.blobs };
}
