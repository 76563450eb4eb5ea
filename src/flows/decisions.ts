// Recording a decision: exactly once per session (the decisions primary key), in the same transaction
// as the session's new status, the webhook event and the audit entry.
import { eq } from 'drizzle-orm';
import { tables, type Tx } from '../db/index.js';
import { newId } from '../ids/index.js';
import { appendAudit } from '../audit/index.js';
import type { Decision } from '../decide/evidence.js';

export async function recordDecision(tx: Tx, sessionId: string, decision: Decision, now: Date): Promise<boolean> {
  const [session] = await tx.select().from(tables.sessions).where(eq(tables.sessions.id, sessionId)).for('update');
  if (!session) return false;
  const inserted = await tx.insert(tables.decisions).values({
    sessionId, tenantId: session.tenantId, outcome: decision.outcome, reasons: decision.reasons, scores: decision.scores,
    decidedBy: 'pipeline', createdAt: now,
  }).onConflictDoNothing().returning({ sessionId: tables.decisions.sessionId });
  if (inserted.length === 0) return false;
  const status = decision.outcome === 'review' ? 'review' : 'decided';
  await tx.update(tables.sessions).set({ status }).where(eq(tables.sessions.id, sessionId));
  if (session.callbackUrl) {
    const eventId = newId('evt');
    const type = decision.outcome === 'review' ? 'session.review' : 'session.decided';
    await tx.insert(tables.webhookDeliveries).values({
      id: eventId, tenantId: session.tenantId, sessionId, eventType: type, url: session.callbackUrl, status: 'pending', nextAttemptAt: now, createdAt: now,
      payload: {
        id: eventId, type, createdAt: now.toISOString(),
        data: {
          sessionId, externalSellerId: session.externalSellerId, status,
          decision: { outcome: decision.outcome, reasons: decision.reasons, scores: decision.scores, decidedAt: now.toISOString(), decidedBy: 'pipeline' },
        },
      },
    });
  }
  await appendAudit(tx, {
    actor: 'pipeline', action: 'session.decided', tenantId: session.tenantId, subject: sessionId,
    data: { outcome: decision.outcome, reasons: decision.reasons.map((r) => r.code) },
  }, now);
  return true;
}
