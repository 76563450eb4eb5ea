// Node-only: serves the browser pages from web/ and Human's browser build from node_modules, with a
// strict Content-Security-Policy (no CDN, no inline script).
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Hono } from 'hono';
import type { Env } from '../api/env.js';
import { DOCS_HTML } from '../api/routes/system.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const require = createRequire(import.meta.url);
const humanDist = path.dirname(require.resolve('@vladmandic/human'));
const humanModels = path.join(path.dirname(humanDist), 'models');
// the WASM backend's binaries, for browsers without WebGL
const tfjsWasm = path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm'));

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8', '.svg': 'image/svg+xml', '.json': 'application/json', '.bin': 'application/octet-stream',
  '.wasm': 'application/wasm', '.png': 'image/png', '.woff2': 'font/woff2',
};

export const CSP = "default-src 'self'; img-src 'self' blob: data:; media-src 'self' blob:; connect-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; frame-ancestors 'none'; base-uri 'none'";

/** Serves `rel` from `dir`, refusing anything that escapes it. */
async function serveFile(dir: string, rel: string, cache: string): Promise<Response | null> {
  const file = path.resolve(dir, rel);
  if (!file.startsWith(dir + path.sep)) return null;
  try {
    const body = await readFile(file);
    return new Response(body, { headers: { 'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream', 'cache-control': cache, 'content-security-policy': CSP } });
  } catch {
    return null;
  }
}

export function webRoutes() {
  const app = new Hono<Env>();
  const page = (dir: string) => async (c: import('hono').Context<Env>) =>
    (await serveFile(path.join(root, 'web', dir), 'index.html', 'no-store')) ?? c.notFound();
  const assets = (dir: string, prefix: string) => async (c: import('hono').Context<Env>) =>
    (await serveFile(path.join(root, 'web', dir), c.req.path.slice(prefix.length), 'no-cache')) ?? c.notFound();
  app.get('/capture', page('capture'));
  app.get('/capture/assets/*', assets('capture', '/capture/assets/'));
  app.get('/vendor/human/human.esm.js', async (c) => (await serveFile(humanDist, 'human.esm.js', 'public, max-age=86400')) ?? c.notFound());
  app.get('/vendor/human/wasm/*', async (c) => (await serveFile(tfjsWasm, c.req.path.slice('/vendor/human/wasm/'.length), 'public, max-age=86400')) ?? c.notFound());
  app.get('/vendor/human/models/*', async (c) => (await serveFile(humanModels, c.req.path.slice('/vendor/human/models/'.length), 'public, max-age=86400')) ?? c.notFound());
  // Staff console: sign-in, review, gesture library (the API behind them checks the cookie and role).
  app.get('/staff/login', page('staff'));
  app.get('/staff/assets/*', assets('staff', '/staff/assets/'));
  app.get('/review', page('review'));
  app.get('/review/assets/*', assets('review', '/review/assets/'));
  app.get('/gestures', page('gestures'));
  app.get('/gestures/assets/*', assets('gestures', '/gestures/assets/'));
  app.get('/docs', (c) => c.html(DOCS_HTML, 200, { 'content-security-policy': CSP }));
  app.get('/docs/*', assets('docs', '/docs/'));
  return app;
}
