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
  const requested = paper.requestedDate === undefined ? to : dayNumber(paper.requestedDate);
  // A window reckoned in another zone than the seller's (UTC, for challenges drawn before zones
  // were recorded) can be a day off at either end: nothing is approved on it, and only a date more
  // than a day outside it rejects.
  const zoneKnown = typeof paper.timeZone === 'string' && paper.timeZone.length > 0;
  const slack = zoneKnown ? 0 : 1;
  if (from === null || to === null || from > to) {
    findings.push({ code: 'evidence_inconsistent', detail: `newspaper window ${paper.window.from}..${paper.window.to} is not a valid date range` });
  } else if (requested === null || requested < from || requested > to) {
    findings.push({ code: 'evidence_inconsistent', detail: `requested newspaper date ${paper.requestedDate} is not a date inside the window ${paper.window.from}..${paper.window.to}` });
  } else if (paper.dateRead === null) {
    findings.push({
      code: 'newspaper_date_unreadable',
      detail: `no date read from ${where}${paper.dateText ? ` (text "${paper.dateText}")` : ''}`,
    });
  } else {
    const read = dayNumber(paper.dateRead);
    // The tenant's age limit counts back from the date asked for and narrows the challenge's
    // window; it never widens it. A fresher paper than the one asked for (up to the window's end,
    // the latest date on sale in the region) passes.
    const earliest = Math.max(from, requested - policy.newspaperMaxAgeDays);
    const windowText = `${isoFromDayNumber(earliest)}..${paper.window.to}`;
    if (read === null) {
      findings.push({ code: 'evidence_inconsistent', detail: `newspaper date "${paper.dateRead}" is not a calendar date` });
    } else if (!zoneKnown && read >= earliest - slack && read <= to + slack) {
      findings.push({
        code: 'newspaper_date_zone_unknown',
        detail: `printed date ${paper.dateRead} judged against ${windowText}, reckoned in ${paper.timeZone === null ? 'every zone, none being known for the region' : 'UTC, the challenge being drawn before zones were recorded'}, not the seller's`,
      });
    } else if (read < earliest - slack || read > to + slack) {
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
