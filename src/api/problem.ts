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

/**
 * The status recorded for a request whose client went away mid-way (nginx's 499): nobody receives the
 * answer, and it is no failure of the service, so it is neither a 5xx in the metrics nor an error in the log.
 */
export const CLIENT_CLOSED_REQUEST = 499;

/** The client hung up while its body was being read: a phone losing signal in the middle of an upload. */
function isClientAbort(err: Error, c: Context<Env>): boolean {
  if (c.req.raw.signal?.aborted) return true;
  const { code } = err as { code?: unknown };
  // Node's IncomingMessage fails a body cut short with Error('aborted') (code ECONNRESET); nothing else here reads sockets
  return ('query' in err) === false && ((code === 'ECONNRESET' && err.message === 'aborted') || code === 'ERR_STREAM_PREMATURE_CLOSE');
}

export function onError(err: Error, c: Context<Env>): Response {
  if (err instanceof Problem) return problemResponse(err, c.req.path);
  if (err instanceof HTTPException) return problemResponse(new Problem('http.error', err.status, err.message || 'request failed'), c.req.path);
  if (isClientAbort(err, c)) return problemResponse(new Problem('request.aborted', CLIENT_CLOSED_REQUEST, 'the client closed the connection before its request was complete', { title: 'Client closed request' }), c.req.path);
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
