// Staff sign-in and the check every staff route runs: the staff JWT from an HttpOnly, SameSite=Strict
// cookie (never from Authorization, so a capture token or a tenant API key opens nothing here), the
// account still enabled, the role allowed, and on every write an X-CSRF-Token equal to the token's
// csrf claim (double submit bound to the signed JWT: a forged cross-site request cannot know it).
import { timingSafeEqual } from 'node:crypto';
import { OpenAPIHono, createRoute, z } from '@hono/zod-openapi';
import type { Context, MiddlewareHandler } from 'hono';
import { decodeJwt } from 'jose';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { verifyStaffToken } from '../../keys/index.js';
import { Problem, problem } from '../../problem/index.js';
import { currentStaff, recordSignOut, signIn, STAFF_TOKEN_SECONDS, type StaffRole } from '../../staff/index.js';
import { createLoginThrottle } from '../../staff/throttle.js';
import { getConnInfo } from '@hono/node-server/conninfo';
import type { Env } from '../env.js';
import { problemResponses } from '../schemas.js';
import { validationHook } from '../validation.js';

export const STAFF_COOKIE = 'realperson_staff';
/** OpenAPI: staff routes take the cookie set at sign-in (writes also need X-CSRF-Token). */
export const STAFF_SECURITY = [{ staffCookie: [] }];

export interface StaffUser {
  id: string;
  email: string;
  role: StaffRole;
  csrf: string;
}

export type StaffEnv = Env & { Variables: Env['Variables'] & { staff: StaffUser } };

const SAFE = new Set(['GET', 'HEAD', 'OPTIONS']);

function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && x.length > 0 && timingSafeEqual(x, y);
}

/** Signed in, enabled, one of `roles`, and on writes the CSRF header. */
export function staffAuth(roles: readonly StaffRole[]): MiddlewareHandler<StaffEnv> {
  return async (c, next) => {
    const token = getCookie(c, STAFF_COOKIE);
    if (!token) throw new Problem('auth.staff_required', 401, 'sign in as staff at /staff/login');
    const claims = await verifyStaffToken(c.var.deps.keys, token, c.var.deps.clock.now());
    const user = await currentStaff(c.var.deps.db, claims.userId, claims.epoch);
    if (!user) throw new Problem('auth.staff_required', 401, 'this sign-in has ended (signed out, or the account is disabled or gone); sign in again');
    if (!roles.includes(user.role)) throw problem.forbidden(`this needs the role ${roles.join(' or ')}; you are signed in as ${user.role}`);
    if (!SAFE.has(c.req.method) && !sameSecret(c.req.header('x-csrf-token') ?? '', claims.csrf)) {
      throw new Problem('auth.csrf', 403, 'send the X-CSRF-Token header you received at sign-in');
    }
    c.set('staff', { id: user.id, email: user.email, role: user.role, csrf: claims.csrf });
    await next();
  };
}

export const ALL_STAFF = ['reviewer', 'security', 'admin'] as const;

const json = <T extends z.ZodType>(schema: T, description: string) => ({ description, content: { 'application/json': { schema } } });

const SignedInSchema = z.object({
  userId: z.string(), role: z.enum(ALL_STAFF), email: z.string(), csrfToken: z.string(), expiresAt: z.string(),
}).openapi('StaffSession');

const login = createRoute({
  method: 'post', path: '/staff/v1/login', tags: ['staff'],
  summary: 'Sign in as staff: sets the staff cookie and returns the CSRF token for writes',
  request: {
    body: {
      required: true,
      content: { 'application/json': { schema: z.object({ email: z.string().trim().min(3).max(200), password: z.string().min(1).max(200) }).openapi('StaffLogin') } },
    },
  },
  responses: { 200: json(SignedInSchema, 'signed in'), ...problemResponses(400, 401, 429) },
});

const me = createRoute({
  method: 'get', path: '/staff/v1/me', tags: ['staff'], security: STAFF_SECURITY, summary: 'Who is signed in (and the CSRF token, for a reloaded page)',
  responses: { 200: json(SignedInSchema, 'the signed-in staff user'), ...problemResponses(401) },
});

const logout = createRoute({
  method: 'post', path: '/staff/v1/logout', tags: ['staff'], security: STAFF_SECURITY, summary: 'Sign out: clears the staff cookie',
  responses: { 204: { description: 'signed out' }, ...problemResponses(401, 403) },
});

/**
 * The address a request came from: the socket's peer, or behind a reverse proxy (TRUST_PROXY=true)
 * the last X-Forwarded-For entry, the one the operator's own proxy appended (earlier ones are the
 * client's to forge).
 */
function clientAddress(c: Context, trustProxy: boolean): string {
  if (trustProxy) {
    const forwarded = c.req.header('x-forwarded-for')?.split(',').map((s: string) => s.trim()).filter(Boolean).at(-1);
    if (forwarded) return forwarded;
  }
  try {
    return getConnInfo(c).remote.address ?? 'unknown';
  } catch {
    return 'unknown';
  }
}

export function staffAuthRoutes() {
  const app = new OpenAPIHono<StaffEnv>({ defaultHook: validationHook as never });
  app.openAPIRegistry.registerComponent('securitySchemes', 'staffCookie', {
    type: 'apiKey', in: 'cookie', name: STAFF_COOKIE, description: 'staff sign-in (POST /staff/v1/login); every write also needs the X-CSRF-Token header',
  });
  app.use('/staff/v1/me', staffAuth(ALL_STAFF));
  app.use('/staff/v1/logout', staffAuth(ALL_STAFF));

  const throttle = createLoginThrottle();
  app.openapi(login, async (c) => {
    const { deps } = c.var;
    const address = clientAddress(c, deps.config.TRUST_PROXY);
    const { email, password } = c.req.valid('json');
    const attempt = await throttle.reserve(deps.db, address, deps.clock.now());
    const s = await signIn(deps, email, password, deps.clock.now());
    await attempt.release();
    setCookie(c, STAFF_COOKIE, s.token, {
      httpOnly: true, sameSite: 'Strict', path: '/', maxAge: STAFF_TOKEN_SECONDS, secure: deps.config.PUBLIC_URL.startsWith('https:'),
    });
    c.header('cache-control', 'no-store');
    return c.json({ userId: s.userId, role: s.role, email: s.email, csrfToken: s.csrfToken, expiresAt: s.expiresAt.toISOString() }, 200);
  });

  app.openapi(me, async (c) => {
    // staffAuth verified this very token; its expiry is read back for the page's countdown
    const { exp } = decodeJwt(getCookie(c, STAFF_COOKIE)!);
    const { staff } = c.var;
    c.header('cache-control', 'no-store');
    return c.json({ userId: staff.id, role: staff.role, email: staff.email, csrfToken: staff.csrf, expiresAt: new Date((exp ?? 0) * 1000).toISOString() }, 200);
  });

  app.openapi(logout, async (c) => {
    await recordSignOut(c.var.deps.db, c.var.staff.id, c.var.deps.clock.now());
    deleteCookie(c, STAFF_COOKIE, { path: '/', httpOnly: true, sameSite: 'Strict', secure: c.var.deps.config.PUBLIC_URL.startsWith('https:') });
    return c.body(null, 204);
  });
  return app;
}
