// The staff API over real HTTP on PGlite: sign-in, lockout, CSRF, roles, credentials of other kinds,
// the review queue, claims between two reviewers, the final decision (once, with webhook and audit),
// and gesture-library admin with scheduled rotations.
import { and, eq, sql } from 'drizzle-orm';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCommand } from '../../src/cli/commands.js';
import { tables } from '../../src/db/index.js';
import { DEFAULT_POLICY, FACE_SIZE_RULES } from '../../src/decide/index.js';
import { recordDecision } from '../../src/flows/decisions.js';
import { activeGestures } from '../../src/flows/gestures.js';
import { applyDueRotations } from '../../src/staff/index.js';
import { FAILED_LOGINS_PER_ADDRESS, LOGIN_WINDOW_SECONDS } from '../../src/staff/throttle.js';
import { startTestServer, type TestServer } from '../support/server.js';

const MIN = 60_000;
let offset = 0;
const clock = { now: () => new Date(Date.now() + offset) };

let t: TestServer;
const db = () => t.service.database.db;

async function photo(seed: number): Promise<Buffer> {
  return sharp({ create: { width: 480, height: 360, channels: 3, background: { r: 30 + seed * 20, g: 90, b: 150 } } }).jpeg().toBuffer();
}

async function staffUser(role: 'reviewer' | 'security' | 'admin', email = `${role}-${Math.random().toString(36).slice(2, 8)}@staff.example`) {
  const { lines } = await runCommand(['staff', 'create', '--email', email, '--role', role], { db: db(), store: t.service.store, config: t.service.config, clock });
  const { userId, password } = JSON.parse(lines[0]) as { userId: string; password: string };
  return { userId, email, password };
}

interface Signed { cookie: string; csrf: string; setCookie: string; userId: string }

async function login(email: string, password: string): Promise<Response> {
  return fetch(`${t.url}/staff/v1/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, password }) });
}

async function signIn(role: 'reviewer' | 'security' | 'admin'): Promise<Signed> {
  const u = await staffUser(role);
  const res = await login(u.email, u.password);
  expect(res.status).toBe(200);
  const body = await res.json() as { csrfToken: string; userId: string };
  const setCookie = res.headers.get('set-cookie') ?? '';
  return { cookie: setCookie.split(';')[0], csrf: body.csrfToken, setCookie, userId: body.userId };
}

function staff(who: Signed | null, p: string, init: RequestInit & { json?: unknown; csrf?: string | null } = {}) {
  const headers: Record<string, string> = { ...(init.headers as Record<string, string>) };
  if (who) headers.cookie = who.cookie;
  const csrf = init.csrf === undefined ? who?.csrf : init.csrf;
  if (csrf) headers['x-csrf-token'] = csrf;
  if (init.json !== undefined) headers['content-type'] = 'application/json';
  return fetch(t.url + p, { ...init, headers, body: init.json !== undefined ? JSON.stringify(init.json) : init.body });
}

const problemOf = async (res: Response) => {
  expect(res.headers.get('content-type')).toContain('application/problem+json');
  return await res.json() as { type: string; status: number; detail: string };
};

/**
 * A session the pipeline sent to review, made through the real API (challenge drawn, photos uploaded,
 * submitted) with evidence and a review decision stored as a pipeline worker would, without running models.
 */
async function caseInReview(reasons = [{ code: 'face_match_uncertain', detail: 'face match 0.52 is between 0.4 and 0.6' }]) {
  const s = await t.createSession({ callbackUrl: 'http://127.0.0.1:9/hooks/realperson' });
  const cap = (p: string, init: RequestInit = {}) => fetch(t.url + p, { ...init, headers: { authorization: `Bearer ${s.token}`, ...(init.headers as Record<string, string>) } });
  const steps = await (await cap('/capture/v1/steps')).json() as { steps: { id: string; kind: string; gestureId?: string }[] };
  let i = 0;
  for (const st of steps.steps) {
    const r = await cap(`/capture/v1/steps/${st.id}/photo`, { method: 'PUT', body: new Uint8Array(await photo(i++)), headers: { 'content-type': 'image/jpeg' } });
    expect(r.status).toBe(201);
  }
  expect((await cap('/capture/v1/submit', { method: 'POST' })).status).toBe(202);
  const gestureSteps = steps.steps.filter((x) => x.kind === 'gesture');
  const evidence = {
    steps: steps.steps.map((x) => ({ stepId: x.id, kind: x.kind, photo: true })),
    faceMatch: { score: 0.52, idPortraitFound: true, liveFaceFound: true, heldCardScore: 0.7, model: 'test' },
    sameFace: { minScore: 0.81, stepsWithoutFace: [], stepsWithExtraFaces: [] },
    gestures: gestureSteps.map((g, n) => ({ stepId: g.id, gestureId: g.gestureId, gestureVersion: 1, passed: n === 0 ? true : null, score: n === 0 ? 0.9 : 0.5, conditions: [] })),
    newspaper: null, document: null,
    spoof: [{ code: 'near_duplicate_other_session', stepId: gestureSteps[1].id, score: 0.7, detail: 'like another session' }],
    missing: [],
  };
  const scores = { faceMatch: 0.52, sameFace: 0.81 };
  await db().transaction(async (tx) => {
    await tx.insert(tables.evidence).values({ sessionId: s.id, tenantId: t.tenantId, data: evidence, createdAt: clock.now() });
    await recordDecision(tx, s.id, { outcome: 'review', reasons, scores }, clock.now());
  });
  return { id: s.id, steps: steps.steps };
}

async function auditActions(subject: string): Promise<string[]> {
  const rows = await db().select({ action: tables.auditLog.action }).from(tables.auditLog).where(eq(tables.auditLog.subject, subject)).orderBy(tables.auditLog.seq);
  return rows.map((r) => r.action);
}

beforeAll(async () => { t = await startTestServer({ clock }); }, 180_000);
afterAll(async () => { await t?.close(); });

describe('staff sign-in', () => {
  it('sets an HttpOnly, SameSite=Strict cookie, answers who is signed in, and signs out', async () => {
    const u = await staffUser('reviewer');
    const res = await login(u.email.toUpperCase(), u.password);
    expect(res.status).toBe(200);
    const body = await res.json() as { userId: string; role: string; csrfToken: string };
    expect(body).toMatchObject({ userId: u.userId, role: 'reviewer' });
    expect(body.csrfToken.length).toBeGreaterThanOrEqual(40);
    const setCookie = res.headers.get('set-cookie')!;
    expect(setCookie).toMatch(/^realperson_staff=[\w-]+\.[\w-]+\.[\w-]+;/);
    expect(setCookie).toMatch(/HttpOnly/);
    expect(setCookie).toMatch(/SameSite=Strict/);
    expect(setCookie).toMatch(/Path=\//);
    expect(setCookie).toMatch(/Max-Age=900/);
    expect(setCookie).not.toMatch(/Secure/); // PUBLIC_URL is http here
    const who: Signed = { cookie: setCookie.split(';')[0], csrf: body.csrfToken, setCookie, userId: body.userId };

    const me = await staff(who, '/staff/v1/me');
    expect(me.status).toBe(200);
    expect(await me.json()).toMatchObject({ userId: u.userId, email: u.email, csrfToken: body.csrfToken });

    const out = await staff(who, '/staff/v1/logout', { method: 'POST' });
    expect(out.status).toBe(204);
    expect(out.headers.get('set-cookie')).toMatch(/realperson_staff=;.*Max-Age=0/);
    expect(await auditActions(u.userId)).toEqual(['staff.created', 'staff.login', 'staff.logout']);
    // a copy of the cookie kept from before the sign-out opens nothing any more
    const copied = await staff(who, '/staff/v1/me');
    expect(copied.status).toBe(401);
    expect((await problemOf(copied)).type).toBe('auth.staff_required');
    // signing in again gives a token that works
    const again = await login(u.email, u.password);
    expect(again.status).toBe(200);
    const fresh = { ...who, cookie: again.headers.get('set-cookie')!.split(';')[0] };
    expect((await staff(fresh, '/staff/v1/me')).status).toBe(200);
  });

  it('gives one answer for an unknown email and a wrong password, and audits both', async () => {
    const u = await staffUser('reviewer');
    const wrong = await login(u.email, 'not-the-password');
    const unknown = await login('nobody@staff.example', 'whatever-it-is');
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    const [a, b] = [await problemOf(wrong), await problemOf(unknown)];
    expect(a).toEqual(b);
    expect(a.type).toBe('auth.login_failed');
    expect(wrong.headers.get('set-cookie')).toBeNull();
    const [row] = await db().select().from(tables.auditLog)
      .where(and(eq(tables.auditLog.action, 'staff.login_failed'), sql`${tables.auditLog.data}->>'email' = 'nobody@staff.example'`));
    expect(row.data).toMatchObject({ reason: 'unknown_email' });
  });

  it('makes an address that keeps failing wait, whichever accounts it guesses (429 with Retry-After)', async () => {
    offset += 2 * MIN; // a fresh window for this address
    const u = await staffUser('reviewer');
    for (let i = 0; i < FAILED_LOGINS_PER_ADDRESS; i++) expect((await login(`spray-${i}@staff.example`, 'Winter2026!')).status).toBe(401);
    const held = await login(u.email, u.password);
    expect(held.status).toBe(429);
    expect(Number(held.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(Number(held.headers.get('retry-after'))).toBeLessThanOrEqual(LOGIN_WINDOW_SECONDS);
    expect((await problemOf(held)).type).toBe('auth.too_many_attempts');
    // refused before any password was checked: no audit entry for the held attempt
    expect(await auditActions(u.userId)).toEqual(['staff.created']);
    offset += LOGIN_WINDOW_SECONDS * 1000;
    expect((await login(u.email, u.password)).status).toBe(200);
  });

  it('locks an account for 15 minutes after 5 failures, even for the right password', async () => {
    const u = await staffUser('security');
    for (let i = 0; i < 5; i++) expect((await login(u.email, `guess-${i}`)).status).toBe(401);
    const locked = await login(u.email, u.password);
    expect(locked.status).toBe(401);
    expect((await problemOf(locked)).type).toBe('auth.login_failed');
    const actions = await auditActions(u.userId);
    expect(actions.filter((a) => a === 'staff.login_failed')).toHaveLength(6);
    expect(actions).toContain('staff.locked');
    offset += 14 * MIN;
    expect((await login(u.email, u.password)).status).toBe(401);
    offset += 2 * MIN;
    const ok = await login(u.email, u.password);
    expect(ok.status).toBe(200);
    const [row] = await db().select().from(tables.staffUsers).where(eq(tables.staffUsers.id, u.userId));
    expect(row.failedLogins).toBe(0);
    expect(row.lockedUntil).toBeNull();
  });

  it('refuses a write without the CSRF header, or with another session\'s token', async () => {
    const a = await signIn('reviewer');
    const b = await signIn('reviewer');
    const { id } = await caseInReview();
    const missing = await staff(a, `/staff/v1/reviews/${id}/claim`, { method: 'POST', csrf: null });
    expect(missing.status).toBe(403);
    expect((await problemOf(missing)).type).toBe('auth.csrf');
    const crossed = await staff(a, `/staff/v1/reviews/${id}/claim`, { method: 'POST', csrf: b.csrf });
    expect(crossed.status).toBe(403);
    expect((await staff(a, '/staff/v1/logout', { method: 'POST', csrf: null })).status).toBe(403);
    // reads need no CSRF header
    expect((await staff(a, `/staff/v1/reviews/${id}`, { csrf: null })).status).toBe(200);
  });

  it('checks the role on every staff route', async () => {
    const sec = await signIn('security');
    const rev = await signIn('reviewer');
    const { id } = await caseInReview();
    for (const [p, method] of [['/staff/v1/reviews', 'GET'], [`/staff/v1/reviews/${id}`, 'GET'], [`/staff/v1/reviews/${id}/claim`, 'POST']] as const) {
      const r = await staff(sec, p, { method });
      expect(r.status, `${method} ${p}`).toBe(403);
      expect((await problemOf(r)).type).toBe('auth.forbidden');
    }
    for (const [p, method] of [['/staff/v1/gestures', 'GET'], ['/staff/v1/gestures/thumb-up/retire', 'POST'], ['/staff/v1/gestures/rotate', 'POST']] as const) {
      expect((await staff(rev, p, { method, json: method === 'POST' ? { count: 4 } : undefined })).status, `${method} ${p}`).toBe(403);
    }
    const admin = await signIn('admin');
    expect((await staff(admin, '/staff/v1/reviews')).status).toBe(200);
    expect((await staff(admin, '/staff/v1/gestures')).status).toBe(200);
  });

  it('opens nothing for a capture token or a tenant API key, in a header or as the cookie', async () => {
    const s = await t.createSession();
    const routes = ['/staff/v1/reviews', `/staff/v1/reviews/${s.id}`, '/staff/v1/gestures', '/staff/v1/me', '/staff/v1/photos/pho_x'];
    for (const p of routes) {
      for (const credential of [s.token, t.apiKey]) {
        const r = await fetch(t.url + p, { headers: { authorization: `Bearer ${credential}` } });
        expect(r.status, p).toBe(401);
        const asCookie = await fetch(t.url + p, { headers: { cookie: `realperson_staff=${credential}` } });
        expect(asCookie.status, p).toBe(401);
      }
    }
    const post = await fetch(`${t.url}/staff/v1/gestures/rotate`, { method: 'POST', headers: { authorization: `Bearer ${t.apiKey}`, 'content-type': 'application/json' }, body: '{"count":4}' });
    expect(post.status).toBe(401);
  });

  it('is described in /openapi.json with the staff cookie as its credential', async () => {
    const doc = await (await fetch(`${t.url}/openapi.json`)).json() as { paths: Record<string, Record<string, { security?: unknown[] }>>; components: { securitySchemes: Record<string, unknown> } };
    expect(doc.components.securitySchemes.staffCookie).toMatchObject({ type: 'apiKey', in: 'cookie', name: 'realperson_staff' });
    for (const p of ['/staff/v1/reviews', '/staff/v1/reviews/{sessionId}/decision', '/staff/v1/gestures', '/staff/v1/gestures/rotate']) {
      const op = Object.values(doc.paths[p] ?? {})[0];
      expect(op?.security, p).toEqual([{ staffCookie: [] }]);
    }
    expect(doc.paths['/staff/v1/login'].post.security).toBeUndefined();
  });

  it('shuts out a disabled account at once, even with a valid cookie', async () => {
    const r = await signIn('reviewer');
    await db().update(tables.staffUsers).set({ disabled: true }).where(eq(tables.staffUsers.id, r.userId));
    expect((await staff(r, '/staff/v1/reviews')).status).toBe(401);
  });
});

describe('review', () => {
  it('lists cases in review oldest first, filtered by tenant and reason', async () => {
    const rev = await signIn('reviewer');
    const first = await caseInReview([{ code: 'gesture_uncertain', detail: 'could not tell' }]);
    const second = await caseInReview([{ code: 'spoof_suspected', detail: 'near duplicate' }]);
    const all = await (await staff(rev, '/staff/v1/reviews')).json() as { items: { sessionId: string; tenantName: string }[] };
    const ids = all.items.map((x) => x.sessionId);
    expect(ids.indexOf(first.id)).toBeGreaterThanOrEqual(0);
    expect(ids.indexOf(first.id)).toBeLessThan(ids.indexOf(second.id));
    const bySpoof = await (await staff(rev, '/staff/v1/reviews?reason=spoof_suspected')).json() as { items: { sessionId: string }[] };
    expect(bySpoof.items.map((x) => x.sessionId)).toContain(second.id);
    expect(bySpoof.items.map((x) => x.sessionId)).not.toContain(first.id);
    const other = await t.newTenant();
    const none = await (await staff(rev, `/staff/v1/reviews?tenant=${other.tenantId}`)).json() as { items: unknown[] };
    expect(none.items).toEqual([]);
    const mine = await (await staff(rev, `/staff/v1/reviews?tenant=${t.tenantId}`)).json() as { items: { sessionId: string }[] };
    expect(mine.items.map((x) => x.sessionId)).toContain(first.id);
  });

  it('shows a case with steps, photos, evidence, decision and thresholds; photos only to reviewers, never cached', async () => {
    const rev = await signIn('reviewer');
    const c = await caseInReview();
    const res = await staff(rev, `/staff/v1/reviews/${c.id}`);
    expect(res.status).toBe(200);
    const body = await res.json() as {
      declared: { fullName: string }; steps: { kind: string; photo: { url: string; width: number } | null; gesture: { id: string; instructions: string } | null }[];
      evidence: { faceMatch: { score: number } }; decision: { outcome: string; reasons: { code: string }[] };
      thresholds: { faceMatch: { approveAbove: number }; faceSizes: typeof FACE_SIZE_RULES };
    };
    expect(body.declared.fullName).toBe('Specimen Person');
    expect(body.steps.map((s) => s.kind)).toEqual(['id_front', 'selfie_with_id', 'gesture', 'gesture', 'newspaper']);
    expect(body.steps.every((s) => s.photo?.width === 480)).toBe(true);
    expect(body.steps[2].gesture?.instructions).toBeTruthy();
    expect(body.evidence.faceMatch.score).toBe(0.52);
    expect(body.decision).toMatchObject({ outcome: 'review', reasons: [{ code: 'face_match_uncertain' }] });
    expect(body.thresholds.faceMatch.approveAbove).toBe(DEFAULT_POLICY.faceMatch.approveAbove);
    // the console draws a small face's bar with the line it was judged by
    expect(body.thresholds.faceSizes).toEqual(FACE_SIZE_RULES);

    const img = await staff(rev, body.steps[0].photo!.url);
    expect(img.status).toBe(200);
    expect(img.headers.get('content-type')).toBe('image/jpeg');
    expect(img.headers.get('cache-control')).toBe('no-store');
    const meta = await sharp(Buffer.from(await img.arrayBuffer())).metadata();
    expect(meta.width).toBe(480);
    expect((await staff(await signIn('security'), body.steps[0].photo!.url)).status).toBe(403);
    expect((await staff(rev, '/staff/v1/photos/pho_missing')).status).toBe(404);
    expect((await staff(rev, '/staff/v1/reviews/ses_missing')).status).toBe(404);
  });

  it('lets one reviewer hold a case; a second gets 409 until the claim goes stale', async () => {
    const a = await signIn('reviewer');
    const b = await signIn('reviewer');
    const c = await caseInReview();
    const claimed = await staff(a, `/staff/v1/reviews/${c.id}/claim`, { method: 'POST' });
    expect(claimed.status).toBe(200);
    expect(await claimed.json()).toMatchObject({ reviewerId: a.userId });
    expect((await staff(a, `/staff/v1/reviews/${c.id}/claim`, { method: 'POST' })).status).toBe(200); // renewing your own
    const taken = await staff(b, `/staff/v1/reviews/${c.id}/claim`, { method: 'POST' });
    expect(taken.status).toBe(409);
    expect((await problemOf(taken)).type).toBe('review.claimed');
    const blocked = await staff(b, `/staff/v1/reviews/${c.id}/decision`, { method: 'POST', json: { outcome: 'approved', note: 'looks fine' } });
    expect(blocked.status).toBe(409);
    const queue = await (await staff(b, '/staff/v1/reviews')).json() as { items: { sessionId: string; claim: { reviewerId: string } | null }[] };
    expect(queue.items.find((x) => x.sessionId === c.id)?.claim?.reviewerId).toBe(a.userId);

    offset += 11 * MIN;
    const b2 = await signIn('reviewer'); // a's and b's cookies have 15 minutes; sign in fresh after the clock jump
    const takeover = await staff(b2, `/staff/v1/reviews/${c.id}/claim`, { method: 'POST' });
    expect(takeover.status).toBe(200);
    expect((await auditActions(c.id)).filter((a) => a.startsWith('review.'))).toEqual(['review.claimed', 'review.claimed', 'review.claimed']);
  });

  it('records the decision once, with a note, a webhook event and an audit entry; a second decision is 409', async () => {
    const a = await signIn('reviewer');
    const b = await signIn('admin');
    const c = await caseInReview();
    expect((await staff(a, `/staff/v1/reviews/${c.id}/claim`, { method: 'POST' })).status).toBe(200);
    const noNote = await staff(a, `/staff/v1/reviews/${c.id}/decision`, { method: 'POST', json: { outcome: 'rejected', note: '   ' } });
    expect(noNote.status).toBe(400);
    const decided = await staff(a, `/staff/v1/reviews/${c.id}/decision`, { method: 'POST', json: { outcome: 'rejected', note: 'card portrait is a different person' } });
    expect(decided.status).toBe(200);
    expect(await decided.json()).toMatchObject({ status: 'decided', decision: { outcome: 'rejected', decidedBy: 'reviewer' } });

    const again = await staff(b, `/staff/v1/reviews/${c.id}/decision`, { method: 'POST', json: { outcome: 'approved', note: 'overrule' } });
    expect(again.status).toBe(409);
    expect((await problemOf(again)).type).toBe('review.already_decided');
    expect((await staff(a, `/staff/v1/reviews/${c.id}/decision`, { method: 'POST', json: { outcome: 'approved', note: 'changed my mind' } })).status).toBe(409);

    const platform = await (await t.api(`/v1/sessions/${c.id}`)).json() as { status: string; decision: { outcome: string; decidedBy: string; reasons: { code: string; detail: string }[] } };
    expect(platform.status).toBe('decided');
    expect(platform.decision.outcome).toBe('rejected');
    expect(platform.decision.decidedBy).toBe('reviewer');
    expect(platform.decision.reasons.at(-1)).toEqual({ code: 'review.rejected', detail: 'card portrait is a different person' });

    const hooks = await db().select().from(tables.webhookDeliveries).where(eq(tables.webhookDeliveries.sessionId, c.id)).orderBy(tables.webhookDeliveries.createdAt);
    expect(hooks.map((h) => h.eventType)).toEqual(['session.review', 'session.decided']);
    expect(hooks[1].payload).toMatchObject({ type: 'session.decided', data: { sessionId: c.id, status: 'decided', decision: { outcome: 'rejected', decidedBy: 'reviewer' } } });
    const [rd] = await db().select().from(tables.reviewDecisions).where(eq(tables.reviewDecisions.sessionId, c.id));
    expect(rd).toMatchObject({ reviewerId: a.userId, outcome: 'rejected', note: 'card portrait is a different person' });
    const [audit] = await db().select().from(tables.auditLog).where(and(eq(tables.auditLog.subject, c.id), eq(tables.auditLog.action, 'review.decided')));
    expect(audit).toMatchObject({ actor: `staff:${a.userId}`, data: { outcome: 'rejected', note: 'card portrait is a different person' } });

    const queue = await (await staff(a, '/staff/v1/reviews')).json() as { items: { sessionId: string }[] };
    expect(queue.items.map((x) => x.sessionId)).not.toContain(c.id);
    expect((await staff(a, `/staff/v1/reviews/${c.id}/claim`, { method: 'POST' })).status).toBe(409);
  });

  it('decides exactly once when two reviewers submit at the same moment', async () => {
    const a = await signIn('reviewer');
    const b = await signIn('reviewer');
    const c = await caseInReview();
    const results = await Promise.all([a, b].map((who, i) => staff(who, `/staff/v1/reviews/${c.id}/decision`, { method: 'POST', json: { outcome: i ? 'approved' : 'rejected', note: `reviewer ${i}` } })));
    expect(results.map((r) => r.status).sort()).toEqual([200, 409]);
    expect(await db().select().from(tables.reviewDecisions).where(eq(tables.reviewDecisions.sessionId, c.id))).toHaveLength(1);
  });
});

describe('gesture admin', () => {
  it('lists the library with instructions, status and numbers over a period', async () => {
    const sec = await signIn('security');
    const c = await caseInReview();
    const res = await staff(sec, '/staff/v1/gestures');
    expect(res.status).toBe(200);
    const body = await res.json() as { gestures: { id: string; status: string; family: string; instructions: { en: string }; stats: { issued: number; passed: number; review: number; spoofFlags: number; sessions: { review: number } } }[] };
    expect(body.gestures.length).toBeGreaterThanOrEqual(30);
    expect(body.gestures.every((g) => g.instructions.en && g.family)).toBe(true);
    const [g1, g2] = c.steps.filter((s) => s.kind === 'gesture').map((s) => body.gestures.find((g) => g.id === s.gestureId)!);
    expect(g1.stats.issued).toBeGreaterThanOrEqual(1);
    expect(g1.stats.passed).toBeGreaterThanOrEqual(1);
    expect(g2.stats.review).toBeGreaterThanOrEqual(1);
    expect(g2.stats.spoofFlags).toBeGreaterThanOrEqual(1);
    expect(g1.stats.sessions.review).toBeGreaterThanOrEqual(1);
    const before = await (await staff(sec, `/staff/v1/gestures?to=${encodeURIComponent(new Date(Date.now() - 86_400_000 * 400).toISOString())}`)).json() as typeof body;
    expect(before.gestures.find((g) => g.id === g1.id)?.stats.issued).toBe(0);
  });

  it('retires a gesture so that it is never drawn again, while issued sessions keep their version', async () => {
    const sec = await signIn('security');
    const active = await activeGestures(db());
    const victim = active[0].id;
    const issued = await db().select().from(tables.challengeSteps).where(eq(tables.challengeSteps.gestureId, victim));
    const retired = await staff(sec, `/staff/v1/gestures/${victim}/retire`, { method: 'POST' });
    expect(retired.status).toBe(200);
    expect(await retired.json()).toMatchObject({ id: victim, status: 'retired' });
    expect((await staff(sec, `/staff/v1/gestures/${victim}/activate`, { method: 'POST' })).status).toBe(409);
    for (let i = 0; i < 6; i++) {
      const s = await t.createSession();
      const steps = await (await fetch(`${t.url}/capture/v1/steps`, { headers: { authorization: `Bearer ${s.token}` } })).json() as { steps: { gestureId?: string }[] };
      expect(steps.steps.map((x) => x.gestureId)).not.toContain(victim);
    }
    const still = await db().select().from(tables.challengeSteps).where(eq(tables.challengeSteps.gestureId, victim));
    expect(still.slice(0, issued.length).map((r) => r.gestureVersion)).toEqual(issued.map((r) => r.gestureVersion));
    expect(await auditActions(`${victim}@${active[0].version}`)).toContain('gesture.retired');
  });

  it('rotates now, or at a scheduled time applied once it is due', async () => {
    const sec = await signIn('security');
    const now = await staff(sec, '/staff/v1/gestures/rotate', { method: 'POST', json: { count: 6 } });
    expect(now.status).toBe(200);
    const rotated = await now.json() as { active: string[] };
    expect(rotated.active).toHaveLength(6);
    expect((await activeGestures(db())).map((g) => g.id).sort()).toEqual(rotated.active);

    const tooMany = await staff(sec, '/staff/v1/gestures/rotate', { method: 'POST', json: { count: 199 } });
    expect(tooMany.status).toBe(422);

    const at = new Date(clock.now().getTime() + 30 * MIN).toISOString();
    const scheduled = await staff(sec, '/staff/v1/gestures/rotate', { method: 'POST', json: { count: 5, at } });
    expect(scheduled.status).toBe(202);
    const row = await scheduled.json() as { id: string; appliedAt: string | null };
    expect(row.appliedAt).toBeNull();
    expect(await applyDueRotations(db(), clock.now())).toBe(0);
    expect((await activeGestures(db())).map((g) => g.id).sort()).toEqual(rotated.active);

    offset += 31 * MIN;
    const sec2 = await signIn('security');
    const list = await (await staff(sec2, '/staff/v1/gestures')).json() as { gestures: { id: string; status: string }[]; rotations: { id: string; appliedAt: string | null; activeSet: string[] | null }[] };
    const applied = list.rotations.find((r) => r.id === row.id)!;
    expect(applied.appliedAt).not.toBeNull();
    expect(applied.activeSet).toHaveLength(5);
    expect(list.gestures.filter((g) => g.status === 'active').map((g) => g.id).sort()).toEqual(applied.activeSet);
    expect(await applyDueRotations(db(), clock.now())).toBe(0); // once only
    expect(await auditActions(row.id)).toEqual(['gestures.rotation_scheduled']);
  });

  it('applies a due rotation by itself, with no one looking at the library', async () => {
    const sec = await signIn('security');
    const at = new Date(clock.now().getTime() + 1500).toISOString();
    const row = await (await staff(sec, '/staff/v1/gestures/rotate', { method: 'POST', json: { count: 7, at } })).json() as { id: string };
    const applied = async () => (await db().select().from(tables.gestureRotations).where(eq(tables.gestureRotations.id, row.id)))[0];
    await expect.poll(async () => (await applied()).appliedAt, { timeout: 25_000, interval: 1000 }).not.toBeNull();
    expect((await activeGestures(db())).map((g) => g.id).sort()).toEqual((await applied()).activeSet);
  }, 40_000);

  it('cancels a scheduled rotation that has not run', async () => {
    const sec = await signIn('security');
    const at = new Date(clock.now().getTime() + 60 * MIN).toISOString();
    const row = await (await staff(sec, '/staff/v1/gestures/rotate', { method: 'POST', json: { count: 4, at } })).json() as { id: string };
    expect((await staff(sec, `/staff/v1/gestures/rotations/${row.id}`, { method: 'DELETE' })).status).toBe(204);
    expect((await staff(sec, `/staff/v1/gestures/rotations/${row.id}`, { method: 'DELETE' })).status).toBe(404);
  });
});
