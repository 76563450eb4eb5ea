// The staff console's API: sign-in, review cases, gesture-library admin. Mounted by the Node service
// (src/service.ts), which also starts the timer that applies scheduled gesture rotations.
import { OpenAPIHono } from '@hono/zod-openapi';
import type { Database } from '../../db/index.js';
import type { Clock } from '../../flows/deps.js';
import type { Logger } from '../../log/index.js';
import { startRotationTimer } from '../../staff/index.js';
import { staffAuthRoutes, type StaffEnv } from './staff-auth.js';
import { staffGestureRoutes } from './staff-gestures.js';
import { staffReviewRoutes } from './staff-reviews.js';

export interface StaffRouteOptions {
  /** given, the service's database gets a timer applying scheduled rotations until it closes */
  rotations?: { database: Database; clock: Clock; log: Logger };
}

export function staffRoutes(opts: StaffRouteOptions = {}) {
  if (opts.rotations) startRotationTimer(opts.rotations.database, opts.rotations.clock, opts.rotations.log);
  const app = new OpenAPIHono<StaffEnv>();
  app.route('/', staffAuthRoutes());
  app.route('/', staffReviewRoutes());
  app.route('/', staffGestureRoutes());
  return app;
}
