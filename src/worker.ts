// Cloudflare Workers entry: the platform and capture API built by the same createApp() as Node, on
// PostgreSQL (Hyperdrive, or DATABASE_URL) and S3-API storage. No web pages, no models and no photo
// intake here: Node runs migrations, pipeline workers, webhooks and uploads against the same database
// and bucket.
import { AsyncLocalStorage } from 'node:async_hooks';
import { createApp } from './api/index.js';
import { loadConfig, ConfigError, type Config } from './config/index.js';
import { openDatabase, type Db } from './db/index.js';
import { systemClock } from './flows/deps.js';
import type { GestureDefinition } from './flows/gestures.js';
import { compatibleForChallenge, type Gesture } from './gestures/index.js';
import { importKeys } from './keys/index.js';
import { createLogger, type Logger } from './log/index.js';
import { Metrics } from './metrics/index.js';
import { Problem } from './problem/index.js';
import { createS3Store } from './storage/s3.js';

/** Bindings from wrangler.toml (vars), `wrangler secret put` (SIGNING_JWK, EMBEDDING_KEY, S3 keys) and Hyperdrive. */
export interface WorkerEnv {
  /** Hyperdrive binding: pooled connections to PostgreSQL, preferred over DATABASE_URL */
  HYPERDRIVE?: { connectionString: string };
  DATABASE_URL?: string;
  SIGNING_JWK?: string;
  EMBEDDING_KEY?: string;
  [name: string]: unknown;
}

export interface ExecutionContext {
  waitUntil(promise: Promise<unknown>): void;
  passThroughOnException(): void;
}

type App = ReturnType<typeof createApp>;

interface Isolate {
  app: App;
  config: Config;
  log: Logger;
  databaseUrl: string;
}

// A socket on Workers belongs to the request that opened it, so each request opens its own database
// client (Hyperdrive keeps the real connections warm). The app, keys, S3 client and metrics live for
// the isolate; `deps.db` reads the current request's client from here.
const requestDb = new AsyncLocalStorage<Db>();

let isolate: Promise<Isolate> | null = null;

/** Strings only: bindings such as HYPERDRIVE are objects and are not configuration values. */
function stringVars(env: WorkerEnv): Record<string, string> {
  return Object.fromEntries(Object.entries(env).filter((e): e is [string, string] => typeof e[1] === 'string'));
}

async function buildIsolate(env: WorkerEnv): Promise<Isolate> {
  const config = loadConfig(stringVars(env));
  const databaseUrl = env.HYPERDRIVE?.connectionString ?? config.DATABASE_URL;
  const missing = [
    !databaseUrl && 'config: DATABASE_URL is required on Workers (or bind Hyperdrive as HYPERDRIVE)',
    !config.S3_BUCKET && 'config: S3_BUCKET is required on Workers (there is no local disk)',
    !config.SIGNING_JWK && 'config: SIGNING_JWK is required on Workers (wrangler secret put SIGNING_JWK)',
    !config.EMBEDDING_KEY && 'config: EMBEDDING_KEY is required on Workers (wrangler secret put EMBEDDING_KEY)',
  ].filter((l): l is string => typeof l === 'string');
  if (missing.length) throw new ConfigError(missing);

  let signingJwk;
  try {
    signingJwk = JSON.parse(config.SIGNING_JWK!);
  } catch {
    throw new ConfigError(['config: SIGNING_JWK must be a private JWK in JSON']);
  }
  const keys = await importKeys(signingJwk, config.EMBEDDING_KEY!);
  const store = createS3Store({
    bucket: config.S3_BUCKET!, endpoint: config.S3_ENDPOINT, region: config.S3_REGION, prefix: config.S3_PREFIX,
    accessKeyId: config.S3_ACCESS_KEY_ID, secretAccessKey: config.S3_SECRET_ACCESS_KEY, forcePathStyle: config.S3_FORCE_PATH_STYLE,
  });
  // process.stdout is not a stream on Workers; console.log lines end up in `wrangler tail` and Logpush.
  const log = createLogger(config.LOG_LEVEL, { runtime: 'workers' }, (line) => console.log(line));

  const deps = {
    get db(): Db {
      const db = requestDb.getStore();
      if (!db) throw new Error('no database client outside a request');
      return db;
    },
    store, keys, config, log,
    clock: systemClock,
    metrics: new Metrics(),
    compatibleGestures: (a: GestureDefinition, b: GestureDefinition) => compatibleForChallenge(a as unknown as Gesture, b as unknown as Gesture),
    // No model loads here, and the database is migrated by the Node service before Workers serve.
    ready: () => true,
    intakePhoto: async (): Promise<never> => {
      // sharp (native libvips) cannot run on Workers; uploads must reach the Node service.
      throw new Problem('photo.intake_unavailable', 501, 'photo uploads are handled by the Node service; point the capture URL at it', { title: 'Not implemented' });
    },
  };
  return { app: createApp(deps), config, log, databaseUrl: databaseUrl! };
}

function misconfigured(err: unknown): Response {
  // The lines name variables, not values; they go to the operator's log, not to the caller.
  console.error(JSON.stringify({ level: 'error', msg: 'worker failed to start', lines: err instanceof ConfigError ? err.lines : [String(err)] }));
  return new Response(JSON.stringify({ type: 'service.misconfigured', title: 'Service unavailable', status: 503, detail: 'the service is not configured; see the operator log' }), {
    status: 503, headers: { 'content-type': 'application/problem+json' },
  });
}

export default {
  async fetch(request: Request, env: WorkerEnv, ctx: ExecutionContext): Promise<Response> {
    let current: Isolate;
    try {
      current = await (isolate ??= buildIsolate(env));
    } catch (err) {
      isolate = null; // a fixed secret or variable takes effect on the next request
      return misconfigured(err);
    }
    // postgres.js connects lazily: requests that never query (e.g. /healthz) open no socket.
    const database = await openDatabase({ url: current.databaseUrl, pool: 5 });
    try {
      return await requestDb.run(database.db, () => current.app.fetch(request, env, ctx as never));
    } finally {
      ctx.waitUntil(database.close().catch((err) => current.log.warn('closing the database client failed', { err })));
    }
  },
};
