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

export const tenantAuth: MiddlewareHandler<Env> = async (c, next) => {
  const key = bearer(c.req.header('authorization'));
  // A capture token (a JWT) is never an API key: say so plainly instead of "unknown key".
  if (key.split('.').length === 3) throw new Problem('auth.wrong_credential', 401, 'a capture token cannot be used on the platform API');
  const tenantId = await tenantForApiKey(c.var.deps.db, key);
  if (!tenantId) throw new Problem('auth.invalid_api_key', 401, 'the API key is unknown or revoked');
  c.set('tenantId', tenantId);
  await next();
};

export const captureAuth: MiddlewareHandler<Env> = async (c, next) => {
  const token = bearer(c.req.header('authorization'));
  const claims = await verifyCaptureToken(c.var.deps.keys, token, c.var.deps.clock.now());
  c.set('tenantId', claims.tenantId);
  c.set('sessionId', claims.sessionId);
  await next();
};
