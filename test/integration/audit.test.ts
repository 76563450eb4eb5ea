// The audit log is append-only and hash-chained: real audited changes verify; editing one row's data
// by hand breaks the chain at exactly that row, and `realperson audit verify` says so with exit code 1.
import { execFile } from 'node:child_process';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { asc, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyAuditChain } from '../../src/audit/index.js';
import { runCommand } from '../../src/cli/commands.js';
import { tables } from '../../src/db/index.js';
import { startTestServer, type TestServer } from '../support/server.js';

const run = promisify(execFile);
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

describe('audit log', () => {
  let t: TestServer;
  let dataDir: string;
  let closed = false;
  beforeAll(async () => {
    t = await startTestServer();
    dataDir = t.service.config.DATA_DIR;
  }, 180_000);
  afterAll(async () => {
    if (!closed) await t?.close();
    else await rm(dataDir, { recursive: true, force: true });
  });

  const db = () => t.service.database.db;

  it('chains real staff and gesture changes, and names the row whose data was edited', async () => {
    const ctx = { db: db(), store: t.service.store, config: t.service.config, clock: { now: () => new Date() } };
    const { userId, password } = JSON.parse((await runCommand(['staff', 'create', '--email', 'sec@staff.example', '--role', 'security'], ctx)).lines[0]);
    const post = (p: string, body: unknown, headers: Record<string, string> = {}) =>
      fetch(t.url + p, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
    expect((await post('/staff/v1/login', { email: 'sec@staff.example', password: 'wrong' })).status).toBe(401);
    const res = await post('/staff/v1/login', { email: 'sec@staff.example', password });
    const { csrfToken } = await res.json() as { csrfToken: string };
    const auth = { cookie: res.headers.get('set-cookie')!.split(';')[0], 'x-csrf-token': csrfToken };
    expect((await post('/staff/v1/gestures/thumb-up/retire', {}, auth)).status).toBe(200);
    expect((await post('/staff/v1/gestures/rotate', { count: 6 }, auth)).status).toBe(200);
    expect((await post('/staff/v1/gestures/rotate', { count: 5, at: new Date(Date.now() + 3_600_000).toISOString() }, auth)).status).toBe(202);
    const s = await t.createSession();
    expect((await t.api(`/v1/sessions/${s.id}/cancel`, { method: 'POST' })).status).toBe(200);

    const rows = await db().select().from(tables.auditLog).orderBy(asc(tables.auditLog.seq));
    const actions = rows.map((r) => r.action);
    for (const a of ['staff.created', 'staff.login_failed', 'staff.login', 'gesture.retired', 'gestures.rotated', 'gestures.rotation_scheduled', 'session.cancelled']) {
      expect(actions).toContain(a);
    }
    expect(rows.find((r) => r.action === 'staff.login')?.subject).toBe(userId);
    expect(await verifyAuditChain(db())).toEqual({ ok: true, entries: rows.length });

    // Someone with database access softens the record of who retired the gesture.
    const target = rows.find((r) => r.action === 'gesture.retired')!;
    await db().execute(sql`update audit_log set data = '{"note":"nothing happened"}'::jsonb where seq = ${target.seq}`);
    const verdict = await verifyAuditChain(db());
    expect(verdict.ok).toBe(false);
    expect(verdict.firstBroken).toEqual({ seq: target.seq, id: target.id, problem: 'hash' });
    expect(verdict.entries).toBe(rows.findIndex((r) => r.seq === target.seq));
    const [after] = await db().select().from(tables.auditLog).where(eq(tables.auditLog.seq, target.seq));
    expect(after.data).toEqual({ note: 'nothing happened' });
  });

  it('`realperson audit verify` on the stopped service\'s data exits 1 naming that row', async () => {
    const rows = await db().select().from(tables.auditLog).orderBy(asc(tables.auditLog.seq));
    const target = rows.find((r) => r.action === 'gesture.retired')!;
    await t.service.close();
    closed = true;
    const env = { ...process.env, DATA_DIR: dataDir, LOG_LEVEL: 'error', DATABASE_URL: '' };
    delete (env as Record<string, string | undefined>).DATABASE_URL;
    const out = await run(process.execPath, [path.join(ROOT, 'bin/realperson.js'), 'audit', 'verify'], { cwd: ROOT, env, timeout: 60_000 })
      .then(() => ({ code: 0, stdout: '' }), (err: { code: number; stdout: string }) => ({ code: err.code, stdout: err.stdout }));
    expect(out.code).toBe(1);
    const report = JSON.parse(out.stdout.trim().split('\n').at(-1)!) as { ok: boolean; firstBroken: { seq: number; id: string } };
    expect(report.ok).toBe(false);
    expect(report.firstBroken).toMatchObject({ seq: target.seq, id: target.id });
  }, 90_000);
});
