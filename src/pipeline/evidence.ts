// Turns a session's photos into the evidence decide() judges: each step runs only the models it
// needs, faces are matched across photos, gestures judged by the library's rules, the newspaper and
// the ID document read, replays looked for. A check that cannot run is listed in `missing`, which
// sends the session to a reviewer: nothing unavailable ever passes silently.
import type { Evidence, GestureEvidence, NewspaperEvidence, SpoofSignal, DocumentEvidence } from '../decide/evidence.js';
import type { Db } from '../db/index.js';
import { evaluateGesture, parseGesture } from '../gestures/index.js';
import { checkDocument, newspaperById, readDocument, readNewspaper, type Ocr } from '../ocr/index.js';
import { findDuplicates, livenessSignals, perceptualHash, screenOrPrintSignals, SCREEN_CHECK_STEP_KINDS, type HashedPhoto } from '../spoof/index.js';
import {
  FACE_MATCHER_MODEL, VisionClosedError, VisionQueueFullError, type AnalyzeOptions, type FaceObservation, type Observations, type Vision,
} from '../vision/index.js';
import type { GatherEvidence, VerificationInput, VerificationOutput } from './index.js';
import { otherSessionPhotos } from './duplicates.js';
import { classifyFaces, findSmallFaces, fuseFaceMatch, lowestPairSimilarity, pickCardPortrait, similarity } from './faces.js';

export interface Analyzers {
  vision: Vision;
  /** null where OCR is not available: newspaper and document checks are then listed as missing */
  ocr: Ocr | null;
}

export interface GathererOptions {
  /** today's date, yyyy-mm-dd (a resident ID's birth date may not be later); default: the UTC date */
  today?: () => string;
}

type Step = VerificationInput['steps'][number];
type Photo = NonNullable<Step['photo']>;

/** What each kind of step needs from the models; a gesture adds hands only when its rule has a hand.
 *  test/bench/vision.ts prices exactly these. */
export function analysisFor(kind: Step['kind'], needsHands: boolean): AnalyzeOptions {
  switch (kind) {
    case 'id_front':
      return { face: true, embed: true, maxFaces: 2 };
    case 'selfie_with_id':
      // the live face, the card's printed portrait (looked for in tiles when the whole photo shows it
      // too small), and room to notice a third face; liveness only here
      return { face: true, embed: true, maxFaces: 3, liveness: true, smallFaces: true };
    case 'gesture':
      return { face: true, mesh: true, embed: true, hands: needsHands, maxFaces: 2 };
    case 'newspaper':
      return { face: true, embed: true, maxFaces: 2 };
  }
}

/** The stored gesture file, as the library loaded it; `needs` is derived at load and not part of the file. */
function gestureOf(step: Step) {
  if (!step.gesture) throw new Error('the step names no gesture');
  const { needs: _derived, ...file } = step.gesture.definition as Record<string, unknown> & { needs?: unknown };
  return parseGesture(file, `${step.gesture.id}@${step.gesture.version}`);
}

const message = (err: unknown) => (err instanceof Error ? err.message : String(err)).slice(0, 200);

/**
 * A full queue or a closing pool says nothing about the photos: the job fails and is taken again
 * later, rather than sending a seller to review because the service was busy or shutting down.
 */
function rethrowIfServiceUnavailable(err: unknown): void {
  if (err instanceof VisionQueueFullError || err instanceof VisionClosedError) throw err;
}

export function createGatherer(analyzers: Analyzers, options: GathererOptions = {}): GatherEvidence {
  const today = options.today ?? (() => new Date().toISOString().slice(0, 10));

  return async function gatherEvidence(input: VerificationInput, db: Db): Promise<VerificationOutput> {
    const { vision, ocr } = analyzers;
    const missing: string[] = [];
    const miss = (check: string, step: Step | null, reason: string) =>
      missing.push(`${check}${step ? ` (step ${step.stepId}, ${step.kind})` : ''}: ${reason}`);
    const withPhoto = input.steps.filter((s): s is Step & { photo: Photo } => s.photo !== null);

    // Gesture rules first: a broken stored rule is a missing check, and it says whether hands are needed.
    const gestures = new Map<string, ReturnType<typeof gestureOf>>();
    for (const step of input.steps.filter((s) => s.kind === 'gesture')) {
      try {
        gestures.set(step.stepId, gestureOf(step));
      } catch (err) {
        miss('gesture rule', step, message(err));
      }
    }

    // Models, OCR and hashes for every photo at once: the vision pool and the OCR workers queue them.
    const observed = new Map<string, Observations>();
    const analyses = withPhoto.map(async (step) => {
      const needsHands = gestures.get(step.stepId)?.needs.hands ?? true;
      try {
        observed.set(step.stepId, await vision.analyze(step.photo.bytes, analysisFor(step.kind, needsHands)));
      } catch (err) {
        rethrowIfServiceUnavailable(err);
        miss('face analysis', step, message(err));
      }
    });
    const hashing = Promise.all(withPhoto.map(async (step): Promise<(HashedPhoto & { photoId: string }) | null> => {
      try {
        return { stepId: step.stepId, photoId: step.photo.id, sha256: step.photo.sha256, phash: await perceptualHash(step.photo.bytes) };
      } catch (err) {
        miss('perceptual hash', step, message(err));
        return null;
      }
    }));
    // A photographed screen or print shows a frame or moiré. Only on live steps: an ID card and a
    // newspaper are prints by nature and framed by their own edges.
    const screens = Promise.all(withPhoto.filter((s) => SCREEN_CHECK_STEP_KINDS.includes(s.kind)).map(async (step) => {
      try {
        return await screenOrPrintSignals(step.photo.bytes, step.stepId);
      } catch (err) {
        miss('screen and print check', step, message(err));
        return [];
      }
    }));
    // the page is held below or beside the seller's face: OCR starts there once vision has found it
    const faceIn = async (stepId: string) => {
      await analyses[withPhoto.findIndex((s) => s.stepId === stepId)]?.catch(() => undefined);
      // faces come largest first: the first is the seller's (as classifyFaces takes it)
      return observed.get(stepId)?.faces[0]?.box;
    };
    const newspaperReading = readNewspaperStep(input, ocr, miss, faceIn);
    const documentReading = readDocumentStep(input, ocr, today(), miss);
    await Promise.all(analyses);

    // ID portrait: the largest face on the ID photo, searched for in parts of it when too small to see whole.
    const idStep = withPhoto.find((s) => s.kind === 'id_front') ?? null;
    let idPortrait: FaceObservation | null = null;
    if (idStep && observed.has(idStep.stepId)) {
      idPortrait = observed.get(idStep.stepId)!.faces.find((f) => f.embedding) ?? null;
      if (!idPortrait) {
        try {
          idPortrait = (await findSmallFaces(vision, idStep.photo.bytes, null)).find((f) => f.embedding) ?? null;
        } catch (err) {
          rethrowIfServiceUnavailable(err);
          miss('ID portrait search', idStep, message(err));
        }
      }
    }

    // Live faces of every other step, extra people, and the card held in the selfie.
    const liveByStep = new Map<string, FaceObservation>();
    const stepsWithoutFace: string[] = [];
    const stepsWithExtraFaces: string[] = [];
    let cardPortrait: FaceObservation | null = null;
    const spoof: SpoofSignal[] = [];
    for (const step of withPhoto) {
      const obs = observed.get(step.stepId);
      if (!obs || step.kind === 'id_front') continue;
      const faces = classifyFaces(obs);
      if (!faces.live?.embedding) stepsWithoutFace.push(step.stepId);
      else liveByStep.set(step.stepId, faces.live);
      if (faces.extra.length > 0) stepsWithExtraFaces.push(step.stepId);
      if (step.kind === 'selfie_with_id') {
        // the engine's tile search has looked for a portrait too small for the whole photo already
        cardPortrait = cardPortrait ?? pickCardPortrait(faces.printed, idPortrait);
        // Human's antispoof and liveness ran on this photo only: weak signals, judged by the spoof module.
        if (faces.live) spoof.push(...livenessSignals([faces.live], step.stepId));
      }
    }

    // Face match: every live face of the session (the selfie's first) against the ID portrait, fused
    // into one score (fuseFaceMatch): one lucky pair cannot approve.
    const selfie = withPhoto.find((s) => s.kind === 'selfie_with_id' && liveByStep.has(s.stepId));
    const liveFaces = [...(selfie ? [liveByStep.get(selfie.stepId)!] : []), ...[...liveByStep].filter(([id]) => id !== selfie?.stepId).map(([, f]) => f)];
    const liveFace = liveFaces[0] ?? null;
    const scored = <T>(what: string, f: () => T | null): T | null => {
      try {
        return f();
      } catch (err) {
        miss(what, null, message(err));
        return null;
      }
    };
    const fused = scored('face match', () => fuseFaceMatch(liveFaces, idPortrait));
    const faceMatch = {
      score: fused?.score ?? null,
      smallestFacePx: fused?.smallestFacePx ?? null,
      comparisons: fused?.comparisons ?? 0,
      idPortraitFound: idPortrait !== null,
      liveFaceFound: liveFace !== null,
      heldCardScore: scored('held card match', () => similarity(cardPortrait, idPortrait)),
      heldCardPortraitPx: cardPortrait ? Math.round(cardPortrait.box.width) : null,
      model: liveFace?.embeddingModel ?? idPortrait?.embeddingModel ?? FACE_MATCHER_MODEL,
    };
    const sameFace = {
      minScore: scored('same face across photos', () => lowestPairSimilarity([...liveByStep.values()])),
      smallestFacePx: liveByStep.size >= 2 ? Math.round(Math.min(...[...liveByStep.values()].map((f) => f.box.width))) : null,
      stepsWithoutFace,
      stepsWithExtraFaces,
    };

    // Gestures: each step's photo against its own rule.
    const gestureEvidence: GestureEvidence[] = [];
    for (const step of withPhoto.filter((s) => s.kind === 'gesture')) {
      const gesture = gestures.get(step.stepId);
      const obs = observed.get(step.stepId);
      if (!gesture || !obs) continue; // already listed as missing
      try {
        const verdict = evaluateGesture(gesture, obs);
        gestureEvidence.push({ stepId: step.stepId, ...verdict });
      } catch (err) {
        miss('gesture rule evaluation', step, message(err));
      }
    }

    // Newspaper: the OCR reading plus the seller's face in the same photo.
    let newspaper: NewspaperEvidence | null = null;
    const reading = await newspaperReading;
    if (reading) {
      const hasFace = liveByStep.has(reading.step.stepId);
      if (!observed.has(reading.step.stepId)) miss('face in the newspaper photo', reading.step, 'face analysis did not run');
      newspaper = { ...reading.evidence, faceInPhoto: hasFace };
    }
    const document = await documentReading;

    // Replays: inside the session, and against every other session's stored hashes.
    const hashed = (await hashing).filter((h) => h !== null);
    let others: Awaited<ReturnType<typeof otherSessionPhotos>> = [];
    try {
      others = await otherSessionPhotos(db, input.sessionId, hashed.map((h) => h.phash));
    } catch (err) {
      miss('duplicate search across sessions', null, message(err));
    }
    spoof.push(...findDuplicates(hashed, others), ...(await screens).flat());

    const evidence: Evidence = {
      steps: input.steps.map((s) => ({ stepId: s.stepId, kind: s.kind, photo: s.photo !== null })),
      faceMatch,
      sameFace,
      gestures: gestureEvidence,
      newspaper,
      document,
      spoof,
      missing,
      observations: Object.fromEntries([...observed].map(([stepId, o]) => [stepId, {
        width: o.width, height: o.height,
        faces: o.faces.map((f) => ({ box: f.box, score: f.score, angles: f.angles })),
        hands: o.hands.map((h) => ({ box: h.box, score: h.score, keypoints: h.keypoints.map((k) => ({ x: k.x, y: k.y })) })),
      }])),
    };
    const embeddings: Record<string, number[]> = {};
    if (idStep && idPortrait?.embedding) embeddings[idStep.stepId] = idPortrait.embedding;
    for (const [stepId, face] of liveByStep) if (face.embedding) embeddings[stepId] = face.embedding;
    const phashes = Object.fromEntries(hashed.map((h) => [h.photoId, h.phash]));
    return { evidence, embeddings, phashes };
  };
}

type Miss = (check: string, step: Step | null, reason: string) => void;

/** The first newspaper step's page read by OCR; null when the challenge has none or it has no photo. */
async function readNewspaperStep(input: VerificationInput, ocr: Ocr | null, miss: Miss, faceIn: (stepId: string) => Promise<FaceObservation['box'] | undefined>):
  Promise<{ step: Step; evidence: Omit<NewspaperEvidence, 'faceInPhoto'> } | null> {
  const steps = input.steps.filter((s) => s.kind === 'newspaper' && s.photo);
  for (const extra of steps.slice(1)) miss('newspaper', extra, 'only one newspaper step is read per session');
  const step = steps[0];
  if (!step?.photo) return null;
  if (!step.newspaper) {
    miss('newspaper', step, 'the step names no newspaper');
    return null;
  }
  const unread = {
    stepId: step.stepId, expectedName: step.newspaper.name, mastheadFound: null, dateRead: null, dateText: null,
    window: step.newspaper.window, requestedDate: step.newspaper.date, ocrConfidence: null,
    // absent on steps drawn before zones were recorded: their dates are UTC ones, which decide knows
    ...(step.newspaper.timeZone !== undefined ? { timeZone: step.newspaper.timeZone } : {}),
  };
  const paper = newspaperById(step.newspaper.id);
  if (!paper) {
    miss('newspaper OCR', step, `unknown newspaper ${step.newspaper.id}`);
    return { step, evidence: unread };
  }
  if (!ocr) {
    miss('newspaper OCR', step, 'OCR is not available');
    return { step, evidence: unread };
  }
  try {
    const r = await readNewspaper(ocr, step.photo.bytes, { newspaper: paper, window: step.newspaper.window }, {}, { face: await faceIn(step.stepId) });
    return {
      step,
      evidence: {
        ...unread, mastheadFound: r.mastheadFound, dateRead: r.dateRead, dateText: r.dateText, ocrConfidence: r.ocrConfidence,
      },
    };
  } catch (err) {
    miss('newspaper OCR', step, message(err));
    return { step, evidence: unread };
  }
}

/** The ID photo's number and name against the declared identity; null (and missing) when that cannot run. */
async function readDocumentStep(input: VerificationInput, ocr: Ocr | null, today: string, miss: Miss): Promise<DocumentEvidence | null> {
  const step = input.steps.find((s) => s.kind === 'id_front' && s.photo);
  if (!step?.photo) return null;
  if (!input.declared) {
    miss('document check', step, 'the declared identity has been erased');
    return null;
  }
  if (!ocr) {
    miss('document OCR', step, 'OCR is not available');
    return null;
  }
  try {
    const reading = await readDocument(ocr, step.photo.bytes, input.declared.documentType, today);
    return checkDocument(reading, input.declared);
  } catch (err) {
    miss('document OCR', step, message(err));
    return null;
  }
}
