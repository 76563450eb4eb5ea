// The thresholds decide() applies, their safe defaults, and per-tenant overrides. A tenant may move
// any threshold toward review (stricter approval, softer rejection); never toward approval.
import { z } from 'zod';

/** Approve above the first, reject below the second, review between. Similarities are 0..1. */
export interface Band {
  approveAbove: number;
  rejectBelow: number;
}

export interface Policy {
  /** live face (selfie) vs the ID portrait; also the card held in the selfie vs the ID portrait */
  faceMatch: Band;
  /** the live face across every photo of the session */
  sameFace: Band;
  /** a gesture the evaluator passed still goes to review when its fit score is at or below this */
  gestureApproveAbove: number;
  /** the printed date may be at most this many days before the date the challenge asked for */
  newspaperMaxAgeDays: number;
  /** a session without newspaper evidence goes to review (a newspaper step in the challenge always needs it) */
  requireNewspaper: boolean;
  /** OCR confidence (0..1) at or below which a date read from the page is not trusted */
  newspaperMinOcrConfidence: number;
  /** a spoof signal scoring above this sends the session to review */
  spoofReviewAbove: number;
  /** a spoof signal of a kind that can reject (see SPOOF_SIGNAL_CAPS) scoring above this rejects */
  spoofRejectAbove: number;
}

// Face-similarity bands of the chosen matcher (vision FACE_MATCH, set by `npm run bench face`,
// test/bench/face.ts, on 26 people pooled from ../shared/fixtures/faces: highest impostor 0.844 of
// 3,686 pairs, approve above it with a 0.015 margin; lowest genuine pair 0.719 of 132, reject under
// it). The numbers are repeated here
// rather than imported so decide stays free of the vision module's worker-pool imports (the Workers
// build validates tenant policies too); test/unit/decide/policy.test.ts fails if they drift.
// The same matcher compares the live face across photos, so the same band applies.
export const FACE_MATCH_BAND: Readonly<Band> = Object.freeze({ approveAbove: 0.86, rejectBelow: 0.7 });
export const FACE_MATCHER_MODEL = 'face-api-resnet128/dlib68-chip-v5';
const SAME_FACE_BAND: Band = { ...FACE_MATCH_BAND };

export const DEFAULT_POLICY: Policy = Object.freeze({
  faceMatch: Object.freeze({ ...FACE_MATCH_BAND }),
  sameFace: Object.freeze({ ...SAME_FACE_BAND }),
  // The evaluator already requires every condition to hold with margin; a fit of half or less means
  // the photo only just fits, which a reviewer should see.
  gestureApproveAbove: 0.5,
  // The date asked for or the day before: a seller may hold the paper bought the day before. Both
  // are the seller's local dates (src/ocr/newspapers.ts); this is a tolerance, not a zone fix.
  newspaperMaxAgeDays: 1,
  requireNewspaper: true,
  // Tesseract's mean word confidence; below 0.6 digits are often misread (3↔8, 1↔7), and a misread
  // date that happens to land inside the window must not approve.
  newspaperMinOcrConfidence: 0.6,
  spoofReviewAbove: 0.5,
  spoofRejectAbove: 0.9,
}) as Policy;

/** Hard limits of tenant overrides: the defaults bound every "toward approve" direction. */
export const POLICY_LIMITS = Object.freeze({
  /** a weekly paper is the most a proof of "now" can stretch to */
  newspaperMaxAgeDaysCeiling: 7,
});

const unit = z.number().min(0).max(1);
const band = z
  .object({ approveAbove: unit, rejectBelow: unit })
  .strict()
  .refine((b) => b.rejectBelow <= b.approveAbove, {
    message: 'rejectBelow must not exceed approveAbove',
  });

const shape = z
  .object({
    faceMatch: band,
    sameFace: band,
    gestureApproveAbove: unit,
    newspaperMaxAgeDays: z.number().int().min(0).max(POLICY_LIMITS.newspaperMaxAgeDaysCeiling),
    requireNewspaper: z.boolean(),
    newspaperMinOcrConfidence: unit,
    spoofReviewAbove: unit,
    spoofRejectAbove: unit,
  })
  .strict()
  .partial();

/** Validates a tenant's overrides: shape, ranges, and the floors no tenant may go below. */
export const policySchema: z.ZodType<Partial<Policy>> = shape.superRefine((p, ctx) => {
  const d = DEFAULT_POLICY;
  const floor = (path: (string | number)[], value: number | undefined, min: number, what: string) => {
    if (value !== undefined && value < min) {
      ctx.addIssue({ code: 'custom', path, message: `${what} may not be below ${min} (the benchmarked floor)` });
    }
  };
  floor(['faceMatch', 'approveAbove'], p.faceMatch?.approveAbove, d.faceMatch.approveAbove, 'faceMatch.approveAbove');
  floor(['sameFace', 'approveAbove'], p.sameFace?.approveAbove, d.sameFace.approveAbove, 'sameFace.approveAbove');
  floor(['gestureApproveAbove'], p.gestureApproveAbove, d.gestureApproveAbove, 'gestureApproveAbove');
  floor(['newspaperMinOcrConfidence'], p.newspaperMinOcrConfidence, d.newspaperMinOcrConfidence, 'newspaperMinOcrConfidence');
  // A higher review threshold lets more spoof signals through to approval.
  if (p.spoofReviewAbove !== undefined && p.spoofReviewAbove > d.spoofReviewAbove) {
    ctx.addIssue({
      code: 'custom',
      path: ['spoofReviewAbove'],
      message: `spoofReviewAbove may not exceed ${d.spoofReviewAbove}`,
    });
  }
  const review = p.spoofReviewAbove ?? d.spoofReviewAbove;
  const reject = p.spoofRejectAbove ?? d.spoofRejectAbove;
  if (reject < review) {
    ctx.addIssue({
      code: 'custom',
      path: ['spoofRejectAbove'],
      message: `spoofRejectAbove (${reject}) must not be below spoofReviewAbove (${review})`,
    });
  }
});

/** A tenant's policy overrides that break the schema or a floor. */
export class PolicyError extends Error {
  readonly type = 'policy.invalid';
  constructor(readonly issues: string[]) {
    super(`invalid policy overrides: ${issues.join('; ')}`);
    this.name = 'PolicyError';
  }
}

/**
 * Defaults merged with a tenant's overrides (null/undefined: the defaults). A malformed override
 * (unknown key, wrong type, out of range) throws PolicyError. An override that is well formed but
 * under a floor (saved before the benchmark raised it) is lifted to the floor, never passed through:
 * a stored policy cannot fail a verification job, nor weaken it.
 */
export function resolvePolicy(tenantOverrides: unknown): Policy {
  if (tenantOverrides === undefined || tenantOverrides === null) return clone(DEFAULT_POLICY);
  const parsed = shape.safeParse(tenantOverrides);
  if (!parsed.success) {
    throw new PolicyError(
      parsed.error.issues.map((i) => `${i.path.length ? i.path.join('.') : '(policy)'}: ${i.message}`),
    );
  }
  const o = parsed.data;
  const d = DEFAULT_POLICY;
  const p: Policy = {
    ...clone(d),
    ...Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)),
  } as Policy;
  const liftBand = (b: Band, floor: Band): Band => {
    const approveAbove = Math.max(b.approveAbove, floor.approveAbove);
    return { approveAbove, rejectBelow: Math.min(b.rejectBelow, approveAbove) };
  };
  p.faceMatch = liftBand(p.faceMatch, d.faceMatch);
  p.sameFace = liftBand(p.sameFace, d.sameFace);
  p.gestureApproveAbove = Math.max(p.gestureApproveAbove, d.gestureApproveAbove);
  p.newspaperMinOcrConfidence = Math.max(p.newspaperMinOcrConfidence, d.newspaperMinOcrConfidence);
  p.spoofReviewAbove = Math.min(p.spoofReviewAbove, d.spoofReviewAbove);
  p.spoofRejectAbove = Math.max(p.spoofRejectAbove, p.spoofReviewAbove);
  return p;
}

function clone(p: Policy): Policy {
  return { ...p, faceMatch: { ...p.faceMatch }, sameFace: { ...p.sameFace } };
}
