// The Cloudflare Workers build: wrangler bundles src/worker.ts as for a deploy, and the bundle runs in
// workerd (miniflare) against a real PostgreSQL database, migrated from Node, and a real S3-API server.
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { Miniflare } from 'miniflare';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../../src/db/index.js';
import { syncGestureLibrary, activeGestures, rotateGestures, type GestureDefinition } from '../../src/flows/gestures.js';
import { createTenant } from '../../src/flows/tenants.js';
import { loadGestureLibrary } from '../../src/gestures/index.js';
import { newEmbeddingKey, newSigningJwk } from '../../src/keys/index.js';
import { freshPostgresUrl, TEST_DATABASE_URL } from '../support/postgres.js';
import { startS3Server, type S3Server } from '../support/s3.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const WRANGLER = path.join(ROOT, 'node_modules/.bin/wrangler');

if (!TEST_DATABASE_URL) console.warn('[realperson tests] TEST_DATABASE_URL unset: Workers suite skipped (it needs PostgreSQL; CI runs it)');

/** `wrangler deploy --dry-run`: the same build (custom step, nodejs_compat bundling) a deploy uploads. */
async function buildWorker(outdir: string): Promise<string> {
  await promisify(execFile)(WRANGLER, ['deploy', '--dry-run', '--outdir', outdir], {
    cwd: ROOT,
    env: { ...process.env, WRANGLER_SEND_METRICS: 'false', NO_COLOR: '1', CI: 'true' },
    timeout: 120_000,
  });
  return path.join(outdir, 'worker.js');
}

const SESSION = {
  externalSellerId: 'seller-w1',
  locale: 'en',
  declared: { fullName: 'Specimen Person', documentType: 'cn_resident_id', documentNumber: '11010519491231002X', region: 'CN-ZJ' },
};

describe.skipIf(!TEST_DATABASE_URL)('Workers build under workerd', () => {
  let outdir: string;
  let pg: Awaited<ReturnType<typeof freshPostgresUrl>>;
  let s3: S3Server;
  let database: Database;
  let mf: Miniflare;
  let apiKey: string;
  let bundle: string;

  beforeAll(async () => {
    outdir = await mkdtemp(path.join(tmpdir(), 'realperson-worker-'));
    [bundle, pg, s3] = await Promise.all([buildWorker(outdir), freshPostgresUrl(), startS3Server()]);
    // Node migrates and seeds; the Worker never runs migrations.
    database = await openDatabase({ url: pg.url, pool: 2, migrationsFolder: path.join(ROOT, 'migrations') });
    const library = await loadGestureLibrary(path.join(ROOT, 'gestures'));
    await syncGestureLibrary(database.db, library as unknown as GestureDefinition[], new Date());
    if ((await activeGestures(database.db)).length < 2) await rotateGestures(database.db, 8, 'test-setup', new Date());
    ({ apiKey } = await createTenant(database.db, 'workers platform', new Date()));

    mf = new Miniflare({
      modules: true,
      scriptPath: bundle,
      modulesRoot: outdir,
      compatibilityDate: '2024-09-23',
      compatibilityFlags: ['nodejs_compat'],
      bindings: {
        DATABASE_URL: pg.url,
        SIGNING_JWK: JSON.stringify(await newSigningJwk()),
        EMBEDDING_KEY: newEmbeddingKey(),
        S3_BUCKET: s3.bucket, S3_ENDPOINT: s3.endpoint, S3_ACCESS_KEY_ID: s3.accessKeyId, S3_SECRET_ACCESS_KEY: s3.secretAccessKey,
        PUBLIC_URL: 'http://capture.example',
        LOG_LEVEL: 'error',
      },
    });
    await mf.ready;
  });

  afterAll(async () => {
    await mf?.dispose();
    await database?.close();
    await pg?.drop();
    await s3?.close();
    if (outdir) await rm(outdir, { recursive: true, force: true });
  });

  const call = (p: string, init: { method?: string; body?: string | Uint8Array; headers?: Record<string, string> } = {}) =>
    mf.dispatchFetch(`http://worker.test${p}`, init as never);

  it('bundles without the embedded database, native image code or model packages', async () => {
    const code = await readFile(bundle, 'utf8');
    expect((await stat(bundle)).size).toBeLessThan(5 * 1024 * 1024);
    for (const nodeOnly of ['@electric-sql/pglite/dist', 'node_modules/sharp', '@vladmandic/human', 'tesseract.js/']) {
      expect(code, nodeOnly).not.toContain(nodeOnly);
    }
  });

  it('answers /healthz with ok', async () => {
    const res = await call('/healthz');
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ok' });
  });

  it('creates a session with a platform API key and reads it back from PostgreSQL', async () => {
    const created = await call('/v1/sessions', {
      method: 'POST', body: JSON.stringify(SESSION),
      headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' },
    });
    expect(created.status).toBe(201);
    const body = await created.json() as { id: string; status: string; captureUrl: string };
    expect(body.status).toBe('awaiting_capture');
    expect(body.captureUrl).toMatch(/^http:\/\/capture\.example\//);

    const read = await call(`/v1/sessions/${body.id}`, { headers: { authorization: `Bearer ${apiKey}` } });
    expect(read.status).toBe(200);
    expect(await read.json()).toMatchObject({ id: body.id, status: 'awaiting_capture', externalSellerId: 'seller-w1', decision: null });

    // The same row as Node sees it: one database behind both runtimes.
    const rows = await database.db.execute(`select status from sessions where id = '${body.id}'`) as unknown as { status: string }[];
    expect(rows.map((r) => r.status)).toEqual(['awaiting_capture']);
  });

  it('draws the challenge for the capture page and sends photo uploads to the Node service', async () => {
    const created = await (await call('/v1/sessions', {
      method: 'POST', body: JSON.stringify(SESSION),
      headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' },
    })).json() as { captureUrl: string };
    const token = new URL(created.captureUrl).hash.replace(/^#token=/, '');
    const steps = await call('/capture/v1/steps', { headers: { authorization: `Bearer ${token}` } });
    expect(steps.status).toBe(200);
    const view = await steps.json() as { steps: { id: string; kind: string }[] };
    expect(view.steps.map((s) => s.kind)).toEqual(['id_front', 'selfie_with_id', 'gesture', 'gesture', 'newspaper']);

    const upload = await call(`/capture/v1/steps/${view.steps[0].id}/photo`, {
      method: 'PUT', body: new Uint8Array([0xff, 0xd8, 0xff, 0xe0]), headers: { authorization: `Bearer ${token}`, 'content-type': 'image/jpeg' },
    });
    expect(upload.status).toBe(501);
    expect(upload.headers.get('content-type')).toContain('application/problem+json');
    expect(await upload.json()).toMatchObject({ type: 'photo.intake_unavailable', status: 501 });
  });

  it('a Worker missing its secrets answers 503 problem+json instead of serving unsigned', async () => {
    const bare = new Miniflare({
      modules: true, scriptPath: bundle, modulesRoot: outdir,
      compatibilityDate: '2024-09-23', compatibilityFlags: ['nodejs_compat'],
      bindings: { DATABASE_URL: pg.url, S3_BUCKET: s3.bucket, S3_ENDPOINT: s3.endpoint },
    });
    try {
      const res = await bare.dispatchFetch('http://worker.test/healthz');
      expect(res.status).toBe(503);
      expect(res.headers.get('content-type')).toContain('application/problem+json');
      const body = await res.json() as { type: string; detail: string };
      expect(body.type).toBe('service.misconfigured');
      // The missing variables go to the operator's log, not to whoever is calling.
      expect(body.detail).not.toContain('SIGNING_JWK');
    } finally {
      await bare.dispose();
    }
  });

  it('refuses an unknown API key with problem+json', async () => {
    const res = await call('/v1/sessions/ses_nope', { headers: { authorization: 'Bearer rp_live_not-a-key' } });
    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({ type: 'auth.invalid_api_key' });
  });
});
