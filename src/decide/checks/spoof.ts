// Spoof signals: how far each kind may push a decision, and where its score puts it.
import type { Evidence } from '../evidence.js';
import type { Policy } from '../policy.js';
import { isUnitScore, show, type CheckResult, type Finding } from './finding.js';

/**
 * The harshest outcome each kind of signal may cause. Duplicates are facts about the uploads and can
 * reject; screen, print and antispoof signals are heuristics with measured false alarms on genuine
 * photos, so at most they send the session to a reviewer. Unknown kinds are treated as heuristics.
 */
export const SPOOF_SIGNAL_CAPS: Readonly<Record<string, 'rejected' | 'review'>> = Object.freeze({
  same_photo_twice: 'rejected',
  near_duplicate_in_session: 'rejected',
  near_duplicate_other_session: 'rejected',
  screen_border: 'review',
  moire: 'review',
  antispoof_low: 'review',
  liveness_low: 'review',
});

export function checkSpoof(evidence: Evidence, policy: Policy): CheckResult {
  const findings: Finding[] = [];
  const kindOf = new Map(evidence.steps.map((s) => [s.stepId, s.kind]));
  let strongest = 0;

  for (const signal of evidence.spoof) {
    const where = signal.stepId ? ` on step ${signal.stepId}` : '';
    const text = `${signal.code}${where} (score ${show(signal.score)}): ${signal.detail}`;
    if (!isUnitScore(signal.score)) {
      findings.push({ code: 'spoof_suspected', detail: `${signal.code}${where} with a malformed score ${String(signal.score)}` });
      strongest = 1;
      continue;
    }
    strongest = Math.max(strongest, signal.score);
    let cap = SPOOF_SIGNAL_CAPS[signal.code] ?? 'review';
    // The same person photographing the same card in a new session gives a near-identical ID photo:
    // a reason to look, not proof of a replay.
    if (signal.code === 'near_duplicate_other_session' && signal.stepId && kindOf.get(signal.stepId) === 'id_front') {
      cap = 'review';
    }
    if (cap === 'rejected' && signal.score > policy.spoofRejectAbove) {
      findings.push({ code: 'spoof_strong', detail: text });
    } else if (signal.score > policy.spoofReviewAbove) {
      findings.push({ code: 'spoof_suspected', detail: text });
    } else {
      findings.push({ code: 'spoof_weak_signal', detail: text });
    }
  }
  return { findings, scores: { spoof: strongest } };
}
