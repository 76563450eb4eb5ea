// No face photo outlives an erasure or a failed upload, on every database (PGlite, and PostgreSQL
// when TEST_DATABASE_URL is set) and every blob store (a local folder, a real S3 API over HTTP).
// The faults are real: the database is closed or cut off mid-upload, and service processes are
// killed with SIGKILL between a blob write and its row, and between an erasure's commit and its deletes.
import { spawn } from 'node:child_process';
import { rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { and, eq, isNull } from 'drizzle-orm';
import postgres from 'postgres';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Config } from '../../src/config/index.js';
import { tables } from '../../src/db/index.js';
import { purgeExpired } from '../../src/flows/retention.js';
import { startService } from '../../src/service.js';
import { createFsStore, createS3Store, type BlobStore } from '../../src/storage/index.js';
import { TEST_DATABASE_URL } from '../support/postgres.js';
import { startS3Server, type S3Server } from '../support/s3.js';
import { startTestServer, type TestServer } from '../support/server.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const CHILD = path.join(here, '../support/crash-child.ts');

const backends = [{ name: 'PGlite', postgres: false }, ...(TEST_DATABASE_URL ? [{ name: 'PostgreSQL', postgres: true }] : [])];
if (!TEST_DATABASE_URL) console.warn('[realperson tests] TEST_DATABASE_URL unset: erasure suite runs on PGlite only');
const stores = [{ store: 'a local folder', s3: false }, { store: 'S3', s3: true }];
const cases = backends.flatMap((b) => stores.map((s) => ({ ...b, ...s })));

const jpeg = (seed: number) => sharp({ create: { width: 480, height: 360, channels: 3, background: { r: 30 + seed * 20, g: 120, b: 90 } } })
  .jpeg().toBuffer().then((b): Uint8Array<ArrayBuffer> => new Uint8Array(b));

let s3: S3Server;
let prefixes = 0;
beforeAll(async () => { s3 = await startS3Server(); });
afterAll(async () => { await s3?.close(); });

describe.each(cases)('erasure on $name with $store', { timeout: 120_000 }, ({ postgres: onPostgres, s3: onS3 }) => {
  const servers: TestServer[] = [];
  afterAll(async () => {
    for (const t of servers) await t.close().catch(() => rm(t.service.config.DATA_DIR, { recursive: true, force: true }));
  });

  async function open(): Promise<TestServer> {
    const env: Record<string, string> = onS3
      ? { S3_BUCKET: s3.bucket, S3_ENDPOINT: s3.endpoint, S3_ACCESS_KEY_ID: s3.accessKeyId, S3_SECRET_ACCESS_KEY: s3.secretAccessKey, S3_PREFIX: `erasure-${process.pid}-${++prefixes}` }
      : {};
    const t = await startTestServer({ postgres: onPostgres, deliverWebhooks: false, env });
    servers.push(t);
    return t;
  }

  /** A second handle on the same blobs, independent of any service (which may be dead). */
  function storeOf(config: Config): BlobStore {
    return config.S3_BUCKET
      ? createS3Store({ bucket: config.S3_BUCKET, endpoint: config.S3_ENDPOINT, prefix: config.S3_PREFIX, accessKeyId: config.S3_ACCESS_KEY_ID, secretAccessKey: config.S3_SECRET_ACCESS_KEY })
      : createFsStore(path.join(config.DATA_DIR, 'blobs'));
  }

  async function folder(store: BlobStore, t: TestServer, sessionId: string): Promise<string[]> {
    const keys: string[] = [];
    for await (const k of store.list(`photos/${t.tenantId}/${sessionId}/`)) keys.push(k);
    return keys;
  }

  async function challenge(t: TestServer) {
    const s = await t.createSession();
    const res = await fetch(`${t.url}/capture/v1/steps`, { headers: { authorization: `Bearer ${s.token}` } });
    const steps = (await res.json() as { steps: { id: string }[] }).steps;
    return { ...s, steps };
  }

  const upload = (t: TestServer, token: string, stepId: string, body: Uint8Array<ArrayBuffer>) =>
    fetch(`${t.url}/capture/v1/steps/${stepId}/photo`, { method: 'PUT', body, headers: { authorization: `Bearer ${token}`, 'content-type': 'image/jpeg' } });

  /** Cuts the service off its database for real: PGlite closed; PostgreSQL refusing connections, its backends terminated. */
  async function cutDatabase(t: TestServer): Promise<() => Promise<void>> {
    if (!onPostgres) {
      await t.service.database.close();
      return async () => {};
    }
    const name = new URL(t.service.config.DATABASE_URL!).pathname.slice(1);
    const admin = postgres(TEST_DATABASE_URL!, { max: 1, onnotice: () => {} });
    await admin.unsafe(`alter database ${name} allow_connections false`);
    await admin`select pg_terminate_backend(pid) from pg_stat_activity where datname = ${name} and pid <> pg_backend_pid()`;
    return async () => {
      await admin.unsafe(`alter database ${name} allow_connections true`);
      await admin.end();
    };
  }

  /** Runs one request in a service process that halts at `at`, and kills it there with SIGKILL. */
  async function killMidRequest(config: Config, at: 'after-put' | 'before-delete', request: { method: string; path: string; token: string; bodyFile?: string }) {
    const env: Record<string, string> = {
      ...process.env as Record<string, string>,
      DATA_DIR: config.DATA_DIR, CRASH_AT: at, CRASH_REQUEST: JSON.stringify(request), WEBHOOK_ALLOW_PRIVATE: 'true',
      ...(config.DATABASE_URL ? { DATABASE_URL: config.DATABASE_URL } : {}),
      ...(config.S3_BUCKET ? { S3_BUCKET: config.S3_BUCKET, S3_ENDPOINT: config.S3_ENDPOINT!, S3_PREFIX: config.S3_PREFIX!, S3_ACCESS_KEY_ID: config.S3_ACCESS_KEY_ID!, S3_SECRET_ACCESS_KEY: config.S3_SECRET_ACCESS_KEY! } : {}),
    };
    const child = spawn(process.execPath, ['--import', 'tsx', CHILD], { env, stdio: ['ignore', 'pipe', 'inherit'] });
    const exited = new Promise((r) => child.once('exit', r));
    const line = await new Promise<string>((resolve, reject) => {
      let out = '';
      child.once('error', reject);
      child.once('exit', (code) => reject(new Error(`the service process exited (${code}) before halting: ${out}`)));
      child.stdout!.setEncoding('utf8');
      child.stdout!.on('data', (chunk: string) => {
        out += chunk;
        if (out.includes('\n')) resolve(out.split('\n')[0]);
      });
    });
    child.kill('SIGKILL');
    await exited;
    expect(line).toBe('paused');
  }

  /** Starts the service again on the same database and blobs, and waits for the folder to empty. */
  async function restartUntilEmpty(t: TestServer, sessionId: string, clockAhead = 0): Promise<{ left: string[]; deleted: boolean[] }> {
    const service = await startService(t.service.config, { listen: false, deliverWebhooks: false, clock: { now: () => new Date(Date.now() + clockAhead) } });
    try {
      const store = storeOf(t.service.config);
      let left = await folder(store, t, sessionId);
      for (let i = 0; i < 100 && left.length > 0; i++) {
        await new Promise((r) => setTimeout(r, 100));
        left = await folder(store, t, sessionId);
      }
      const rows = await service.database.db.select().from(tables.photos).where(eq(tables.photos.sessionId, sessionId));
      return { left, deleted: rows.map((r) => r.deletedAt !== null) };
    } finally {
      await service.close();
    }
  }

  it('erasure deletes every photo in the session\'s folder, including one that no row lists', async () => {
    const t = await open();
    const s = await challenge(t);
    expect((await upload(t, s.token, s.steps[0].id, await jpeg(0))).status).toBe(201);
    // what a failed upload before this release could leave: a blob without its row
    await t.service.store.put(`photos/${t.tenantId}/${s.id}/${'ab'.repeat(32)}.jpg`, await jpeg(1), 'image/jpeg');
    const res = await t.api(`/v1/sessions/${s.id}/data`, { method: 'DELETE' });
    expect(res.status).toBe(200);
    expect((await res.json() as { photosDeleted: number }).photosDeleted).toBe(2);
    expect(await folder(t.service.store, t, s.id)).toEqual([]);
  });

  it('the retention purge deletes a session\'s whole folder once it is past retention, a blob no row lists included', async () => {
    const t = await open();
    const s = await challenge(t);
    expect((await upload(t, s.token, s.steps[0].id, await jpeg(0))).status).toBe(201);
    await t.service.store.put(`photos/${t.tenantId}/${s.id}/${'cd'.repeat(32)}.jpg`, await jpeg(1), 'image/jpeg');
    const later = { now: () => new Date(Date.now() + 31 * 86_400_000) };
    const purged = await purgeExpired({ db: t.service.database.db, store: t.service.store, clock: later, config: t.service.config });
    expect(purged.photos).toBe(1);
    expect(await folder(t.service.store, t, s.id)).toEqual([]);
  });

  it('a retake deletes the photo it replaces, and never the same bytes sent for another step', async () => {
    const t = await open();
    const s = await challenge(t);
    const same = await jpeg(0);
    expect((await upload(t, s.token, s.steps[0].id, same)).status).toBe(201);
    expect((await upload(t, s.token, s.steps[1].id, same)).status).toBe(201);
    expect((await upload(t, s.token, s.steps[0].id, await jpeg(1))).status).toBe(201);
    const live = await t.service.database.db.select().from(tables.photos).where(and(eq(tables.photos.sessionId, s.id), isNull(tables.photos.deletedAt)));
    expect(live).toHaveLength(2);
    expect((await folder(t.service.store, t, s.id)).sort()).toEqual(live.map((p) => p.storageKey).sort());
  });

  it('an erased session takes no more photos', async () => {
    const t = await open();
    const s = await challenge(t);
    expect((await upload(t, s.token, s.steps[0].id, await jpeg(0))).status).toBe(201);
    expect((await t.api(`/v1/sessions/${s.id}/data`, { method: 'DELETE' })).status).toBe(200);
    const again = await upload(t, s.token, s.steps[1].id, await jpeg(1));
    expect(again.status).toBe(410);
    expect((await again.json() as { type: string }).type).toBe('session.erased');
    expect(await folder(t.service.store, t, s.id)).toEqual([]);
  });

  it('a photo whose row could not be written is not left in storage when the database is cut mid-upload', async () => {
    const t = await open();
    const s = await challenge(t);
    const store = t.service.store;
    const put = store.put.bind(store);
    let restore: () => Promise<void> = async () => {};
    let written = 0;
    store.put = async (...args) => {
      await put(...args);
      written++;
      restore = await cutDatabase(t);
    };
    try {
      const res = await upload(t, s.token, s.steps[0].id, await jpeg(0));
      expect(res.status).toBeGreaterThanOrEqual(500);
    } finally {
      await restore();
      store.put = put;
    }
    expect(written).toBe(1);
    expect(await folder(storeOf(t.service.config), t, s.id)).toEqual([]);
  });

  it('a service killed between writing a photo and its row leaves nothing once the sweep has run', { timeout: 120_000 }, async () => {
    const t = await open();
    const s = await challenge(t);
    await t.service.close();
    const bodyFile = path.join(t.service.config.DATA_DIR, 'upload.jpg');
    await writeFile(bodyFile, await jpeg(2));
    await killMidRequest(t.service.config, 'after-put', { method: 'PUT', path: `/capture/v1/steps/${s.steps[0].id}/photo`, token: s.token, bodyFile });
    // the fault happened: the blob is there and its row is not
    expect(await folder(storeOf(t.service.config), t, s.id)).toHaveLength(1);
    // an upload still in flight keeps its blob; a later start (here: 20 minutes on) sweeps it
    expect(await restartUntilEmpty(t, s.id, 20 * 60_000)).toEqual({ left: [], deleted: [] });
  });

  it('a service killed between the erasure\'s commit and the deletes leaves nothing once it starts again', { timeout: 120_000 }, async () => {
    const t = await open();
    const s = await challenge(t);
    expect((await upload(t, s.token, s.steps[0].id, await jpeg(0))).status).toBe(201);
    expect((await upload(t, s.token, s.steps[1].id, await jpeg(1))).status).toBe(201);
    await t.service.close();
    await killMidRequest(t.service.config, 'before-delete', { method: 'DELETE', path: `/v1/sessions/${s.id}/data`, token: t.apiKey });
    expect(await folder(storeOf(t.service.config), t, s.id)).toHaveLength(2);
    // the erasure committed before the kill (its rows say so), and its deletes are finished at start
    expect(await restartUntilEmpty(t, s.id)).toEqual({ left: [], deleted: [true, true] });
  });
});
