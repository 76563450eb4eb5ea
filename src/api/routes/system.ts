// Health, keys, metrics and the API description.
import { sql } from 'drizzle-orm';
import { Hono } from 'hono';
import { loggableError, type Db } from '../../db/index.js';
import type { Env } from '../env.js';
import { DATABASE_RETRY_SECONDS } from '../problem.js';

/** A health check answers well within a load balancer's usual 5 s probe timeout. */
const HEALTH_TIMEOUT_MS = 2_000;

/** true when `select 1` comes back in time; otherwise 'timeout' or the error. */
async function databaseAnswers(db: Db, timeoutMs: number): Promise<true | 'timeout' | unknown> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<'timeout'>((r) => { timer = setTimeout(() => r('timeout'), timeoutMs); });
  try {
    return await Promise.race([db.execute(sql`select 1`).then(() => true as const, (err: unknown) => err), late]);
  } finally {
    clearTimeout(timer);
  }
}

export function systemRoutes() {
  const app = new Hono<Env>();
  // Checks the database on every call, cheaply and with a short timeout, so a load balancer or
  // supervisor sees a service that has lost its database as down, and sees it back once it returns.
  app.get('/healthz', async (c) => {
    c.header('cache-control', 'no-store');
    if (!c.var.deps.ready()) {
      c.header('retry-after', String(DATABASE_RETRY_SECONDS));
      return c.json({ status: 'starting' }, 503);
    }
    const reached = await databaseAnswers(c.var.deps.db, HEALTH_TIMEOUT_MS);
    if (reached !== true) {
      c.var.deps.log.warn('healthz: database unavailable', { err: reached === 'timeout' ? 'no answer within the health check timeout' : loggableError(reached) });
      c.header('retry-after', String(DATABASE_RETRY_SECONDS));
      return c.json({ status: 'database_unavailable' }, 503);
    }
    return c.json({ status: 'ok' });
  });
  app.get('/.well-known/jwks.json', (c) => {
    c.header('cache-control', 'public, max-age=300');
    return c.json({ keys: [c.var.deps.keys.publicJwk] });
  });
  app.get('/metrics', async (c) => c.text(await c.var.deps.metrics.render(), 200, { 'content-type': 'text/plain; version=0.0.4' }));
  return app;
}

/** A self-contained API reference page (no CDN): renders /openapi.json in the browser. */
export const DOCS_HTML = `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>realperson API</title><link rel="stylesheet" href="/docs/docs.css"></head><body><main id="docs"><h1>realperson API</h1><p>Loading <a href="/openapi.json">/openapi.json</a>…</p></main>
<script type="module" src="/docs/docs.js"></script></body></html>`;
