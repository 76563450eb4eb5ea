// Lets `npx realperson` run its commands inside the service that holds the embedded PGlite. Reachable
// only from loopback, with a random token the service writes to DATA_DIR/service.json (mode 0600).
import { Hono } from 'hono';
import { timingSafeEqual } from 'node:crypto';
import type { Env } from '../api/env.js';
import { describeError, runCommand, UsageError, type CommandContext } from './commands.js';

const LOOPBACK = new Set(['127.0.0.1', '::1', '::ffff:127.0.0.1']);

export function adminRoutes(token: string, ctx: CommandContext) {
  const app = new Hono<Env & { Bindings: { incoming?: { socket?: { remoteAddress?: string } } } }>();
  app.post('/admin/v1/cli', async (c) => {
    const remote = c.env?.incoming?.socket?.remoteAddress ?? '';
    const given = Buffer.from(c.req.header('authorization')?.replace(/^Bearer /, '') ?? '');
    const want = Buffer.from(token);
    if (!LOOPBACK.has(remote) || given.length !== want.length || !timingSafeEqual(given, want)) return c.notFound();
    const { argv } = await c.req.json<{ argv: string[] }>();
    try {
      return c.json(await runCommand(argv, ctx));
    } catch (err) {
      return c.json({ error: describeError(err), exitCode: err instanceof UsageError ? 2 : 1 });
    }
  });
  return app;
}
