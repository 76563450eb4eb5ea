// Which two gestures may be drawn together into one challenge. The pair should be hard to find in
// an existing recording and possible for a seller to perform while following the capture page.
import type { Gesture } from './library.js';

/** The seller cannot watch the capture page while doing this (eyes shut). */
const isBlind = (g: Gesture): boolean => g.rule.face?.eyes === 'closed';

/** The seller must look at the page or show their eyes for the gesture to be checked. */
const needsSight = (g: Gesture): boolean =>
  g.rule.face?.eyes === 'open' || g.rule.hand?.position?.at === 'covering_eye' ||
  g.rule.face?.yaw !== undefined || g.rule.face?.pitch !== undefined || g.rule.face?.roll !== undefined;

const isFaceOnly = (g: Gesture): boolean => g.rule.hand === undefined;

export function compatibleForChallenge(a: Gesture, b: Gesture): boolean {
  if (a.id === b.id || a.family === b.family) return false;
  // Two pure face actions (turn, tilt, open mouth) are what any talking-head video already shows;
  // at least one hand shape keeps a pre-recorded clip from fitting.
  if (isFaceOnly(a) && isFaceOnly(b)) return false;
  if (isBlind(a) && (isBlind(b) || needsSight(b))) return false;
  if (isBlind(b) && needsSight(a)) return false;
  return true;
}
