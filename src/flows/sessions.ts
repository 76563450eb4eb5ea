// Verification sessions as the platform sees them: create (idempotent), read, list, cancel, erase data.
import { and, desc, eq, lt, or, sql } from 'drizzle-orm';
import { tables, type Declared, type Db, type SessionStatus } from '../db/index.js';
import { newId, sha256Hex } from '../ids/index.js';
import { issueCaptureToken } from '../keys/index.js';
import { problem } from '../problem/index.js';
import { appendAudit } from '../audit/index.js';
import { callbackUrlProblem } from '../webhooks/destination.js';
import { regionTimeZones } from '../ocr/regions.js';
import type { FlowDeps } from './deps.js';
import { deleteRecordedBlobs, recordBlobDeletions, sessionFolder } from './blobs.js';

export interface CreateSessionInput {
  externalSellerId: string;
  locale: 'zh-CN' | 'en';
  declared: Declared;
  callbackUrl?: string;
}

export interface CreatedSession {
  id: string;
  status: SessionStatus;
  captureUrl: string;
  expiresAt: string;
}

export async function createSession(deps: FlowDeps, tenantId: string, input: CreateSessionInput, idempotencyKey?: string): Promise<{ status: number; body: CreatedSession }> {
  const now = deps.clock.now();
  const unsafe = input.callbackUrl ? callbackUrlProblem(input.callbackUrl, deps.config.WEBHOOK_ALLOW_PRIVATE) : null;
  if (unsafe) throw problem.unprocessable('session.callback_refused', `callbackUrl ${unsafe}`, [{ path: 'callbackUrl', message: unsafe }]);
  // The seller's dates are reckoned in their region's zone: a region without one would be judged by a guess.
  if (!regionTimeZones(input.declared.region)) {
    const message = `no time zone is known for region ${input.declared.region}; use an ISO 3166 code such as CN-ZJ, HK, GB or US-CA`;
    throw problem.unprocessable('session.region_unsupported', message, [{ path: 'declared.region', message }]);
  }
  const requestHash = idempotencyKey ? await sha256Hex(JSON.stringify(input)) : '';
  if (idempotencyKey) {
    const prior = await findIdempotent(deps.db, tenantId, idempotencyKey);
    if (prior) return replay(prior, requestHash);
  }
  const id = newId('ses');
  const expiresAt = new Date(now.getTime() + deps.config.SESSION_TTL_HOURS * 3600_000);
  const token = await issueCaptureToken(deps.keys, { sessionId: id, tenantId }, expiresAt);
  const body: CreatedSession = {
    id, status: 'awaiting_capture', captureUrl: `${deps.config.PUBLIC_URL}/capture#token=${token}`, expiresAt: expiresAt.toISOString(),
  };
  try {
    await deps.db.transaction(async (tx) => {
      await tx.insert(tables.sessions).values({
        id, tenantId, externalSellerId: input.externalSellerId, locale: input.locale, declared: input.declared,
        region: input.declared.region, callbackUrl: input.callbackUrl ?? null, status: 'awaiting_capture', createdAt: now, expiresAt,
      });
      if (idempotencyKey) {
        await tx.insert(tables.idempotencyKeys).values({ tenantId, key: idempotencyKey, requestHash, statusCode: 201, response: body as never, createdAt: now });
      }
    });
  } catch (err) {
    // Two requests with one key raced: the loser answers with the winner's stored response.
    if (idempotencyKey) {
      const prior = await findIdempotent(deps.db, tenantId, idempotencyKey);
      if (prior) return replay(prior, requestHash);
    }
    throw err;
  }
  deps.metrics.inc('realperson_sessions_created_total', 'Sessions created');
  return { status: 201, body };
}

async function findIdempotent(db: Db, tenantId: string, key: string) {
  const [row] = await db.select().from(tables.idempotencyKeys)
    .where(and(eq(tables.idempotencyKeys.tenantId, tenantId), eq(tables.idempotencyKeys.key, key)));
  return row;
}

function replay(prior: typeof tables.idempotencyKeys.$inferSelect, requestHash: string) {
  if (prior.requestHash !== requestHash) {
    throw problem.unprocessable('idempotency.key_reused', 'this Idempotency-Key was used with a different request body');
  }
  return { status: prior.statusCode, body: prior.response as unknown as CreatedSession };
}

export interface SessionView {
  id: string;
  status: SessionStatus;
  externalSellerId: string;
  createdAt: string;
  expiresAt: string;
  decision: null | {
    outcome: 'approved' | 'rejected' | 'review';
    reasons: { code: string; detail: string }[];
    scores: Record<string, number | null>;
    decidedAt: string;
    decidedBy: 'pipeline' | 'reviewer';
  };
}

/** Tenant-scoped: another tenant's session is "not found", never "forbidden". */
export async function getSession(deps: FlowDeps, tenantId: string, id: string): Promise<SessionView> {
  const [row] = await deps.db.select().from(tables.sessions).leftJoin(tables.decisions, eq(tables.decisions.sessionId, tables.sessions.id))
    .where(and(eq(tables.sessions.id, id), eq(tables.sessions.tenantId, tenantId)));
  if (!row) throw problem.notFound('session');
  return view(await expireIfDue(deps, row.sessions), row.decisions);
}

function view(s: typeof tables.sessions.$inferSelect, d: typeof tables.decisions.$inferSelect | null): SessionView {
  return {
    id: s.id, status: s.status, externalSellerId: s.externalSellerId, createdAt: s.createdAt.toISOString(), expiresAt: s.expiresAt.toISOString(),
    decision: d ? { outcome: d.outcome, reasons: d.reasons, scores: d.scores, decidedAt: d.createdAt.toISOString(), decidedBy: d.decidedBy } : null,
  };
}

/** Sessions past their expiry while still awaiting capture become expired on first look. */
export async function expireIfDue(deps: FlowDeps, s: typeof tables.sessions.$inferSelect) {
  if (s.status !== 'awaiting_capture' || s.expiresAt > deps.clock.now()) return s;
  const now = deps.clock.now();
  const [row] = await deps.db.update(tables.sessions).set({ status: 'expired' })
    .where(and(eq(tables.sessions.id, s.id), eq(tables.sessions.status, 'awaiting_capture'))).returning();
  if (row) {
    await deps.db.update(tables.challenges).set({ status: 'expired' }).where(and(eq(tables.challenges.sessionId, s.id), eq(tables.challenges.status, 'open')));
    await appendAudit(deps.db, { actor: 'system', action: 'session.expired', tenantId: s.tenantId, subject: s.id }, now);
  }
  return row ?? { ...s, status: 'expired' as const };
}

export async function listSessions(deps: FlowDeps, tenantId: string, q: { status?: SessionStatus; cursor?: string; limit: number }) {
  const conds = [eq(tables.sessions.tenantId, tenantId)];
  if (q.status) conds.push(eq(tables.sessions.status, q.status));
  if (q.cursor) {
    const c = decodeCursor(q.cursor);
    conds.push(or(lt(tables.sessions.createdAt, c.createdAt), and(eq(tables.sessions.createdAt, c.createdAt), lt(tables.sessions.id, c.id)))!);
  }
  const rows = await deps.db.select().from(tables.sessions).leftJoin(tables.decisions, eq(tables.decisions.sessionId, tables.sessions.id))
    .where(and(...conds)).orderBy(desc(tables.sessions.createdAt), desc(tables.sessions.id)).limit(q.limit + 1);
  const page = rows.slice(0, q.limit);
  const last = page[page.length - 1]?.sessions;
  return {
    items: page.map((r) => view(r.sessions, r.decisions)),
    nextCursor: rows.length > q.limit && last ? encodeCursor(last.createdAt, last.id) : null,
  };
}

function encodeCursor(createdAt: Date, id: string) {
  return Buffer.from(JSON.stringify([createdAt.toISOString(), id])).toString('base64url');
}

function decodeCursor(cursor: string): { createdAt: Date; id: string } {
  try {
    const [iso, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    const createdAt = new Date(iso);
    if (typeof id !== 'string' || Number.isNaN(createdAt.getTime())) throw new Error('shape');
    return { createdAt, id };
  } catch {
    throw problem.badRequest('request.invalid_cursor', 'cursor is not one this API returned');
  }
}

export async function cancelSession(deps: FlowDeps, tenantId: string, id: string): Promise<SessionView> {
  const now = deps.clock.now();
  await deps.db.transaction(async (tx) => {
    const [s] = await tx.select().from(tables.sessions).where(and(eq(tables.sessions.id, id), eq(tables.sessions.tenantId, tenantId))).for('update');
    if (!s) throw problem.notFound('session');
    if (s.status !== 'awaiting_capture') throw problem.conflict('session.not_cancellable', `a session that is ${s.status} cannot be cancelled`);
    await tx.update(tables.sessions).set({ status: 'cancelled' }).where(eq(tables.sessions.id, id));
    await tx.update(tables.challenges).set({ status: 'expired' }).where(and(eq(tables.challenges.sessionId, id), eq(tables.challenges.status, 'open')));
    await appendAudit(tx, { actor: `tenant:${tenantId}`, action: 'session.cancelled', tenantId, subject: id }, now);
  });
  return getSession(deps, tenantId, id);
}

/**
 * Erases a session's photos, embeddings and declared identity; the decision and the audit trail remain.
 * The transaction marks the rows and records the session's whole blob folder for deletion (with any
 * listed key outside it); the blobs are deleted after the commit. A crash or a storage failure in
 * between leaves the record, which the sweep finishes; calling this again finishes it too.
 */
export async function eraseSessionData(deps: FlowDeps, tenantId: string, id: string, actor: string): Promise<{ photosDeleted: number }> {
  const now = deps.clock.now();
  const keys = await deps.db.transaction(async (tx) => {
    const [s] = await tx.select().from(tables.sessions).where(and(eq(tables.sessions.id, id), eq(tables.sessions.tenantId, tenantId))).for('update');
    if (!s) throw problem.notFound('session');
    if (s.status === 'processing') throw problem.conflict('session.processing', 'the session is being verified; erase it once it is decided');
    const photos = await tx.update(tables.photos).set({ deletedAt: now })
      .where(and(eq(tables.photos.sessionId, id), sql`${tables.photos.deletedAt} is null`)).returning({ key: tables.photos.storageKey });
    await tx.update(tables.evidence).set({ embeddings: null, data: { erased: true } }).where(eq(tables.evidence.sessionId, id));
    await tx.update(tables.sessions).set({ declared: null, dataErasedAt: s.dataErasedAt ?? now }).where(eq(tables.sessions.id, id));
    // Blobs written by an upload whose row never committed are in the folder too, listed by no row.
    const folder = sessionFolder(tenantId, id);
    const keys = [folder, ...photos.map((p) => p.key).filter((k) => !k.startsWith(folder))];
    await recordBlobDeletions(tx, tenantId, keys, now, now);
    await appendAudit(tx, { actor, action: 'session.data_erased', tenantId, subject: id, data: { photos: photos.length } }, now);
    return keys;
  });
  return { photosDeleted: await deleteRecordedBlobs(deps, keys) };
}
