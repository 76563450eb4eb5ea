// The newspaper step proves the photo was taken now: the requested paper, a printed date inside the
// window, and the seller in the same photo.
import type { Evidence } from '../evidence.js';
import type { Policy } from '../policy.js';
import { dayNumber, isoFromDayNumber } from './dates.js';
import { isUnitScore, show, type CheckResult, type Finding } from './finding.js';

export function checkNewspaper(evidence: Evidence, policy: Policy): CheckResult {
  const findings: Finding[] = [];
  const paper = evidence.newspaper;
  const newspaperSteps = evidence.steps.filter((s) => s.kind === 'newspaper');

  if (paper === null) {
    if (newspaperSteps.length > 0 || policy.requireNewspaper) {
      findings.push({
        code: 'newspaper_missing',
        detail: newspaperSteps.length > 0
          ? `the challenge asked for a newspaper (step ${newspaperSteps.map((s) => s.stepId).join(', ')}) but there is no newspaper evidence`
          : 'the policy requires a newspaper and the session has none',
      });
    }
    return { findings, scores: { newspaperOcr: null } };
  }

  const where = `${paper.expectedName} on step ${paper.stepId}`;
  if (!newspaperSteps.some((s) => s.stepId === paper.stepId)) {
    findings.push({ code: 'evidence_inconsistent', detail: `newspaper evidence for step ${paper.stepId}, which is not a newspaper step of the challenge` });
  }
  if (paper.mastheadFound !== true) {
    findings.push({
      code: 'newspaper_masthead_not_found',
      detail: `masthead of ${where} ${paper.mastheadFound === false ? 'not found' : 'could not be looked for'}`,
    });
  }
  if (!paper.faceInPhoto) {
    findings.push({ code: 'newspaper_face_missing', detail: `no face of the seller in the photo of ${where}` });
  }

  const confidence = paper.ocrConfidence;
  const trusted = isUnitScore(confidence) && confidence > policy.newspaperMinOcrConfidence;
  const from = dayNumber(paper.window.from);
  const to = dayNumber(paper.window.to);
  if (from === null || to === null || from > to) {
    findings.push({ code: 'evidence_inconsistent', detail: `newspaper window ${paper.window.from}..${paper.window.to} is not a valid date range` });
  } else if (paper.dateRead === null) {
    findings.push({
      code: 'newspaper_date_unreadable',
      detail: `no date read from ${where}${paper.dateText ? ` (text "${paper.dateText}")` : ''}`,
    });
  } else {
    const read = dayNumber(paper.dateRead);
    // The tenant's age limit narrows the challenge's window; it never widens it.
    const earliest = Math.max(from, to - policy.newspaperMaxAgeDays);
    const windowText = `${isoFromDayNumber(earliest)}..${paper.window.to}`;
    if (read === null) {
      findings.push({ code: 'evidence_inconsistent', detail: `newspaper date "${paper.dateRead}" is not a calendar date` });
    } else if (read < earliest || read > to) {
      // A misread digit can move a genuine date out of the window: only a confident read rejects.
      findings.push({
        code: trusted ? 'newspaper_date_outside_window' : 'newspaper_ocr_low_confidence',
        detail: `printed date ${paper.dateRead} (text "${paper.dateText ?? ''}") outside ${windowText}; OCR confidence ${show(confidence)}`,
      });
    } else if (!trusted) {
      findings.push({
        code: 'newspaper_ocr_low_confidence',
        detail: `printed date ${paper.dateRead} inside ${windowText} but OCR confidence ${show(confidence)} is not above ${show(policy.newspaperMinOcrConfidence)}`,
      });
    }
  }
  return { findings, scores: { newspaperOcr: isUnitScore(confidence) ? confidence : null } };
}
