// Platforms (tenants) and their API keys. A key is 256 random bits shown once; only its SHA-256 is kept.
import { and, eq, isNull } from 'drizzle-orm';
import { tables, type Db } from '../db/index.js';
import { newId, sha256Hex } from '../ids/index.js';
import { appendAudit } from '../audit/index.js';

export async function createTenant(db: Db, name: string, now: Date): Promise<{ tenantId: string; apiKey: string }> {
  const tenantId = newId('ten');
  const apiKey = `rp_live_${Buffer.from(crypto.getRandomValues(new Uint8Array(32))).toString('base64url')}`;
  await db.transaction(async (tx) => {
    await tx.insert(tables.tenants).values({ id: tenantId, name, createdAt: now });
    await tx.insert(tables.apiKeys).values({ id: newId('key'), tenantId, hash: await sha256Hex(apiKey), createdAt: now });
    await appendAudit(tx, { actor: 'operator', action: 'tenant.created', tenantId, subject: tenantId, data: { name } }, now);
  });
  return { tenantId, apiKey };
}

/** The tenant an API key belongs to, or null (unknown or revoked). */
export async function tenantForApiKey(db: Db, apiKey: string): Promise<string | null> {
  const [row] = await db.select({ tenantId: tables.apiKeys.tenantId }).from(tables.apiKeys)
    .where(and(eq(tables.apiKeys.hash, await sha256Hex(apiKey)), isNull(tables.apiKeys.revokedAt))).limit(1);
  return row?.tenantId ?? null;
}
