// A job whose worker dies every time it runs it (the process killed or crashed on it) is claimed at
// most MAX_JOB_ATTEMPTS times: the next claim finishes it as `pipeline.failed` → review, once, with its
// audit entry and webhook, and the queue moves on to the jobs behind it.
// On PostgreSQL the workers are real pipeline processes (models loaded) killed with SIGKILL while they
// hold the job; on PGlite, whose database lives inside one process, the same state (claims whose
// leases ran out) is left by claiming and abandoning, and the next claim is checked.
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { claimNext } from '../../src/pipeline/index.js';
import { claim, MAX_JOB_ATTEMPTS, rowsOf } from '../../src/queue/index.js';
import { createLogger } from '../../src/log/index.js';
import { haveFixtures } from '../support/fixtures.js';
import { TEST_DATABASE_URL } from '../support/postgres.js';
import { startTestServer, submittedSession, type TestServer } from '../support/server.js';

const backends = [{ name: 'PGlite', postgres: false }, ...(TEST_DATABASE_URL ? [{ name: 'PostgreSQL', postgres: true }] : [])];
if (!TEST_DATABASE_URL) console.warn('[realperson tests] TEST_DATABASE_URL unset: the killed-worker poison-job test (needs PostgreSQL) is skipped');

interface Hook { type: string; body: string }

/** A webhook receiver on 127.0.0.1 that keeps what it is sent. */
async function hookReceiver(): Promise<{ url: string; hooks: Hook[]; server: Server }> {
  const hooks: Hook[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => { body += c; });
    req.on('end', () => { hooks.push({ type: String(req.headers['realperson-event-type']), body }); res.writeHead(204).end(); });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(server.address() as { port: number }).port}/hooks`, hooks, server };
}

async function waitFor<T>(what: string, probe: () => Promise<T | null | undefined | false>, ms = 60_000): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const v = await probe();
    if (v) return v;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

function queries(t: TestServer) {
  const q = async <T>(text: string) => rowsOf(await t.service.database.db.execute(text)) as T[];
  return {
    q,
    job: async (sessionId: string) => (await q<{ status: string; attempts: number; locked_by: string | null; last_error: string | null }>(
      `select status, attempts, locked_by, last_error from jobs where session_id = '${sessionId}'`))[0],
    decisions: (sessionId: string) => q<{ outcome: string; reasons: { code: string; detail: string }[] }>(`select outcome, reasons from decisions where session_id = '${sessionId}'`),
    audits: async (sessionId: string) => (await q<{ n: number }>(`select count(*)::int as n from audit_log where subject = '${sessionId}' and action = 'session.decided'`))[0].n,
    deliveries: (sessionId: string) => q<{ event_type: string; status: string }>(`select event_type, status from webhook_deliveries where session_id = '${sessionId}'`),
    sessionStatus: async (sessionId: string) => (await q<{ status: string }>(`select status from sessions where id = '${sessionId}'`))[0].status,
  };
}

describe.skipIf(!haveFixtures).each(backends)('a job its workers keep dying on, on $name', ({ postgres }) => {
  let t: TestServer;
  let receiver: Awaited<ReturnType<typeof hookReceiver>>;
  beforeAll(async () => {
    receiver = await hookReceiver();
    t = await startTestServer({ postgres });
  }, 120_000);
  afterAll(async () => {
    await t?.close();
    receiver?.server.close();
  });

  it(`is given up at the claim after ${MAX_JOB_ATTEMPTS} abandoned attempts, once, and the job behind it is claimed`, async () => {
    const { job, decisions, audits, deliveries, sessionStatus } = queries(t);
    const poison = await submittedSession(t, receiver.url);
    const behind = await submittedSession(t, receiver.url);
    const db = t.service.database.db;
    const lease = 30;
    let now = Date.now();
    // each worker claims the job and dies on it: its lease runs out and the job is claimed again
    for (let i = 1; i <= MAX_JOB_ATTEMPTS; i++) {
      const claimed = await claim(db, `dead-${i}`, new Date(now), lease);
      expect(claimed?.sessionId).toBe(poison);
      now += (lease + 1) * 1000;
    }
    const deps = { db, log: createLogger('silent'), metrics: t.service.metrics, leaseSeconds: lease, clock: { now: () => new Date(now) } };
    const next = await claimNext(deps, 'alive');
    expect(next?.sessionId).toBe(behind);

    expect(await job(poison)).toMatchObject({ status: 'failed', attempts: MAX_JOB_ATTEMPTS + 1 });
    const [decision] = await decisions(poison);
    expect(decision.outcome).toBe('review');
    expect(decision.reasons.map((r) => r.code)).toEqual(['pipeline.failed']);
    expect(await sessionStatus(poison)).toBe('review');
    expect(await audits(poison)).toBe(1);
    // queued for the platform (its delivery is due at the test clock's time, minutes ahead; the real-kill test below waits for it)
    expect(await deliveries(poison)).toMatchObject([{ event_type: 'session.review', status: 'pending' }]);
    expect(await t.service.metrics.render()).toMatch(/realperson_jobs_given_up_total 1/);

    // nothing claims it again, and nothing decides it twice
    now += (lease + 1) * 1000;
    expect((await claimNext(deps, 'alive-2'))?.sessionId).toBe(behind); // the one behind, its lease run out
    expect(await decisions(poison)).toHaveLength(1);
    expect(await audits(poison)).toBe(1);
  }, 120_000);
});

describe.skipIf(!TEST_DATABASE_URL || !haveFixtures)('a job that kills its worker process, on PostgreSQL', () => {
  let t: TestServer;
  let receiver: Awaited<ReturnType<typeof hookReceiver>>;
  const children: ChildProcess[] = [];
  const LEASE = '5';

  beforeAll(async () => {
    receiver = await hookReceiver();
    t = await startTestServer({ postgres: true, env: { JOB_LEASE_SECONDS: LEASE } });
  }, 120_000);
  afterAll(async () => {
    for (const c of children) c.kill('SIGKILL');
    await t?.close();
    receiver?.server.close();
  });

  /** A pipeline worker process (real models) on the test service's database, blobs and keys. */
  async function startPipeline(): Promise<ChildProcess> {
    const child = spawn(process.execPath, ['--import', 'tsx', 'test/support/pipeline-child.ts'], {
      env: { ...process.env, DATABASE_URL: t.service.config.DATABASE_URL, DATA_DIR: t.service.config.DATA_DIR, JOB_LEASE_SECONDS: LEASE, VISION_THREADS: '1', WEBHOOK_ALLOW_PRIVATE: 'true' },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    children.push(child);
    await new Promise<void>((resolve, reject) => {
      child.stdout!.on('data', (d) => { if (String(d).includes('ready')) resolve(); });
      child.on('exit', (code) => reject(new Error(`pipeline child exited with ${code}`)));
    });
    return child;
  }

  it(`is claimed at most ${MAX_JOB_ATTEMPTS} times, then finished as pipeline.failed → review, and the queue moves on`, async () => {
    const { job, decisions, audits, deliveries, sessionStatus } = queries(t);
    const poison = await submittedSession(t, receiver.url);
    const behind = [await submittedSession(t, receiver.url)];

    // Every worker that takes the job is killed while it holds it, more times than the cap allows.
    let kills = 0;
    for (let round = 0; round < MAX_JOB_ATTEMPTS + 3; round++) {
      const before = (await job(poison)).attempts;
      const child = await startPipeline();
      const state = await waitFor('the job to be claimed again or given up', async () => {
        const j = await job(poison);
        // A claim past the cap shows 'running' for the moment before the same worker gives the job up:
        // that is no run of the job, so the worker is not killed there.
        return j.status === 'running' && j.attempts > before && j.attempts <= MAX_JOB_ATTEMPTS && j.locked_by?.includes(`:${child.pid}:`) ? 'running'
          : j.status !== 'running' && j.status !== 'queued' ? j.status : null;
      });
      if (state !== 'running') break;
      child.kill('SIGKILL');
      await new Promise((r) => child.once('exit', r));
      kills++;
    }
    expect(kills).toBe(MAX_JOB_ATTEMPTS);
    const gaveUp = await job(poison);
    expect(gaveUp).toMatchObject({ status: 'failed', attempts: MAX_JOB_ATTEMPTS + 1 });
    expect(gaveUp.last_error).toMatch(/stopped/);
    const [decision] = await decisions(poison);
    expect(decision.outcome).toBe('review');
    expect(decision.reasons.map((r) => r.code)).toEqual(['pipeline.failed']);
    expect(decision.reasons[0].detail).toMatch(new RegExp(`${MAX_JOB_ATTEMPTS} attempts`));
    expect(await sessionStatus(poison)).toBe('review');
    expect(await audits(poison)).toBe(1);
    expect(await deliveries(poison)).toMatchObject([{ event_type: 'session.review' }]);
    await waitFor('the review webhook', async () => receiver.hooks.find((h) => h.type === 'session.review' && h.body.includes(poison)));

    // the surviving worker goes on to the sessions queued behind it
    for (const id of behind) {
      await waitFor(`the session behind it (${id}) to be decided`, async () => (await job(id)).status === 'done', 180_000);
      expect(await decisions(id)).toHaveLength(1);
    }
    expect(await decisions(poison)).toHaveLength(1);
  }, 600_000);
});
