// Capture API for the seller's browser. The capture token opens only its own session.
import { OpenAPIHono, createRoute, z } from '@hono/zod-openapi';
import { captureStatus, getSteps, putPhoto, submit } from '../../flows/capture.js';
import { captureAuth } from '../auth.js';
import type { Env } from '../env.js';
import { StepsSchema, problemResponses } from '../schemas.js';
import { validationHook } from '../validation.js';

const security = [{ captureToken: [] }];
const json = <T extends z.ZodType>(schema: T, description: string) => ({ description, content: { 'application/json': { schema } } });

const steps = createRoute({
  method: 'get', path: '/capture/v1/steps', security, tags: ['capture'], summary: 'The steps of the current challenge (drawn on first request)',
  responses: { 200: json(StepsSchema, 'steps'), ...problemResponses(401, 409, 410) },
});

const photo = createRoute({
  method: 'put', path: '/capture/v1/steps/{stepId}/photo', security, tags: ['capture'], summary: 'Upload the photo for one step',
  request: {
    params: z.object({ stepId: z.string().min(1).max(64) }),
    body: { required: true, description: 'the image bytes', content: { 'image/jpeg': { schema: z.any() }, 'image/png': { schema: z.any() }, 'image/webp': { schema: z.any() } } },
  },
  responses: {
    201: json(z.object({ stepId: z.string(), sha256: z.string(), width: z.number().int(), height: z.number().int() }), 'stored'),
    ...problemResponses(400, 401, 404, 409, 410, 413, 415, 422),
  },
});

const submitRoute = createRoute({
  method: 'post', path: '/capture/v1/submit', security, tags: ['capture'], summary: 'Submit once every step has a photo',
  responses: { 202: json(z.object({ status: z.literal('processing') }), 'queued for verification'), ...problemResponses(401, 409, 410) },
});

const status = createRoute({
  method: 'get', path: '/capture/v1/status', security, tags: ['capture'], summary: "The session's status (never the decision's reasons)",
  responses: { 200: json(z.object({ status: z.string() }), 'status'), ...problemResponses(401, 404) },
});

export function captureRoutes() {
  const app = new OpenAPIHono<Env>({ defaultHook: validationHook as never });
  app.use('/capture/v1/*', captureAuth);
  app.openapi(steps, async (c) => c.json(await getSteps(c.var.deps, c.var.sessionId, c.var.tenantId), 200));
  // The body is read as a bounded stream by the flow, not by a validator (which would buffer it whole).
  app.openapi(photo, async (c) => c.json(await putPhoto(c.var.deps, c.var.sessionId, c.var.tenantId, c.req.param('stepId'), c.req.raw.body), 201));
  app.openapi(submitRoute, async (c) => c.json(await submit(c.var.deps, c.var.sessionId, c.var.tenantId), 202));
  app.openapi(status, async (c) => c.json(await captureStatus(c.var.deps, c.var.sessionId, c.var.tenantId), 200));
  return app;
}
