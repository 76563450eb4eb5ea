// The one app factory: Node (src/server.ts), Workers (src/worker.ts) and the tests all build the app
// here, with their own dependencies.
import { OpenAPIHono } from '@hono/zod-openapi';
import type { Hono } from 'hono';
import { newId } from '../ids/index.js';
import { queueDepth } from '../queue/index.js';
import type { AppDeps, Env } from './env.js';
import { CLIENT_CLOSED_REQUEST, notFound, onError } from './problem.js';
import { captureRoutes } from './routes/capture.js';
import { sessionRoutes } from './routes/sessions.js';
import { systemRoutes } from './routes/system.js';

export interface AppOptions {
  /** extra routes mounted at the root (web pages, staff console) by the host */
  extra?: Hono<Env>[];
}

export function createApp(deps: AppDeps, opts: AppOptions = {}) {
  const app = new OpenAPIHono<Env>();
  deps.metrics.gauge('realperson_jobs', 'Verification jobs by status', async () =>
    (await queueDepth(deps.db)).map((r) => ({ labels: { status: r.status }, value: r.count })));
  app.use('*', async (c, next) => {
    const started = performance.now();
    c.set('deps', deps);
    c.set('requestId', c.req.header('x-request-id')?.slice(0, 64) || newId('req', 8));
    await next();
    c.header('x-request-id', c.var.requestId);
    c.header('x-content-type-options', 'nosniff');
    c.header('referrer-policy', 'no-referrer');
    const route = c.req.routePath || 'unmatched';
    const seconds = (performance.now() - started) / 1000;
    deps.metrics.observe('realperson_http_request_duration_seconds', 'HTTP request latency', { method: c.req.method, route, status: String(c.res.status) }, seconds);
    if (c.res.status === CLIENT_CLOSED_REQUEST) {
      deps.log.info('request aborted by the client', { requestId: c.var.requestId, method: c.req.method, route, ms: Math.round(seconds * 1000) });
    } else if ((c.res.status >= 500 && route !== '/healthz') || deps.config.LOG_LEVEL === 'debug') {
      deps.log.info('request', { requestId: c.var.requestId, method: c.req.method, route, status: c.res.status, ms: Math.round(seconds * 1000) });
    }
  });
  app.onError(onError);
  app.notFound(notFound);

  app.route('/', systemRoutes());
  app.route('/', sessionRoutes());
  app.route('/', captureRoutes());
  for (const extra of opts.extra ?? []) app.route('/', extra);

  app.openAPIRegistry.registerComponent('securitySchemes', 'apiKey', { type: 'http', scheme: 'bearer', description: 'tenant API key' });
  app.openAPIRegistry.registerComponent('securitySchemes', 'captureToken', { type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: 'capture token from the capture URL' });
  app.doc31('/openapi.json', {
    openapi: '3.1.0',
    info: { title: 'realperson', version: '0.1.0', description: 'Real-person verification for marketplace sellers' },
  });
  return app;
}
