// Time-dependent promises, with the service's clock under the test's control: challenges expire and are
// drawn anew at most MAX_ATTEMPTS times, sessions expire, photos are purged after the retention period,
// and webhooks are retried with backoff until the platform answers.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, type Server } from 'node:http';
import sharp from 'sharp';
import { startTestServer, type TestServer } from '../support/server.js';
import { deliverDue } from '../../src/webhooks/index.js';
import { purgeExpired } from '../../src/flows/retention.js';
import { verifyAuditChain } from '../../src/audit/index.js';
import { createLogger } from '../../src/log/index.js';
import { Metrics } from '../../src/metrics/index.js';
import { loadOrCreateKeys } from '../../src/keys/files.js';
import { recordDecision } from '../../src/flows/decisions.js';
import { tables } from '../../src/db/index.js';
import { eq } from 'drizzle-orm';
import path from 'node:path';

class TestClock {
  constructor(public t = Date.now()) {}
  now = () => new Date(this.t);
  advance(ms: number) { this.t += ms; }
}

const jpeg = () => sharp({ create: { width: 320, height: 240, channels: 3, background: '#8a6' } }).jpeg().toBuffer().then((b) => new Uint8Array(b));

describe('challenges, expiry, retention and webhook retries', () => {
  const clock = new TestClock();
  let t: TestServer;
  // the test delivers webhooks itself: the service's own loop would race it for the same rows
  beforeAll(async () => { t = await startTestServer({ clock, deliverWebhooks: false }); });
  afterAll(async () => { await t?.close(); });
  const cap = (token: string, p: string, init: RequestInit = {}) => fetch(t.url + p, { ...init, headers: { authorization: `Bearer ${token}`, ...(init.headers as Record<string, string>) } });
  const steps = async (token: string) => cap(token, '/capture/v1/steps').then(async (r) => ({ status: r.status, body: await r.json() as { attempt: number; steps: { id: string }[]; type?: string } }));

  it('an expired challenge cannot be used; a new one is drawn, at most MAX_ATTEMPTS times', async () => {
    const s = await t.createSession();
    const first = await steps(s.token);
    expect(first.body.attempt).toBe(1);
    clock.advance(16 * 60_000);
    const put = await cap(s.token, `/capture/v1/steps/${first.body.steps[0].id}/photo`, { method: 'PUT', body: await jpeg(), headers: { 'content-type': 'image/jpeg' } });
    expect(put.status).toBe(409);
    expect((await put.json() as { type: string }).type).toBe('challenge.reissued');
    const second = await steps(s.token);
    expect(second.body.attempt).toBe(2);
    expect(second.body.steps.map((x) => x.id)).not.toEqual(first.body.steps.map((x) => x.id));
    clock.advance(16 * 60_000);
    expect((await steps(s.token)).body.attempt).toBe(3);
    clock.advance(16 * 60_000);
    const exhausted = await steps(s.token);
    expect(exhausted.status).toBe(410);
    expect(exhausted.body.type).toBe('session.attempts_exhausted');
    expect((await (await t.api(`/v1/sessions/${s.id}`)).json() as { status: string }).status).toBe('expired');
  });

  it('a session past its expiry answers 410 and shows as expired', async () => {
    const s = await t.createSession();
    clock.advance(25 * 3600_000);
    const r = await steps(s.token);
    expect(r.status === 401 || r.status === 410).toBe(true); // the capture token expires with the session
    expect((await (await t.api(`/v1/sessions/${s.id}`)).json() as { status: string }).status).toBe('expired');
  });

  it('photos older than the retention period are purged, and the purge is audited', async () => {
    const s = await t.createSession();
    const st = await steps(s.token);
    expect((await cap(s.token, `/capture/v1/steps/${st.body.steps[0].id}/photo`, { method: 'PUT', body: await jpeg(), headers: { 'content-type': 'image/jpeg' } })).status).toBe(201);
    const keys = async () => { const k: string[] = []; for await (const x of t.service.store.list(`photos/${t.tenantId}/${s.id}`)) k.push(x); return k; };
    expect(await keys()).toHaveLength(1);
    const deps = { db: t.service.database.db, store: t.service.store, clock, config: t.service.config };
    expect((await purgeExpired(deps)).photos).toBe(0);
    clock.advance(31 * 86_400_000);
    expect((await purgeExpired(deps)).photos).toBeGreaterThanOrEqual(1);
    expect(await keys()).toHaveLength(0);
    const [last] = await t.service.database.db.select().from(tables.auditLog).where(eq(tables.auditLog.action, 'retention.purged'));
    expect(last).toBeDefined();
    expect((await verifyAuditChain(t.service.database.db)).ok).toBe(true);
  });

  it('webhooks are retried with backoff until the platform answers 2xx', async () => {
    let answer = 500;
    const received: string[] = [];
    const server: Server = createServer((req, res) => { req.resume(); received.push(String(req.headers['realperson-event-id'])); res.writeHead(answer).end(); });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      const url = `http://127.0.0.1:${(server.address() as { port: number }).port}/h`;
      const s = await t.createSession({ callbackUrl: url });
      const db = t.service.database.db;
      await db.transaction((tx) => recordDecision(tx, s.id, { outcome: 'review', reasons: [{ code: 'check_missing', detail: 'test' }], scores: {} }, clock.now()));
      // a second record of the same session is refused: decided once, one event
      expect(await db.transaction((tx) => recordDecision(tx, s.id, { outcome: 'approved', reasons: [], scores: {} }, clock.now()))).toBe(false);
      const keys = await loadOrCreateKeys(path.join(t.service.config.DATA_DIR, 'keys'), {});
      const deps = { db, keys, log: createLogger('silent'), metrics: new Metrics(), maxAttempts: 3, allowPrivate: true };
      const [row0] = await db.select().from(tables.webhookDeliveries).where(eq(tables.webhookDeliveries.sessionId, s.id));
      expect(row0.status).toBe('pending');
      await waitUntil(async () => (await db.select().from(tables.webhookDeliveries).where(eq(tables.webhookDeliveries.sessionId, s.id)))[0].attempts >= 1, () => deliverDue(deps, clock.now()));
      const [row1] = await db.select().from(tables.webhookDeliveries).where(eq(tables.webhookDeliveries.sessionId, s.id));
      expect(row1.status).toBe('pending');
      expect(row1.lastStatus).toBe(500);
      expect(row1.nextAttemptAt.getTime()).toBeGreaterThan(clock.now().getTime() + 5_000);
      expect(await deliverDue(deps, clock.now())).toBe(0); // not due yet
      answer = 204;
      clock.advance(60_000);
      expect(await deliverDue(deps, clock.now())).toBe(1);
      const [row2] = await db.select().from(tables.webhookDeliveries).where(eq(tables.webhookDeliveries.sessionId, s.id));
      expect(row2.status).toBe('delivered');
      expect(new Set(received)).toEqual(new Set([row2.id]));
    } finally {
      server.close();
    }
  });

  it('a delivery that outlived its lease does not overwrite the attempt that took the event again', async () => {
    // the first POST hangs until the second attempt has been answered 204, then answers 500
    let releaseFirst: () => void = () => {};
    const firstHeld = new Promise<void>((r) => { releaseFirst = r; });
    let seen = 0;
    let firstArrived: () => void = () => {};
    const arrived = new Promise<void>((r) => { firstArrived = r; });
    const server: Server = createServer((req, res) => {
      req.resume();
      if (++seen === 1) {
        firstArrived();
        void firstHeld.then(() => res.writeHead(500).end());
      } else res.writeHead(204).end();
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      const s = await t.createSession({ callbackUrl: `http://127.0.0.1:${(server.address() as { port: number }).port}/h` });
      const db = t.service.database.db;
      await db.transaction((tx) => recordDecision(tx, s.id, { outcome: 'review', reasons: [{ code: 'check_missing', detail: 'test' }], scores: {} }, clock.now()));
      const keys = await loadOrCreateKeys(path.join(t.service.config.DATA_DIR, 'keys'), {});
      const deps = { db, keys, log: createLogger('silent'), metrics: new Metrics(), maxAttempts: 8, allowPrivate: true };
      const slow = deliverDue(deps, clock.now());
      await arrived;
      // two minutes on, the first attempt's lease has run out: the event is taken again and delivered
      expect(await deliverDue(deps, new Date(clock.now().getTime() + 120_000))).toBe(1);
      releaseFirst();
      await slow;
      const [row] = await db.select().from(tables.webhookDeliveries).where(eq(tables.webhookDeliveries.sessionId, s.id));
      expect(row.status).toBe('delivered');
      expect(row.lastStatus).toBe(204);
      expect(row.attempts).toBe(2);
    } finally {
      server.close();
    }
  });

  it('a webhook aimed at a private address is refused once, not retried', async () => {
    const s = await t.createSession({ callbackUrl: 'http://127.0.0.1:9/hooks' });
    const db = t.service.database.db;
    await db.transaction((tx) => recordDecision(tx, s.id, { outcome: 'review', reasons: [{ code: 'check_missing', detail: 'test' }], scores: {} }, clock.now()));
    const keys = await loadOrCreateKeys(path.join(t.service.config.DATA_DIR, 'keys'), {});
    const deps = { db, keys, log: createLogger('silent'), metrics: new Metrics(), maxAttempts: 8, allowPrivate: false };
    clock.advance(3_600_000);
    await waitUntil(async () => (await db.select().from(tables.webhookDeliveries).where(eq(tables.webhookDeliveries.sessionId, s.id)))[0].status !== 'pending', () => deliverDue(deps, clock.now()));
    const [row] = await db.select().from(tables.webhookDeliveries).where(eq(tables.webhookDeliveries.sessionId, s.id));
    expect(row.status).toBe('failed');
    expect(row.attempts).toBe(1);
    expect(row.lastError).toMatch(/loopback/);
    clock.advance(3_600_000);
    expect(await deliverDue(deps, clock.now())).toBe(0);
  });
});

async function waitUntil(cond: () => Promise<boolean>, step: () => Promise<unknown>) {
  for (let i = 0; i < 50; i++) {
    if (await cond()) return;
    await step();
  }
  throw new Error('condition never held');
}
