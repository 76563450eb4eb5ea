// The whole flow with real models and PostgreSQL: create → steps → upload each → submit → a pipeline
// worker (a child process) decides → the platform's webhook server receives a signed event. A seller
// whose photos show her, her own ID and the gestures and newspaper the challenge asked for is
// approved (photos composed from real fixture pixels, see test/support/compose.ts). Then a worker is
// killed mid-job: the job is taken again after its lease and the session is decided once.
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compactVerify, createLocalJWKSet } from 'jose';
import { startTestServer, submittedSession, type TestServer } from '../support/server.js';
import { TEST_DATABASE_URL } from '../support/postgres.js';
import { haveFixtures } from '../support/fixtures.js';
import { rowsOf } from '../../src/queue/index.js';
import { activeGestures, setGestureStatus } from '../../src/flows/gestures.js';
import { allNewspapers } from '../../src/ocr/newspapers.js';
import { createVision, type Vision } from '../../src/vision/index.js';
import { composeSession, readFixture, SPECIMEN_NAME, SPECIMEN_NUMBER } from '../unit/pipeline/session.js';

const run = !!TEST_DATABASE_URL && haveFixtures;
if (!TEST_DATABASE_URL) console.warn('[realperson tests] TEST_DATABASE_URL unset: the pipeline flow suite (needs PostgreSQL) is skipped');

interface Hook { headers: Record<string, string | string[] | undefined>; body: string }

/** The gestures the flow asks for, and the real hand photo that shows each. */
const SHOWN = new Map([
  ['thumb-up', 'gestures/mediapipe-samples/hand_thumb_up.jpg'],
  ['victory-right', 'gestures/hand-gesture-recognition-system/victory.jpg'],
]);

const WEEKDAYS = ['日', '一', '二', '三', '四', '五', '六'];
/** "2026年11月23日 星期一", the date line of a Chinese front page. */
function chineseDateLine(iso: string): string {
  const [y, m, d] = iso.split('-').map(Number);
  return `${y}年${m}月${d}日 星期${WEEKDAYS[new Date(Date.UTC(y, m - 1, d)).getUTCDay()]}`;
}

describe.skipIf(!run)('verification flow on PostgreSQL with pipeline workers in child processes', () => {
  let t: TestServer;
  let hooks: Hook[] = [];
  let hookServer: Server;
  let hookUrl = '';
  let vision: Vision | undefined;
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
    // Security staff narrow the active library to the two gestures the fixture hand photos show, so
    // the random draw asks for gestures this test can photograph (the draw itself is tested in api.test.ts).
    const db = t.service.database.db;
    for (const g of await activeGestures(db)) {
      if (!SHOWN.has(g.id)) await setGestureStatus(db, g.id, 'retired', 'test-setup', new Date());
    }
    for (const id of SHOWN.keys()) await setGestureStatus(db, id, 'active', 'test-setup', new Date());
  }, 120_000);

  afterAll(async () => {
    await vision?.close();
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

  /**
   * A session of one woman (faces/human stock-emotions-a): her portrait on the ID card, her with
   * the card, the two gestures the challenge drew (real hand photos beside her face) and the
   * newspaper it named, dated as it asked. Returns the session id once submitted.
   */
  async function genuineSession(): Promise<string> {
    const s = await t.createSession({
      callbackUrl: hookUrl,
      declared: { fullName: SPECIMEN_NAME, documentType: 'cn_resident_id', documentNumber: SPECIMEN_NUMBER, region: 'CN-ZJ' },
    });
    const auth = { authorization: `Bearer ${s.token}` };
    const { steps } = await (await fetch(`${t.url}/capture/v1/steps`, { headers: auth })).json() as {
      steps: { id: string; kind: string; gestureId?: string; newspaper?: { name: string; date: string } }[];
    };
    const asked = steps.filter((x) => x.kind === 'gesture').map((x) => x.gestureId!);
    const wanted = steps.find((x) => x.kind === 'newspaper')!.newspaper!;
    const paper = allNewspapers().find((p) => p.name.en === wanted.name);
    if (!paper) throw new Error(`no newspaper named ${wanted.name}`);
    vision ??= await createVision({ workers: 1 });
    const a = (n: number) => readFixture(`faces/human/stock-emotions-a-${n}.jpg`);
    const photos = await composeSession(vision, {
      idPerson: await a(3),
      live: { selfie: await a(5), gestures: [await a(7), await a(5)], newspaper: await a(7) },
      gestures: await Promise.all(asked.map(async (id) => ({ id, hand: await readFixture(SHOWN.get(id)!) }))),
      page: { masthead: paper.mastheads[0], dateLine: chineseDateLine(wanted.date), script: 'zh' },
    });
    const byStep = new Map<string, Buffer>();
    for (const step of steps) {
      if (step.kind === 'id_front') byStep.set(step.id, photos.idFront);
      else if (step.kind === 'selfie_with_id') byStep.set(step.id, photos.selfie);
      else if (step.kind === 'newspaper') byStep.set(step.id, photos.newspaper);
      else byStep.set(step.id, photos.gestures.find((g) => g.gesture.id === step.gestureId)!.photo);
    }
    for (const [stepId, body] of byStep) {
      const res = await fetch(`${t.url}/capture/v1/steps/${stepId}/photo`, { method: 'PUT', body: new Uint8Array(body), headers: { ...auth, 'content-type': 'image/jpeg' } });
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
    const id = await submittedSession(t, hookUrl);
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
    const id = await genuineSession();
    const view = await waitFor('the decision', async () => {
      const v = await (await t.api(`/v1/sessions/${id}`)).json() as { status: string; decision: { outcome: string; reasons: { code: string }[]; scores: Record<string, unknown> } | null };
      return v.decision ? v : null;
    });
    // on failure the diff shows every reason the pipeline gave
    expect(view.decision).toMatchObject({ outcome: 'approved' });
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
    expect(event.type).toBe('session.decided');
    // reviewers get what the models saw: a face box on every photo
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
