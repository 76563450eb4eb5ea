// Platform API: sessions. Every handler reads the tenant from the API key; other tenants' ids are 404.
import { OpenAPIHono, createRoute, z } from '@hono/zod-openapi';
import { cancelSession, createSession, eraseSessionData, getSession, listSessions } from '../../flows/sessions.js';
import { tenantAuth } from '../auth.js';
import type { Env } from '../env.js';
import { CreateSessionSchema, CreatedSessionSchema, SessionIdParam, SessionSchema, problemResponses } from '../schemas.js';
import { validationHook } from '../validation.js';

const security = [{ apiKey: [] }];
const json = <T extends z.ZodType>(schema: T, description: string) => ({ description, content: { 'application/json': { schema } } });

const create = createRoute({
  method: 'post', path: '/v1/sessions', security, tags: ['platform'],
  summary: 'Create a verification session for a seller',
  request: {
    headers: z.object({ 'idempotency-key': z.string().min(1).max(200).optional() }),
    body: { required: true, content: { 'application/json': { schema: CreateSessionSchema } } },
  },
  responses: { 201: json(CreatedSessionSchema, 'created'), 200: json(CreatedSessionSchema, 'replayed for the same Idempotency-Key and body'), ...problemResponses(400, 401, 422) },
});

const get = createRoute({
  method: 'get', path: '/v1/sessions/{id}', security, tags: ['platform'], summary: 'Read a session and its decision',
  request: { params: SessionIdParam },
  responses: { 200: json(SessionSchema, 'the session'), ...problemResponses(401, 404) },
});

const list = createRoute({
  method: 'get', path: '/v1/sessions', security, tags: ['platform'], summary: 'List sessions, newest first',
  request: {
    query: z.object({
      status: SessionSchema.shape.status.optional(),
      cursor: z.string().max(500).optional(),
      limit: z.coerce.number().int().min(1).max(100).default(50),
    }),
  },
  responses: { 200: json(z.object({ items: z.array(SessionSchema), nextCursor: z.string().nullable() }), 'a page'), ...problemResponses(400, 401) },
});

const cancel = createRoute({
  method: 'post', path: '/v1/sessions/{id}/cancel', security, tags: ['platform'], summary: 'Cancel a session still awaiting capture',
  request: { params: SessionIdParam },
  responses: { 200: json(SessionSchema, 'cancelled'), ...problemResponses(401, 404, 409) },
});

const erase = createRoute({
  method: 'delete', path: '/v1/sessions/{id}/data', security, tags: ['platform'],
  summary: "Erase the session's photos, embeddings and declared identity (the decision and audit entry remain)",
  request: { params: SessionIdParam },
  responses: { 200: json(z.object({ id: z.string(), photosDeleted: z.number().int() }), 'erased'), ...problemResponses(401, 404, 409) },
});

export function sessionRoutes() {
  const app = new OpenAPIHono<Env>({ defaultHook: validationHook as never });
  app.use('/v1/*', tenantAuth());
  app.openapi(create, async (c) => {
    const { status, body } = await createSession(c.var.deps, c.var.tenantId, c.req.valid('json'), c.req.valid('header')['idempotency-key']);
    return c.json(body, status as 201);
  });
  app.openapi(get, async (c) => c.json(await getSession(c.var.deps, c.var.tenantId, c.req.valid('param').id), 200));
  app.openapi(list, async (c) => c.json(await listSessions(c.var.deps, c.var.tenantId, c.req.valid('query')), 200));
  app.openapi(cancel, async (c) => c.json(await cancelSession(c.var.deps, c.var.tenantId, c.req.valid('param').id), 200));
  app.openapi(erase, async (c) => {
    const { id } = c.req.valid('param');
    const r = await eraseSessionData(c.var.deps, c.var.tenantId, id, `tenant:${c.var.tenantId}`);
    return c.json({ id, ...r }, 200);
  });
  return app;
}
