// The review console's cases: the queue of sessions the pipeline sent to review, one case with all it
// saw, a reviewer's expiring claim, and the reviewer's final decision, recorded once with its webhook and audit entry.
import { and, asc, eq, isNull, sql } from 'drizzle-orm';
import { appendAudit } from '../audit/index.js';
import { tables, type Db, type Declared } from '../db/index.js';
import { FACE_SIZE_RULES, resolvePolicy, type Policy } from '../decide/index.js';
import { newId } from '../ids/index.js';
import { problem } from '../problem/index.js';
import type { FlowDeps } from './deps.js';

/** A claim keeps other reviewers off a case this long; after that it is stale and anyone may take it. */
export const CLAIM_SECONDS = 10 * 60;

export interface Reviewer {
  id: string;
  email: string;
}

export interface QueueItem {
  sessionId: string;
  tenantId: string;
  tenantName: string;
  externalSellerId: string;
  createdAt: string;
  inReviewSince: string;
  reasons: { code: string; detail: string }[];
  scores: Record<string, number | null>;
  claim: { reviewerId: string; reviewerEmail: string | null; expiresAt: string } | null;
}

export async function listReviewQueue(db: Db, q: { tenant?: string; reason?: string; limit?: number }, now: Date): Promise<QueueItem[]> {
  const d = tables.decisions;
  const s = tables.sessions;
  const rc = tables.reviewClaims;
  const conds = [eq(d.outcome, 'review'), eq(s.status, 'review')];
  if (q.tenant) conds.push(eq(s.tenantId, q.tenant));
  // jsonb containment: any reason whose code is the one asked for
  if (q.reason) conds.push(sql`${d.reasons} @> ${JSON.stringify([{ code: q.reason }])}::jsonb`);
  const rows = await db.select({
    sessionId: s.id, tenantId: s.tenantId, tenantName: tables.tenants.name, externalSellerId: s.externalSellerId, createdAt: s.createdAt,
    inReviewSince: d.createdAt, reasons: d.reasons, scores: d.scores,
    claimBy: rc.reviewerId, claimUntil: rc.expiresAt, claimEmail: tables.staffUsers.email,
  }).from(d)
    .innerJoin(s, eq(s.id, d.sessionId))
    .innerJoin(tables.tenants, eq(tables.tenants.id, s.tenantId))
    .leftJoin(rc, eq(rc.sessionId, d.sessionId))
    .leftJoin(tables.staffUsers, eq(tables.staffUsers.id, rc.reviewerId))
    .where(and(...conds))
    .orderBy(asc(d.createdAt), asc(d.sessionId))
    .limit(q.limit ?? 200);
  return rows.map((r) => ({
    sessionId: r.sessionId, tenantId: r.tenantId, tenantName: r.tenantName, externalSellerId: r.externalSellerId,
    createdAt: r.createdAt.toISOString(), inReviewSince: r.inReviewSince.toISOString(), reasons: r.reasons, scores: r.scores,
    claim: r.claimBy && r.claimUntil && r.claimUntil > now
      ? { reviewerId: r.claimBy, reviewerEmail: r.claimEmail, expiresAt: r.claimUntil.toISOString() } : null,
  }));
}

export interface CaseStep {
  id: string;
  position: number;
  kind: string;
  gesture: { id: string; version: number; family: string | null; instructions: string | null; rule: unknown } | null;
  newspaper: { name: string; date: string; window: { from: string; to: string } } | null;
  photo: { id: string; url: string; width: number; height: number; sha256: string } | null;
}

export interface ReviewCase {
  session: {
    id: string; tenantId: string; tenantName: string; externalSellerId: string; status: string; locale: string; region: string;
    createdAt: string; submittedAt: string | null; dataErasedAt: string | null;
  };
  declared: Declared | null;
  steps: CaseStep[];
  evidence: Record<string, unknown> | null;
  decision: { outcome: string; reasons: { code: string; detail: string }[]; scores: Record<string, number | null>; decidedBy: string; decidedAt: string };
  review: { reviewerId: string; outcome: string; note: string; decidedAt: string } | null;
  /** the thresholds the pipeline judged this tenant's sessions by (the defaults with the tenant's
   *  overrides), and the face-size rules: no face score counts under minFacePx, and under smallFacePx
   *  a face is approved only above smallFaceApproveAbove */
  thresholds: Policy & { faceSizes: typeof FACE_SIZE_RULES };
  claim: { reviewerId: string; reviewerEmail: string | null; expiresAt: string } | null;
}

export async function getReviewCase(db: Db, sessionId: string, now: Date): Promise<ReviewCase> {
  const [row] = await db.select().from(tables.sessions)
    .innerJoin(tables.decisions, eq(tables.decisions.sessionId, tables.sessions.id))
    .innerJoin(tables.tenants, eq(tables.tenants.id, tables.sessions.tenantId))
    .where(eq(tables.sessions.id, sessionId));
  if (!row) throw problem.notFound('review case');
  const { sessions: s, decisions: d, tenants: t } = row;
  const [ev] = await db.select({ data: tables.evidence.data }).from(tables.evidence).where(eq(tables.evidence.sessionId, sessionId));
  const [review] = await db.select().from(tables.reviewDecisions).where(eq(tables.reviewDecisions.sessionId, sessionId));
  const [claim] = await db.select({ reviewerId: tables.reviewClaims.reviewerId, expiresAt: tables.reviewClaims.expiresAt, email: tables.staffUsers.email })
    .from(tables.reviewClaims).leftJoin(tables.staffUsers, eq(tables.staffUsers.id, tables.reviewClaims.reviewerId))
    .where(eq(tables.reviewClaims.sessionId, sessionId));

  // The challenge the seller answered: the one submitted, else the latest drawn.
  const [challenge] = await db.select().from(tables.challenges).where(eq(tables.challenges.sessionId, sessionId))
    .orderBy(sql`case when ${tables.challenges.status} = 'used' then 0 else 1 end`, sql`${tables.challenges.attempt} desc`).limit(1);
  const stepRows = challenge ? await db.select().from(tables.challengeSteps)
    .leftJoin(tables.photos, and(eq(tables.photos.id, tables.challengeSteps.photoId), isNull(tables.photos.deletedAt)))
    .leftJoin(tables.gestures, and(eq(tables.gestures.id, tables.challengeSteps.gestureId), eq(tables.gestures.version, tables.challengeSteps.gestureVersion)))
    .where(eq(tables.challengeSteps.challengeId, challenge.id)).orderBy(asc(tables.challengeSteps.position)) : [];

  const steps: CaseStep[] = stepRows.map(({ challenge_steps: cs, photos: p, gestures: g }) => {
    const def = (g?.definition ?? {}) as { family?: string; instructions?: Record<string, string>; rule?: unknown };
    return {
      id: cs.id, position: cs.position, kind: cs.kind,
      gesture: cs.gestureId ? {
        id: cs.gestureId, version: cs.gestureVersion ?? 0, family: def.family ?? null,
        instructions: def.instructions?.en ?? null, rule: def.rule ?? null,
      } : null,
      newspaper: cs.newspaper ? { name: cs.newspaper.name, date: cs.newspaper.date, window: cs.newspaper.window } : null,
      photo: p ? { id: p.id, url: `/staff/v1/photos/${p.id}`, width: p.width, height: p.height, sha256: p.sha256 } : null,
    };
  });
  return {
    session: {
      id: s.id, tenantId: s.tenantId, tenantName: t.name, externalSellerId: s.externalSellerId, status: s.status, locale: s.locale, region: s.region,
      createdAt: s.createdAt.toISOString(), submittedAt: s.submittedAt?.toISOString() ?? null, dataErasedAt: s.dataErasedAt?.toISOString() ?? null,
    },
    declared: s.declared ?? null,
    steps,
    evidence: ev?.data ?? null,
    decision: { outcome: d.outcome, reasons: d.reasons, scores: d.scores, decidedBy: d.decidedBy, decidedAt: d.createdAt.toISOString() },
    review: review ? { reviewerId: review.reviewerId, outcome: review.outcome, note: review.note, decidedAt: review.createdAt.toISOString() } : null,
    thresholds: { ...resolvePolicy(t.policy ?? {}), faceSizes: FACE_SIZE_RULES },
    claim: claim && claim.expiresAt > now ? { reviewerId: claim.reviewerId, reviewerEmail: claim.email, expiresAt: claim.expiresAt.toISOString() } : null,
  };
}

/** A photo's bytes for the console; null when it does not exist or has been erased. */
export async function readCasePhoto(deps: Pick<FlowDeps, 'db' | 'store'>, photoId: string): Promise<Uint8Array | null> {
  const [p] = await deps.db.select({ key: tables.photos.storageKey }).from(tables.photos)
    .where(and(eq(tables.photos.id, photoId), isNull(tables.photos.deletedAt)));
  return p ? deps.store.get(p.key) : null;
}

const claimedByOther = (until: Date) =>
  problem.conflict('review.claimed', `another reviewer is deciding this case; their claim runs until ${until.toISOString()}`);

export async function claimCase(db: Db, sessionId: string, reviewer: Reviewer, now: Date): Promise<{ sessionId: string; reviewerId: string; expiresAt: string }> {
  return db.transaction(async (tx) => {
    // The decision row is the case's lock: claims and decisions on one case queue up behind it.
    const [d] = await tx.select({ outcome: tables.decisions.outcome }).from(tables.decisions).where(eq(tables.decisions.sessionId, sessionId)).for('update');
    if (!d) throw problem.notFound('review case');
    if (d.outcome !== 'review') throw problem.conflict('review.already_decided', 'this case has been decided already');
    const [held] = await tx.select().from(tables.reviewClaims).where(eq(tables.reviewClaims.sessionId, sessionId));
    if (held && held.reviewerId !== reviewer.id && held.expiresAt > now) throw claimedByOther(held.expiresAt);
    const expiresAt = new Date(now.getTime() + CLAIM_SECONDS * 1000);
    await tx.insert(tables.reviewClaims).values({ sessionId, reviewerId: reviewer.id, claimedAt: now, expiresAt })
      .onConflictDoUpdate({ target: tables.reviewClaims.sessionId, set: { reviewerId: reviewer.id, claimedAt: now, expiresAt } });
    const [s] = await tx.select({ tenantId: tables.sessions.tenantId }).from(tables.sessions).where(eq(tables.sessions.id, sessionId));
    await appendAudit(tx, {
      actor: `staff:${reviewer.id}`, action: 'review.claimed', tenantId: s?.tenantId, subject: sessionId,
      data: { expiresAt: expiresAt.toISOString(), ...(held && held.reviewerId !== reviewer.id ? { tookOverFrom: held.reviewerId } : {}) },
    }, now);
    return { sessionId, reviewerId: reviewer.id, expiresAt: expiresAt.toISOString() };
  });
}

export async function releaseClaim(db: Db, sessionId: string, reviewer: Reviewer, now: Date): Promise<void> {
  await db.transaction(async (tx) => {
    const gone = await tx.delete(tables.reviewClaims)
      .where(and(eq(tables.reviewClaims.sessionId, sessionId), eq(tables.reviewClaims.reviewerId, reviewer.id))).returning();
    if (gone.length === 0) throw problem.notFound('your claim on this case');
    await appendAudit(tx, { actor: `staff:${reviewer.id}`, action: 'review.released', subject: sessionId }, now);
  });
}

export interface ReviewVerdict {
  outcome: 'approved' | 'rejected';
  note: string;
}

/**
 * The reviewer's final word: only while the case is still in review and not claimed by someone else.
 * Decision, review record, session status, webhook event and audit entry are one transaction.
 */
export async function decideCase(db: Db, sessionId: string, reviewer: Reviewer, verdict: ReviewVerdict, now: Date) {
  return db.transaction(async (tx) => {
    const [d] = await tx.select().from(tables.decisions).where(eq(tables.decisions.sessionId, sessionId)).for('update');
    if (!d) throw problem.notFound('review case');
    if (d.outcome !== 'review') throw problem.conflict('review.already_decided', 'this case has been decided already; a reviewer decision is final');
    const [held] = await tx.select().from(tables.reviewClaims).where(eq(tables.reviewClaims.sessionId, sessionId));
    if (held && held.reviewerId !== reviewer.id && held.expiresAt > now) throw claimedByOther(held.expiresAt);
    const [session] = await tx.select().from(tables.sessions).where(eq(tables.sessions.id, sessionId));

    const reasons = [...d.reasons, { code: `review.${verdict.outcome}`, detail: verdict.note }];
    await tx.update(tables.decisions).set({ outcome: verdict.outcome, reasons, decidedBy: 'reviewer', createdAt: now })
      .where(eq(tables.decisions.sessionId, sessionId));
    // The primary key is the last guard: two reviewer decisions on one session cannot both exist.
    await tx.insert(tables.reviewDecisions).values({ sessionId, tenantId: d.tenantId, reviewerId: reviewer.id, outcome: verdict.outcome, note: verdict.note, createdAt: now });
    await tx.update(tables.sessions).set({ status: 'decided' }).where(eq(tables.sessions.id, sessionId));
    await tx.delete(tables.reviewClaims).where(eq(tables.reviewClaims.sessionId, sessionId));
    const decision = { outcome: verdict.outcome, reasons, scores: d.scores, decidedAt: now.toISOString(), decidedBy: 'reviewer' as const };
    if (session.callbackUrl) {
      const eventId = newId('evt');
      await tx.insert(tables.webhookDeliveries).values({
        id: eventId, tenantId: d.tenantId, sessionId, eventType: 'session.decided', url: session.callbackUrl, status: 'pending', nextAttemptAt: now, createdAt: now,
        payload: {
          id: eventId, type: 'session.decided', createdAt: now.toISOString(),
          data: { sessionId, externalSellerId: session.externalSellerId, status: 'decided', decision },
        },
      });
    }
    await appendAudit(tx, {
      actor: `staff:${reviewer.id}`, action: 'review.decided', tenantId: d.tenantId, subject: sessionId,
      data: { outcome: verdict.outcome, note: verdict.note, pipelineReasons: d.reasons.map((r) => r.code) },
    }, now);
    return { sessionId, status: 'decided' as const, decision };
  });
}
