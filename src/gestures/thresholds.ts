// Every number the evaluator compares against, in one place. Each pair is (clearly held, clearly
// not held); a value between them is borderline and sends the photo to a reviewer, never to approval.
// Figures are set by `test/bench/gestures.ts` (real fixture hands and their mirrored, rotated and
// scaled variants, plus synthetic hands in test/unit/gestures); the bench prints the measured
// distributions these bands separate.

/** Finger reach: |tip − wrist| / |PIP − wrist|. A straight finger reaches well past its PIP joint;
 *  a curled one brings the tip back towards the wrist. Bench (58 extended and 202 folded fingers):
 *  every extended finger ≥ 1.224 (median 1.33); folded median 0.85, and the side-on fists of thumbs
 *  up/down, which the landmark model draws nearly straight, at 1.06–1.15. */
export const FINGER_REACH = { extended: 1.2, folded: 1.15 } as const;

/** Finger bend: sum of the bends (180° − joint angle) at MCP, PIP and DIP, in the image plane.
 *  Bench: every extended finger bends ≤ 31°; folded median 181°, side-on fists 82–107°. A finger is
 *  extended when reach and bend both say so, folded when either does. finger-on-nose/chin ask for
 *  middle, ring and pinky folded on these bands: gesture bench, "hand measures", line "middle/ring/
 *  pinky": the 8 genuine composites read all three folded, the 24 flat hands at the mouth at least
 *  two extended (23 all three). */
export const FINGER_BEND = { extended: 45, folded: 80 } as const;

/** Thumb clearance: distance from the thumb tip to the nearest joint of the other fingers (the
 *  index knuckle and up), over palm size. A thumb held out stands clear of the fist; a tucked one
 *  rests on the fingers. Bench: tucked thumbs ≤ 0.275 (fists), held-out thumbs 0.38–0.86, the
 *  side-on ones of thumbs up lowest. The fist-beside-cheek rules ask for the thumb folded on this
 *  band (a thumbs-up beside the cheek passed them before): gesture bench, "hand measures", line
 *  "thumb clearance of fists": 129 confident fist hands of 14 photo series (webcam finger-count
 *  frames of several men, fixtures, composites) read 0.004–0.265, every one folded; "of thumbs
 *  up/down": 70 hands 0.519–1.011, every one extended. */
export const THUMB_CLEARANCE = { extended: 0.37, folded: 0.29 } as const;

/** Thumb bend at its MCP and IP joints together, in degrees. Bench: held-out thumbs median 22°,
 *  tucked ones 34–96°; clearance does most of the separating, bend only vetoes a hooked thumb. */
export const THUMB_BEND = { extended: 55, folded: 100 } as const;

/** Deviation, degrees, of a pointing digit from the asked direction. Bench: raised fingers 0.2–11°
 *  from vertical; the thumb (read half along its bones, half from the fist, see hand.ts) of the 38
 *  confident thumbs up 0.3–27° from up and of the 20 thumbs down 0.3–16.5° from down; an
 *  i-love-you's thumb 63–76° and an open palm's 57–71° (which fails "thumb up" on its fingers anyway). */
export const DIRECTION = { held: 40, failed: 60 } as const;

/** Fingertip contact: tip distance over palm size. No fixture shows an OK circle, so this band is
 *  set on drawn hands only and ok-circle stays draft (the bench accepted it for none of 90 photos). */
export const CONTACT = { held: 0.25, failed: 0.4 } as const;

/** Signed palm chirality cross(wrist→middle MCP, pinky MCP→index MCP) / palm²: with magnitude below
 *  this the hand is edge-on and left/right cannot be told from one image (borderline). Bench: raised
 *  hands seen face-on read 0.35–0.75 in magnitude, and their mirrored copies always took the other
 *  sign (no left/right variant accepted a photo of the other hand); side-on thumbs read 0.02–0.35. */
export const CHIRALITY_MIN = 0.25;

/** A raised open palm (rule `clearOfFace`) must have its centre this far sideways from the face
 *  centre, in face widths (clearly held, clearly not): `held` is the face box's own edge, so the palm
 *  is beside the face, not in front of it. Gesture bench, "hand measures", line "palm centre
 *  sideways from the face centre": the 55 genuine open palms with a face (webcam finger-count
 *  frames, capture-framed composites) 0.531–1.538, median 0.893; flat hands composed over the mouth
 *  and chin of six faces 0.001–0.460, so none passes, and those whose palm centre is already past
 *  0.35 (a hand across the mouth from the side) go to review. No genuine pair was lost to it
 *  (open-palm-right 38 of 42 accepted before and after, open-palm-left 18 of 19). */
export const CLEAR_OF_FACE = { held: 0.5, failed: 0.35 } as const;

/** Tolerance, in face widths, outside a hand-position region that is still only borderline. */
export const PLACE_MARGIN = 0.15;

/** Tolerance, degrees, outside a head-angle range that is still only borderline. Bench: 11 of 12
 *  upright faces rotated ±20° read a roll inside [12, 45]; the twelfth (a small full-body face) read
 *  7.9° and went to review. */
export const ANGLE_MARGIN = 5;

/** Eye openness as vision reports it (0 closed .. 1 open, saturating at 1 for any open eye). Bench:
 *  every open-eyed fixture face reads 1.0; the one shut-eyed face (stock-emotions-b-1) reads 0.47 and
 *  0.57, because the mesh does not follow the lids all the way down. Both eyes ≤ `closed` are closed;
 *  either ≥ `open` is open; between is borderline. One genuine photo only: eyes-closed stays draft. */
export const EYES = { closed: 0.65, open: 0.85 } as const;

/** Mouth openness (lip gap / mouth width). Bench: open mouths 0.27 and 0.32, closed ≤ 0.07. */
export const MOUTH = { open: 0.2, closed: 0.12 } as const;

/** Mouth width / outer-eye-corner distance (vision's mouthStretch). A broad smile parts the lips
 *  over the teeth as far as an open mouth does (lip gap / width 0.22–0.25 on four smiling portraits,
 *  the open mouths 0.25 and 0.32), so an old smiling photo passed for "open your mouth" (gesture
 *  bench: 12 of 96 impostor photos accepted). What tells them apart is the stretch: the seven
 *  smiling portraits read 0.76–0.84, every other face 0.46–0.69, the open mouths 0.46 and 0.57.
 *  A mouth stretched to `smiling` or more must open to `MOUTH_OPEN_SMILING` to count as open (a
 *  laugh with the jaw dropped still does; a smile over the teeth stays borderline, so review, not
 *  a rejection of a seller who smiled while opening); between `relaxed` and `smiling` the bar rises
 *  from MOUTH.open in proportion. With it, 2 of the 96 are accepted: one full-body photo whose face
 *  mesh is misframed (its face box spans the shoulders) and reads a closed mouth as open; every
 *  genuine open mouth still passes. */
export const MOUTH_STRETCH = { relaxed: 0.7, smiling: 0.75 } as const;
/** Lip gap / width a stretched mouth must reach: above every smile on the bench (at most 0.25). */
export const MOUTH_OPEN_SMILING = 0.35;

/** Hands whose landmark confidence is below this are not judged at all (no hand found → null). The
 *  score is the landmark model's hand presence on an upright crop of the hand (src/vision/hands.ts),
 *  which reports no hand below this either. */
export const HAND_MIN_SCORE = 0.5;

/** Below this landmark presence a hand can neither pass nor fail a rule (review). Bench: of
 *  103 hands found on 162 photos, the 9 below 0.9 include every skeleton with misplaced fingers that
 *  the rules would otherwise have judged (a V read as four fingers, a thumb-up read as an L, a
 *  victory read as a fist); the well-placed hands read 0.95 and more. */
export const HAND_CONFIDENT = 0.9;
