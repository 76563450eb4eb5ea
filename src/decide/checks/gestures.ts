// Each gesture step: shown, clearly not shown, or undecided; the verdict's own conditions go into
// the detail so a reviewer sees why.
import type { Evidence, GestureEvidence } from '../evidence.js';
import type { Policy } from '../policy.js';
import { isUnitScore, show, type CheckResult, type Finding } from './finding.js';

function conditionsSummary(g: GestureEvidence, held: boolean): string {
  const list = g.conditions
    .filter((c) => c.held === held)
    .map((c) => {
      const values = Object.entries(c.measured).map(([k, v]) => `${k}=${typeof v === 'number' ? Math.round(v * 1000) / 1000 : String(v)}`);
      return values.length ? `${c.condition} (${values.join(', ')})` : c.condition;
    });
  return list.length ? list.join('; ') : 'none';
}

export function checkGestures(evidence: Evidence, policy: Policy): CheckResult {
  const findings: Finding[] = [];
  const scores: Record<string, number | null> = {};
  const gestureSteps = new Set(evidence.steps.filter((s) => s.kind === 'gesture').map((s) => s.stepId));

  for (const g of evidence.gestures) {
    if (!gestureSteps.has(g.stepId)) {
      findings.push({ code: 'evidence_inconsistent', detail: `gesture verdict for step ${g.stepId}, which is not a gesture step of the challenge` });
    }
  }

  for (const stepId of gestureSteps) {
    const verdicts = evidence.gestures.filter((g) => g.stepId === stepId);
    if (verdicts.length === 0) {
      scores[`gesture:${stepId}`] = null;
      findings.push({ code: 'gesture_evidence_missing', detail: `gesture step ${stepId} has no verdict` });
      continue;
    }
    if (verdicts.length > 1) {
      findings.push({ code: 'evidence_inconsistent', detail: `gesture step ${stepId} has ${verdicts.length} verdicts` });
    }
    // With several verdicts the worst one counts.
    const g = verdicts.reduce((worst, v) => (rank(v) < rank(worst) ? v : worst));
    scores[`gesture:${stepId}`] = isUnitScore(g.score) ? g.score : null;
    const name = `${g.gestureId}@${g.gestureVersion} on step ${stepId}`;

    if (g.passed === false) {
      findings.push({ code: 'gesture_not_shown', detail: `${name} not shown (score ${show(g.score)}); failed: ${conditionsSummary(g, false)}` });
    } else if (g.passed === null) {
      findings.push({ code: 'gesture_uncertain', detail: `${name} undecided (score ${show(g.score)}); failed: ${conditionsSummary(g, false)}` });
    } else if (!isUnitScore(g.score)) {
      findings.push({ code: 'evidence_inconsistent', detail: `${name} passed with score ${String(g.score)}, not in 0..1` });
    } else if (g.score <= policy.gestureApproveAbove) {
      findings.push({
        code: 'gesture_weak',
        detail: `${name} passed with score ${show(g.score)}, not above ${show(policy.gestureApproveAbove)}; held: ${conditionsSummary(g, true)}`,
      });
    } else if (g.conditions.some((c) => !c.held)) {
      findings.push({ code: 'evidence_inconsistent', detail: `${name} passed although conditions failed: ${conditionsSummary(g, false)}` });
    }
  }
  return { findings, scores };
}

function rank(g: GestureEvidence): number {
  if (g.passed === false) return 0;
  if (g.passed === null) return 1;
  return 2 + (isUnitScore(g.score) ? g.score : -2);
}
