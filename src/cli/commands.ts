// The operator's commands (`npx realperson …`), as functions of the database and store so the same code
// runs in the CLI process or, when the embedded PGlite is held by a running service, inside that service.
import { sql } from 'drizzle-orm';
import { tables, type Db } from '../db/index.js';
import type { Config } from '../config/index.js';
import type { BlobStore } from '../storage/index.js';
import type { Clock } from '../flows/deps.js';
import { createTenant } from '../flows/tenants.js';
import { listGestures, rotateGestures, setGestureStatus } from '../flows/gestures.js';
import { purgeExpired } from '../flows/retention.js';
import { verifyAuditChain, appendAudit } from '../audit/index.js';
import { hashPassword, newPassword, scheduleRotation } from '../staff/index.js';
import { newId } from '../ids/index.js';
import { Problem } from '../problem/index.js';

export interface CommandContext {
  db: Db;
  store: BlobStore;
  config: Config;
  clock: Clock;
}

export class UsageError extends Error {}

export const USAGE = `usage: realperson <command>
  tenant create --name NAME
  staff create --email EMAIL --role reviewer|security|admin
  gestures list | activate ID | retire ID | rotate [--count N] [--at ISO-TIME]
  purge
  audit verify`;

function flag(argv: string[], name: string): string | undefined {
  const i = argv.indexOf(`--${name}`);
  if (i === -1) return undefined;
  const v = argv[i + 1];
  if (v === undefined || v.startsWith('--')) throw new UsageError(`--${name} needs a value`);
  return v;
}

/** Runs one command; returns the lines to print (JSON). Throws UsageError or Problem with a one-line reason. */
export async function runCommand(argv: string[], ctx: CommandContext): Promise<{ lines: string[]; exitCode: number }> {
  const [group, action, arg] = argv;
  const now = ctx.clock.now();
  const out = (v: unknown) => ({ lines: [JSON.stringify(v)], exitCode: 0 });
  switch (`${group} ${action ?? ''}`.trim()) {
    case 'tenant create': {
      const name = flag(argv, 'name');
      if (!name) throw new UsageError('tenant create needs --name NAME');
      return out(await createTenant(ctx.db, name, now));
    }
    case 'staff create': {
      const email = flag(argv, 'email');
      const role = flag(argv, 'role');
      if (!email || !/^[^@\s]+@[^@\s]+$/.test(email)) throw new UsageError('staff create needs --email EMAIL');
      if (role !== 'reviewer' && role !== 'security' && role !== 'admin') throw new UsageError('--role must be reviewer, security or admin');
      const [existing] = await ctx.db.select({ id: tables.staffUsers.id }).from(tables.staffUsers).where(sql`lower(${tables.staffUsers.email}) = lower(${email})`);
      if (existing) throw new UsageError(`a staff user with email ${email} exists already`);
      const userId = newId('usr');
      const password = newPassword();
      await ctx.db.transaction(async (tx) => {
        await tx.insert(tables.staffUsers).values({ id: userId, email, role, passwordHash: await hashPassword(password), createdAt: now });
        await appendAudit(tx, { actor: 'operator', action: 'staff.created', subject: userId, data: { role } }, now);
      });
      return out({ userId, password });
    }
    case 'gestures list': {
      const rows = await listGestures(ctx.db);
      return { lines: rows.map((g) => JSON.stringify({ id: g.id, version: g.version, status: g.status, family: g.definition.family })), exitCode: 0 };
    }
    case 'gestures activate':
    case 'gestures retire': {
      if (!arg) throw new UsageError(`gestures ${action} needs a gesture ID`);
      const g = await setGestureStatus(ctx.db, arg, action === 'activate' ? 'active' : 'retired', 'operator', now);
      return out({ id: g.id, version: g.version, status: g.status });
    }
    case 'gestures rotate': {
      const count = Number(flag(argv, 'count') ?? 8);
      if (!Number.isInteger(count)) throw new UsageError('--count must be a whole number');
      const at = flag(argv, 'at');
      if (at === undefined) return out(await rotateGestures(ctx.db, count, 'operator', now));
      const when = new Date(at);
      if (Number.isNaN(when.getTime()) || when <= now) throw new UsageError('--at must be a future time, e.g. 2026-12-01T02:00:00Z');
      return out(await scheduleRotation(ctx.db, count, when, 'operator', now));
    }
    case 'purge':
      return out(await purgeExpired(ctx, 'operator'));
    case 'audit verify': {
      const v = await verifyAuditChain(ctx.db);
      if (v.ok) return out({ ok: true, entries: v.entries });
      return { lines: [JSON.stringify({ ok: false, entries: v.entries, firstBroken: v.firstBroken })], exitCode: 1 };
    }
    default:
      throw new UsageError(`unknown command '${argv.join(' ')}'; run 'realperson help' for the list`);
  }
}

export function describeError(err: unknown): string {
  if (err instanceof UsageError) return err.message;
  if (err instanceof Problem) return err.detail;
  return (err as Error).message ?? String(err);
}

