// Human's antispoof ("real") and liveness ("live") scores, turned into weak signals. Measured on
// the face and gesture fixture photos (34 with a face found) against screens and prints rendered
// from them (78 with a face found; test/unit/spoof/human-scores.test.ts, REALPERSON_SPOOF_HUMAN=1):
//                 real < 0.5        live < 0.5
//   genuine       6 of 34 (18%)     3 of 34 (9%)
//   attacks       7 of 78 (9%)      3 of 78 (4%)
// They flag genuine photos more often than attacks: they cannot tell prints or screens here. So
// they are recorded below 0.5, and only reach a reviewer below every genuine score seen; decide
// never lets them reject (SPOOF_SIGNAL_CAPS).
import type { SpoofSignal } from '../decide/evidence.js';

/** Scores below this are recorded as a signal (for reviewers and per-gesture attack statistics). */
export const REPORT_BELOW = 0.5;
/** "real" below this reaches review: the lowest genuine fixture face scored 0.36. */
export const ANTISPOOF_REVIEW_BELOW = 0.3;
/** "live" below this reaches review: the lowest genuine fixture face scored 0.14. */
export const LIVENESS_REVIEW_BELOW = 0.1;

/**
 * Signal strength for a model score s under its review level T: 0.5 at s = T (decide's default
 * review level is "above 0.5"), rising to 1 at s = 0 and falling below 0.5 above T.
 */
export function weakSignalScore(s: number, reviewBelow: number): number {
  return Math.max(0, Math.min(1, 0.5 + (reviewBelow - s) / (2 * reviewBelow)));
}

/** antispoof_low / liveness_low for every face whose score is below REPORT_BELOW. */
export function livenessSignals(faces: { real?: number; live?: number }[], stepId: string): SpoofSignal[] {
  const signals: SpoofSignal[] = [];
  faces.forEach((face, i) => {
    const which = faces.length > 1 ? `face ${i + 1} of ${faces.length}` : 'the face';
    if (typeof face.real === 'number' && Number.isFinite(face.real) && face.real < REPORT_BELOW) {
      signals.push({
        code: 'antispoof_low', stepId, score: weakSignalScore(face.real, ANTISPOOF_REVIEW_BELOW),
        detail: `antispoof "real" score of ${which} is ${face.real.toFixed(3)} (recorded below ${REPORT_BELOW}, reviewed below ${ANTISPOOF_REVIEW_BELOW})`,
      });
    }
    if (typeof face.live === 'number' && Number.isFinite(face.live) && face.live < REPORT_BELOW) {
      signals.push({
        code: 'liveness_low', stepId, score: weakSignalScore(face.live, LIVENESS_REVIEW_BELOW),
        detail: `liveness score of ${which} is ${face.live.toFixed(3)} (recorded below ${REPORT_BELOW}, reviewed below ${LIVENESS_REVIEW_BELOW})`,
      });
    }
  });
  return signals;
}
