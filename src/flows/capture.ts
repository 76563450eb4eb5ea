// The seller's side of a session: the challenge (drawn with the CSPRNG when first asked for, single use,
// expiring, at most MAX_ATTEMPTS draws), one photo per step, and submit, which enqueues exactly one job.
import { and, asc, eq, isNull, sql } from 'drizzle-orm';
import { tables, type ChallengeNewspaper, type Tx } from '../db/index.js';
import { newId, randomInt } from '../ids/index.js';
import { problem, Problem } from '../problem/index.js';
import { appendAudit } from '../audit/index.js';
import { enqueue, VERIFY } from '../queue/index.js';
import { newspaperRequests } from '../ocr/newspapers.js';
import { formatLocalDate, shiftDate } from '../ocr/dates.js';
import { regionTimeZones, UNKNOWN_REGION_TIME_ZONES } from '../ocr/regions.js';
import { resolvePolicy } from '../decide/index.js';
import { activeGestures, drawGesturePair, type GestureDefinition } from './gestures.js';
import { expireIfDue } from './sessions.js';
import { deleteRecordedBlobs, recordBlobDeletions, sessionFolder, UPLOAD_GRACE_MS } from './blobs.js';
import type { FlowDeps } from './deps.js';

type Session = typeof tables.sessions.$inferSelect;
type Step = typeof tables.challengeSteps.$inferSelect;
type Locale = 'zh-CN' | 'en';

export interface CaptureFlowDeps extends FlowDeps {
  /** which two gestures may form one challenge (from the gesture library) */
  compatibleGestures: (a: GestureDefinition, b: GestureDefinition) => boolean;
  /**
   * Reads an upload under a byte limit and re-encodes it (src/photos on Node). Injected so the API
   * bundle for Workers carries no native image library.
   */
  intakePhoto: (body: ReadableStream<Uint8Array> | null, maxBytes: number) => Promise<{ bytes: Uint8Array; sha256: string; width: number; height: number; contentType: string }>;
}

type PaperText = { name: string; dateText: string; day: NonNullable<ChallengeNewspaper['day']>; evening: boolean };

const TEXT: Record<'id_front' | 'selfie_with_id' | 'newspaper', Record<Locale, (n?: PaperText) => string>> = {
  id_front: {
    en: () => 'Photograph the front of your ID document. Fill the frame; all four corners visible, no glare.',
    'zh-CN': () => '拍摄身份证件正面。让证件充满取景框，四个角都在画面内，避免反光。',
  },
  selfie_with_id: {
    en: () => 'Take a selfie holding your ID card beside your face, photo side towards the camera.',
    'zh-CN': () => '手持身份证件放在脸旁自拍，证件照片一面朝向镜头。',
  },
  newspaper: {
    en: (n) => `Hold up ${EDITION_EN[n!.day]} ${n!.name}, dated ${n!.dateText}, next to your face, masthead and date readable.${n!.evening && n!.day === 'yesterday' ? " Today's evening edition is not on sale yet." : ''}`,
    'zh-CN': (n) => `手持${EDITION_ZH[n!.day]}的《${n!.name}》（${n!.dateText}）放在脸旁，报头和日期清晰可读。${n!.evening && n!.day === 'yesterday' ? '今天的晚报尚未出售。' : ''}`,
  },
};

// A paper that prints tomorrow's date is today's edition all the same.
const EDITION_EN = { yesterday: "yesterday's", today: "today's", tomorrow: "today's" } as const;
const EDITION_ZH = { yesterday: '昨天', today: '今天', tomorrow: '今天出版' } as const;

/** The newspaper as the seller is asked for it: the date written out in the session's language. */
function paperView(n: ChallengeNewspaper, locale: Locale) {
  return {
    name: n.name, date: n.date, dateText: formatLocalDate(n.date, locale),
    // steps drawn before the day was recorded asked for "today's" paper
    day: n.day ?? 'today', edition: n.edition ?? 'morning',
  };
}

export interface StepView {
  id: string;
  kind: Step['kind'];
  instructions: string;
  gestureId?: string;
  newspaper?: ReturnType<typeof paperView>;
  done: boolean;
}

export async function getSteps(deps: CaptureFlowDeps, sessionId: string, tenantId: string) {
  const session = await capturingSession(deps, sessionId, tenantId);
  const challenge = await currentChallenge(deps, session);
  // One query: the steps with the exact gesture version each was issued with.
  const rows = await deps.db.select({ step: tables.challengeSteps, gesture: tables.gestures.definition }).from(tables.challengeSteps)
    .leftJoin(tables.gestures, and(eq(tables.gestures.id, tables.challengeSteps.gestureId), eq(tables.gestures.version, tables.challengeSteps.gestureVersion)))
    .where(eq(tables.challengeSteps.challengeId, challenge.id)).orderBy(asc(tables.challengeSteps.position));
  const locale = session.locale as Locale;
  return {
    sessionId: session.id, locale, expiresAt: challenge.expiresAt.toISOString(), attempt: challenge.attempt, maxAttempts: deps.config.MAX_ATTEMPTS,
    steps: rows.map(({ step: s, gesture }): StepView => {
      const paper = s.newspaper ? paperView(s.newspaper, locale) : undefined;
      return {
        id: s.id, kind: s.kind, done: s.photoId !== null,
        instructions: s.kind === 'gesture'
          ? ((gesture as GestureDefinition | null)?.instructions[locale] ?? s.gestureId!)
          : TEXT[s.kind][locale](paper ? { ...paper, evening: paper.edition === 'evening' } : undefined),
        ...(s.gestureId ? { gestureId: s.gestureId } : {}),
        ...(paper ? { newspaper: paper } : {}),
      };
    }),
  };
}

async function capturingSession(deps: FlowDeps, sessionId: string, tenantId: string): Promise<Session> {
  const [row] = await deps.db.select().from(tables.sessions).where(and(eq(tables.sessions.id, sessionId), eq(tables.sessions.tenantId, tenantId)));
  if (!row) throw problem.notFound('session');
  assertNotErased(row);
  const s = await expireIfDue(deps, row);
  if (s.status === 'expired') throw new Problem('session.expired', 410, 'this verification session has expired; ask the platform for a new link');
  if (s.status === 'cancelled') throw new Problem('session.cancelled', 410, 'this verification session was cancelled');
  if (s.status !== 'awaiting_capture') throw problem.conflict('session.submitted', 'the photos were already submitted');
  return s;
}

/** The open challenge, or a fresh draw when there is none or it expired (while attempts remain). */
async function currentChallenge(deps: CaptureFlowDeps, session: Session) {
  const now = deps.clock.now();
  const [open] = await deps.db.select().from(tables.challenges)
    .where(and(eq(tables.challenges.sessionId, session.id), eq(tables.challenges.status, 'open')));
  if (open && open.expiresAt > now) return open;
  // The transaction commits the session's expiry before the caller hears about it, so it is not rolled back.
  const drawn = await deps.db.transaction(async (tx) => {
    const [s] = await tx.select().from(tables.sessions).where(eq(tables.sessions.id, session.id)).for('update');
    // Another request may have drawn while we waited for the lock.
    const [fresh] = await tx.select().from(tables.challenges).where(and(eq(tables.challenges.sessionId, s.id), eq(tables.challenges.status, 'open')));
    if (fresh && fresh.expiresAt > now) return fresh;
    if (fresh) await tx.update(tables.challenges).set({ status: 'expired' }).where(eq(tables.challenges.id, fresh.id));
    if (s.attempts >= deps.config.MAX_ATTEMPTS) {
      await tx.update(tables.sessions).set({ status: 'expired' }).where(eq(tables.sessions.id, s.id));
      await appendAudit(tx, { actor: 'system', action: 'session.attempts_exhausted', tenantId: s.tenantId, subject: s.id }, now);
      return null;
    }
    return drawChallenge(deps, tx, s, now);
  });
  if (!drawn) throw new Problem('session.attempts_exhausted', 410, `all ${deps.config.MAX_ATTEMPTS} attempts of this session are used; ask the platform for a new link`);
  return drawn;
}

async function drawChallenge(deps: CaptureFlowDeps, tx: Tx, s: Session, now: Date) {
  const attempt = s.attempts + 1;
  const challenge = {
    id: newId('chl'), sessionId: s.id, tenantId: s.tenantId, attempt, status: 'open' as const, createdAt: now,
    expiresAt: new Date(now.getTime() + deps.config.CHALLENGE_TTL_MINUTES * 60_000),
  };
  const [g1, g2] = drawGesturePair(await activeGestures(tx as never), deps.compatibleGestures);
  // Dates are the seller's region's. A session created before regions were checked may name one
  // with no zone on file: its dates then allow for every zone, and record that none was known.
  const zones = regionTimeZones(s.region);
  const requests = newspaperRequests(s.region, now, zones ?? UNKNOWN_REGION_TIME_ZONES);
  const paper = requests[randomInt(requests.length)];
  const locale = s.locale as Locale;
  const policy = (await tx.select({ policy: tables.tenants.policy }).from(tables.tenants).where(eq(tables.tenants.id, s.tenantId)))[0]?.policy ?? {};
  // The same policy decide() judges the date with: its default and the bounds on tenant overrides.
  const maxAge = resolvePolicy(policy).newspaperMaxAgeDays;
  const newspaper: ChallengeNewspaper = {
    id: paper.newspaper.id, name: paper.newspaper.name[locale], date: paper.date,
    window: { from: shiftDate(paper.date, -maxAge), to: paper.latest },
    timeZone: zones ? paper.timeZone : null, edition: paper.edition, day: paper.day,
  };
  const kinds: { kind: Step['kind']; gesture?: typeof g1 }[] = [
    { kind: 'id_front' }, { kind: 'selfie_with_id' }, { kind: 'gesture', gesture: g1 }, { kind: 'gesture', gesture: g2 }, { kind: 'newspaper' },
  ];
  await tx.update(tables.sessions).set({ attempts: attempt }).where(eq(tables.sessions.id, s.id));
  await tx.insert(tables.challenges).values(challenge);
  await tx.insert(tables.challengeSteps).values(kinds.map((k, position) => ({
    id: newId('stp'), challengeId: challenge.id, sessionId: s.id, position, kind: k.kind,
    gestureId: k.gesture?.id ?? null, gestureVersion: k.gesture?.version ?? null,
    newspaper: k.kind === 'newspaper' ? newspaper : null,
    photoId: null,
  })));
  await appendAudit(tx, {
    actor: 'system', action: 'challenge.drawn', tenantId: s.tenantId, subject: s.id,
    data: { challengeId: challenge.id, attempt, gestures: [`${g1.id}@${g1.version}`, `${g2.id}@${g2.version}`], newspaper: paper.newspaper.id, newspaperDate: paper.date, timeZone: newspaper.timeZone },
  }, now);
  return challenge;
}

/** Looks up a step of this session's open challenge; a step of an older draw answers "re-issued". */
async function openStep(deps: FlowDeps, sessionId: string, stepId: string) {
  const [row] = await deps.db.select().from(tables.challengeSteps).innerJoin(tables.challenges, eq(tables.challenges.id, tables.challengeSteps.challengeId))
    .where(and(eq(tables.challengeSteps.id, stepId), eq(tables.challengeSteps.sessionId, sessionId)));
  if (!row) throw problem.notFound('step');
  if (row.challenges.status !== 'open' || row.challenges.expiresAt <= deps.clock.now()) {
    throw problem.conflict('challenge.reissued', 'this challenge has expired or was replaced; fetch the steps again');
  }
  return row;
}

export async function putPhoto(deps: CaptureFlowDeps, sessionId: string, tenantId: string, stepId: string, body: ReadableStream<Uint8Array> | null) {
  await capturingSession(deps, sessionId, tenantId);
  await openStep(deps, sessionId, stepId);
  // Bounded read first: an oversized body is refused before it is read whole, and before anything is written.
  const photo = await deps.intakePhoto(body, deps.config.MAX_PHOTO_BYTES);
  // One blob per upload, in the session's folder (erasure deletes the folder): the same bytes sent
  // for two steps are two blobs, so deleting one photo's blob never takes another row's.
  const photoId = newId('pho');
  const storageKey = `${sessionFolder(tenantId, sessionId)}${photoId}.jpg`;
  const now = deps.clock.now();
  // The blob's deletion is recorded before the blob exists and withdrawn in the transaction that
  // writes its row: if that never commits (database lost, process killed), the sweep deletes it.
  await recordBlobDeletions(deps.db, tenantId, [storageKey], new Date(now.getTime() + UPLOAD_GRACE_MS), now);
  let replaced: string | null;
  try {
    await deps.store.put(storageKey, photo.bytes, photo.contentType);
    replaced = await deps.db.transaction(async (tx) => {
      const [s] = await tx.select().from(tables.sessions).where(eq(tables.sessions.id, sessionId)).for('update');
      assertNotErased(s);
      if (s.status !== 'awaiting_capture') throw problem.conflict('session.submitted', 'the photos were already submitted');
      const { challenge_steps: step } = await openStep({ ...deps, db: tx as never }, sessionId, stepId);
      await tx.insert(tables.photos).values({
        id: photoId, tenantId, sessionId, stepId, sha256: photo.sha256, storageKey, size: photo.bytes.length,
        width: photo.width, height: photo.height, createdAt: now,
      });
      await tx.update(tables.challengeSteps).set({ photoId }).where(eq(tables.challengeSteps.id, stepId));
      await tx.delete(tables.blobDeletions).where(eq(tables.blobDeletions.key, storageKey));
      if (!step.photoId) return null;
      // A retake replaces the earlier photo: its row is marked deleted and its blob goes (recorded
      // here, so a crash before the delete below still loses it).
      const [old] = await tx.update(tables.photos).set({ deletedAt: now }).where(and(eq(tables.photos.id, step.photoId), isNull(tables.photos.deletedAt))).returning();
      if (!old) return null;
      // Photos stored before each upload had its own key shared one blob per SHA-256: another
      // step's live photo may still stand on this one.
      const [shared] = await tx.select({ id: tables.photos.id }).from(tables.photos)
        .where(and(eq(tables.photos.storageKey, old.storageKey), isNull(tables.photos.deletedAt))).limit(1);
      if (shared) return null;
      await recordBlobDeletions(tx, tenantId, [old.storageKey], now, now);
      return old.storageKey;
    });
  } catch (err) {
    await abandonUpload(deps, storageKey);
    throw err;
  }
  if (replaced) {
    // The new photo is stored; a storage failure here leaves the old blob's record to the sweep.
    await deleteRecordedBlobs(deps, [replaced]).catch((err) => deps.log.warn('a retaken photo\'s blob is left to the sweep', { err }));
  }
  deps.metrics.inc('realperson_photos_stored_total', 'Photos accepted and stored');
  return { stepId, sha256: photo.sha256, width: photo.width, height: photo.height };
}

/**
 * An upload whose row did not commit takes its blob with it. Its deletion record says whether the
 * row committed after all (the transaction withdraws it): a commit whose answer was lost keeps its
 * photo. With the database unreachable that cannot be asked; the blob is deleted then, since a
 * photo the seller was told had failed is retaken, and the record stays for the sweep either way.
 */
async function abandonUpload(deps: CaptureFlowDeps, storageKey: string): Promise<void> {
  let committed = false;
  try {
    committed = (await deps.db.select({ key: tables.blobDeletions.key }).from(tables.blobDeletions).where(eq(tables.blobDeletions.key, storageKey))).length === 0;
  } catch {
    committed = false;
  }
  if (committed) return;
  try {
    await deps.store.delete(storageKey);
  } catch (err) {
    // The upload's own failure is what the seller hears; the record keeps the blob for the sweep.
    deps.log.warn('an abandoned upload\'s blob is left to the sweep', { err });
    return;
  }
  await deps.db.delete(tables.blobDeletions).where(eq(tables.blobDeletions.key, storageKey)).catch(() => undefined);
}

function assertNotErased(s: Session): void {
  if (s.dataErasedAt) throw new Problem('session.erased', 410, 'this session\'s data was erased at the platform\'s request; ask the platform for a new link');
}

export async function submit(deps: CaptureFlowDeps, sessionId: string, tenantId: string) {
  await capturingSession(deps, sessionId, tenantId);
  const now = deps.clock.now();
  await deps.db.transaction(async (tx) => {
    const [s] = await tx.select().from(tables.sessions).where(eq(tables.sessions.id, sessionId)).for('update');
    assertNotErased(s);
    if (s.status !== 'awaiting_capture') throw problem.conflict('session.submitted', 'the photos were already submitted');
    const [ch] = await tx.select().from(tables.challenges).where(and(eq(tables.challenges.sessionId, sessionId), eq(tables.challenges.status, 'open')));
    if (!ch || ch.expiresAt <= now) throw problem.conflict('challenge.reissued', 'this challenge has expired or was replaced; fetch the steps again');
    const [{ missing }] = await tx.select({ missing: sql<number>`count(*)::int` }).from(tables.challengeSteps)
      .where(and(eq(tables.challengeSteps.challengeId, ch.id), sql`${tables.challengeSteps.photoId} is null`));
    if (Number(missing) > 0) throw problem.conflict('capture.incomplete', `${missing} step(s) still need a photo`);
    await tx.update(tables.challenges).set({ status: 'used' }).where(eq(tables.challenges.id, ch.id));
    await tx.update(tables.sessions).set({ status: 'processing', submittedAt: now }).where(eq(tables.sessions.id, sessionId));
    await enqueue(tx, { kind: VERIFY, tenantId, sessionId }, now);
    await appendAudit(tx, { actor: 'seller', action: 'session.submitted', tenantId, subject: sessionId, data: { challengeId: ch.id } }, now);
  });
  return { status: 'processing' as const };
}

export async function captureStatus(deps: FlowDeps, sessionId: string, tenantId: string) {
  const [row] = await deps.db.select().from(tables.sessions).where(and(eq(tables.sessions.id, sessionId), eq(tables.sessions.tenantId, tenantId)));
  if (!row) throw problem.notFound('session');
  return { status: (await expireIfDue(deps, row)).status };
}
