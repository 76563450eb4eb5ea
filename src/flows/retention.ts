// The retention policy: photos and face embeddings older than RETENTION_DAYS are deleted; decisions and
// the audit log stay. Rows are marked first (one transaction per batch), blobs removed after, so a crash
// in between leaves nothing readable behind a live row.
import { and, inArray, isNotNull, isNull, lt } from 'drizzle-orm';
import { tables } from '../db/index.js';
import { appendAudit } from '../audit/index.js';
import type { FlowDeps } from './deps.js';

export async function purgeExpired(deps: Pick<FlowDeps, 'db' | 'store' | 'clock' | 'config'>, actor = 'system'): Promise<{ photos: number; embeddings: number }> {
  const now = deps.clock.now();
  const cutoff = new Date(now.getTime() - deps.config.RETENTION_DAYS * 86_400_000);
  let photos = 0;
  for (;;) {
    const keys = await deps.db.transaction(async (tx) => {
      const batch = await tx.select({ id: tables.photos.id, key: tables.photos.storageKey }).from(tables.photos)
        .where(and(isNull(tables.photos.deletedAt), lt(tables.photos.createdAt, cutoff))).limit(500);
      if (batch.length === 0) return [];
      await tx.update(tables.photos).set({ deletedAt: now }).where(inArray(tables.photos.id, batch.map((b) => b.id)));
      return batch.map((b) => b.key);
    });
    if (keys.length === 0) break;
    for (const key of keys) await deps.store.delete(key);
    photos += keys.length;
  }
  const cleared = await deps.db.update(tables.evidence).set({ embeddings: null })
    .where(and(isNotNull(tables.evidence.embeddings), lt(tables.evidence.createdAt, cutoff))).returning({ id: tables.evidence.sessionId });
  if (photos > 0 || cleared.length > 0) {
    await appendAudit(deps.db, { actor, action: 'retention.purged', data: { photos, embeddings: cleared.length, retentionDays: deps.config.RETENTION_DAYS } }, now);
  }
  return { photos, embeddings: cleared.length };
}
