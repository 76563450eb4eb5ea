// The append-only audit log. Each entry's hash covers its content and the previous entry's hash, so
// editing or deleting any row breaks the chain from that row on; verifyAuditChain names the first break.
import { asc, desc, sql } from 'drizzle-orm';
import { tables, type Db, type Tx } from '../db/index.js';
import { newId, sha256Hex } from '../ids/index.js';

export interface AuditEntry {
  actor: string;
  action: string;
  tenantId?: string | null;
  subject?: string | null;
  data?: Record<string, unknown>;
}

const GENESIS = '0'.repeat(64);
// Any process appending takes this lock for the rest of its transaction, so the chain stays linear
// under many API processes and pipeline workers.
const AUDIT_LOCK = 727302;

function canonical(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value ?? null);
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined).sort(([a], [b]) => a.localeCompare(b));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
}

function entryHash(prevHash: string, e: { id: string; at: Date; actor: string; action: string; tenantId: string | null; subject: string | null; data: Record<string, unknown> }) {
  return sha256Hex(prevHash + canonical({ ...e, at: e.at.toISOString() }));
}

/** Appends inside the caller's transaction: the entry exists if and only if the change it records does. */
export async function appendAudit(tx: Tx | Db, entry: AuditEntry, at: Date): Promise<void> {
  await tx.execute(sql`select pg_advisory_xact_lock(${AUDIT_LOCK})`);
  const [last] = await tx.select({ hash: tables.auditLog.hash }).from(tables.auditLog).orderBy(desc(tables.auditLog.seq)).limit(1);
  const prevHash = last?.hash ?? GENESIS;
  const row = { id: newId('aud'), at, actor: entry.actor, action: entry.action, tenantId: entry.tenantId ?? null, subject: entry.subject ?? null, data: entry.data ?? {} };
  await tx.insert(tables.auditLog).values({ ...row, prevHash, hash: await entryHash(prevHash, row) });
}

export interface AuditVerdict {
  ok: boolean;
  entries: number;
  /** the first entry whose hash or link does not hold */
  firstBroken?: { seq: number; id: string; problem: 'hash' | 'link' };
}

export async function verifyAuditChain(db: Db): Promise<AuditVerdict> {
  let prev = GENESIS;
  let count = 0;
  let after = 0;
  for (;;) {
    const rows = await db.select().from(tables.auditLog).where(sql`${tables.auditLog.seq} > ${after}`).orderBy(asc(tables.auditLog.seq)).limit(1000);
    if (rows.length === 0) return { ok: true, entries: count };
    for (const r of rows) {
      if (r.prevHash !== prev) return { ok: false, entries: count, firstBroken: { seq: r.seq, id: r.id, problem: 'link' } };
      const expected = await entryHash(r.prevHash, { id: r.id, at: r.at, actor: r.actor, action: r.action, tenantId: r.tenantId, subject: r.subject, data: r.data });
      if (expected !== r.hash) return { ok: false, entries: count, firstBroken: { seq: r.seq, id: r.id, problem: 'hash' } };
      prev = r.hash;
      count++;
      after = r.seq;
    }
  }
}
