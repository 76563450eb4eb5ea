// The whole flow with real models and PostgreSQL: create → steps → upload each → submit → a pipeline
// worker (a child process) decides → the platform's webhook server receives a signed event. Then a
// worker is killed mid-job: the job is taken again after its lease and the session is decided once.
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compactVerify, createLocalJWKSet } from 'jose';
import { startTestServer, type TestServer } from '../support/server.js';
import { TEST_DATABASE_URL } from '../support/postgres.js';
import { fixture, haveFixtures } from '../support/fixtures.js';
import { rowsOf } from '../../src/queue/index.js';

const run = !!TEST_DATABASE_URL && haveFixtures;
if (!TEST_DATABASE_URL) console.warn('[realperson tests] TEST_DATABASE_URL unset: the pipeline flow suite (needs PostgreSQL) is skipped');

interface Hook { headers: Record<string, string | string[] | undefined>; body: string }

describe.skipIf(!run)('verification flow on PostgreSQL with pipeline workers in child processes', () => {
  let t: TestServer;
  let hooks: Hook[] = [];
  let hookServer: Server;
  let hookUrl = '';
  const children: ChildProcess[] = [];

  beforeAll(async () => {
    hookServer = createServer((req, res) => {
      let body = '';
      req.on('data', (c) => { body += c; });
      req.on('end', () => { hooks.push({ headers: req.headers, body }); res.writeHead(204).end(); });
    });
    await new Promise<void>((r) => hookServer.listen(0, '127.0.0.1', r));
    hookUrl = `http://127.0.0.1:${(hookServer.address() as { port: number }).port}/hooks`;
    t = await startTestServer({ postgres: true, env: { JOB_LEASE_SECONDS: '5' } });
  });

  afterAll(async () => {
    for (const c of children) c.kill('SIGKILL');
    await t?.close();
    hookServer?.close();
  });

  /** A pipeline worker process sharing the test service's database, blobs and keys. */
  async function startPipeline(): Promise<ChildProcess> {
    const child = spawn(process.execPath, ['--import', 'tsx', 'test/support/pipeline-child.ts'], {
      env: { ...process.env, DATABASE_URL: t.service.config.DATABASE_URL, DATA_DIR: t.service.config.DATA_DIR, JOB_LEASE_SECONDS: '5', VISION_THREADS: '1', WEBHOOK_ALLOW_PRIVATE: 'true' },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    children.push(child);
    await new Promise<void>((resolve, reject) => {
      child.stdout!.on('data', (d) => { if (String(d).includes('ready')) resolve(); });
      child.on('exit', (code) => reject(new Error(`pipeline child exited with ${code}`)));
    });
    return child;
  }

  const q = async <T>(text: string) => {
    const r = await t.service.database.db.execute(text);
    return rowsOf(r) as T[];
  };

  async function capturedSession(): Promise<string> {
    const s = await t.createSession({ callbackUrl: hookUrl });
    const auth = { authorization: `Bearer ${s.token}` };
    const steps = await (await fetch(`${t.url}/capture/v1/steps`, { headers: auth })).json() as { steps: { id: string }[] };
    const face = await readFile(fixture('faces/human/stock-emotions-a-1.jpg'));
    for (const step of steps.steps) {
      const res = await fetch(`${t.url}/capture/v1/steps/${step.id}/photo`, { method: 'PUT', body: face, headers: { ...auth, 'content-type': 'image/jpeg' } });
      expect(res.status).toBe(201);
    }
    expect((await fetch(`${t.url}/capture/v1/submit`, { method: 'POST', headers: auth })).status).toBe(202);
    return s.id;
  }

  async function waitFor<T>(what: string, probe: () => Promise<T | null | undefined>, ms = 120_000): Promise<T> {
    const until = Date.now() + ms;
    for (;;) {
      const v = await probe();
      if (v) return v;
      if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  it('a killed worker\'s job is finished exactly once by another worker', async () => {
    const first = await startPipeline();
    const id = await capturedSession();
    await waitFor('the first worker to claim the job', async () =>
      (await q<{ status: string }>(`select status from jobs where session_id = '${id}'`))[0]?.status === 'running');
    first.kill('SIGKILL');
    await new Promise((r) => first.once('exit', r));
    expect((await q<{ n: number }>(`select count(*)::int as n from decisions where session_id = '${id}'`))[0].n).toBe(0);

    await startPipeline();
    await waitFor('the job to be finished', async () =>
      (await q<{ status: string }>(`select status from jobs where session_id = '${id}'`))[0]?.status === 'done');
    const [job] = await q<{ attempts: number }>(`select attempts from jobs where session_id = '${id}'`);
    expect(job.attempts).toBe(2);
    expect((await q<{ n: number }>(`select count(*)::int as n from decisions where session_id = '${id}'`))[0].n).toBe(1);
  }, 300_000);

  it('decides through the job and delivers a signed webhook the platform can verify', async () => {
    hooks = [];
    if (!children.some((c) => c.exitCode === null && !c.killed)) await startPipeline();
    const id = await capturedSession();
    const view = await waitFor('the decision', async () => {
      const v = await (await t.api(`/v1/sessions/${id}`)).json() as { status: string; decision: { outcome: string; reasons: { code: string }[]; scores: Record<string, unknown> } | null };
      return v.decision ? v : null;
    });
    expect(['approved', 'rejected', 'review']).toContain(view.decision!.outcome);
    expect(view.decision!.reasons.length).toBeGreaterThan(0);
    expect(view.decision!.scores).toHaveProperty('faceMatch');
    expect(view.decision!.scores).toHaveProperty('sameFace');
    const hook = await waitFor('the webhook', async () => hooks.find((h) => h.body.includes(id)));
    const jwks = createLocalJWKSet(await (await fetch(`${t.url}/.well-known/jwks.json`)).json() as never);
    const [header, , sig] = String(hook.headers['realperson-signature']).split('.');
    const payload = Buffer.from(hook.body).toString('base64url');
    const { payload: verified } = await compactVerify(`${header}.${payload}.${sig}`, jwks);
    const event = JSON.parse(new TextDecoder().decode(verified)) as { id: string; type: string; data: { sessionId: string; decision: { outcome: string } } };
    expect(event.id).toBe(hook.headers['realperson-event-id']);
    expect(event.data.sessionId).toBe(id);
    expect(event.data.decision.outcome).toBe(view.decision!.outcome);
    expect(event.type).toBe(view.decision!.outcome === 'review' ? 'session.review' : 'session.decided');
    // reviewers get what the models saw: a face box on every photo (the same face photo on each step)
    const [stored] = await q<{ data: { observations: Record<string, { faces: { box: { width: number } }[] }> } }>(`select data from evidence where session_id = '${id}'`);
    const seen = Object.values(stored.data.observations);
    expect(seen).toHaveLength(5);
    for (const o of seen) expect(o.faces[0].box.width).toBeGreaterThan(50);
    expect(JSON.stringify(stored.data)).not.toContain('embedding');
    // a tampered body does not verify
    const bad = Buffer.from(hook.body.replace(id, id.replace(/.$/, 'x'))).toString('base64url');
    await expect(compactVerify(`${header}.${bad}.${sig}`, jwks)).rejects.toThrow();
  }, 300_000);
});
