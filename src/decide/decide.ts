// decide(evidence, policy): pure. Every field of the evidence is looked at by one of the checks;
// any rejecting reason rejects, else any review reason sends to review, else it is approved.
import type { Decision, Evidence, Outcome, Reason } from './evidence.js';
import type { Policy } from './policy.js';
import { REASON_CODES } from './reasons.js';
import type { CheckResult } from './checks/finding.js';
import { checkSteps } from './checks/steps.js';
import { checkFaceMatch, checkSameFace } from './checks/faces.js';
import { checkGestures } from './checks/gestures.js';
import { checkNewspaper } from './checks/newspaper.js';
import { checkDocument } from './checks/document.js';
import { checkSpoof } from './checks/spoof.js';

const SEVERITY: Record<'rejected' | 'review' | 'info', number> = { rejected: 2, review: 1, info: 0 };

export function decide(evidence: Evidence, policy: Policy): Decision {
  const results: CheckResult[] = [
    checkSteps(evidence),
    checkFaceMatch(evidence, policy),
    checkSameFace(evidence, policy),
    checkGestures(evidence, policy),
    checkNewspaper(evidence, policy),
    checkDocument(evidence),
    checkSpoof(evidence, policy),
  ];

  const findings = results.flatMap((r) => r.findings);
  const scores = Object.assign({}, ...results.map((r) => r.scores)) as Decision['scores'];

  const worst = Math.max(0, ...findings.map((f) => SEVERITY[REASON_CODES[f.code].outcome]));
  const outcome: Outcome = worst === 2 ? 'rejected' : worst === 1 ? 'review' : 'approved';

  // Rejecting reasons first, then review, then the record; stable within each group.
  const reasons: Reason[] = findings
    .map((f, i) => ({ f, i }))
    .sort((a, b) => SEVERITY[REASON_CODES[b.f.code].outcome] - SEVERITY[REASON_CODES[a.f.code].outcome] || a.i - b.i)
    .map(({ f }) => ({ code: f.code, detail: f.detail }));
  if (outcome === 'approved') {
    reasons.unshift({ code: 'all_checks_passed', detail: 'every required check passed with margin' });
  }
  return { outcome, reasons, scores };
}
