// Webhook delivery: each event is a row; due rows are claimed with a lease, POSTed with a detached
// JWS signature (key at /.well-known/jwks.json), and retried with exponential backoff and jitter.
import { and, eq, sql } from 'drizzle-orm';
import { tables, type Db } from '../db/index.js';
import { signWebhook, type Keys } from '../keys/index.js';
import type { Logger } from '../log/index.js';
import type { Metrics } from '../metrics/index.js';
import { rowsOf } from '../queue/index.js';
import { BlockedDestinationError, postWebhook } from './send.js';

export interface WebhookDeps {
  db: Db;
  keys: Keys;
  log: Logger;
  metrics: Metrics;
  maxAttempts: number;
  /** WEBHOOK_ALLOW_PRIVATE: deliver to private and loopback addresses too (see destination.ts) */
  allowPrivate: boolean;
  timeoutMs?: number;
}

/** Delay before attempt n+1: 10 s, 20 s, 40 s … capped at an hour, with ±20 % jitter. */
export function backoffMs(attempts: number, random = Math.random): number {
  const base = Math.min(10_000 * 2 ** Math.max(0, attempts - 1), 3_600_000);
  return Math.round(base * (0.8 + 0.4 * random()));
}

/** Delivers what is due now; returns how many were attempted. */
export async function deliverDue(deps: WebhookDeps, now: Date, limit = 20): Promise<number> {
  const lease = new Date(now.getTime() + 60_000);
  const claimed = rowsOf(await deps.db.execute(sql`
    update webhook_deliveries set lease_until = ${lease.toISOString()}, attempts = attempts + 1
    where id in (
      select id from webhook_deliveries
      where status = 'pending' and next_attempt_at <= ${now.toISOString()}
        and (lease_until is null or lease_until < ${now.toISOString()})
      order by next_attempt_at for update skip locked limit ${limit})
    returning id`)) as { id: string }[];
  for (const { id } of claimed) {
    const [d] = await deps.db.select().from(tables.webhookDeliveries).where(eq(tables.webhookDeliveries.id, id));
    if (d) await deliverOne(deps, d, now);
  }
  return claimed.length;
}

async function deliverOne(deps: WebhookDeps, d: typeof tables.webhookDeliveries.$inferSelect, now: Date) {
  const body = JSON.stringify(d.payload);
  const jws = await signWebhook(deps.keys, body);
  const [header, , signature] = jws.split('.');
  let status: number | null = null;
  let error: string | null = null;
  let final = false;
  try {
    status = await postWebhook(d.url, {
      'content-type': 'application/json',
      'realperson-event-id': d.id,
      'realperson-event-type': d.eventType,
      // RFC 7515 appendix F: detached payload; the body is the payload.
      'realperson-signature': `${header}..${signature}`,
    }, body, { allowPrivate: deps.allowPrivate, timeoutMs: deps.timeoutMs ?? 10_000 });
  } catch (err) {
    error = (err as Error).message;
    // a private destination stays private: retrying would only knock on the same door again
    final = err instanceof BlockedDestinationError;
  }
  const ok = status !== null && status >= 200 && status < 300;
  const giveUp = !ok && (final || d.attempts >= deps.maxAttempts);
  // only while the lease is still this attempt's: an attempt that outlived its lease has been
  // taken again, and the later attempt's outcome stands
  const written = await deps.db.update(tables.webhookDeliveries).set({
    status: ok ? 'delivered' : giveUp ? 'failed' : 'pending',
    lastStatus: status, lastError: error, leaseUntil: null,
    deliveredAt: ok ? now : null,
    nextAttemptAt: ok || giveUp ? d.nextAttemptAt : new Date(now.getTime() + backoffMs(d.attempts)),
  }).where(and(eq(tables.webhookDeliveries.id, d.id), eq(tables.webhookDeliveries.attempts, d.attempts))).returning({ id: tables.webhookDeliveries.id });
  if (written.length === 0) {
    deps.log.warn('webhook delivery outlived its lease; a later attempt decides', { eventId: d.id, attempt: d.attempts, status, error });
    return;
  }
  deps.metrics.inc('realperson_webhook_deliveries_total', 'Webhook delivery attempts', { result: ok ? 'delivered' : giveUp ? 'failed' : 'retry' });
  deps.log[ok ? 'info' : 'warn']('webhook delivery', { eventId: d.id, sessionId: d.sessionId, attempt: d.attempts, status, error });
}
