// Review console API (reviewer, admin): the queue, one case with everything the pipeline saw, the
// photos themselves, an expiring claim, and the reviewer's final decision.
import { OpenAPIHono, createRoute, z } from '@hono/zod-openapi';
import { claimCase, decideCase, getReviewCase, listReviewQueue, readCasePhoto, releaseClaim } from '../../flows/review.js';
import { problem } from '../../problem/index.js';
import { problemResponses, DecisionSchema } from '../schemas.js';
import { validationHook } from '../validation.js';
import { STAFF_SECURITY, staffAuth, type StaffEnv } from './staff-auth.js';

const REVIEWERS = ['reviewer', 'admin'] as const;
const json = <T extends z.ZodType>(schema: T, description: string) => ({ description, content: { 'application/json': { schema } } });
const SessionParam = z.object({ sessionId: z.string().min(1).max(64).openapi({ param: { name: 'sessionId', in: 'path' } }) });

const Reason = z.object({ code: z.string(), detail: z.string() });
const Claim = z.object({ reviewerId: z.string(), reviewerEmail: z.string().nullable(), expiresAt: z.string() }).nullable();

const QueueItemSchema = z.object({
  sessionId: z.string(), tenantId: z.string(), tenantName: z.string(), externalSellerId: z.string(), createdAt: z.string(),
  inReviewSince: z.string(), reasons: z.array(Reason), scores: z.record(z.string(), z.number().nullable()), claim: Claim,
}).openapi('ReviewQueueItem');

const CaseSchema = z.object({
  session: z.object({
    id: z.string(), tenantId: z.string(), tenantName: z.string(), externalSellerId: z.string(), status: z.string(), locale: z.string(),
    region: z.string(), createdAt: z.string(), submittedAt: z.string().nullable(), dataErasedAt: z.string().nullable(),
  }),
  declared: z.object({ fullName: z.string(), documentType: z.string(), documentNumber: z.string(), region: z.string() }).nullable(),
  steps: z.array(z.object({
    id: z.string(), position: z.number().int(), kind: z.string(),
    gesture: z.object({ id: z.string(), version: z.number().int(), family: z.string().nullable(), instructions: z.string().nullable(), rule: z.unknown() }).nullable(),
    newspaper: z.object({ name: z.string(), date: z.string(), window: z.object({ from: z.string(), to: z.string() }) }).nullable(),
    photo: z.object({ id: z.string(), url: z.string(), width: z.number().int(), height: z.number().int(), sha256: z.string() }).nullable(),
  })),
  evidence: z.record(z.string(), z.unknown()).nullable().openapi({ description: 'the Evidence the pipeline stored (see decide/evidence.ts)' }),
  decision: z.object({ outcome: z.string(), reasons: z.array(Reason), scores: z.record(z.string(), z.number().nullable()), decidedBy: z.string(), decidedAt: z.string() }),
  review: z.object({ reviewerId: z.string(), outcome: z.string(), note: z.string(), decidedAt: z.string() }).nullable(),
  thresholds: z.record(z.string(), z.unknown()).openapi({ description: 'the policy the pipeline applied: defaults with the tenant overrides' }),
  claim: Claim,
}).openapi('ReviewCase');

const queue = createRoute({
  method: 'get', path: '/staff/v1/reviews', tags: ['staff'], security: STAFF_SECURITY, summary: 'Sessions waiting for a reviewer, oldest first',
  request: {
    query: z.object({
      tenant: z.string().max(64).optional(),
      reason: z.string().max(100).optional().openapi({ description: 'a reason code, e.g. face_match_uncertain' }),
      limit: z.coerce.number().int().min(1).max(500).default(200),
    }),
  },
  responses: { 200: json(z.object({ items: z.array(QueueItemSchema) }), 'the queue'), ...problemResponses(400, 401, 403) },
});

const getCase = createRoute({
  method: 'get', path: '/staff/v1/reviews/{sessionId}', tags: ['staff'], security: STAFF_SECURITY, summary: 'One case: session, declared identity, steps with photos, evidence, decision, thresholds',
  request: { params: SessionParam },
  responses: { 200: json(CaseSchema, 'the case'), ...problemResponses(401, 403, 404) },
});

const photo = createRoute({
  method: 'get', path: '/staff/v1/photos/{photoId}', tags: ['staff'], security: STAFF_SECURITY, summary: 'A photo of a case (never cached)',
  request: { params: z.object({ photoId: z.string().min(1).max(64).openapi({ param: { name: 'photoId', in: 'path' } }) }) },
  responses: { 200: { description: 'the image', content: { 'image/jpeg': { schema: z.string().openapi({ format: 'binary' }) } } }, ...problemResponses(401, 403, 404) },
});

const claim = createRoute({
  method: 'post', path: '/staff/v1/reviews/{sessionId}/claim', tags: ['staff'], security: STAFF_SECURITY, summary: 'Claim a case for 10 minutes (409 while another reviewer holds it)',
  request: { params: SessionParam },
  responses: { 200: json(z.object({ sessionId: z.string(), reviewerId: z.string(), expiresAt: z.string() }), 'claimed'), ...problemResponses(401, 403, 404, 409) },
});

const release = createRoute({
  method: 'delete', path: '/staff/v1/reviews/{sessionId}/claim', tags: ['staff'], security: STAFF_SECURITY, summary: 'Give a claimed case back to the queue',
  request: { params: SessionParam },
  responses: { 204: { description: 'released' }, ...problemResponses(401, 403, 404) },
});

const decide = createRoute({
  method: 'post', path: '/staff/v1/reviews/{sessionId}/decision', tags: ['staff'], security: STAFF_SECURITY, summary: "The reviewer's final decision, with a required note",
  request: {
    params: SessionParam,
    body: {
      required: true,
      content: {
        'application/json': {
          schema: z.object({
            outcome: z.enum(['approved', 'rejected']),
            note: z.string().trim().min(1, 'a note is required').max(2000),
          }).openapi('ReviewDecision'),
        },
      },
    },
  },
  responses: {
    200: json(z.object({ sessionId: z.string(), status: z.literal('decided'), decision: DecisionSchema }), 'decided'),
    ...problemResponses(400, 401, 403, 404, 409),
  },
});

export function staffReviewRoutes() {
  const app = new OpenAPIHono<StaffEnv>({ defaultHook: validationHook as never });
  app.use('/staff/v1/reviews', staffAuth(REVIEWERS));
  app.use('/staff/v1/reviews/*', staffAuth(REVIEWERS));
  app.use('/staff/v1/photos/*', staffAuth(REVIEWERS));
  const reviewer = (c: { var: StaffEnv['Variables'] }) => ({ id: c.var.staff.id, email: c.var.staff.email });

  app.openapi(queue, async (c) => {
    const items = await listReviewQueue(c.var.deps.db, c.req.valid('query'), c.var.deps.clock.now());
    c.header('cache-control', 'no-store');
    return c.json({ items }, 200);
  });
  app.openapi(getCase, async (c) => {
    const found = await getReviewCase(c.var.deps.db, c.req.valid('param').sessionId, c.var.deps.clock.now());
    c.header('cache-control', 'no-store');
    return c.json(found as never, 200);
  });
  app.openapi(photo, async (c) => {
    const bytes = await readCasePhoto(c.var.deps, c.req.valid('param').photoId);
    if (!bytes) throw problem.notFound('photo');
    // Stored photos are re-encoded JPEG (src/photos/intake.ts).
    return c.body(bytes as Uint8Array<ArrayBuffer>, 200, { 'content-type': 'image/jpeg', 'cache-control': 'no-store' });
  });
  app.openapi(claim, async (c) =>
    c.json(await claimCase(c.var.deps.db, c.req.valid('param').sessionId, reviewer(c), c.var.deps.clock.now()), 200));
  app.openapi(release, async (c) => {
    await releaseClaim(c.var.deps.db, c.req.valid('param').sessionId, reviewer(c), c.var.deps.clock.now());
    return c.body(null, 204);
  });
  app.openapi(decide, async (c) => {
    const r = await decideCase(c.var.deps.db, c.req.valid('param').sessionId, reviewer(c), c.req.valid('json'), c.var.deps.clock.now());
    c.var.deps.metrics.inc('realperson_decisions_total', 'Decisions by outcome', { outcome: r.decision.outcome, by: 'reviewer' });
    return c.json(r, 200);
  });
  return app;
}
