// The shape of a gesture file in gestures/: what security staff write, validated once at load.
// Unknown keys are rejected everywhere so a misspelt condition can never be silently ignored.
import { z } from 'zod';

export const FINGERS = ['thumb', 'index', 'middle', 'ring', 'pinky'] as const;
export type Finger = (typeof FINGERS)[number];

export const FINGER_STATES = ['extended', 'folded', 'any'] as const;
export type FingerRequirement = (typeof FINGER_STATES)[number];

/** Where a hand is relative to the face. "right"/"left" are always the subject's own sides. */
export const HAND_PLACES = [
  'beside_face',
  'below_chin',
  'above_head',
  'on_head',
  'covering_eye',
  'at_nose',
  'at_chin',
] as const;
export type HandPlace = (typeof HAND_PLACES)[number];

const side = z.enum(['right', 'left']);
const direction = z.enum(['up', 'down', 'side']);

/** A closed range in degrees; either bound may be omitted. */
const degrees = z
  .strictObject({ min: z.number().min(-180).max(180).optional(), max: z.number().min(-180).max(180).optional() })
  .refine((r) => r.min !== undefined || r.max !== undefined, 'a range needs min, max or both')
  .refine((r) => r.min === undefined || r.max === undefined || r.min < r.max, 'min must be below max');

export const handRuleSchema = z.strictObject({
  /** the subject's own hand; "either" accepts both */
  which: z.enum(['left', 'right', 'either']).default('either'),
  /** which side of the hand the instructions show to the camera; needed to tell left from right
   *  because one 2-D view cannot separate a right palm from a left hand's back */
  facing: z.enum(['palm', 'back']).optional(),
  fingers: z.strictObject(Object.fromEntries(FINGERS.map((f) => [f, z.enum(FINGER_STATES).optional()])) as {
    [K in Finger]: z.ZodOptional<z.ZodEnum<{ extended: 'extended'; folded: 'folded'; any: 'any' }>>;
  }).optional(),
  /** direction the extended thumb points in the upright image */
  thumbPoints: direction.optional(),
  /** mean direction of the extended non-thumb fingers */
  fingersPoint: direction.optional(),
  /** pairs of fingertips that must touch (thumb+index makes the OK circle) */
  touching: z
    .array(z.tuple([z.enum(FINGERS), z.enum(FINGERS)]).refine(([a, b]) => (a === 'thumb') !== (b === 'thumb'), 'a contact pairs the thumb with another finger'))
    .min(1)
    .optional(),
  /** the palm's centre at least half a face width to the side of the face's centre: beside the face,
   *  not in front of, above or below it; a hand raised to the camera, not one held to the mouth. Holds when no face is found (a gesture photo without the seller's face goes to review
   *  for that reason). */
  clearOfFace: z.boolean().optional(),
  /** where the hand must be relative to the (largest) face */
  position: z
    .strictObject({ at: z.enum(HAND_PLACES), side: side.optional() })
    .optional(),
}).refine((h) => h.which === 'either' || h.facing !== undefined, {
  message: 'a left or right hand needs "facing" (palm or back) to be told apart',
  path: ['facing'],
});

export const faceRuleSchema = z.strictObject({
  yaw: degrees.optional(),
  pitch: degrees.optional(),
  roll: degrees.optional(),
  eyes: z.enum(['open', 'closed']).optional(),
  mouth: z.enum(['open', 'closed']).optional(),
});

export const gestureRuleSchema = z
  .strictObject({
    hand: handRuleSchema.optional(),
    face: faceRuleSchema.optional(),
  })
  .refine((r) => r.hand !== undefined || r.face !== undefined, 'a rule needs a hand or a face part');

export const gestureFileSchema = z.strictObject({
  id: z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'lower-case words joined by hyphens'),
  version: z.number().int().positive(),
  status: z.enum(['draft', 'active', 'retired']),
  family: z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'lower-case words joined by hyphens'),
  instructions: z.strictObject({ en: z.string().min(3), 'zh-CN': z.string().min(2) }),
  example: z.string().min(3),
  rule: gestureRuleSchema,
  /** derived from the rule and recomputed at parse; accepted so a stored Gesture parses back to itself */
  needs: z.strictObject({ hands: z.boolean(), mesh: z.boolean() }).optional(),
});

export type HandRule = z.infer<typeof handRuleSchema>;
export type FaceRule = z.infer<typeof faceRuleSchema>;
export type GestureRule = z.infer<typeof gestureRuleSchema>;
export type GestureFile = z.infer<typeof gestureFileSchema>;
export type Range = { min?: number; max?: number };
