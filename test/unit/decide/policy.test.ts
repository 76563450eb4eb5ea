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

  // Overrides under a floor: refused when saved (policySchema); lifted to the floor when a stored
  // policy is resolved (a floor raised by a new benchmark must not fail or weaken verifications).
  const UNDER_FLOOR: [string, unknown, string, (p: ReturnType<typeof resolvePolicy>) => void][] = [
    ['approve a face match below the benchmarked floor', { faceMatch: { approveAbove: D.faceMatch.approveAbove - 0.01, rejectBelow: 0 } }, 'faceMatch.approveAbove',
      (p) => expect(p.faceMatch).toEqual({ approveAbove: D.faceMatch.approveAbove, rejectBelow: 0 })],
    ['approve a same-face match below the floor', { sameFace: { approveAbove: D.sameFace.approveAbove - 0.01, rejectBelow: D.sameFace.approveAbove - 0.01 } }, 'sameFace.approveAbove',
      (p) => expect(p.sameFace).toEqual({ approveAbove: D.sameFace.approveAbove, rejectBelow: D.sameFace.approveAbove - 0.01 })],
    ['let weak gestures approve', { gestureApproveAbove: D.gestureApproveAbove - 0.1 }, 'gestureApproveAbove',
      (p) => expect(p.gestureApproveAbove).toBe(D.gestureApproveAbove)],
    ['trust low-confidence OCR', { newspaperMinOcrConfidence: 0.1 }, 'newspaperMinOcrConfidence',
      (p) => expect(p.newspaperMinOcrConfidence).toBe(D.newspaperMinOcrConfidence)],
    ['let spoof signals through to approval', { spoofReviewAbove: Math.min(1, D.spoofReviewAbove + 0.2) }, 'spoofReviewAbove',
      (p) => expect(p.spoofReviewAbove).toBe(D.spoofReviewAbove)],
    ['reject spoofs below the review threshold', { spoofReviewAbove: 0.4, spoofRejectAbove: 0.3 }, 'spoofRejectAbove',
      (p) => expect(p.spoofRejectAbove).toBe(0.4)],
  ];

  it.each(UNDER_FLOOR)('a tenant cannot %s: refused when saved, lifted when resolved', (_name, overrides, mentioned, lifted) => {
    const saved = policySchema.safeParse(overrides);
    expect(saved.success).toBe(false);
    expect(JSON.stringify(saved.error?.issues)).toContain(mentioned.split('.').pop()!);
    lifted(resolvePolicy(overrides));
  });

  const MALFORMED: [string, unknown, string][] = [
    ['reject above the approve threshold', { faceMatch: { approveAbove: 0.95, rejectBelow: 0.97 } }, 'rejectBelow must not exceed approveAbove'],
    ['a face band missing its reject threshold', { faceMatch: { approveAbove: 0.95 } }, 'faceMatch.rejectBelow'],
    ['a threshold above 1', { sameFace: { approveAbove: 1.2, rejectBelow: 0.1 } }, 'sameFace.approveAbove'],
    ['a newspaper older than a week', { newspaperMaxAgeDays: POLICY_LIMITS.newspaperMaxAgeDaysCeiling + 1 }, 'newspaperMaxAgeDays'],
    ['a fractional day count', { newspaperMaxAgeDays: 1.5 }, 'newspaperMaxAgeDays'],
    ['a negative day count', { newspaperMaxAgeDays: -1 }, 'newspaperMaxAgeDays'],
    ['a misspelt key', { faceMatc: { approveAbove: 0.95, rejectBelow: 0.1 } }, 'faceMatc'],
    ['a string for a number', { spoofReviewAbove: '0.3' }, 'spoofReviewAbove'],
    ['not an object', 'strict', '(policy)'],
  ];

  it.each(MALFORMED)('a malformed override is refused: %s', (_name, overrides, mentioned) => {
    expect(policySchema.safeParse(overrides).success).toBe(false);
    let error: unknown;
    try { resolvePolicy(overrides); } catch (e) { error = e; }
    expect(error).toBeInstanceOf(PolicyError);
    expect((error as PolicyError).type).toBe('policy.invalid');
    expect((error as PolicyError).issues.join(' | ')).toContain(mentioned);
  });

  it('a resolved policy is never laxer than the defaults toward approval', () => {
    const lax = resolvePolicy({
      faceMatch: { approveAbove: 0, rejectBelow: 0 }, sameFace: { approveAbove: 0, rejectBelow: 0 },
      gestureApproveAbove: 0, newspaperMinOcrConfidence: 0, spoofReviewAbove: 1, spoofRejectAbove: 1,
    });
    expect(lax.faceMatch.approveAbove).toBeGreaterThanOrEqual(D.faceMatch.approveAbove);
    expect(lax.sameFace.approveAbove).toBeGreaterThanOrEqual(D.sameFace.approveAbove);
    expect(lax.gestureApproveAbove).toBeGreaterThanOrEqual(D.gestureApproveAbove);
    expect(lax.newspaperMinOcrConfidence).toBeGreaterThanOrEqual(D.newspaperMinOcrConfidence);
    expect(lax.spoofReviewAbove).toBeLessThanOrEqual(D.spoofReviewAbove);
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
