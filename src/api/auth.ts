// Who is calling: a platform (tenant API key) or a seller's browser (capture token). Each middleware
// sets the caller on the context; a credential of the wrong kind opens nothing.
import type { MiddlewareHandler } from 'hono';
import { tenantForApiKey } from '../flows/tenants.js';
import { verifyCaptureToken } from '../keys/index.js';
import { Problem, problem } from '../problem/index.js';
import type { Env } from './env.js';

function bearer(header: string | undefined): string {
  const m = /^Bearer\s+(\S+)$/i.exec(header ?? '');
  if (!m) throw problem.unauthorized('send Authorization: Bearer <credential>');
  return m[1];
}

/**
 * Platform callers. Key → tenant lookups are cached for 30 s per app instance: a key is 256 random bits
 * and keys are only ever added, so the cache saves a database round trip per request without changing
 * who is let in. (Revoking a key takes effect within the TTL.)
 */
export function tenantAuth(ttlMs = 30_000, maxEntries = 10_000): MiddlewareHandler<Env> {
  const cache = new Map<string, { tenantId: string; until: number }>();
  return async (c, next) => {
    const key = bearer(c.req.header('authorization'));
    // A capture token (a JWT) is never an API key: say so plainly instead of "unknown key".
    if (key.split('.').length === 3) throw new Problem('auth.wrong_credential', 401, 'a capture token cannot be used on the platform API');
    const now = Date.now();
    const hit = cache.get(key);
    let tenantId = hit && hit.until > now ? hit.tenantId : null;
    if (!tenantId) {
      tenantId = await tenantForApiKey(c.var.deps.db, key);
      if (!tenantId) throw new Problem('auth.invalid_api_key', 401, 'the API key is unknown or revoked');
      if (cache.size >= maxEntries) cache.clear();
      cache.set(key, { tenantId, until: now + ttlMs });
    }
    c.set('tenantId', tenantId);
    await next();
  };
}

export const captureAuth: MiddlewareHandler<Env> = async (c, next) => {
  const token = bearer(c.req.header('authorization'));
  const claims = await verifyCaptureToken(c.var.deps.keys, token, c.var.deps.clock.now());
  c.set('tenantId', claims.tenantId);
  c.set('sessionId', claims.sessionId);
  await next();
};
