// Comparing two face descriptors, and the thresholds that turn a similarity into approve / review /
// reject. Pure: no models here.

/** Scales a descriptor to unit length, so a dot product is the cosine. */
export function l2normalize(v: ArrayLike<number>): number[] {
  let sum = 0;
  for (let i = 0; i < v.length; i++) sum += v[i] * v[i];
  const norm = Math.sqrt(sum) || 1;
  return Array.from(v, (x) => x / norm);
}

/**
 * Similarity 0..1 of two descriptors of the same matcher (higher = same person): 1 - d²/2 for their
 * Euclidean distance d, floored at 0 and capped at 1. For unit vectors this is exactly their cosine
 * (Human's descriptors are compared that way). face-api's ResNet-128 was trained as a metric on the
 * Euclidean distance of its raw, unnormalised output (same person closer than 0.6), and its
 * descriptors are kept raw: the length of the vector carries part of the identity, which a cosine
 * throws away. Distance 0.6 is a similarity of 0.82. On test/bench/face.ts the raw distance separated
 * every genuine pair from every impostor (TAR at FAR 0 1.000, EER 0) where the cosine of the same
 * descriptors did not (0.976, 0.003); it scored better at every chip framing tried (d' 4.32 against
 * 4.25 at the shipped one).
 */
export function faceSimilarity(a: number[], b: number[]): number {
  if (a.length !== b.length || a.length === 0) {
    throw new Error(`faceSimilarity: descriptors of different length (${a.length} vs ${b.length}) come from different matchers`);
  }
  let squared = 0;
  for (let i = 0; i < a.length; i++) squared += (a[i] - b[i]) ** 2;
  if (!Number.isFinite(squared)) return 0;
  return Math.max(0, Math.min(1, 1 - squared / 2));
}

/** The matcher whose descriptor `embedding` carries; see FACE_MATCH for why it was chosen. */
export const FACE_MATCHER_MODEL = 'face-api-resnet128/dlib68-chip-v5';

/**
 * Approve above, reject below, review between. Set by `npm run bench face` (test/bench/face.ts) on
 * every labelled face of ../shared/fixtures/faces pooled: 26 people in 90 photos (face_recognition,
 * human, face-api-examples, compreface-e2e), 132 genuine and 3,686 impostor pairs (2 photos where no
 * face was found are left out: they go to review as live_face_not_found / id_portrait_not_found).
 * The face-api ResNet-128 descriptor, compared by its Euclidean distance, on four chip framings
 * (pooled; "own line": the line each one's highest impostor implies, as below, and the genuine share
 * above it; CPU ms per photo include decoding, detection and mesh, one run at load 9-15 on 2 cores):
 *   framing                                    TAR@FAR0  EER    lowest gen  highest imp  own line: TAR  CPU ms
 *   mesh chip v4 (levelled, eye gap, lip)        0.879   0.038    0.749       0.849       0.87: 0.788    109
 *   face-api's dlib box from the mesh points     0.902   0.015    0.774       0.841       0.86: 0.795    117
 *   the same box, levelled                       0.864   0.019    0.779       0.852       0.87: 0.750    107
 *   dlib box from face-api's 68 points (chosen)  0.917   0.023    0.719       0.844       0.86: 0.826    124
 *   the same + mirror-image descriptor average   0.917   0.023    0.727       0.853       0.87: 0.856    152
 *   the same descriptors, cosine                 0.902   0.027    0.845       0.926       0.95: 0.576    128
 * The box face-api itself gives the descriptor (its 68-point landmarks, alignDlib) kept the most
 * genuine pairs above the highest impostor and above its own line, for about 20 CPU ms of the
 * 68-point net. The mirror average raised genuine and impostor scores alike: 4 more of the 132
 * genuine pairs above its own line, within what one more or one fewer person moves, for 25 CPU ms
 * more a photo; not used until more people show it. Human's faceres, faceres-deep and mobilefacenet
 * were far behind on the first 8 people (TAR@FAR0 0.81 / 0.24 / 0.17) and are measured with `--all`.
 * Approve above 0.86: the highest impostor of the pooled set (0.844) plus a margin of 0.015, rounded
 * up (APPROVE_MARGIN in the bench says why that margin: with the earlier chip the pooled highest
 * impostor fell 0.002 short of the highest among 40 people outside the fixtures). No impostor pair of
 * the 3,686 passes it: FMR at most 0.08 % at 95 % confidence if the pairs were independent; they
 * share photos and people, and counted by pairs of people (325) the bound is 0.9 %.
 * 82.6 % of single genuine pairs clear it (90 % of pairs of faces turned under 10°, 53 % from 20°
 * to 30°); a session's face match is the mean over every live face (src/pipeline/faces.ts), and the
 * rest go to a reviewer. Reject below 0.70: under the lowest genuine pair
 * (0.719: a man's old black-and-white photo, cropped tight, head turned, against a recent one), so a genuine
 * pair below the approve line goes to review, not rejection; 24 % of impostor pairs score at or
 * above it and go to review too. Faces far smaller than the bench's score lower for the right person
 * and higher for the wrong one (test/bench/face-size.ts): a face or held card's portrait under
 * MIN_FACE_PX counts neither way, and a smaller one is approved only above SMALL_FACE_APPROVE_ABOVE
 * (src/decide/checks/faces.ts).
 */
export const FACE_MATCH = {
  approveAbove: 0.86,
  rejectBelow: 0.7,
  model: FACE_MATCHER_MODEL,
} as const;
