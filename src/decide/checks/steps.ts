// The challenge's steps themselves, and the checks that could not run.
import type { Evidence } from '../evidence.js';
import type { CheckResult, Finding } from './finding.js';

export function checkSteps(evidence: Evidence): CheckResult {
  const findings: Finding[] = [];
  if (evidence.steps.length === 0) {
    findings.push({ code: 'no_steps', detail: 'the evidence lists no capture steps' });
  }
  const seen = new Set<string>();
  for (const step of evidence.steps) {
    if (seen.has(step.stepId)) {
      findings.push({ code: 'evidence_inconsistent', detail: `step ${step.stepId} is listed twice` });
    }
    seen.add(step.stepId);
    if (!step.photo) {
      findings.push({ code: 'step_photo_missing', detail: `step ${step.stepId} (${step.kind}) has no photo` });
    }
  }
  for (const check of evidence.missing) {
    findings.push({ code: 'check_missing', detail: `check "${check}" could not run` });
  }
  return { findings, scores: {} };
}
