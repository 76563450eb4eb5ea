// Human's antispoof ("real") and liveness ("live") scores, turned into weak signals. They do not
// recognise prints or screens reliably, so decide never lets them reject (SPOOF_SIGNAL_CAPS) and
// they only reach a reviewer when the model is nearly certain.
import type { SpoofSignal } from '../decide/evidence.js';

/** Below this "real" score a face is reported as antispoof_low. */
export const ANTISPOOF_LOW = 0.5;
/** Below this "live" score a face is reported as liveness_low. */
export const LIVENESS_LOW = 0.5;

/**
 * A reported score s < 0.5 becomes a signal of strength 1 - s: above decide's default review level
 * (0.5) for every such face. Faces without the score (the model did not run) give no signal; a
 * missing check is the pipeline's to report.
 */
export function livenessSignals(faces: { real?: number; live?: number }[], stepId: string): SpoofSignal[] {
  const signals: SpoofSignal[] = [];
  faces.forEach((face, i) => {
    const which = faces.length > 1 ? `face ${i + 1} of ${faces.length}` : 'the face';
    if (typeof face.real === 'number' && Number.isFinite(face.real) && face.real < ANTISPOOF_LOW) {
      signals.push({
        code: 'antispoof_low', stepId, score: clamp(1 - face.real),
        detail: `antispoof "real" score of ${which} is ${face.real.toFixed(3)} (below ${ANTISPOOF_LOW})`,
      });
    }
    if (typeof face.live === 'number' && Number.isFinite(face.live) && face.live < LIVENESS_LOW) {
      signals.push({
        code: 'liveness_low', stepId, score: clamp(1 - face.live),
        detail: `liveness score of ${which} is ${face.live.toFixed(3)} (below ${LIVENESS_LOW})`,
      });
    }
  });
  return signals;
}

function clamp(x: number): number {
  return Math.max(0, Math.min(1, x));
}
