// Builds and runs the whole Node service: database (PGlite or PostgreSQL), blob store, keys, the API and
// web pages, pipeline workers and webhook delivery. Used by src/server.ts, the CLI and the tests.
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { serve, type ServerType } from '@hono/node-server';
import { createApp } from './api/index.js';
import type { Config } from './config/index.js';
import { isDatabaseUnavailable, loggableError, openDatabase, type Database } from './db/index.js';
import { systemClock, type Clock } from './flows/deps.js';
import { syncGestureLibrary, type GestureDefinition } from './flows/gestures.js';
import { compatibleForChallenge, loadGestureLibrary, type Gesture } from './gestures/index.js';
import { newId } from './ids/index.js';
import { readLimited, startIntakeProcess } from './photos/index.js';
import { loadOrCreateKeys } from './keys/files.js';
import { createLogger, type Logger } from './log/index.js';
import { Metrics } from './metrics/index.js';
import { startWorker, type GatherEvidence, type WorkerHandle } from './pipeline/index.js';
import { createFsStore, createS3Store, type BlobStore } from './storage/index.js';
import { deliverDue } from './webhooks/index.js';
import { webRoutes } from './web/index.js';
import { staffRoutes } from './api/routes/staff.js';
import { adminRoutes } from './cli/admin.js';
import { purgeExpired } from './flows/retention.js';
import { sweepBlobDeletions } from './flows/blobs.js';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export interface ServiceOptions {
  clock?: Clock;
  log?: Logger;
  /** evidence gathering for pipeline workers; default: vision + OCR models loaded in the background */
  gather?: GatherEvidence;
  /** skip listening on a port (tests that call app.request) */
  listen?: boolean;
  /** skip the background webhook delivery loop (tests that call deliverDue with their own clock) */
  deliverWebhooks?: boolean;
}

export interface Service {
  app: ReturnType<typeof createApp>;
  url: string;
  database: Database;
  store: BlobStore;
  config: Config;
  metrics: Metrics;
  /** resolves once models are loaded and /healthz answers ok */
  ready: Promise<void>;
  /** the photo decoding process's pid, once an upload has started it */
  intakePid(): number | undefined;
  close(): Promise<void>;
}

export async function openStorage(config: Config): Promise<BlobStore> {
  if (config.S3_BUCKET) {
    return createS3Store({
      bucket: config.S3_BUCKET, endpoint: config.S3_ENDPOINT, region: config.S3_REGION, prefix: config.S3_PREFIX,
      accessKeyId: config.S3_ACCESS_KEY_ID, secretAccessKey: config.S3_SECRET_ACCESS_KEY, forcePathStyle: config.S3_FORCE_PATH_STYLE,
    });
  }
  return createFsStore(path.resolve(config.DATA_DIR, 'blobs'));
}

export async function openServiceDatabase(config: Config): Promise<Database> {
  const migrationsFolder = path.join(ROOT, 'migrations');
  if (config.DATABASE_URL) return openDatabase({ url: config.DATABASE_URL, pool: config.DATABASE_POOL, migrationsFolder });
  const dir = path.resolve(config.DATA_DIR, 'db');
  await mkdir(dir, { recursive: true });
  return openDatabase({ dir, migrationsFolder });
}

export async function loadGestures(): Promise<Gesture[]> {
  return loadGestureLibrary(path.join(ROOT, 'gestures'));
}

/** The default evidence gathering: vision workers and OCR, loaded once. */
async function defaultGatherer(config: Config): Promise<{ gather: GatherEvidence; close(): Promise<void> }> {
  const { createVision } = await import('./vision/index.js');
  const { createOcr } = await import('./ocr/index.js');
  const { createGatherer } = await import('./pipeline/evidence.js');
  const vision = await createVision({ workers: config.VISION_THREADS });
  const ocr = await createOcr();
  return { gather: createGatherer({ vision, ocr }), close: async () => { await vision.close(); await ocr.close(); } };
}

export async function startService(config: Config, opts: ServiceOptions = {}): Promise<Service> {
  const clock = opts.clock ?? systemClock;
  const log = opts.log ?? createLogger(config.LOG_LEVEL);
  const metrics = new Metrics();
  const database = await openServiceDatabase(config);
  const store = await openStorage(config);
  const keys = await loadOrCreateKeys(path.resolve(config.DATA_DIR, 'keys'), config);
  const library = await loadGestures();
  await syncGestureLibrary(database.db, library as unknown as GestureDefinition[], clock.now());

  let modelsReady = !!opts.gather || config.PIPELINE_WORKERS === 0;
  // Photos are decoded in a child process started on the first upload (see src/photos/process.ts).
  const intake = startIntakeProcess();
  const deps = {
    db: database.db, store, keys, config, clock, log, metrics,
    compatibleGestures: (a: GestureDefinition, b: GestureDefinition) => compatibleForChallenge(a as unknown as Gesture, b as unknown as Gesture),
    ready: () => modelsReady,
    intakePhoto: async (body: ReadableStream<Uint8Array> | null, maxBytes: number) => intake.intake(await readLimited(body, maxBytes), { maxBytes }),
  };
  // The embedded PGlite is one process's: commands reach it through this service (see src/cli).
  const adminToken = database.kind === 'pglite' ? Buffer.from(crypto.getRandomValues(new Uint8Array(32))).toString('base64url') : null;
  const extra = [webRoutes(), staffRoutes({ rotations: { database, clock, log } }), ...(adminToken ? [adminRoutes(adminToken, { db: database.db, store, config, clock })] : [])];
  const app = createApp(deps, { extra: extra as never });

  const workers: WorkerHandle[] = [];
  let gatherer: { gather: GatherEvidence; close(): Promise<void> } | null = opts.gather ? { gather: opts.gather, close: async () => {} } : null;
  const startWorkers = (gather: GatherEvidence) => {
    for (let i = 0; i < config.PIPELINE_WORKERS; i++) {
      workers.push(startWorker({ db: database.db, store, keys, clock, log, metrics, gather, leaseSeconds: config.JOB_LEASE_SECONDS }, `${hostname()}:${process.pid}:${newId('w', 4)}`));
    }
  };
  // Models load in the background: the API answers at once and /healthz says 503 until they are in.
  const ready = (async () => {
    if (config.PIPELINE_WORKERS === 0) return;
    if (!gatherer) gatherer = await defaultGatherer(config);
    startWorkers(gatherer.gather);
    modelsReady = true;
    log.info('models loaded; pipeline workers running', { workers: config.PIPELINE_WORKERS });
  })();
  ready.catch((err) => log.error('models failed to load', { err }));

  let webhookTimer: NodeJS.Timeout | null = null;
  let delivering = false;
  const webhookTick = async () => {
    if (delivering) return;
    delivering = true;
    try {
      await deliverDue({ db: database.db, keys, log, metrics, maxAttempts: config.WEBHOOK_MAX_ATTEMPTS, allowPrivate: config.WEBHOOK_ALLOW_PRIVATE }, clock.now());
    } catch (err) {
      if (isDatabaseUnavailable(err)) log.warn('webhook delivery paused: database unavailable', { err: loggableError(err) });
      else log.error('webhook delivery failed', { err: loggableError(err) });
    } finally {
      delivering = false;
    }
  };
  if (opts.deliverWebhooks !== false) webhookTimer = setInterval(webhookTick, 500);

  let server: ServerType | null = null;
  let url = config.PUBLIC_URL;
  if (opts.listen !== false) {
    await new Promise<void>((resolve) => {
      server = serve({ fetch: app.fetch, port: config.PORT, hostname: config.HOST }, (info) => {
        url = `http://localhost:${info.port}`;
        resolve();
      });
    });
  }

  const svcFile = path.resolve(config.DATA_DIR, 'service.json');
  if (adminToken && server) await writeFile(svcFile, JSON.stringify({ pid: process.pid, url, token: adminToken }), { mode: 0o600 });

  // Blob deletes a crash interrupted (an erasure, a purge, an upload whose row never committed) are
  // finished at start, in the background: storage being down must not keep the service from starting.
  const startSweep = sweepBlobDeletions({ db: database.db, store, clock })
    .then(({ failed }) => { if (failed.length) log.warn('blob deletes storage refused; the hourly retention retries', { count: failed.length }); })
    .catch((err) => log.error('finishing interrupted blob deletes failed; the hourly retention retries', { err }));
  // Retention runs hourly in every service process; purgeExpired is safe to run concurrently.
  const purgeTimer = setInterval(() => {
    purgeExpired({ db: database.db, store, clock, config }).catch((err) => log.error('retention purge failed', { err }));
  }, 3600_000);
  purgeTimer.unref();

  let closed = false;
  return {
    app, url, database, store, config, metrics, ready, intakePid: () => intake.pid(),
    async close() {
      if (closed) return;
      closed = true;
      if (webhookTimer) clearInterval(webhookTimer);
      clearInterval(purgeTimer);
      await startSweep;
      if (adminToken && server) await rm(svcFile, { force: true });
      await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
      await intake.close();
      // Running jobs finish (bounded by the lease): a job cut short would only be redone later.
      await Promise.all(workers.map((w) => w.stop()));
      await ready.catch(() => {});
      await gatherer?.close();
      while (delivering) await new Promise((r) => setTimeout(r, 50));
      await database.close();
    },
  };
}
