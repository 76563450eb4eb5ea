// decide() promises: every reason code is reachable, reject beats review beats approve, and nothing
// uncertain or missing is ever approved.
import { describe, expect, it } from 'vitest';
import {
  decide, DEFAULT_POLICY, FACE_MATCHER_MODEL, MIN_FACE_PX, MRZ_MAX_REPAIRS, REASON_CODES, SMALL_FACE_APPROVE_ABOVE, SMALL_FACE_PX, SPOOF_SIGNAL_CAPS, type Evidence, type Policy,
} from '../../../src/decide/index.js';
import { above, below, between, gesture, passingEvidence } from './sessions.js';

const P = DEFAULT_POLICY;

type Case = { name: string; change: (e: Evidence) => void; policy?: Partial<Policy>; outcome: 'approved' | 'rejected' | 'review'; code: string };

const paper = (e: Evidence) => e.newspaper!;
const doc = (e: Evidence) => e.document!;

const CASES: Case[] = [
  // rejected
  { name: 'another person on the ID', change: (e) => { e.faceMatch.score = below(P.faceMatch); }, outcome: 'rejected', code: 'face_mismatch' },
  { name: 'the held card is another person', change: (e) => { e.faceMatch.heldCardScore = below(P.faceMatch); }, outcome: 'rejected', code: 'held_card_mismatch' },
  { name: 'a different person in one photo', change: (e) => { e.sameFace.minScore = below(P.sameFace); }, outcome: 'rejected', code: 'different_person_across_photos' },
  { name: 'a gesture clearly not shown', change: (e) => { e.gestures[1] = gesture('g2', { passed: false, score: 0.1, conditions: [{ condition: 'middle extended', held: false, measured: { angle: 61 } }] }); }, outcome: 'rejected', code: 'gesture_not_shown' },
  { name: 'a resident ID number with a wrong check digit', change: (e) => { doc(e).checksumValid = false; }, outcome: 'rejected', code: 'document_checksum_invalid' },
  { name: 'a resident ID number with an impossible birth date', change: (e) => { doc(e).consistent = false; }, outcome: 'rejected', code: 'document_number_inconsistent' },
  { name: 'a document number not the declared one', change: (e) => { doc(e).numberMatches = false; doc(e).declaredNumber = '110105194912310021'; }, outcome: 'rejected', code: 'document_number_mismatch' },
  { name: 'a name not the declared one', change: (e) => { doc(e).nameMatches = false; doc(e).declaredName = '李四'; }, outcome: 'rejected', code: 'document_name_mismatch' },
  { name: 'last week\u2019s newspaper', change: (e) => { paper(e).dateRead = '2026-11-15'; }, outcome: 'rejected', code: 'newspaper_date_outside_window' },
  { name: 'a newspaper dated in the future', change: (e) => { paper(e).dateRead = '2026-11-23'; }, outcome: 'rejected', code: 'newspaper_date_outside_window' },
  { name: 'a date inside the window but older than the tenant allows', change: (e) => { paper(e).window.from = '2026-11-15'; paper(e).dateRead = '2026-11-18'; }, policy: { newspaperMaxAgeDays: 2 }, outcome: 'rejected', code: 'newspaper_date_outside_window' },
  { name: 'a paper older than the policy allows before the date asked for', change: (e) => { Object.assign(paper(e), { window: { from: '2026-11-20', to: '2026-11-22' }, requestedDate: '2026-11-21', dateRead: '2026-11-19' }); }, outcome: 'rejected', code: 'newspaper_date_outside_window' },
  { name: 'a paper from the day before the date asked for, under a same-day policy', change: (e) => { Object.assign(paper(e), { window: { from: '2026-11-20', to: '2026-11-22' }, requestedDate: '2026-11-21', dateRead: '2026-11-20' }); }, policy: { newspaperMaxAgeDays: 0 }, outcome: 'rejected', code: 'newspaper_date_outside_window' },
  { name: 'last week\u2019s paper on a challenge drawn before zones were recorded', change: (e) => { delete paper(e).timeZone; delete paper(e).requestedDate; paper(e).dateRead = '2026-11-15'; }, outcome: 'rejected', code: 'newspaper_date_outside_window' },
  { name: 'the same photo uploaded for two steps', change: (e) => { e.spoof.push({ code: 'same_photo_twice', stepId: 'g2', score: 1, detail: 'g1 and g2 have the same sha256' }); }, outcome: 'rejected', code: 'spoof_strong' },
  { name: 'a gesture photo replayed from another session', change: (e) => { e.spoof.push({ code: 'near_duplicate_other_session', stepId: 'g1', score: 0.97, detail: 'pHash distance 2 to session s-9' }); }, outcome: 'rejected', code: 'spoof_strong' },

  // review
  { name: 'no steps at all', change: (e) => { e.steps = []; }, outcome: 'review', code: 'no_steps' },
  { name: 'a step without its photo', change: (e) => { e.steps[2].photo = false; }, outcome: 'review', code: 'step_photo_missing' },
  { name: 'a step listed twice', change: (e) => { e.steps.push({ ...e.steps[2] }); }, outcome: 'review', code: 'evidence_inconsistent' },
  { name: 'a gesture verdict for an unknown step', change: (e) => { e.gestures.push(gesture('zz')); }, outcome: 'review', code: 'evidence_inconsistent' },
  { name: 'two verdicts for one gesture step', change: (e) => { e.gestures.push(gesture('g1')); }, outcome: 'review', code: 'evidence_inconsistent' },
  { name: 'a passed gesture whose conditions failed', change: (e) => { e.gestures[0].conditions.push({ condition: 'hand beside face', held: false, measured: { dx: 0.1 } }); }, outcome: 'review', code: 'evidence_inconsistent' },
  { name: 'a face score outside 0..1', change: (e) => { e.faceMatch.score = 1.7; }, outcome: 'review', code: 'evidence_inconsistent' },
  { name: 'face scores from another matcher', change: (e) => { e.faceMatch.model = 'human-faceres'; }, outcome: 'review', code: 'evidence_inconsistent' },
  { name: 'both faces found but no score', change: (e) => { e.faceMatch.score = null; }, outcome: 'review', code: 'evidence_inconsistent' },
  { name: 'a newspaper window that is not a range', change: (e) => { paper(e).window = { from: '2026-11-23', to: '2026-11-22' }; }, outcome: 'review', code: 'evidence_inconsistent' },
  { name: 'a newspaper date that is not a calendar date', change: (e) => { paper(e).dateRead = '2026-02-30'; }, outcome: 'review', code: 'evidence_inconsistent' },
  { name: 'newspaper evidence for a gesture step', change: (e) => { paper(e).stepId = 'g1'; }, outcome: 'review', code: 'evidence_inconsistent' },
  { name: 'OCR could not run', change: (e) => { e.missing.push('ocr:newspaper'); }, outcome: 'review', code: 'check_missing' },
  { name: 'a face match between thresholds', change: (e) => { e.faceMatch.score = between(P.faceMatch); }, outcome: 'review', code: 'face_match_uncertain' },
  { name: 'a face match resting on one live face, however high', change: (e) => { e.faceMatch.score = 0.99; e.faceMatch.comparisons = 1; }, outcome: 'review', code: 'face_match_uncertain' },
  { name: 'a face match recorded without its number of comparisons', change: (e) => { delete e.faceMatch.comparisons; }, outcome: 'review', code: 'face_match_uncertain' },
  { name: 'a face match exactly at the approve threshold', change: (e) => { e.faceMatch.score = P.faceMatch.approveAbove; }, outcome: 'review', code: 'face_match_uncertain' },
  { name: 'no live face', change: (e) => { e.faceMatch.liveFaceFound = false; e.faceMatch.score = null; }, outcome: 'review', code: 'live_face_not_found' },
  { name: 'no portrait on the ID', change: (e) => { e.faceMatch.idPortraitFound = false; e.faceMatch.score = null; }, outcome: 'review', code: 'id_portrait_not_found' },
  {
    name: 'a held card portrait too small to count scores low',
    change: (e) => { e.faceMatch.heldCardScore = below(P.faceMatch); e.faceMatch.heldCardPortraitPx = MIN_FACE_PX - 1; },
    outcome: 'review', code: 'held_card_uncertain',
  },
  {
    name: 'a held card portrait too small to count scores high',
    change: (e) => { e.faceMatch.heldCardScore = above(P.faceMatch); e.faceMatch.heldCardPortraitPx = MIN_FACE_PX - 1; },
    outcome: 'review', code: 'held_card_uncertain',
  },
  {
    name: 'a held card portrait of unknown size scores low',
    change: (e) => { e.faceMatch.heldCardScore = below(P.faceMatch); e.faceMatch.heldCardPortraitPx = null; },
    outcome: 'review', code: 'held_card_uncertain',
  },
  { name: 'the held card matches weakly', change: (e) => { e.faceMatch.heldCardScore = between(P.faceMatch); }, outcome: 'review', code: 'held_card_uncertain' },
  { name: 'no portrait on the held card', change: (e) => { e.faceMatch.heldCardScore = null; }, outcome: 'review', code: 'held_card_portrait_not_found' },
  {
    name: 'a face match on a face too small to count, however high',
    change: (e) => { e.faceMatch.smallestFacePx = MIN_FACE_PX - 1; },
    outcome: 'review', code: 'face_match_uncertain',
  },
  {
    name: 'a face mismatch on a face too small to count',
    change: (e) => { e.faceMatch.score = below(P.faceMatch); e.faceMatch.smallestFacePx = MIN_FACE_PX - 1; },
    outcome: 'review', code: 'face_match_uncertain',
  },
  {
    name: 'live faces compared across photos where one is too small to count',
    change: (e) => { e.sameFace.minScore = below(P.sameFace); e.sameFace.smallestFacePx = MIN_FACE_PX - 1; },
    outcome: 'review', code: 'same_face_uncertain',
  },
  {
    name: 'a small face above the full-size approve line but not the small-face one',
    change: (e) => { e.faceMatch.score = (P.faceMatch.approveAbove + SMALL_FACE_APPROVE_ABOVE) / 2; e.faceMatch.smallestFacePx = SMALL_FACE_PX - 1; },
    outcome: 'review', code: 'face_match_uncertain',
  },
  {
    name: 'a small held card portrait above the full-size approve line but not the small-face one',
    change: (e) => { e.faceMatch.heldCardScore = (P.faceMatch.approveAbove + SMALL_FACE_APPROVE_ABOVE) / 2; e.faceMatch.heldCardPortraitPx = MIN_FACE_PX; },
    outcome: 'review', code: 'held_card_uncertain',
  },
  {
    name: 'a small live face across the photos above the full-size approve line but not the small-face one',
    change: (e) => { e.sameFace.minScore = (P.sameFace.approveAbove + SMALL_FACE_APPROVE_ABOVE) / 2; e.sameFace.smallestFacePx = SMALL_FACE_PX - 1; },
    outcome: 'review', code: 'same_face_uncertain',
  },
  { name: 'the live faces match weakly', change: (e) => { e.sameFace.minScore = between(P.sameFace); }, outcome: 'review', code: 'same_face_uncertain' },
  { name: 'the live faces were not compared', change: (e) => { e.sameFace.minScore = null; }, outcome: 'review', code: 'same_face_unavailable' },
  { name: 'a gesture photo without the face', change: (e) => { e.sameFace.stepsWithoutFace.push('g2'); }, outcome: 'review', code: 'face_missing_in_step' },
  { name: 'a second person in a photo', change: (e) => { e.sameFace.stepsWithExtraFaces.push('g1'); }, outcome: 'review', code: 'extra_faces_in_step' },
  { name: 'a gesture that could not be told', change: (e) => { e.gestures[0] = gesture('g1', { passed: null, score: 0.4 }); }, outcome: 'review', code: 'gesture_uncertain' },
  { name: 'a gesture that only just fits', change: (e) => { e.gestures[0] = gesture('g1', { score: P.gestureApproveAbove }); }, outcome: 'review', code: 'gesture_weak' },
  { name: 'a gesture step without a verdict', change: (e) => { e.gestures.pop(); }, outcome: 'review', code: 'gesture_evidence_missing' },
  { name: 'a newspaper step without newspaper evidence', change: (e) => { e.newspaper = null; }, outcome: 'review', code: 'newspaper_missing' },
  { name: 'the policy requires a newspaper the challenge lacks', change: (e) => { e.newspaper = null; e.steps = e.steps.filter((s) => s.kind !== 'newspaper'); }, outcome: 'review', code: 'newspaper_missing' },
  { name: 'the masthead not found', change: (e) => { paper(e).mastheadFound = false; }, outcome: 'review', code: 'newspaper_masthead_not_found' },
  { name: 'the masthead not looked for', change: (e) => { paper(e).mastheadFound = null; }, outcome: 'review', code: 'newspaper_masthead_not_found' },
  { name: 'an unreadable date', change: (e) => { paper(e).dateRead = null; paper(e).dateText = null; }, outcome: 'review', code: 'newspaper_date_unreadable' },
  { name: 'a date read with low confidence', change: (e) => { paper(e).ocrConfidence = 0.3; }, outcome: 'review', code: 'newspaper_ocr_low_confidence' },
  { name: 'a date read with unreported confidence', change: (e) => { paper(e).ocrConfidence = null; }, outcome: 'review', code: 'newspaper_ocr_low_confidence' },
  { name: 'an out-of-window date read with low confidence', change: (e) => { paper(e).dateRead = '2026-11-02'; paper(e).ocrConfidence = 0.2; }, outcome: 'review', code: 'newspaper_ocr_low_confidence' },
  { name: 'the seller not in the newspaper photo', change: (e) => { paper(e).faceInPhoto = false; }, outcome: 'review', code: 'newspaper_face_missing' },
  { name: 'a same-day paper on a challenge drawn before zones were recorded', change: (e) => { delete paper(e).timeZone; delete paper(e).requestedDate; }, outcome: 'review', code: 'newspaper_date_zone_unknown' },
  // Before zones were recorded the window was UTC's: at 07:00 in Beijing it ends a day early, and
  // the seller's real paper of the day must not be rejected for it.
  { name: 'the seller\u2019s paper of the day, a day past a UTC window', change: (e) => { delete paper(e).timeZone; delete paper(e).requestedDate; paper(e).dateRead = '2026-11-23'; }, outcome: 'review', code: 'newspaper_date_zone_unknown' },
  { name: 'a region with no time zone on file', change: (e) => { paper(e).timeZone = null; }, outcome: 'review', code: 'newspaper_date_zone_unknown' },
  { name: 'a requested date outside its own window', change: (e) => { paper(e).requestedDate = '2026-11-23'; }, outcome: 'review', code: 'evidence_inconsistent' },
  { name: 'no document evidence', change: (e) => { e.document = null; }, outcome: 'review', code: 'document_missing' },
  { name: 'an unreadable document number', change: (e) => { Object.assign(doc(e), { numberRead: null, checksumValid: null, consistent: null, numberMatches: null }); }, outcome: 'review', code: 'document_number_unreadable' },
  { name: 'check digits not verified', change: (e) => { doc(e).checksumValid = null; }, outcome: 'review', code: 'document_checksum_unknown' },
  // OCR cannot tell a misread check digit from a wrong one: an MRZ that fails as read is unreadable, not invalid
  { name: 'an MRZ check digit that failed as read', change: (e) => { Object.assign(doc(e), { documentType: 'passport', consistent: null, checksumValid: null, failedChecks: ['birthDateCheckDigit'], seen: { kind: 'mrz_document', by: 'mrz' }, mrzRepairs: 0 }); }, outcome: 'review', code: 'document_checksum_unknown' },
  { name: 'an MRZ whose check digits held only after many repairs', change: (e) => { Object.assign(doc(e), { documentType: 'passport', consistent: null, seen: { kind: 'mrz_document', by: 'mrz' }, mrzRepairs: MRZ_MAX_REPAIRS + 1 }); }, outcome: 'review', code: 'document_mrz_repaired' },
  { name: 'valid check digits beside failed ones', change: (e) => { Object.assign(doc(e), { documentType: 'passport', consistent: null, failedChecks: ['birthDateCheckDigit'], mrzRepairs: 0 }); }, outcome: 'review', code: 'evidence_inconsistent' },
  { name: 'a headshot uploaded as the ID front', change: (e) => { Object.assign(doc(e), { seen: null, numberRead: null, checksumValid: null, consistent: null, numberMatches: null, nameRead: null, nameMatches: null }); }, outcome: 'review', code: 'document_not_found' },
  { name: 'another face on no document seen', change: (e) => { doc(e).seen = null; e.faceMatch.score = below(P.faceMatch); }, outcome: 'review', code: 'face_match_uncertain' },
  { name: 'another face, with no document evidence to show the ID photo is one', change: (e) => { e.document = null; e.faceMatch.score = below(P.faceMatch); }, outcome: 'review', code: 'face_match_uncertain' },
  { name: 'another face on the held card, with no document seen in the ID photo', change: (e) => { doc(e).seen = null; e.faceMatch.heldCardScore = below(P.faceMatch); }, outcome: 'review', code: 'held_card_uncertain' },
  { name: 'resident ID consistency not checked', change: (e) => { doc(e).consistent = null; }, outcome: 'review', code: 'document_consistency_unknown' },
  { name: 'the number not compared', change: (e) => { doc(e).numberMatches = null; }, outcome: 'review', code: 'document_number_unverified' },
  { name: 'the name unreadable', change: (e) => { doc(e).nameRead = null; doc(e).nameMatches = null; }, outcome: 'review', code: 'document_name_unverified' },
  { name: 'a screen border', change: (e) => { e.spoof.push({ code: 'screen_border', stepId: 'selfie', score: 1, detail: '4 sides' }); }, outcome: 'review', code: 'spoof_suspected' },
  { name: 'moiré on a gesture photo', change: (e) => { e.spoof.push({ code: 'moire', stepId: 'g1', score: 0.8, detail: 'peak ratio 31' }); }, outcome: 'review', code: 'spoof_suspected' },
  { name: 'low antispoof score', change: (e) => { e.spoof.push({ code: 'antispoof_low', stepId: 'g1', score: 0.95, detail: 'real 0.05' }); }, outcome: 'review', code: 'spoof_suspected' },
  { name: 'an unknown spoof kind never rejects', change: (e) => { e.spoof.push({ code: 'future_signal', stepId: 'g1', score: 1, detail: '' }); }, outcome: 'review', code: 'spoof_suspected' },
  { name: 'a spoof signal with a malformed score', change: (e) => { e.spoof.push({ code: 'moire', stepId: 'g1', score: Number.NaN, detail: '' }); }, outcome: 'review', code: 'spoof_suspected' },
  { name: 'a re-photographed ID card matches another session', change: (e) => { e.spoof.push({ code: 'near_duplicate_other_session', stepId: 'id', score: 0.97, detail: 'pHash distance 2' }); }, outcome: 'review', code: 'spoof_suspected' },
  { name: 'a near duplicate in session below the reject threshold', change: (e) => { e.spoof.push({ code: 'near_duplicate_in_session', stepId: 'g2', score: 0.7, detail: 'pHash distance 9' }); }, outcome: 'review', code: 'spoof_suspected' },

  // approved
  { name: 'every check passed', change: () => {}, outcome: 'approved', code: 'all_checks_passed' },
  {
    name: 'faces from the small-face width up are judged on the full-size approve line',
    change: (e) => {
      const score = (P.faceMatch.approveAbove + SMALL_FACE_APPROVE_ABOVE) / 2;
      Object.assign(e.faceMatch, { score, smallestFacePx: SMALL_FACE_PX, heldCardScore: score, heldCardPortraitPx: SMALL_FACE_PX });
      e.sameFace.minScore = (P.sameFace.approveAbove + SMALL_FACE_APPROVE_ABOVE) / 2;
      e.sameFace.smallestFacePx = SMALL_FACE_PX;
    },
    outcome: 'approved', code: 'all_checks_passed',
  },
  { name: 'a weak spoof signal is recorded but approves', change: (e) => { e.spoof.push({ code: 'liveness_low', stepId: 'g1', score: 0.2, detail: 'live 0.8' }); }, outcome: 'approved', code: 'spoof_weak_signal' },
  { name: 'no newspaper when neither challenge nor policy asks', change: (e) => { e.newspaper = null; e.steps = e.steps.filter((s) => s.kind !== 'newspaper'); }, policy: { requireNewspaper: false }, outcome: 'approved', code: 'all_checks_passed' },
  { name: 'yesterday\u2019s evening paper asked for in the morning, the day\u2019s paper held', change: (e) => { Object.assign(paper(e), { window: { from: '2026-11-20', to: '2026-11-22' }, requestedDate: '2026-11-21', dateRead: '2026-11-22' }); }, outcome: 'approved', code: 'all_checks_passed' },
  { name: 'the paper a day before the one asked for, inside the policy\u2019s age', change: (e) => { Object.assign(paper(e), { window: { from: '2026-11-20', to: '2026-11-22' }, requestedDate: '2026-11-21', dateRead: '2026-11-20' }); }, outcome: 'approved', code: 'all_checks_passed' },
  { name: 'a passport has no resident-ID consistency check', change: (e) => { Object.assign(doc(e), { documentType: 'passport', consistent: null }); }, outcome: 'approved', code: 'all_checks_passed' },
  { name: 'an MRZ read with repairs within the limit', change: (e) => { Object.assign(doc(e), { documentType: 'passport', consistent: null, seen: { kind: 'mrz_document', by: 'mrz' }, mrzRepairs: MRZ_MAX_REPAIRS }); }, outcome: 'approved', code: 'all_checks_passed' },
  { name: 'a single live photo needs no cross-photo match', change: (e) => { e.steps = e.steps.slice(0, 2); e.gestures = []; e.newspaper = null; e.sameFace.minScore = null; }, policy: { requireNewspaper: false }, outcome: 'approved', code: 'all_checks_passed' },
];

function run(c: Case) {
  const e = passingEvidence();
  c.change(e);
  return decide(e, { ...P, ...c.policy });
}

describe('decide', () => {
  it.each(CASES)('$name → $outcome ($code)', (c) => {
    const d = run(c);
    expect(d.outcome).toBe(c.outcome);
    expect(d.reasons.map((r) => r.code)).toContain(c.code);
    // Every reason is a documented code, with a detail a person can read.
    for (const r of d.reasons) {
      expect(REASON_CODES).toHaveProperty(r.code);
      expect(r.detail.length).toBeGreaterThan(5);
    }
  });

  it('every reason code has a case that produces it', () => {
    const produced = new Set(CASES.flatMap((c) => run(c).reasons.map((r) => r.code)));
    const unreached = Object.keys(REASON_CODES).filter((code) => !produced.has(code));
    expect(unreached).toEqual([]);
  });

  it('the case table expects each code with the outcome the code documents', () => {
    for (const c of CASES) {
      const documented = REASON_CODES[c.code as keyof typeof REASON_CODES].outcome;
      if (documented !== 'info') expect(c.outcome, c.name).toBe(documented);
    }
  });

  it('approves only with no reject or review reason, and says so', () => {
    const d = decide(passingEvidence(), P);
    expect(d.outcome).toBe('approved');
    expect(d.reasons[0].code).toBe('all_checks_passed');
    expect(d.reasons.every((r) => REASON_CODES[r.code as keyof typeof REASON_CODES].outcome === 'info')).toBe(true);
  });

  it('reject beats review beats approve, and rejecting reasons are listed first', () => {
    const e = passingEvidence();
    e.faceMatch.heldCardScore = between(P.faceMatch); // review
    e.spoof.push({ code: 'liveness_low', stepId: 'g1', score: 0.1, detail: '' }); // info
    e.gestures[1] = gesture('g2', { passed: false, score: 0 }); // reject
    const d = decide(e, P);
    expect(d.outcome).toBe('rejected');
    const outcomes = d.reasons.map((r) => REASON_CODES[r.code as keyof typeof REASON_CODES].outcome);
    expect(outcomes).toEqual(['rejected', 'review', 'info']);

    e.gestures[1] = gesture('g2');
    expect(decide(e, P).outcome).toBe('review');
  });

  it('empty evidence is never approved', () => {
    const empty: Evidence = {
      steps: [],
      faceMatch: { score: null, smallestFacePx: null, idPortraitFound: false, liveFaceFound: false, heldCardScore: null, heldCardPortraitPx: null, model: '' },
      sameFace: { minScore: null, smallestFacePx: null, stepsWithoutFace: [], stepsWithExtraFaces: [] },
      gestures: [], newspaper: null, document: null, spoof: [], missing: [],
    };
    expect(decide(empty, { ...P, requireNewspaper: false }).outcome).toBe('review');
  });

  it('heuristic spoof signals never reject, whatever their score', () => {
    for (const [code, cap] of Object.entries(SPOOF_SIGNAL_CAPS)) {
      const e = passingEvidence();
      e.spoof.push({ code, stepId: 'g1', score: 1, detail: '' });
      expect(decide(e, P).outcome, code).toBe(cap);
    }
  });

  it('reports a score for the face match, the held card, the same face, every gesture step and spoof', () => {
    const e = passingEvidence();
    e.spoof.push({ code: 'moire', stepId: 'g1', score: 0.3, detail: '' });
    e.gestures[1] = gesture('g2', { score: 0.77 });
    const d = decide(e, P);
    expect(d.scores).toMatchObject({
      faceMatch: e.faceMatch.score, heldCard: e.faceMatch.heldCardScore, sameFace: e.sameFace.minScore,
      'gesture:g1': 0.9, 'gesture:g2': 0.77, newspaperOcr: 0.91, spoof: 0.3,
    });
    e.gestures.pop();
    expect(decide(e, P).scores['gesture:g2']).toBeNull();
  });

  it('puts the measured values in the detail', () => {
    const e = passingEvidence();
    e.faceMatch.score = 0.123;
    const r = decide(e, P).reasons.find((x) => x.code === 'face_mismatch');
    expect(r?.detail).toContain('0.123');
    expect(r?.detail).toContain(P.faceMatch.rejectBelow.toFixed(3));
    expect(r?.detail).toContain(FACE_MATCHER_MODEL);
  });

  it('does not modify the evidence', () => {
    const e = passingEvidence();
    e.spoof.push({ code: 'moire', stepId: 'g1', score: 0.7, detail: '' });
    const before = JSON.stringify(e);
    decide(e, P);
    expect(JSON.stringify(e)).toBe(before);
  });
});
