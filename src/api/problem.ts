// The single place errors become responses: RFC 9457 problem+json with a stable type, never a stack.
import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { Problem } from '../problem/index.js';
import { isDatabaseUnavailable, loggableError } from '../db/index.js';
import type { Env } from './env.js';

/**
 * How long a caller is asked to wait while the database cannot be reached: connections are opened
 * again at the next query, so the service answers as soon as the database is back.
 */
export const DATABASE_RETRY_SECONDS = 5;

export const databaseUnavailable = () => new Problem('service.unavailable', 503,
  'the service cannot reach its database at the moment; try again shortly', { retryAfterSeconds: DATABASE_RETRY_SECONDS });

export function problemResponse(p: Problem, instance?: string): Response {
  const body = { type: p.type, title: p.title, status: p.status, detail: p.detail, ...(p.errors ? { errors: p.errors } : {}), ...(instance ? { instance } : {}) };
  const headers: Record<string, string> = { 'content-type': 'application/problem+json' };
  if (p.retryAfterSeconds !== undefined) headers['retry-after'] = String(Math.max(1, Math.ceil(p.retryAfterSeconds)));
  return new Response(JSON.stringify(body), { status: p.status, headers });
}

export function onError(err: Error, c: Context<Env>): Response {
  if (err instanceof Problem) return problemResponse(err, c.req.path);
  if (err instanceof HTTPException) return problemResponse(new Problem('http.error', err.status, err.message || 'request failed'), c.req.path);
  if (isDatabaseUnavailable(err)) {
    c.var.deps?.log.warn('database unavailable', { requestId: c.var.requestId, path: c.req.path, err: loggableError(err) });
    return problemResponse(databaseUnavailable(), c.req.path);
  }
  c.var.deps?.log.error('unhandled error', { requestId: c.var.requestId, path: c.req.path, err: loggableError(err) });
  return problemResponse(new Problem('internal', 500, `something went wrong; quote request id ${c.var.requestId ?? 'unknown'}`), c.req.path);
}

export function notFound(c: Context<Env>): Response {
  return problemResponse(new Problem('not_found', 404, `no route for ${c.req.method} ${c.req.path}`), c.req.path);
}
