// The staff console in a real Chromium against the real service: a reviewer signs in, opens a case made
// from fixture photos, sees what the pipeline saw drawn on them, and decides; a security user retires a
// gesture and rotates the library; a reviewer cannot reach the gesture admin. Screenshots land in
// test/artifacts/staff/ for a person to look at.
//
// The case is made without running the models (they take about a minute on a shared machine): the
// photos go through the real capture API, and the evidence is written by hand from the fixtures. The
// face and hand boxes and hand keypoints below were measured once by this project's vision module on
// these fixture photos and copied here; the gesture verdicts come from the real rule evaluator over
// them; the scores, document and newspaper readings are set by hand to make a borderline case.
import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { and, eq } from 'drizzle-orm';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCommand } from '../../src/cli/commands.js';
import { tables } from '../../src/db/index.js';
import { recordDecision } from '../../src/flows/decisions.js';
import { activeGestures } from '../../src/flows/gestures.js';
import { evaluateGesture, parseGesture } from '../../src/gestures/index.js';
import type { Observations } from '../../src/vision/types.js';
import { haveChromium, launchBrowser, openWatchedPage } from '../support/browser.js';
import { fixture, haveFixtures } from '../support/fixtures.js';
import { startTestServer, type TestServer } from '../support/server.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const ARTIFACTS = path.resolve(here, '../artifacts/staff');
const VIEWPORT = { width: 1440, height: 1000 };

const kp = (pts: number[][]) => pts.map(([x, y]) => ({ x, y }));

/** Per step kind: the fixture photo and what the vision module reported on it. */
const PHOTOS = {
  id_front: {
    file: 'id_documents/webank-UserApp/front-id.png',
    obs: {
      width: 600, height: 368, models: [], ms: 0, hands: [],
      faces: [
        { box: { x: 319, y: 90, width: 280, height: 277 }, score: 1, sizeRatio: 0.35, angles: { yaw: 0.9, pitch: -0.4, roll: -1.7 } },
        { box: { x: 71, y: 266, width: 43, height: 33 }, score: 0.71, sizeRatio: 0.006, angles: { yaw: 0, pitch: -11.3, roll: -0.7 } },
      ],
    },
  },
  selfie_with_id: {
    file: 'selfie_with_document/webank-UserApp/selfie-id.png',
    obs: {
      width: 336, height: 193, models: [], ms: 0, hands: [],
      faces: [{ box: { x: 128, y: 8, width: 98, height: 98 }, score: 1, sizeRatio: 0.15, angles: { yaw: -2.7, pitch: -1, roll: -5.8 } }],
    },
  },
  'thumb-up': {
    file: 'gestures/hand-gesture-recognition-system/thumbs_up.jpg',
    obs: {
      width: 500, height: 711, models: [], ms: 0, faces: [],
      hands: [{
        box: { x: 301, y: 305, width: 116, height: 98 }, score: 0.5,
        keypoints: kp([[413, 403], [366, 393], [331, 373], [312, 353], [301, 345], [354, 355], [326, 332], [322, 335], [331, 344], [374, 343], [343, 317],
          [336, 320], [342, 327], [394, 333], [360, 309], [354, 315], [363, 324], [417, 326], [384, 305], [374, 307], [378, 315]]),
      }],
    },
  },
  'thumb-down': {
    file: 'gestures/hand-gesture-recognition-system/thumbs_down.jpg',
    obs: {
      width: 427, height: 640, models: [], ms: 0,
      faces: [{ box: { x: 171, y: 404, width: 255, height: 235 }, score: 0.61, sizeRatio: 0.22, angles: { yaw: -9.2, pitch: -15.5, roll: 8 } }],
      hands: [{
        box: { x: 243, y: 208, width: 82, height: 276 }, score: 0.52,
        keypoints: kp([[283, 484], [258, 430], [245, 361], [243, 309], [246, 266], [258, 308], [258, 241], [269, 215], [279, 214], [274, 300], [277, 230],
          [287, 208], [295, 213], [288, 301], [295, 240], [304, 219], [313, 221], [304, 312], [309, 258], [317, 234], [325, 228]]),
      }],
    },
  },
  newspaper: { file: 'newspapers/NET3010_25W/NYTimes-Page1-11-11-1918.jpg', obs: null },
} as const;

async function caseFromFixtures(t: TestServer) {
  const db = t.service.database.db;
  const s = await t.createSession({ callbackUrl: 'http://127.0.0.1:9/hooks/realperson', externalSellerId: 'seller-cameroon-7' });
  const cap = (p: string, init: RequestInit = {}) => fetch(t.url + p, { ...init, headers: { authorization: `Bearer ${s.token}`, ...(init.headers as Record<string, string>) } });
  const { steps } = await (await cap('/capture/v1/steps')).json() as { steps: { id: string; kind: keyof typeof PHOTOS | 'gesture' }[] };
  // The photos show a thumb up and a thumb down, so the challenge asks for those two.
  const gestureSteps = steps.filter((x) => x.kind === 'gesture');
  const asked = ['thumb-up', 'thumb-down'] as const;
  for (const [i, st] of gestureSteps.entries()) {
    await db.update(tables.challengeSteps).set({ gestureId: asked[i], gestureVersion: 1 }).where(eq(tables.challengeSteps.id, st.id));
  }
  const photoFor = (st: { id: string; kind: string }) => PHOTOS[(st.kind === 'gesture' ? asked[gestureSteps.indexOf(st as never)] : st.kind) as keyof typeof PHOTOS];
  for (const st of steps) {
    const bytes = await readFile(fixture(photoFor(st).file));
    const type = photoFor(st).file.endsWith('.png') ? 'image/png' : 'image/jpeg';
    const r = await cap(`/capture/v1/steps/${st.id}/photo`, { method: 'PUT', body: new Uint8Array(bytes), headers: { 'content-type': type } });
    expect(r.status).toBe(201);
  }
  expect((await cap('/capture/v1/submit', { method: 'POST' })).status).toBe(202);

  const observations: Record<string, unknown> = {};
  for (const st of steps) if (photoFor(st).obs) observations[st.id] = photoFor(st).obs;
  const gestures = [];
  for (const [i, st] of gestureSteps.entries()) {
    const [row] = await db.select().from(tables.gestures).where(and(eq(tables.gestures.id, asked[i]), eq(tables.gestures.version, 1)));
    const { needs: _derived, ...file } = row.definition as Record<string, unknown>;
    const verdict = evaluateGesture(parseGesture(file, asked[i]), photoFor(st).obs as unknown as Observations);
    gestures.push({ stepId: st.id, ...verdict });
  }
  const newspaperStep = steps.find((x) => x.kind === 'newspaper')!;
  const [np] = await db.select({ newspaper: tables.challengeSteps.newspaper }).from(tables.challengeSteps).where(eq(tables.challengeSteps.id, newspaperStep.id));
  const evidence = {
    steps: steps.map((x) => ({ stepId: x.id, kind: x.kind, photo: true })),
    faceMatch: { score: 0.48, idPortraitFound: true, liveFaceFound: true, heldCardScore: null, model: 'face-api-dlib-chip' },
    sameFace: { minScore: 0.31, stepsWithoutFace: [gestureSteps[0].id, newspaperStep.id], stepsWithExtraFaces: [] },
    gestures,
    newspaper: {
      stepId: newspaperStep.id, expectedName: np.newspaper?.name ?? 'newspaper', mastheadFound: false, dateRead: '1918-11-11',
      dateText: 'MONDAY, NOVEMBER 11, 1918', window: np.newspaper?.window ?? { from: '2026-01-01', to: '2026-01-02' }, faceInPhoto: false, ocrConfidence: 0.71,
    },
    document: {
      documentType: 'id_card', numberRead: null, checksumValid: null, consistent: null, nameRead: 'Pierre Alain', declaredNumber: '11010519491231002X',
      declaredName: 'Specimen Person', numberMatches: null, nameMatches: false, failedChecks: [],
    },
    spoof: [
      { code: 'near_duplicate_other_session', stepId: gestureSteps[1].id, score: 0.72, detail: 'the photo is a near copy of one in another session (phash distance 4)' },
      { code: 'antispoof_low', stepId: steps.find((x) => x.kind === 'selfie_with_id')!.id, score: 0.21, detail: 'antispoof model\'s "real" score 0.580' },
    ],
    missing: [],
    observations,
  };
  const reasons = [
    { code: 'face_match_uncertain', detail: 'live face vs ID portrait 0.48 is between 0.4 and 0.6' },
    { code: 'gesture_uncertain', detail: 'thumb-up: the hand was found only weakly' },
    { code: 'spoof_suspected', detail: 'near_duplicate_other_session 0.72 on the thumb-down photo' },
  ];
  const scores = { faceMatch: 0.48, sameFace: 0.31, ...Object.fromEntries(gestures.map((g) => [`gesture:${g.stepId}`, g.score])) };
  await db.transaction(async (tx) => {
    await tx.insert(tables.evidence).values({ sessionId: s.id, tenantId: t.tenantId, data: evidence, createdAt: new Date() });
    await recordDecision(tx, s.id, { outcome: 'review', reasons, scores }, new Date());
  });
  return { id: s.id, steps };
}

const openPage = openWatchedPage;

async function signInAs(page: Page, url: string, email: string, password: string) {
  await page.goto(url);
  await page.waitForURL(/\/staff\/login/);
  await page.fill('#email', email);
  await page.fill('#password', password);
  await page.click('#submit');
}

/** The canvas pixel at (x, y) in the photo's own pixels. */
async function pixel(page: Page, stepId: string, x: number, y: number): Promise<number[]> {
  return page.evaluate(([id, px, py]) => {
    const c = document.querySelector(`canvas[data-step="${id}"]`) as HTMLCanvasElement;
    return [...c.getContext('2d')!.getImageData(Number(px), Number(py), 1, 1).data];
  }, [stepId, x, y] as const);
}

describe.skipIf(!haveChromium || !haveFixtures)('staff console in Chromium', () => {
  let t: TestServer;
  let browser: Browser;
  const users: Record<string, { email: string; password: string }> = {};

  beforeAll(async () => {
    await mkdir(ARTIFACTS, { recursive: true });
    t = await startTestServer();
    const ctx = { db: t.service.database.db, store: t.service.store, config: t.service.config, clock: { now: () => new Date() } };
    for (const role of ['reviewer', 'security'] as const) {
      const email = `${role}@staff.example`;
      users[role] = { email, password: JSON.parse((await runCommand(['staff', 'create', '--email', email, '--role', role], ctx)).lines[0]).password };
    }
    browser = await launchBrowser();
  }, 180_000);
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it('a reviewer signs in, opens a case made from fixture photos, sees the overlays, and decides', async () => {
    const c = await caseFromFixtures(t);
    const context = await browser.newContext({ viewport: VIEWPORT });
    const { page, problems } = await openPage(context);
    await signInAs(page, `${t.url}/review`, users.reviewer.email, 'wrong password');
    await expect.poll(() => page.textContent('#error')).toMatch(/email or password is wrong/);
    await page.screenshot({ path: path.join(ARTIFACTS, '01-login-failed.png') });
    await page.fill('#password', users.reviewer.password);
    await page.click('#submit');
    await page.waitForURL(/\/review$/);
    await page.waitForSelector(`#queue tr[data-session="${c.id}"]`);
    expect(await page.textContent(`#queue tr[data-session="${c.id}"]`)).toContain('spoof_suspected');
    await page.screenshot({ path: path.join(ARTIFACTS, '02-review-queue.png') });

    await page.click(`#queue tr[data-session="${c.id}"] a`);
    await page.waitForSelector('#claim.claim-bar.mine');
    const idStep = c.steps.find((s) => s.kind === 'id_front')!;
    const thumbDown = c.steps.filter((s) => s.kind === 'gesture')[1];
    for (const s of c.steps) await page.waitForSelector(`canvas[data-step="${s.id}"][data-ready="true"]`);
    // The ID portrait's box is drawn in its colour (#2563eb) on the photo at the measured place.
    expect(await page.getAttribute(`canvas[data-step="${idStep.id}"]`, 'data-faces')).toBe('2');
    const edge = await pixel(page, idStep.id, 319, 228);
    expect(edge[2]).toBeGreaterThan(200);
    expect(edge[0]).toBeLessThan(80);
    expect(await page.getAttribute(`canvas[data-step="${thumbDown.id}"]`, 'data-keypoints')).toBe('21');
    const cardText = await page.textContent(`article:has(canvas[data-step="${thumbDown.id}"])`);
    expect(cardText).toContain('thumb-down v1');
    expect(cardText).toMatch(/thumb|finger|hand/i); // rule conditions listed with their measurements
    expect(await page.textContent('#spoof')).toContain('near_duplicate_other_session');
    await page.screenshot({ path: path.join(ARTIFACTS, '03-case-overlays.png'), fullPage: true });
    await page.locator(`article:has(canvas[data-step="${thumbDown.id}"])`).screenshot({ path: path.join(ARTIFACTS, '04-gesture-step.png') });

    // Overlays can be hidden to look at the bare photo.
    await page.uncheck('#show-overlays');
    expect(await page.getAttribute(`canvas[data-step="${idStep.id}"]`, 'data-faces')).toBe('0');
    await page.check('#show-overlays');

    await page.click('#reject');
    await expect.poll(() => page.textContent('#decide-error')).toMatch(/note/);
    await page.fill('#note', 'ID portrait and live face differ; the thumb-down photo was used in another session.');
    await page.click('#reject');
    await page.waitForSelector('#decided');
    expect(await page.textContent('#decided')).toContain('rejected');
    await page.screenshot({ path: path.join(ARTIFACTS, '05-case-decided.png') });

    const [rd] = await t.service.database.db.select().from(tables.reviewDecisions).where(eq(tables.reviewDecisions.sessionId, c.id));
    expect(rd.outcome).toBe('rejected');
    const platform = await (await t.api(`/v1/sessions/${c.id}`)).json() as { decision: { outcome: string; decidedBy: string } };
    expect(platform.decision).toMatchObject({ outcome: 'rejected', decidedBy: 'reviewer' });

    await page.goto(`${t.url}/review`);
    await page.waitForSelector('#queue-count');
    expect(await page.$(`#queue tr[data-session="${c.id}"]`)).toBeNull();

    // The gesture admin is not the reviewer's: the page says so and the API refuses.
    await page.goto(`${t.url}/gestures`);
    await page.waitForSelector('.notice-denied');
    expect(await page.textContent('.notice-denied')).toContain('reviewer');
    expect(await page.$('#gestures')).toBeNull();
    expect(await page.evaluate(async () => (await fetch('/staff/v1/gestures')).status)).toBe(403);
    expect(await page.$('nav a[href="/gestures"]')).toBeNull();
    await page.screenshot({ path: path.join(ARTIFACTS, '06-reviewer-no-gesture-admin.png') });
    expect(problems).toEqual([]);
    await context.close();
  }, 120_000);

  it('a security user retires a gesture and rotates the library', async () => {
    const db = t.service.database.db;
    const context = await browser.newContext({ viewport: VIEWPORT });
    const { page, problems } = await openPage(context);
    await signInAs(page, `${t.url}/gestures`, users.security.email, users.security.password);
    await page.waitForURL(/\/gestures$/);
    await page.waitForSelector('#gestures article');
    expect(await page.$$eval('#gestures article', (els) => els.length)).toBeGreaterThanOrEqual(30);
    expect(await page.$$eval('#gestures article .example svg', (els) => els.length)).toBeGreaterThan(0);
    const up = await page.textContent('#gestures article[data-id="thumb-up"]');
    expect(up).toContain('Issued');
    await page.screenshot({ path: path.join(ARTIFACTS, '07-gesture-library.png'), fullPage: true });

    const { id: victim, version: victimVersion } = (await activeGestures(db))[0];
    const retire = page.locator(`#gestures article[data-id="${victim}"] button.retire`);
    await retire.click();
    expect(await retire.textContent()).toBe('Confirm retire');
    await retire.click();
    await expect.poll(() => page.textContent('#flash')).toContain(`${victim} v${victimVersion} retired`);
    await page.waitForSelector(`#gestures article[data-id="${victim}"][data-status="retired"]`);
    const [row] = await db.select().from(tables.gestures).where(eq(tables.gestures.id, victim));
    expect(row.status).toBe('retired');

    await page.fill('#rotate-count', '6');
    await page.click('#rotate');
    await expect.poll(() => page.textContent('#flash')).toMatch(/Rotated now: 6 gestures active/);
    const active = await activeGestures(db);
    expect(active).toHaveLength(6);
    expect(active.map((g) => g.id)).not.toContain(victim);
    expect(await page.$$eval('#gestures article[data-status="active"]', (els) => els.length)).toBe(6);
    await page.screenshot({ path: path.join(ARTIFACTS, '08-gestures-rotated.png') });

    // A rotation scheduled for tomorrow waits in the list.
    const tomorrow = new Date(Date.now() + 86_400_000);
    const local = new Date(tomorrow.getTime() - tomorrow.getTimezoneOffset() * 60_000).toISOString().slice(0, 16);
    await page.fill('#rotate-count', '5');
    await page.fill('#rotate-at', local);
    await page.click('#rotate');
    await page.waitForSelector('#pending-rotations li');
    expect(await page.textContent('#flash')).toMatch(/Rotation of 5 scheduled/);
    expect(await activeGestures(db)).toHaveLength(6);
    await page.locator('.lib-tools').screenshot({ path: path.join(ARTIFACTS, '09-rotation-scheduled.png') });

    // Security staff have no review console.
    expect(await page.evaluate(async () => (await fetch('/staff/v1/reviews')).status)).toBe(403);

    // Signing out clears the cookie: the library is behind the sign-in page again.
    await page.click('#logout');
    await page.waitForURL(/\/staff\/login$/);
    expect((await context.cookies()).find((c) => c.name === 'realperson_staff')).toBeUndefined();
    await page.goto(`${t.url}/gestures`);
    await page.waitForURL(/\/staff\/login\?next=%2Fgestures/);
    expect(problems).toEqual([]);
    await context.close();
  }, 120_000);
});
