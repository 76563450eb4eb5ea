// Whose face: the live face against the ID portrait, the card held in the selfie against the ID
// photo, and the same live face in every photo of the session.
import type { Evidence } from '../evidence.js';
import { FACE_MATCHER_MODEL, type Band, type Policy } from '../policy.js';
import type { ReasonCode } from '../reasons.js';
import { isUnitScore, show, type CheckResult, type Finding } from './finding.js';

/** Where a similarity falls in a band: reject strictly below, approve strictly above. */
function banded(score: number, band: Band): 'reject' | 'review' | 'approve' {
  if (score < band.rejectBelow) return 'reject';
  if (score > band.approveAbove) return 'approve';
  return 'review';
}

/**
 * Below this width (face box, photo pixels) a face carries too little detail for a similarity to
 * count either way: the face match, the same face across photos and the held card's portrait go to
 * a reviewer instead. `npm run bench face-size` (test/bench/face-size.ts) reduces each of the 90
 * pooled fixture faces to a width and compares it with every other photo at full resolution (261
 * genuine, 7,288 impostor pairs; bands 0.86 / 0.70): at 16 / 24 / 32 / 48 / 64 / 80 px, 12 / 16 / 9
 * / 9 / 5 / 3 genuine pairs fell below the reject line (down to 0.614 at 80 px) and impostors reached
 * 0.867; from 96 px no genuine pair was rejected (lowest 0.712) and no impostor rose above 0.849.
 */
export const MIN_FACE_PX = 96;

/**
 * From MIN_FACE_PX up to this width a face still carries less detail than the full-size faces the
 * bands were set on, and the wrong person scores a little higher: on the same bench the highest
 * impostor at 96 / 128 px was 0.844 / 0.849 against 0.844 at full size. Below this width the approve
 * line is raised to SMALL_FACE_APPROVE_ABOVE, that 0.849 plus the approve line's margin of 0.015
 * (src/vision/match.ts), rounded up; a score between the two lines goes to a reviewer. With it no
 * impostor is approved at any width from 96 px, and 198 / 199 of the 261 genuine pairs still are at
 * 96 / 128 px (219 at 160 px, judged by the full-size line).
 */
export const SMALL_FACE_PX = 160;
export const SMALL_FACE_APPROVE_ABOVE = 0.87;

/**
 * A face match approves only when fused from this many live faces at least (src/pipeline/faces.ts
 * fuseFaceMatch): no automatic approval rests on one face comparison. test/bench/face.ts, "what each
 * fusion rule buys", prints the sessions one pair approves against the fused score.
 */
export const MIN_FACE_COMPARISONS = 2;

/** The face-size rules as data, for the review console to draw the lines a small face was judged by. */
export const FACE_SIZE_RULES = Object.freeze({ minFacePx: MIN_FACE_PX, smallFacePx: SMALL_FACE_PX, smallFaceApproveAbove: SMALL_FACE_APPROVE_ABOVE });

/** The band a similarity is judged by when the smaller face compared is `px` wide (from MIN_FACE_PX up). */
export function bandForFaceWidth(band: Band, px: number): Band {
  return px < SMALL_FACE_PX ? { ...band, approveAbove: Math.max(band.approveAbove, SMALL_FACE_APPROVE_ABOVE) } : band;
}

/** Unknown size counts as too small: a score is only trusted for faces known to be big enough. */
function tooSmall(px: number | null | undefined): boolean {
  return px === null || px === undefined || px < MIN_FACE_PX;
}

/**
 * The finding for a similarity: reject below the band, review inside it, nothing above it; review
 * whatever the score when the smaller face compared (`face`, `px` wide) is too small to count.
 */
function judge(
  score: number,
  band: Band,
  codes: { reject: ReasonCode; review: ReasonCode },
  what: string,
  size: { face: string; px: number | null | undefined },
): Finding[] {
  if (tooSmall(size.px)) {
    const wide = size.px ? `${size.px} px` : 'of unknown size';
    return [{ code: codes.review, detail: `${what} ${show(score)}, but ${size.face} is ${wide} wide: under ${MIN_FACE_PX} px a similarity counts neither way` }];
  }
  const applied = bandForFaceWidth(band, size.px as number);
  const verdict = banded(score, applied);
  const detail = `${what} ${show(score)} (reject below ${show(applied.rejectBelow)}, approve above ${show(applied.approveAbove)}${applied.approveAbove > band.approveAbove ? `: ${size.face} is ${size.px} px wide, under ${SMALL_FACE_PX} px` : ''})`;
  if (verdict === 'reject') return [{ code: codes.reject, detail }];
  if (verdict === 'review') return [{ code: codes.review, detail }];
  return [];
}

export function checkFaceMatch(evidence: Evidence, policy: Policy): CheckResult {
  const { faceMatch } = evidence;
  const findings: Finding[] = [];
  const model = faceMatch.model || 'unnamed model';

  if (!faceMatch.liveFaceFound) {
    findings.push({ code: 'live_face_not_found', detail: `no live face for the ${model} face match` });
  }
  if (!faceMatch.idPortraitFound) {
    findings.push({ code: 'id_portrait_not_found', detail: 'no portrait found on the ID photo' });
  }
  // A face on no document seen (or no document evidence at all: OCR failed, the identity was erased)
  // is nobody's ID portrait: comparisons with it can neither reject nor approve.
  const onDocument = evidence.document != null && evidence.document.seen != null;
  const unlessOnDocument = (reject: ReasonCode, review: ReasonCode) => (f: Finding): Finding =>
    (onDocument || f.code !== reject ? f : { code: review, detail: `${f.detail}; no document was seen in the ID photo, so its face is no ID portrait` });
  if (faceMatch.score !== null || faceMatch.heldCardScore !== null) {
    // The bands were measured for one matcher; another's similarities mean something else.
    if (faceMatch.model !== FACE_MATCHER_MODEL) {
      findings.push({ code: 'evidence_inconsistent', detail: `face scores come from ${model}, the thresholds are for ${FACE_MATCHER_MODEL}` });
    }
  }
  if (faceMatch.score !== null) {
    if (!isUnitScore(faceMatch.score)) {
      findings.push({ code: 'evidence_inconsistent', detail: `face match score ${String(faceMatch.score)} is not in 0..1` });
    } else {
      const comparisons = faceMatch.comparisons ?? 1;
      const verdict = judge(faceMatch.score, policy.faceMatch, { reject: 'face_mismatch', review: 'face_match_uncertain' },
        `live face vs ID portrait similarity, fused over ${comparisons} photo(s) (${model})`, { face: 'the smallest face', px: faceMatch.smallestFacePx });
      findings.push(...verdict.map(unlessOnDocument('face_mismatch', 'face_match_uncertain')));
      if (verdict.length === 0 && comparisons < MIN_FACE_COMPARISONS) {
        findings.push({ code: 'face_match_uncertain', detail: `live face vs ID portrait similarity ${show(faceMatch.score)} rests on ${comparisons} comparison(s): approving needs ${MIN_FACE_COMPARISONS} live faces or more` });
      }
    }
  } else if (faceMatch.liveFaceFound && faceMatch.idPortraitFound) {
    findings.push({ code: 'evidence_inconsistent', detail: 'both faces were found but no face match score was given' });
  }

  // The card in the selfie must be the document photographed on its own: otherwise the ID photo
  // could be someone else's card and the held card a print of the seller.
  const hasSelfieWithId = evidence.steps.some((s) => s.kind === 'selfie_with_id');
  if (hasSelfieWithId) {
    if (faceMatch.heldCardScore === null) {
      findings.push({ code: 'held_card_portrait_not_found', detail: 'no portrait found on the card held in the selfie' });
    } else if (!isUnitScore(faceMatch.heldCardScore)) {
      findings.push({ code: 'evidence_inconsistent', detail: `held card score ${String(faceMatch.heldCardScore)} is not in 0..1` });
    } else {
      findings.push(...judge(faceMatch.heldCardScore, policy.faceMatch, { reject: 'held_card_mismatch', review: 'held_card_uncertain' },
        `held card portrait vs ID portrait similarity (${model})`, { face: 'the portrait', px: faceMatch.heldCardPortraitPx })
        .map(unlessOnDocument('held_card_mismatch', 'held_card_uncertain')));
    }
  }

  return { findings, scores: { faceMatch: faceMatch.score, heldCard: faceMatch.heldCardScore } };
}

export function checkSameFace(evidence: Evidence, policy: Policy): CheckResult {
  const { sameFace } = evidence;
  const findings: Finding[] = [];
  // Every step but the ID photo shows the live face; with two or more of them the session must say
  // they are one person.
  const liveSteps = evidence.steps.filter((s) => s.kind !== 'id_front' && s.photo);

  if (sameFace.minScore === null) {
    if (liveSteps.length >= 2) {
      findings.push({
        code: 'same_face_unavailable',
        detail: `${liveSteps.length} photos should show the live face but no cross-photo similarity was given`,
      });
    }
  } else if (!isUnitScore(sameFace.minScore)) {
    findings.push({ code: 'evidence_inconsistent', detail: `same-face score ${String(sameFace.minScore)} is not in 0..1` });
  } else {
    findings.push(...judge(sameFace.minScore, policy.sameFace, { reject: 'different_person_across_photos', review: 'same_face_uncertain' },
      'lowest live-face similarity across the photos', { face: 'the smallest face', px: sameFace.smallestFacePx }));
  }
  for (const stepId of sameFace.stepsWithoutFace) {
    findings.push({ code: 'face_missing_in_step', detail: `step ${stepId} has no usable live face` });
  }
  for (const stepId of sameFace.stepsWithExtraFaces) {
    findings.push({ code: 'extra_faces_in_step', detail: `step ${stepId} shows more than one live face` });
  }
  return { findings, scores: { sameFace: sameFace.minScore } };
}
