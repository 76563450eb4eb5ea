// Judges one photo's observations against one gesture rule. Every condition is three-valued:
// held with margin, clearly not held, or borderline; the verdict passes only when all held, fails
// when any clearly failed, and is left to a reviewer (null) otherwise.
import type { ConditionResult } from '../decide/evidence.js';
import type { FaceObservation, HandObservation, Observations } from '../vision/types.js';
import type { Gesture } from './library.js';
import type { FaceRule, Finger, HandRule, Range } from './schema.js';
import { FINGERS } from './schema.js';
import { handFeatures, placeDistance, type HandFeatures } from './hand.js';
import { ANGLE_MARGIN, CHIRALITY_MIN, CLEAR_OF_FACE, CONTACT, DIRECTION, EYES, HAND_CONFIDENT, HAND_MIN_SCORE, MOUTH, MOUTH_OPEN_SMILING, MOUTH_STRETCH, PLACE_MARGIN } from './thresholds.js';
import { clamp01, round } from './geometry.js';

export interface GestureVerdict {
  gestureId: string;
  gestureVersion: number;
  /** true: every condition held with margin; false: clearly not shown; null: cannot tell */
  passed: boolean | null;
  /** 0..1, the weakest condition's fit */
  score: number;
  conditions: ConditionResult[];
}

export interface EvaluateOptions {
  /** the frame was flipped like a selfie preview (the subject's right hand on the image's right) */
  mirrored?: boolean;
}

type State = 'held' | 'failed' | 'borderline';
interface Judged {
  condition: string;
  state: State;
  score: number;
  measured: ConditionResult['measured'];
}

/** Grades v against a "clearly held" and a "clearly failed" value (either order). */
function graded(condition: string, v: number, heldAt: number, failedAt: number, measured: ConditionResult['measured']): Judged {
  const t = (v - failedAt) / (heldAt - failedAt);
  if (t >= 1) return { condition, state: 'held', score: 0.75 + 0.25 * clamp01(t - 1), measured };
  if (t <= 0) return { condition, state: 'failed', score: 0.25 * clamp01(1 + t), measured };
  return { condition, state: 'borderline', score: 0.25 + 0.5 * t, measured: { ...measured, borderline: true } };
}

function cannotTell(condition: string, measured: ConditionResult['measured']): Judged {
  return { condition, state: 'borderline', score: 0.5, measured: { ...measured, borderline: true } };
}

function inRange(condition: string, v: number, r: Range, margin: number, measured: ConditionResult['measured']): Judged {
  const outside = Math.max((r.min ?? -Infinity) - v, v - (r.max ?? Infinity));
  // held when inside, borderline within `margin` outside, failed beyond
  return graded(condition, -outside, 0, -margin, measured);
}

const deviationFrom = (target: 'up' | 'down' | 'side', angleFromUp: number): number =>
  target === 'up' ? angleFromUp : target === 'down' ? 180 - angleFromUp : Math.abs(90 - angleFromUp);

function judgeHand(rule: HandRule, f: HandFeatures, face: FaceObservation | undefined): Judged[] {
  const out: Judged[] = [];
  for (const finger of FINGERS) {
    const want = rule.fingers?.[finger];
    if (!want || want === 'any') continue;
    const ff = f.fingers[finger];
    const measured = { state: ff.state, extension: ff.extension, bend: ff.bend, reach: ff.reach, base: ff.angles.base, middle: ff.angles.middle, end: ff.angles.end };
    const held = ff.state === want;
    const failed = ff.state !== 'between' && !held;
    const e = want === 'extended' ? ff.extension : 1 - ff.extension;
    out.push({
      condition: `${finger} ${want}`,
      state: held ? 'held' : failed ? 'failed' : 'borderline',
      score: held ? 1 : failed ? 0 : 0.25 + 0.5 * e,
      measured: failed || held ? measured : { ...measured, borderline: true },
    });
  }
  if (rule.thumbPoints) {
    const dev = deviationFrom(rule.thumbPoints, f.thumbDirection.angle);
    out.push(graded(`thumb points ${rule.thumbPoints}`, dev, DIRECTION.held, DIRECTION.failed, { angleFromUp: f.thumbDirection.angle, deviation: round(dev, 1) }));
  }
  if (rule.fingersPoint) {
    const dir = f.fingersDirection;
    out.push(dir
      ? graded(`fingers point ${rule.fingersPoint}`, deviationFrom(rule.fingersPoint, dir.angle), DIRECTION.held, DIRECTION.failed, { angleFromUp: dir.angle })
      : { condition: `fingers point ${rule.fingersPoint}`, state: 'failed', score: 0, measured: { angleFromUp: null, extendedFingers: 0 } });
  }
  for (const [a, b] of rule.touching ?? []) {
    // the schema pairs the thumb with one other finger
    const d = f.thumbTipTo[(a === 'thumb' ? b : a) as Exclude<Finger, 'thumb'>];
    out.push(graded(`${a} touches ${b}`, d, CONTACT.held, CONTACT.failed, { distanceOverPalm: d }));
  }
  if (rule.which !== 'either') {
    // One 2-D view cannot tell a right palm from a left hand's back: the rule's `facing` says which
    // side its instructions show, and the sign of the palm's chirality then names the hand.
    const sign = (rule.which === 'right') === (rule.facing === 'palm') ? 1 : -1;
    out.push(graded(`${rule.which} hand`, f.chirality * sign, CHIRALITY_MIN, -CHIRALITY_MIN, { chirality: f.chirality, facing: rule.facing ?? null }));
  }
  if (rule.clearOfFace) {
    // without a face nothing is covered; the photo is missing the seller's face, which sends the
    // step to review on its own (face_missing_in_step)
    // measured sideways only: a hand raised beside the face may reach above or below it, while a
    // palm held to the mouth or chin sits within the face's width
    const p = f.placement;
    out.push(p && face
      ? graded('hand clear of the face', Math.abs(p.towardRight), CLEAR_OF_FACE.held, CLEAR_OF_FACE.failed, { palmSideways: round(Math.abs(p.towardRight), 3), down: p.down })
      : { condition: 'hand clear of the face', state: 'held', score: 1, measured: { face: false } });
  }
  if (rule.position) {
    const { at, side } = rule.position;
    const name = `hand ${at.replace('_', ' ')}${side ? ` (${side})` : ''}`;
    if (!f.placement || !face) {
      out.push(cannotTell(name, { face: false }));
    } else {
      const p = f.placement;
      const d = placeDistance(at, p, side);
      out.push(graded(name, -d, 0, -PLACE_MARGIN, {
        outsideFaceWidths: round(d, 3), towardRight: p.towardRight, down: p.down,
        indexTipToNose: p.indexTipToNose, indexTipToChin: p.indexTipToChin,
        palmToRightEye: p.palmToRightEye, palmToLeftEye: p.palmToLeftEye,
      }));
    }
  }
  return out;
}

function judgeFace(rule: FaceRule, face: FaceObservation): Judged[] {
  const out: Judged[] = [];
  const range = (r: Range): string => `[${r.min ?? '-'}, ${r.max ?? '-'}]`;
  for (const axis of ['yaw', 'pitch', 'roll'] as const) {
    const r = rule[axis];
    if (r) out.push(inRange(`${axis} in ${range(r)}`, face.angles[axis], r, ANGLE_MARGIN, { [axis]: round(face.angles[axis], 1) }));
  }
  if (rule.eyes) {
    const eo = face.eyesOpen;
    if (!eo) out.push(cannotTell(`eyes ${rule.eyes}`, { eyesOpen: null }));
    else if (rule.eyes === 'closed') {
      const v = Math.max(eo.left, eo.right);
      out.push(graded('eyes closed', v, EYES.closed, EYES.open, { left: round(eo.left, 3), right: round(eo.right, 3) }));
    } else {
      const v = Math.min(eo.left, eo.right);
      out.push(graded('eyes open', v, EYES.open, EYES.closed, { left: round(eo.left, 3), right: round(eo.right, 3) }));
    }
  }
  if (rule.mouth) {
    const m = face.mouthOpen;
    if (m === undefined) out.push(cannotTell(`mouth ${rule.mouth}`, { mouthOpen: null }));
    else if (rule.mouth === 'open') {
      // lips parted over the teeth in a broad smile are not an open mouth: a mouth stretched
      // sideways must open further to count (unknown stretch: the stricter bar)
      const st = face.mouthStretch;
      const smiling = st === undefined ? 1 : clamp01((st - MOUTH_STRETCH.relaxed) / (MOUTH_STRETCH.smiling - MOUTH_STRETCH.relaxed));
      const bar = MOUTH.open + smiling * (MOUTH_OPEN_SMILING - MOUTH.open);
      out.push(graded('mouth open', m, bar, MOUTH.closed, { mouthOpen: round(m, 3), mouthStretch: st === undefined ? null : round(st, 3), openAbove: round(bar, 3) }));
    } else out.push(graded('mouth closed', m, MOUTH.closed, MOUTH.open, { mouthOpen: round(m, 3) }));
  }
  return out;
}

function verdictOf(gesture: Gesture, judged: Judged[]): GestureVerdict {
  const passed = judged.every((j) => j.state === 'held') ? true : judged.some((j) => j.state === 'failed') ? false : null;
  return {
    gestureId: gesture.id,
    gestureVersion: gesture.version,
    passed,
    score: round(judged.reduce((m, j) => Math.min(m, j.score), 1), 3),
    conditions: judged.map(({ condition, state, measured }) => ({ condition, held: state === 'held', measured })),
  };
}

const rank = (v: GestureVerdict): number => (v.passed === true ? 2 : v.passed === null ? 1 : 0);

/** Whether the photo shows the gesture. With several hands, the one that fits best is judged. */
export function evaluateGesture(gesture: Gesture, obs: Observations, opts: EvaluateOptions = {}): GestureVerdict {
  const { rule } = gesture;
  const face = obs.faces[0];
  const needsFace = Boolean(rule.face || rule.hand?.position);
  const base: Judged[] = [];
  if (needsFace && !face) base.push(cannotTell('face found', { faces: 0 }));
  const faceJudged = rule.face && face ? judgeFace(rule.face, face) : [];
  if (!rule.hand) return verdictOf(gesture, [...base, ...faceJudged]);

  const hands = obs.hands.filter((h: HandObservation) => h.score >= HAND_MIN_SCORE);
  if (hands.length === 0) {
    return verdictOf(gesture, [...base, cannotTell('hand found', { hands: obs.hands.length }), ...faceJudged]);
  }
  const verdicts = hands.map((hand, i) => {
    const features = handFeatures(hand, face, opts);
    const found: Judged = hand.score >= HAND_CONFIDENT
      ? { condition: 'hand found', state: 'held', score: 1, measured: { hand: i, handScore: round(hand.score, 3) } }
      : cannotTell('hand found', { hand: i, handScore: round(hand.score, 3) });
    const verdict = verdictOf(gesture, [...base, found, ...judgeHand(rule.hand!, features, face), ...faceJudged]);
    // a doubtful skeleton is as likely misdrawn as misposed: it can refuse nobody, a reviewer looks
    return found.state === 'held' || verdict.passed !== false ? verdict : { ...verdict, passed: null };
  });
  return verdicts.reduce((best, v) => (rank(v) > rank(best) || (rank(v) === rank(best) && v.score > best.score) ? v : best));
}
