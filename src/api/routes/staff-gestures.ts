// Gesture-library admin (security, admin): the library with per-gesture numbers over a period,
// activate, retire, and rotate the active set now or at a scheduled time.
import { OpenAPIHono, createRoute, z } from '@hono/zod-openapi';
import { listGestures, rotateGestures, setGestureStatus } from '../../flows/gestures.js';
import { applyDueRotations, cancelRotation, emptyStats, gestureStats, listRotations, scheduleRotation, statsKey } from '../../staff/index.js';
import { problem } from '../../problem/index.js';
import { problemResponses } from '../schemas.js';
import { validationHook } from '../validation.js';
import { STAFF_SECURITY, staffAuth, type StaffEnv } from './staff-auth.js';

const SECURITY = ['security', 'admin'] as const;
const DAY = 86_400_000;
const json = <T extends z.ZodType>(schema: T, description: string) => ({ description, content: { 'application/json': { schema } } });
const IdParam = z.object({ id: z.string().min(1).max(100).openapi({ param: { name: 'id', in: 'path' } }) });

const StatsSchema = z.object({
  issued: z.number().int(), passed: z.number().int(), review: z.number().int(), rejected: z.number().int(), spoofFlags: z.number().int(),
  sessions: z.object({ approved: z.number().int(), review: z.number().int(), rejected: z.number().int() }),
});
const GestureSchema = z.object({
  id: z.string(), version: z.number().int(), status: z.enum(['draft', 'active', 'retired']), family: z.string(),
  instructions: z.object({ en: z.string(), 'zh-CN': z.string() }), example: z.string().nullable(), rule: z.unknown(),
  stats: StatsSchema,
}).openapi('LibraryGesture');
const RotationSchema = z.object({
  id: z.string(), requestedBy: z.string(), count: z.number().int(), scheduledFor: z.string(), appliedAt: z.string().nullable(), activeSet: z.array(z.string()).nullable(),
}).openapi('GestureRotation');

const list = createRoute({
  method: 'get', path: '/staff/v1/gestures', tags: ['staff'], security: STAFF_SECURITY, summary: 'The gesture library with each gesture\'s numbers over [from, to)',
  request: {
    query: z.object({
      from: z.coerce.date().optional().openapi({ description: 'default: 30 days before `to`' }),
      to: z.coerce.date().optional().openapi({ description: 'default: now' }),
    }),
  },
  responses: {
    200: json(z.object({ from: z.string(), to: z.string(), gestures: z.array(GestureSchema), rotations: z.array(RotationSchema) }), 'the library'),
    ...problemResponses(400, 401, 403),
  },
});

const setStatus = (action: 'activate' | 'retire') => createRoute({
  method: 'post', path: `/staff/v1/gestures/{id}/${action}`, tags: ['staff'], security: STAFF_SECURITY,
  summary: action === 'activate' ? 'Put a gesture in the active set' : 'Retire a gesture: it is never drawn again (issued sessions keep their version)',
  request: { params: IdParam },
  responses: { 200: json(z.object({ id: z.string(), version: z.number().int(), status: z.string() }), 'done'), ...problemResponses(401, 403, 404, 409) },
});

const rotate = createRoute({
  method: 'post', path: '/staff/v1/gestures/rotate', tags: ['staff'], security: STAFF_SECURITY,
  summary: 'Replace the active set by a fresh random draw of `count`, now or at `at`',
  request: {
    body: {
      required: true,
      content: { 'application/json': { schema: z.object({ count: z.number().int().min(2).max(200), at: z.iso.datetime({ offset: true }).optional() }).openapi('RotateGestures') } },
    },
  },
  responses: {
    200: json(z.object({ rotationId: z.string(), active: z.array(z.string()) }), 'rotated now'),
    202: json(RotationSchema, 'scheduled'),
    ...problemResponses(400, 401, 403, 422),
  },
});

const cancel = createRoute({
  method: 'delete', path: '/staff/v1/gestures/rotations/{id}', tags: ['staff'], security: STAFF_SECURITY, summary: 'Cancel a scheduled rotation that has not run yet',
  request: { params: IdParam },
  responses: { 204: { description: 'cancelled' }, ...problemResponses(401, 403, 404) },
});

export function staffGestureRoutes() {
  const app = new OpenAPIHono<StaffEnv>({ defaultHook: validationHook as never });
  app.use('/staff/v1/gestures', staffAuth(SECURITY));
  app.use('/staff/v1/gestures/*', staffAuth(SECURITY));
  const actor = (c: { var: StaffEnv['Variables'] }) => `staff:${c.var.staff.id}`;

  app.openapi(list, async (c) => {
    const { db, clock } = c.var.deps;
    const now = clock.now();
    // Lazily as well as by the timer: what staff see is never behind a rotation already due.
    await applyDueRotations(db, now);
    const q = c.req.valid('query');
    const to = q.to ?? now;
    const from = q.from ?? new Date(to.getTime() - 30 * DAY);
    if (from >= to) throw problem.badRequest('request.invalid', '`from` must be before `to`');
    const [rows, stats, rotations] = await Promise.all([listGestures(db), gestureStats(db, from, to), listRotations(db)]);
    const gestures = rows.map((g) => {
      const d = g.definition;
      return {
        id: g.id, version: g.version, status: g.status, family: d.family, instructions: d.instructions,
        example: typeof d.example === 'string' ? d.example : null, rule: d.rule ?? null,
        stats: stats.get(statsKey(g.id, g.version)) ?? emptyStats(),
      };
    });
    c.header('cache-control', 'no-store');
    return c.json({ from: from.toISOString(), to: to.toISOString(), gestures, rotations }, 200);
  });
  for (const action of ['activate', 'retire'] as const) {
    app.openapi(setStatus(action), async (c) => {
      const g = await setGestureStatus(c.var.deps.db, c.req.valid('param').id, action === 'activate' ? 'active' : 'retired', actor(c), c.var.deps.clock.now());
      return c.json({ id: g.id, version: g.version, status: g.status }, 200);
    });
  }
  app.openapi(rotate, async (c) => {
    const { db, clock } = c.var.deps;
    const now = clock.now();
    const { count, at } = c.req.valid('json');
    const when = at ? new Date(at) : null;
    if (when && when > now) return c.json(await scheduleRotation(db, count, when, actor(c), now), 202);
    return c.json(await rotateGestures(db, count, actor(c), now), 200);
  });
  app.openapi(cancel, async (c) => {
    await cancelRotation(c.var.deps.db, c.req.valid('param').id, actor(c), c.var.deps.clock.now());
    return c.body(null, 204);
  });
  return app;
}
