// The evidence builder on sessions composed from real fixture photos (see test/support/compose.ts),
// judged afterwards by decide() with the default policy.
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, tables, type Database } from '../../../src/db/index.js';
import { decide, DEFAULT_POLICY, MIN_FACE_PX, type Evidence, type Policy } from '../../../src/decide/index.js';
import { createOcr, type Ocr } from '../../../src/ocr/index.js';
import { createGatherer } from '../../../src/pipeline/evidence.js';
import type { GatherEvidence, VerificationInput, VerificationOutput } from '../../../src/pipeline/index.js';
import { createVision, FACE_MATCH, type Vision } from '../../../src/vision/index.js';
import { haveFixtures } from '../../support/fixtures.js';
import { gesturePhoto, selfieHoldingCard } from '../../support/compose.js';
import { screenAttack, seeded } from '../spoof/attacks.js';
import { composeSession, faceBox, readFixture, sessionInput, TODAY, type SessionPhotos } from './session.js';

/** Fields of the evidence that are empty without a `missing` entry (or a step flag) saying why. */
function unexplainedGaps(e: Evidence): string[] {
  const gaps: string[] = [];
  const listed = (check: string) => e.missing.some((m) => m.startsWith(check));
  const kinds = new Set(e.steps.filter((s) => s.photo).map((s) => s.kind));
  if (e.faceMatch.score === null && e.faceMatch.liveFaceFound && e.faceMatch.idPortraitFound && !listed('face match')) gaps.push('faceMatch.score');
  if (kinds.has('selfie_with_id') && e.faceMatch.heldCardScore === null && !listed('held card')) gaps.push('faceMatch.heldCardScore');
  if (e.sameFace.minScore === null && e.steps.filter((s) => s.kind !== 'id_front' && s.photo).length - e.sameFace.stepsWithoutFace.length >= 2 && !listed('same face')) {
    gaps.push('sameFace.minScore');
  }
  for (const s of e.steps.filter((x) => x.kind === 'gesture' && x.photo)) {
    if (!e.gestures.some((g) => g.stepId === s.stepId) && !e.missing.some((m) => m.includes(s.stepId))) gaps.push(`gestures[${s.stepId}]`);
  }
  if (kinds.has('newspaper')) {
    if (!e.newspaper) gaps.push('newspaper');
    else if ((e.newspaper.mastheadFound === null || e.newspaper.ocrConfidence === null) && !listed('newspaper OCR')) gaps.push('newspaper OCR fields');
  }
  if (kinds.has('id_front') && !e.document && !listed('document')) gaps.push('document');
  return gaps;
}

// decide's defaults: their face bands are the vision benchmark's (asserted below), so what passes
// here is what the service decides.
const POLICY: Policy = DEFAULT_POLICY;
const FACE_REJECTIONS = ['face_mismatch', 'held_card_mismatch', 'different_person_across_photos'];

const reasonCodes = (e: Evidence) => decide(e, POLICY).reasons.map((r) => r.code);

// Each gather runs the models on five photos; on a shared two-core machine that can take a minute.
describe.skipIf(!haveFixtures)('evidence from a session composed of real photos', { timeout: 300_000 }, () => {
  let vision: Vision;
  let ocr: Ocr;
  let database: Database;
  let gather: GatherEvidence;
  let gatherWithoutOcr: GatherEvidence;
  let samePerson: SessionPhotos;
  let live: { selfie: Buffer; gestures: Buffer[]; newspaper: Buffer };
  let gestures: { id: string; hand: Buffer }[];
  let genuine: VerificationOutput;
  const hands: Record<string, Buffer> = {};

  beforeAll(async () => {
    [vision, ocr, database] = await Promise.all([
      createVision({ workers: 1 }),
      createOcr({ languages: ['eng', 'chi_sim+eng'] }),
      openDatabase({ migrationsFolder: path.resolve(import.meta.dirname, '../../../migrations') }),
    ]);
    const today = () => TODAY;
    gather = createGatherer({ vision, ocr }, { today });
    gatherWithoutOcr = createGatherer({ vision, ocr: null }, { today });
    const a = (n: number) => readFixture(`faces/human/stock-emotions-a-${n}.jpg`);
    hands.thumbUp = await readFixture('gestures/mediapipe-samples/hand_thumb_up.jpg');
    hands.victory = await readFixture('gestures/hand-gesture-recognition-system/victory.jpg');
    // She holds the paper in a-7, which shows her down to the chest: a-1 is a close-up whose face
    // fills the frame, so a page held below the chin would have to cover her mouth there.
    live = { selfie: await a(5), gestures: [await a(7), await a(5)], newspaper: await a(7) };
    gestures = [{ id: 'thumb-up', hand: hands.thumbUp }, { id: 'victory-right', hand: hands.victory }];
    samePerson = await composeSession(vision, { idPerson: await a(3), live, gestures });
    genuine = await gather(sessionInput('same', samePerson), database.db);
  }, 600_000);

  afterAll(async () => {
    await Promise.all([vision?.close(), ocr?.close(), database?.close()]);
  });

  it('is judged with face bands set for the matcher that produced the scores', () => {
    expect(POLICY.faceMatch).toEqual({ approveAbove: FACE_MATCH.approveAbove, rejectBelow: FACE_MATCH.rejectBelow });
    expect(genuine.evidence.faceMatch.model).toBe(FACE_MATCH.model);
  });

  it('matches the seller to their own ID and to themselves in every photo', () => {
    const e = genuine.evidence;
    expect(e.faceMatch.liveFaceFound).toBe(true);
    expect(e.faceMatch.idPortraitFound).toBe(true);
    expect(e.faceMatch.score).toBeGreaterThan(POLICY.faceMatch.rejectBelow);
    expect(e.faceMatch.heldCardScore).toBeGreaterThan(POLICY.faceMatch.rejectBelow);
    expect(e.faceMatch.heldCardPortraitPx).toBeGreaterThanOrEqual(MIN_FACE_PX);
    expect(e.faceMatch.smallestFacePx).toBeGreaterThanOrEqual(MIN_FACE_PX);
    expect(e.sameFace.smallestFacePx).toBeGreaterThanOrEqual(MIN_FACE_PX);
    expect(e.sameFace.minScore).toBeGreaterThan(POLICY.sameFace.rejectBelow);
    expect(e.sameFace.stepsWithoutFace).toEqual([]);
    expect(e.sameFace.stepsWithExtraFaces).toEqual([]);
  });

  it('judges each gesture by its own rule', () => {
    const byId = Object.fromEntries(genuine.evidence.gestures.map((g) => [g.gestureId, g]));
    expect(byId['thumb-up']?.passed).toBe(true);
    expect(byId['victory-right']?.passed).toBe(true);
    for (const g of genuine.evidence.gestures) expect(g.conditions.length).toBeGreaterThan(1);
  });

  it('reads the newspaper, the ID number and the name', () => {
    const { newspaper, document } = genuine.evidence;
    expect(newspaper?.faceInPhoto).toBe(true);
    expect(newspaper?.mastheadFound).toBe(true);
    expect(newspaper?.dateRead).toBe(TODAY);
    expect(document?.numberMatches).toBe(true);
    expect(document?.checksumValid).toBe(true);
    expect(document?.consistent).toBe(true);
  });

  it('fills every field or says why not, and returns embeddings and hashes', () => {
    const e = genuine.evidence;
    expect(unexplainedGaps(e)).toEqual([]);
    expect(e.steps.every((s) => s.photo)).toBe(true);
    const input = sessionInput('same', samePerson);
    expect(Object.keys(genuine.embeddings).sort()).toEqual(input.steps.map((s) => s.stepId).sort());
    expect(Object.keys(genuine.phashes).sort()).toEqual(input.steps.map((s) => s.photo!.id).sort());
    for (const h of Object.values(genuine.phashes)) expect(h).toMatch(/^[0-9a-f]{16}$/);
    // distinct shots of one person in one session are not taken for replays of each other
    expect(e.spoof.filter((s) => s.code.startsWith('near_duplicate') || s.code === 'same_photo_twice')).toEqual([]);
  });

  it('is approved when the seller is the person on the ID', () => {
    const decision = decide(genuine.evidence, POLICY);
    expect(decision.reasons.map((r) => r.code).filter((c) => FACE_REJECTIONS.includes(c))).toEqual([]);
    expect(decision.outcome, decision.reasons.map((r) => `${r.code}: ${r.detail}`).join('; ')).toBe('approved');
  });

  it('sends a plain headshot uploaded as the ID front to review, its face still compared', async () => {
    // her own portrait photo instead of her card: the face matches, but no document is there
    const headshot = await readFixture('faces/human/stock-emotions-a-3.jpg');
    const e = (await gather(sessionInput('headshot', { ...samePerson, idFront: headshot }), database.db)).evidence;
    expect(e.document?.seen).toBeNull();
    expect(e.faceMatch.idPortraitFound).toBe(true);
    const decision = decide(e, POLICY);
    expect(decision.outcome).toBe('review');
    expect(decision.reasons.map((r) => r.code)).toContain('document_not_found');
    expect(decision.scores.faceMatch).toBeGreaterThan(POLICY.faceMatch.rejectBelow);
  });

  it('sees the photographed card as a document', () => {
    expect(genuine.evidence.document?.seen).toEqual({ kind: 'cn_resident_id', by: 'id_number' });
  });

  it('rejects a photo of another person\'s ID', async () => {
    // Read with OCR: only a document seen in the ID photo can make its face reject.
    // The seller holds up a man's ID card: the card in the selfie and the ID photo agree with each
    // other, not with the seller.
    const photos = await composeSession(vision, { idPerson: await readFixture('faces/face_recognition/images/biden__train_biden2.jpg'), live, gestures });
    const e = (await gather(sessionInput('other', photos), database.db)).evidence;
    expect(e.faceMatch.score).not.toBeNull();
    expect(e.faceMatch.score!).toBeLessThan(POLICY.faceMatch.rejectBelow);
    expect(e.faceMatch.score!).toBeLessThan(genuine.evidence.faceMatch.score!);
    // the held card is the ID photographed: it is the seller's face that differs
    expect(e.faceMatch.heldCardScore).toBeGreaterThan(POLICY.faceMatch.rejectBelow);
    expect(e.sameFace.minScore).toBeGreaterThan(POLICY.sameFace.rejectBelow);
    const decision = decide(e, POLICY);
    expect(decision.outcome).toBe('rejected');
    expect(decision.reasons[0].code).toBe('face_mismatch');
  });

  it('finds the portrait on a card held too small for the whole-photo pass', async () => {
    // A card a sixth of the photo wide: its portrait is about 40 px, a dozen at the detector's input.
    const person = await readFixture('faces/human/stock-emotions-a-5.jpg');
    const selfie = await selfieHoldingCard(person, samePerson.card, { face: await faceBox(vision, person), cardWidth: 0.16 });
    expect((await vision.analyze(selfie, { face: true, maxFaces: 3 })).faces).toHaveLength(1);
    const e = (await gatherWithoutOcr(sessionInput('small-card', { ...samePerson, selfie }), database.db)).evidence;
    expect(e.faceMatch.heldCardScore).toBeGreaterThan(POLICY.faceMatch.rejectBelow);
    expect(e.sameFace.stepsWithExtraFaces).toEqual([]);
    // so small a portrait counts neither way: the session goes to a reviewer, never to approval
    expect(e.faceMatch.heldCardPortraitPx).toBeLessThan(MIN_FACE_PX);
    const decision = decide(e, POLICY);
    expect(decision.reasons.map((r) => r.code)).toContain('held_card_uncertain');
    expect(decision.outcome).not.toBe('approved');
  });

  it('does not pass a gesture the photo does not show', async () => {
    // the challenge asked for a thumb up; the photo shows a V (its own shot: a reused photo would reject on its own)
    const person = await readFixture('faces/human/stock-emotions-a-7.jpg');
    const vSign = await gesturePhoto(person, hands.victory, { face: await faceBox(vision, person), handHeight: 0.35 });
    const wrong: SessionPhotos = { ...samePerson, gestures: [{ gesture: samePerson.gestures[0].gesture, photo: vSign }, samePerson.gestures[1]] };
    const out = await gatherWithoutOcr(sessionInput('wrong', wrong), database.db);
    const verdict = out.evidence.gestures.find((g) => g.gestureId === 'thumb-up');
    expect(verdict).toBeDefined();
    expect(verdict!.passed).not.toBe(true);
    expect(verdict!.conditions.some((c) => !c.held)).toBe(true);
    const decision = decide(out.evidence, POLICY);
    expect(decision.outcome).not.toBe('approved');
    expect(decision.reasons.map((r) => r.code)).toContain(verdict!.passed === false ? 'gesture_not_shown' : 'gesture_uncertain');
  });

  it('passes a thumbs-down beside her face, which the first hand look misses', async () => {
    const photos = await composeSession(vision, {
      idPerson: await readFixture('faces/human/stock-emotions-a-3.jpg'),
      live,
      gestures: [{ id: 'thumb-down', hand: await readFixture('gestures/vision_ml/Thumb_Down.jpg') }, gestures[1]],
    });
    const out = await gatherWithoutOcr(sessionInput('thumb-down', photos), database.db);
    const verdict = out.evidence.gestures.find((g) => g.gestureId === 'thumb-down');
    expect(verdict?.passed).toBe(true);
    const codes = decide(out.evidence, POLICY).reasons.map((r) => r.code);
    expect(codes.filter((c) => c.startsWith('gesture_'))).toEqual([]);
  });

  it('lists the checks that cannot run (no OCR, an erased identity) as missing, and never approves', async () => {
    const out = await gatherWithoutOcr({ ...sessionInput('no-ocr', samePerson), declared: null }, database.db);
    const e = out.evidence;
    expect(e.missing.some((m) => m.startsWith('newspaper OCR') && m.includes('OCR is not available'))).toBe(true);
    expect(e.missing.some((m) => m.startsWith('document check') && m.includes('erased'))).toBe(true);
    expect(e.document).toBeNull();
    expect(e.newspaper?.faceInPhoto).toBe(true);
    expect(e.newspaper?.dateRead).toBeNull();
    expect(unexplainedGaps(e)).toEqual([]);
    expect(decide(e, POLICY).outcome).toBe('review');
    expect(reasonCodes(e)).toContain('check_missing');
  });

  it('rejects the same photo uploaded for two steps', async () => {
    const input = sessionInput('twice', samePerson);
    const gestureStep = input.steps.find((s) => s.kind === 'gesture')!;
    gestureStep.photo = { ...input.steps.find((s) => s.kind === 'selfie_with_id')!.photo!, id: 'photo-twice-copy' };
    const out = await gatherWithoutOcr(input, database.db);
    expect(out.evidence.spoof.find((s) => s.code === 'same_photo_twice')?.stepId).toBe(gestureStep.stepId);
    expect(reasonCodes(out.evidence)).toContain('spoof_strong');
  });

  it('flags a selfie shown on a screen and photographed', async () => {
    const backdrop = await readFixture('faces/face_recognition/images/test_obama1.jpg');
    const replayed = await screenAttack(samePerson.selfie, backdrop, seeded(7));
    const input = sessionInput('screen', { ...samePerson, selfie: replayed });
    const e = (await gatherWithoutOcr(input, database.db)).evidence;
    const selfieStep = input.steps.find((s) => s.kind === 'selfie_with_id')!.stepId;
    const screenSignals = e.spoof.filter((s) => s.code === 'screen_border' || s.code === 'moire');
    expect(screenSignals.map((s) => s.stepId)).toContain(selfieStep);
    expect(screenSignals.every((s) => s.stepId === selfieStep)).toBe(true);
    expect(reasonCodes(e)).toContain('spoof_suspected');
  });

  it('finds the photos of an earlier session replayed in a new one', async () => {
    const db = database.db;
    const now = new Date();
    await db.insert(tables.tenants).values({ id: 'tenant-earlier', name: 'earlier' });
    await db.insert(tables.sessions).values({
      id: 'earlier', tenantId: 'tenant-earlier', externalSellerId: 's1', locale: 'en', region: 'CN-ZJ', status: 'decided', expiresAt: now,
    });
    const input = sessionInput('same', samePerson);
    await db.insert(tables.photos).values(input.steps.map((s) => ({
      id: `earlier-${s.photo!.id}`, tenantId: 'tenant-earlier', sessionId: 'earlier', stepId: s.stepId, sha256: s.photo!.sha256,
      storageKey: s.photo!.sha256, size: s.photo!.bytes.length, width: 1, height: 1, phash: genuine.phashes[s.photo!.id],
    })));
    const replay = await gatherWithoutOcr({ ...sessionInput('replay', samePerson) }, db);
    const hits = replay.evidence.spoof.filter((s) => s.code === 'near_duplicate_other_session');
    expect(hits.map((h) => h.stepId).sort()).toEqual(sessionInput('replay', samePerson).steps.map((s) => s.stepId).sort());
    expect(hits.every((h) => h.score === 1)).toBe(true);
    expect(decide(replay.evidence, POLICY).outcome).toBe('rejected');
    // the earlier session itself is not a duplicate of its own photos
    const again = await gatherWithoutOcr(sessionInput('earlier', samePerson), db);
    expect(again.evidence.spoof.filter((s) => s.code === 'near_duplicate_other_session')).toEqual([]);
  });
});
