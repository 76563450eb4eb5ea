// Tenant policy overrides: validated, merged with the defaults, and never able to loosen approval.
import { describe, expect, it } from 'vitest';
import { DEFAULT_POLICY, POLICY_LIMITS, PolicyError, policySchema, resolvePolicy } from '../../../src/decide/index.js';

const D = DEFAULT_POLICY;

describe('resolvePolicy', () => {
  it('no overrides gives the defaults, as a copy', () => {
    for (const none of [undefined, null, {}]) {
      const p = resolvePolicy(none);
      expect(p).toEqual(D);
      p.faceMatch.approveAbove = 0.99;
      expect(D.faceMatch.approveAbove).not.toBe(0.99);
    }
  });

  it('a stricter tenant gets its own thresholds, the rest stay default', () => {
    const p = resolvePolicy({
      faceMatch: { approveAbove: Math.min(1, D.faceMatch.approveAbove + 0.1), rejectBelow: D.faceMatch.rejectBelow },
      newspaperMaxAgeDays: 0,
      spoofReviewAbove: 0.3,
    });
    expect(p.faceMatch.approveAbove).toBeCloseTo(Math.min(1, D.faceMatch.approveAbove + 0.1));
    expect(p.newspaperMaxAgeDays).toBe(0);
    expect(p.spoofReviewAbove).toBe(0.3);
    expect(p.sameFace).toEqual(D.sameFace);
    expect(p.requireNewspaper).toBe(D.requireNewspaper);
  });

  it('a tenant may soften rejection into review', () => {
    const p = resolvePolicy({ faceMatch: { approveAbove: D.faceMatch.approveAbove, rejectBelow: 0 }, spoofRejectAbove: 1 });
    expect(p.faceMatch.rejectBelow).toBe(0);
    expect(p.spoofRejectAbove).toBe(1);
  });

  const INVALID: [string, unknown, string][] = [
    ['approve a face match below the benchmarked floor', { faceMatch: { approveAbove: D.faceMatch.approveAbove - 0.01, rejectBelow: 0 } }, 'faceMatch.approveAbove'],
    ['approve a same-face match below the floor', { sameFace: { approveAbove: D.sameFace.approveAbove - 0.01, rejectBelow: 0 } }, 'sameFace.approveAbove'],
    ['reject above the approve threshold', { faceMatch: { approveAbove: 0.9, rejectBelow: 0.95 } }, 'rejectBelow must not exceed approveAbove'],
    ['a face band missing its reject threshold', { faceMatch: { approveAbove: 0.9 } }, 'faceMatch.rejectBelow'],
    ['a threshold above 1', { sameFace: { approveAbove: 1.2, rejectBelow: 0.1 } }, 'sameFace.approveAbove'],
    ['let weak gestures approve', { gestureApproveAbove: D.gestureApproveAbove - 0.1 }, 'gestureApproveAbove'],
    ['trust low-confidence OCR', { newspaperMinOcrConfidence: 0.1 }, 'newspaperMinOcrConfidence'],
    ['a newspaper older than a week', { newspaperMaxAgeDays: POLICY_LIMITS.newspaperMaxAgeDaysCeiling + 1 }, 'newspaperMaxAgeDays'],
    ['a fractional day count', { newspaperMaxAgeDays: 1.5 }, 'newspaperMaxAgeDays'],
    ['a negative day count', { newspaperMaxAgeDays: -1 }, 'newspaperMaxAgeDays'],
    ['let spoof signals through to approval', { spoofReviewAbove: Math.min(1, D.spoofReviewAbove + 0.2) }, 'spoofReviewAbove'],
    ['reject spoofs below the review threshold', { spoofReviewAbove: 0.4, spoofRejectAbove: 0.3 }, 'spoofRejectAbove'],
    ['a misspelt key', { faceMatc: { approveAbove: 0.9, rejectBelow: 0.1 } }, 'faceMatc'],
    ['a string for a number', { spoofReviewAbove: '0.3' }, 'spoofReviewAbove'],
    ['not an object', 'strict', '(policy)'],
  ];

  it.each(INVALID)('a tenant cannot %s', (_name, overrides, mentioned) => {
    expect(policySchema.safeParse(overrides).success).toBe(false);
    let error: unknown;
    try { resolvePolicy(overrides); } catch (e) { error = e; }
    expect(error).toBeInstanceOf(PolicyError);
    expect((error as PolicyError).type).toBe('policy.invalid');
    expect((error as PolicyError).issues.join(' | ')).toContain(mentioned);
  });

  it('accepts exactly the floors', () => {
    expect(policySchema.safeParse({
      faceMatch: { ...D.faceMatch }, sameFace: { ...D.sameFace }, gestureApproveAbove: D.gestureApproveAbove,
      newspaperMinOcrConfidence: D.newspaperMinOcrConfidence, spoofReviewAbove: D.spoofReviewAbove,
      spoofRejectAbove: D.spoofReviewAbove, newspaperMaxAgeDays: POLICY_LIMITS.newspaperMaxAgeDaysCeiling, requireNewspaper: false,
    }).success).toBe(true);
  });
});

describe('face thresholds', () => {
  it('are the face-match benchmark\u2019s, for the matcher the vision module uses', async () => {
    // Imported here, not in decide: the vision module's public face also starts worker threads.
    const { FACE_MATCH } = await import('../../../src/vision/index.js');
    const { FACE_MATCH_BAND, FACE_MATCHER_MODEL } = await import('../../../src/decide/index.js');
    expect(FACE_MATCH_BAND).toEqual({ approveAbove: FACE_MATCH.approveAbove, rejectBelow: FACE_MATCH.rejectBelow });
    expect(FACE_MATCHER_MODEL).toBe(FACE_MATCH.model);
    expect(DEFAULT_POLICY.faceMatch).toEqual(FACE_MATCH_BAND);
  });
});
