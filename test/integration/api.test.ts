// The platform and capture APIs over real HTTP, on PGlite and (when TEST_DATABASE_URL is set, as in CI)
// on PostgreSQL: the happy path, every bad input, cross-tenant access and token misuse.
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import sharp from 'sharp';
import { SignJWT, UnsecuredJWT, generateKeyPair } from 'jose';
import { DEFAULT_SESSION, startTestServer, type TestServer } from '../support/server.js';
import { TEST_DATABASE_URL } from '../support/postgres.js';
import { issueCaptureToken } from '../../src/keys/index.js';
import { rowsOf } from '../../src/queue/index.js';
import { loadOrCreateKeys } from '../../src/keys/files.js';
import path from 'node:path';

const backends = [{ name: 'PGlite', postgres: false }, ...(TEST_DATABASE_URL ? [{ name: 'PostgreSQL', postgres: true }] : [])];
if (!TEST_DATABASE_URL) console.warn('[realperson tests] TEST_DATABASE_URL unset: API suite runs on PGlite only');

async function photo(seed = 0): Promise<Uint8Array<ArrayBuffer>> {
  // A real-looking JPEG made here: the API's intake only needs a decodable image.
  return sharp({ create: { width: 640, height: 480, channels: 3, background: { r: 40 + seed, g: 90, b: 160 } } })
    .composite([{ input: Buffer.from(`<svg width="640" height="480"><circle cx="320" cy="240" r="${100 + seed}" fill="#e0b090"/></svg>`) }])
    .jpeg().toBuffer().then((b) => new Uint8Array(b));
}

const problemOf = async (res: Response) => {
  expect(res.headers.get('content-type')).toContain('application/problem+json');
  const body = await res.json() as { type: string; status: number; detail: string };
  expect(body.status).toBe(res.status);
  expect(body.detail).toBeTruthy();
  return body;
};

describe.each(backends)('API on $name', ({ postgres }) => {
  let t: TestServer;
  beforeAll(async () => { t = await startTestServer({ postgres }); });
  afterAll(async () => { await t?.close(); });

  const capture = (token: string, p: string, init: RequestInit = {}) =>
    fetch(t.url + p, { ...init, headers: { authorization: `Bearer ${token}`, ...(init.headers as Record<string, string>) } });

  async function uploadAll(token: string) {
    const steps = await (await capture(token, '/capture/v1/steps')).json() as { steps: { id: string; kind: string }[] };
    let i = 0;
    for (const s of steps.steps) {
      const res = await capture(token, `/capture/v1/steps/${s.id}/photo`, { method: 'PUT', body: await photo(i++), headers: { 'content-type': 'image/jpeg' } });
      expect(res.status).toBe(201);
    }
    return steps;
  }

  it('healthz answers ok and jwks publishes the signing key', async () => {
    expect((await fetch(`${t.url}/healthz`)).status).toBe(200);
    const jwks = await (await fetch(`${t.url}/.well-known/jwks.json`)).json() as { keys: { kid: string; d?: string }[] };
    expect(jwks.keys).toHaveLength(1);
    expect(jwks.keys[0].d).toBeUndefined();
  });

  it('creates a session, draws a five-step challenge, takes photos and submits once', async () => {
    const s = await t.createSession();
    const steps = await uploadAll(s.token);
    expect(steps.steps.map((x) => x.kind)).toEqual(['id_front', 'selfie_with_id', 'gesture', 'gesture', 'newspaper']);
    const again = await (await capture(s.token, '/capture/v1/steps')).json() as { steps: { id: string; done: boolean }[] };
    expect(again.steps.map((x) => x.id)).toEqual(steps.steps.map((x) => x.id));
    expect(again.steps.every((x) => x.done)).toBe(true);
    const submitted = await capture(s.token, '/capture/v1/submit', { method: 'POST' });
    expect(submitted.status).toBe(202);
    expect(await submitted.json()).toEqual({ status: 'processing' });
    // single use: a second submit and further uploads are refused
    expect((await problemOf(await capture(s.token, '/capture/v1/submit', { method: 'POST' }))).type).toBe('session.submitted');
    const view = await (await t.api(`/v1/sessions/${s.id}`)).json() as { status: string; decision: unknown };
    expect(view).toMatchObject({ status: 'processing', decision: null });
    const [{ count }] = await t.service.database.db.execute(`select count(*)::int as count from jobs where session_id = '${s.id}'`)
      .then((r) => rowsOf(r) as { count: number }[]);
    expect(Number(count)).toBe(1);
  });

  it('submit before every step has a photo is a 409', async () => {
    const s = await t.createSession();
    await capture(s.token, '/capture/v1/steps');
    const res = await capture(s.token, '/capture/v1/submit', { method: 'POST' });
    expect(res.status).toBe(409);
    expect((await problemOf(res)).type).toBe('capture.incomplete');
  });

  it('gesture challenges are drawn at random from the active library', async () => {
    const seen = new Set<string>();
    for (let i = 0; i < 6; i++) {
      const s = await t.createSession();
      const steps = await (await capture(s.token, '/capture/v1/steps')).json() as { steps: { gestureId?: string }[] };
      const g = steps.steps.filter((x) => x.gestureId).map((x) => x.gestureId!);
      expect(g).toHaveLength(2);
      expect(g[0]).not.toBe(g[1]);
      g.forEach((x) => seen.add(x));
    }
    expect(seen.size).toBeGreaterThan(3);
  });

  it('validates the create body field by field', async () => {
    const res = await t.api('/v1/sessions', { method: 'POST', body: JSON.stringify({ locale: 'fr', declared: { documentType: 'x' } }) });
    expect(res.status).toBe(400);
    const body = await problemOf(res) as unknown as { type: string; errors: { path: string }[] };
    expect(body.type).toBe('request.invalid');
    const paths = body.errors.map((e) => e.path);
    expect(paths).toEqual(expect.arrayContaining(['externalSellerId', 'locale', 'declared.fullName', 'declared.documentType']));
    expect((await t.api('/v1/sessions', { method: 'POST', body: '{not json' })).status).toBe(400);
  });

  it('Idempotency-Key: same body replays, another body is 422', async () => {
    const headers = { 'idempotency-key': `k-${Math.random()}` };
    const body = JSON.stringify({ externalSellerId: 'idem', locale: 'en', declared: { fullName: 'A B', documentType: 'passport', documentNumber: 'X1234567', region: 'GB' } });
    const a = await t.api('/v1/sessions', { method: 'POST', body, headers });
    const b = await t.api('/v1/sessions', { method: 'POST', body, headers });
    expect(a.status).toBe(201);
    expect((await b.json() as { id: string }).id).toBe((await a.json() as { id: string }).id);
    const c = await t.api('/v1/sessions', { method: 'POST', body: body.replace('idem', 'other'), headers });
    expect(c.status).toBe(422);
    expect((await problemOf(c)).type).toBe('idempotency.key_reused');
  });

  it("another tenant's session is a 404 everywhere", async () => {
    const s = await t.createSession();
    const other = await t.newTenant();
    for (const [method, p] of [['GET', `/v1/sessions/${s.id}`], ['POST', `/v1/sessions/${s.id}/cancel`], ['DELETE', `/v1/sessions/${s.id}/data`]]) {
      const res = await t.api(p, { method, key: other.apiKey });
      expect(res.status).toBe(404);
    }
    const list = await (await t.api('/v1/sessions', { key: other.apiKey })).json() as { items: unknown[] };
    expect(list.items).toHaveLength(0);
  });

  it('lists sessions with a cursor', async () => {
    const other = await t.newTenant();
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) {
      const r = await t.api('/v1/sessions', { method: 'POST', key: other.apiKey, body: JSON.stringify({ externalSellerId: `l${i}`, declared: { fullName: 'A', documentType: 'passport', documentNumber: 'P000001', region: 'US' } }) });
      ids.push((await r.json() as { id: string }).id);
    }
    const p1 = await (await t.api('/v1/sessions?limit=2', { key: other.apiKey })).json() as { items: { id: string }[]; nextCursor: string };
    const p2 = await (await t.api(`/v1/sessions?limit=2&cursor=${p1.nextCursor}`, { key: other.apiKey })).json() as { items: { id: string }[]; nextCursor: null };
    expect([...p1.items, ...p2.items].map((x) => x.id).sort()).toEqual(ids.sort());
    expect(p2.nextCursor).toBeNull();
    expect((await t.api('/v1/sessions?cursor=garbage', { key: other.apiKey })).status).toBe(400);
  });

  it('refuses bad credentials on both APIs', async () => {
    const s = await t.createSession();
    expect((await problemOf(await fetch(`${t.url}/v1/sessions/${s.id}`))).type).toBe('auth.unauthorized');
    expect((await problemOf(await t.api(`/v1/sessions/${s.id}`, { key: 'rp_live_nope' }))).type).toBe('auth.invalid_api_key');
    // a capture token on the platform API, an API key on the capture API
    expect((await problemOf(await t.api(`/v1/sessions/${s.id}`, { key: s.token }))).status).toBe(401);
    expect((await capture(t.apiKey, '/capture/v1/steps')).status).toBe(401);
  });

  it('refuses forged, expired, wrong-audience and alg:none capture tokens', async () => {
    const s = await t.createSession();
    const keys = await loadOrCreateKeys(path.join(t.service.config.DATA_DIR, 'keys'), {});
    const expired = await issueCaptureToken(keys, { sessionId: s.id, tenantId: t.tenantId }, new Date(Date.now() - 1000));
    const res = await capture(expired, '/capture/v1/steps');
    expect(res.status).toBe(401);
    expect((await problemOf(res)).type).toBe('auth.token_expired');
    const wrongAud = await new SignJWT({ tid: t.tenantId }).setProtectedHeader({ alg: 'EdDSA', kid: keys.kid }).setIssuer('realperson')
      .setAudience('realperson:staff').setSubject(s.id).setExpirationTime('10m').sign(keys.privateKey);
    expect((await problemOf(await capture(wrongAud, '/capture/v1/steps'))).type).toBe('auth.invalid_token');
    const none = new UnsecuredJWT({ tid: t.tenantId }).setIssuer('realperson').setAudience('realperson:capture').setSubject(s.id).setExpirationTime('10m').encode();
    expect((await capture(none, '/capture/v1/steps')).status).toBe(401);
    const { privateKey } = await generateKeyPair('EdDSA');
    const forged = await new SignJWT({ tid: t.tenantId }).setProtectedHeader({ alg: 'EdDSA' }).setIssuer('realperson')
      .setAudience('realperson:capture').setSubject(s.id).setExpirationTime('10m').sign(privateKey);
    expect((await capture(forged, '/capture/v1/steps')).status).toBe(401);
    // tampered payload: swap the session id
    const [h, , sig] = s.token.split('.');
    const other = await t.createSession();
    const tampered = `${h}.${other.token.split('.')[1]}.${sig}`;
    expect((await capture(tampered, '/capture/v1/steps')).status).toBe(401);
  });

  it('a capture token opens only its own session', async () => {
    const a = await t.createSession();
    const b = await t.createSession();
    const stepsB = await (await capture(b.token, '/capture/v1/steps')).json() as { steps: { id: string }[] };
    const res = await capture(a.token, `/capture/v1/steps/${stepsB.steps[0].id}/photo`, { method: 'PUT', body: await photo(), headers: { 'content-type': 'image/jpeg' } });
    expect(res.status).toBe(404);
  });

  it('bad photos get a clear 4xx and change nothing', async () => {
    const s = await t.createSession();
    const steps = await (await capture(s.token, '/capture/v1/steps')).json() as { steps: { id: string }[] };
    const put = (body: BodyInit, type = 'image/jpeg') => capture(s.token, `/capture/v1/steps/${steps.steps[0].id}/photo`, { method: 'PUT', body, headers: { 'content-type': type } });
    expect((await problemOf(await put(Buffer.from('GIF89a................')))).type).toBe('photo.unsupported_type');
    expect((await problemOf(await put(Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>'), 'image/svg+xml'))).type).toBe('photo.unsupported_type');
    const jpeg = await photo();
    expect((await problemOf(await put(jpeg.subarray(0, 300)))).type).toBe('photo.undecodable');
    expect((await problemOf(await put(new Uint8Array(0)))).status).toBe(400);
    // larger than the limit, streamed without Content-Length
    const big = new ReadableStream<Uint8Array>({
      start(ctl) { ctl.enqueue(jpeg); }, pull(ctl) { ctl.enqueue(new Uint8Array(1 << 20)); },
    });
    const res = await fetch(`${t.url}/capture/v1/steps/${steps.steps[0].id}/photo`, { method: 'PUT', body: big, headers: { authorization: `Bearer ${s.token}`, 'content-type': 'image/jpeg' }, duplex: 'half' } as RequestInit);
    expect(res.status).toBe(413);
    const after = await (await capture(s.token, '/capture/v1/steps')).json() as { steps: { done: boolean }[] };
    expect(after.steps.every((x) => !x.done)).toBe(true);
    const stored: string[] = [];
    for await (const k of t.service.store.list('photos/')) stored.push(k);
    expect(stored.filter((k) => k.includes(s.id))).toEqual([]);
  });

  it('cancel, then capture answers 410', async () => {
    const s = await t.createSession();
    const res = await t.api(`/v1/sessions/${s.id}/cancel`, { method: 'POST' });
    expect((await res.json() as { status: string }).status).toBe('cancelled');
    expect((await problemOf(await capture(s.token, '/capture/v1/steps'))).type).toBe('session.cancelled');
  });

  it('erases a session\'s photos and declared data on request, keeping an audit entry', async () => {
    const s = await t.createSession();
    await uploadAll(s.token);
    const res = await t.api(`/v1/sessions/${s.id}/data`, { method: 'DELETE' });
    expect(res.status).toBe(200);
    expect((await res.json() as { photosDeleted: number }).photosDeleted).toBe(5);
    const stored: string[] = [];
    for await (const k of t.service.store.list('photos/')) stored.push(k);
    expect(stored.filter((k) => k.includes(s.id))).toEqual([]);
  });

  it('serves the OpenAPI document and metrics', async () => {
    const doc = await (await fetch(`${t.url}/openapi.json`)).json() as { paths: Record<string, unknown> };
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/v1/sessions', '/v1/sessions/{id}', '/capture/v1/steps', '/capture/v1/steps/{stepId}/photo', '/capture/v1/submit']));
    const metrics = await (await fetch(`${t.url}/metrics`)).text();
    expect(metrics).toContain('realperson_http_request_duration_seconds_bucket');
    expect(metrics).toMatch(/realperson_jobs\{status="queued"\} \d+/);
  });
});

describe('API reference page', () => {
  it('serves /docs and its script without inline code, under a strict CSP', async () => {
    const t = await startTestServer();
    try {
      const page = await fetch(`${t.url}/docs`);
      expect(page.status).toBe(200);
      expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
      const html = await page.text();
      expect(html).toContain('/docs/docs.js');
      expect(html).not.toMatch(/<script>(?!<)/);
      expect((await fetch(`${t.url}/docs/docs.js`)).status).toBe(200);
      expect((await fetch(`${t.url}/docs/../../package.json`)).status).toBe(404);
    } finally {
      await t.close();
    }
  });
});

describe('callback URLs on a default install', () => {
  it('refuses a callback aimed inside the network with a 422 naming the field, and creates nothing', async () => {
    const t = await startTestServer({ env: { WEBHOOK_ALLOW_PRIVATE: 'false' } });
    try {
      for (const callbackUrl of [
        'http://169.254.169.254/latest/meta-data', 'http://localhost:5432/', 'http://[::1]/hook',
        'http://localhost./h', 'http://[2002:7f00:1::]/h', 'http://[2001::1]/h', 'http://metadata.google.internal/h', 'http://metadata/h',
      ]) {
        const res = await t.api('/v1/sessions', { method: 'POST', body: JSON.stringify({ ...DEFAULT_SESSION, callbackUrl }) });
        expect(res.status).toBe(422);
        expect(res.headers.get('content-type')).toContain('application/problem+json');
        const body = await res.json() as { type: string; errors: { path: string; message: string }[] };
        expect(body.type).toBe('session.callback_refused');
        expect(body.errors[0].path).toBe('callbackUrl');
      }
      expect((await (await t.api('/v1/sessions')).json() as { items: unknown[] }).items).toEqual([]);
      const ok = await t.api('/v1/sessions', { method: 'POST', body: JSON.stringify({ ...DEFAULT_SESSION, callbackUrl: 'https://platform.example/hooks' }) });
      expect(ok.status).toBe(201);
    } finally {
      await t.close();
    }
  });
});

describe.each(backends)('the newspaper date on $name is the seller\'s local one', ({ postgres }) => {
  let t: TestServer;
  // Sessions are created on the real clock; the challenge is drawn at a pinned instant inside the
  // session's lifetime, so the capture token and the session's expiry still hold.
  let pinned: Date | null = null;
  beforeAll(async () => { t = await startTestServer({ postgres, clock: { now: () => pinned ?? new Date() } }); });
  afterAll(async () => { await t?.close(); });

  /** The first instant after now at this UTC time of day. */
  const nextUtc = (hours: number, minutes: number) => {
    const now = Date.now();
    const at = new Date(now);
    at.setUTCHours(hours, minutes, 0, 0);
    return new Date(at.getTime() <= now ? at.getTime() + 86_400_000 : at.getTime());
  };
  const beijingDate = (instant: Date, daysLater = 0) => new Date(instant.getTime() + 8 * 3600_000 + daysLater * 86_400_000).toISOString().slice(0, 10);

  async function drawnAt(instant: Date, body: Record<string, unknown> = {}) {
    pinned = null;
    const s = await t.createSession(body);
    pinned = instant;
    try {
      const res = await fetch(`${t.url}/capture/v1/steps`, { headers: { authorization: `Bearer ${s.token}` } });
      expect(res.status).toBe(200);
      const steps = await res.json() as { steps: { id: string; kind: string; instructions: string; newspaper?: { name: string; date: string; dateText?: string; day?: string } }[] };
      const step = steps.steps.find((x) => x.kind === 'newspaper')!;
      const [{ newspaper }] = await t.service.database.db.execute(`select newspaper from challenge_steps where id = '${step.id}'`)
        .then((r) => rowsOf(r) as { newspaper: { date: string; window: { from: string; to: string }; timeZone?: string } }[]);
      return { step, stored: newspaper };
    } finally {
      pinned = null;
    }
  }

  it('asks a seller in Zhejiang at 07:30 Beijing time for that morning\'s paper, not the UTC date\'s', async () => {
    const at = nextUtc(23, 30);
    const { step, stored } = await drawnAt(at);
    expect(step.newspaper!.date).toBe(beijingDate(at));
    expect(stored.timeZone).toBe('Asia/Shanghai');
    expect(stored.window).toEqual({ from: beijingDate(at, -1), to: beijingDate(at) });
    // The evening paper is not on sale at 07:30: the morning paper of the day is asked for.
    expect(step.newspaper!.name).toBe('Zhejiang Daily');
    expect(step.newspaper!.day).toBe('today');
  }, 30_000);

  it('keeps asking for the same local day on both sides of 08:00 Beijing time, when the UTC date turns', async () => {
    const before = await drawnAt(nextUtc(23, 59));
    const after = await drawnAt(nextUtc(0, 1));
    expect(before.step.newspaper!.date).toBe(beijingDate(nextUtc(23, 59)));
    expect(after.step.newspaper!.date).toBe(beijingDate(nextUtc(0, 1)));
    expect(before.step.newspaper!.day).toBe('today');
    expect(after.step.newspaper!.day).toBe('today');
  }, 30_000);

  it('asks for yesterday\'s paper just after local midnight, and still accepts the new day\'s', async () => {
    const lateEvening = nextUtc(15, 59);
    const before = await drawnAt(lateEvening);
    expect(before.step.newspaper!.date).toBe(beijingDate(lateEvening));
    expect(before.step.newspaper!.day).toBe('today');
    expect(before.stored.window).toEqual({ from: beijingDate(lateEvening, -1), to: beijingDate(lateEvening) });

    const afterMidnight = nextUtc(16, 1);
    const after = await drawnAt(afterMidnight);
    // 00:01 in Beijing: the new day's paper is not out, so the last one printed is asked for.
    expect(after.step.newspaper!.date).toBe(beijingDate(afterMidnight, -1));
    expect(after.step.newspaper!.day).toBe('yesterday');
    expect(after.stored.window).toEqual({ from: beijingDate(afterMidnight, -2), to: beijingDate(afterMidnight) });
  }, 30_000);

  it('words the date as the seller reads it, in the session\'s language', async () => {
    const at = nextUtc(23, 30);
    const [y, m, d] = beijingDate(at).split('-').map(Number);
    const zh = await drawnAt(at, { locale: 'zh-CN' });
    expect(zh.step.newspaper!.dateText).toContain(`${y}年${m}月${d}日`);
    expect(zh.step.instructions).toContain(`${y}年${m}月${d}日`);
    expect(zh.step.instructions).toContain('今天');
    const en = await drawnAt(at, { locale: 'en' });
    expect(en.step.instructions).toContain(`${d}, ${y}`);
    expect(en.step.instructions).toContain('today');
  }, 30_000);

  it('refuses a region with no time zone on file, naming the field', async () => {
    for (const region of ['BR', 'CN-XX']) {
      const res = await t.api('/v1/sessions', { method: 'POST', body: JSON.stringify({ ...DEFAULT_SESSION, declared: { ...DEFAULT_SESSION.declared, region } }) });
      expect(res.status).toBe(422);
      const body = await problemOf(res) as unknown as { type: string; errors: { path: string }[] };
      expect(body.type).toBe('session.region_unsupported');
      expect(body.errors[0].path).toBe('declared.region');
    }
    for (const region of ['US-TX', 'CN-33', 'hk', 'GB']) {
      const res = await t.api('/v1/sessions', { method: 'POST', body: JSON.stringify({ ...DEFAULT_SESSION, declared: { ...DEFAULT_SESSION.declared, region } }) });
      expect(res.status).toBe(201);
    }
  });
});
