// Health, keys, metrics and the API description.
import { Hono } from 'hono';
import type { Env } from '../env.js';

export function systemRoutes() {
  const app = new Hono<Env>();
  app.get('/healthz', (c) => c.var.deps.ready()
    ? c.json({ status: 'ok' })
    : c.json({ status: 'starting' }, 503));
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
