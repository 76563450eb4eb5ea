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
export const FACE_MATCHER_MODEL = 'face-api-resnet128/mesh-chip-v4';

/**
 * Approve above, reject below, review between. Chosen and set by test/bench/face.ts on the labelled
 * fixture faces (30 photos: 41 genuine pairs, 384 impostor pairs; AMD EPYC, 2 cores, node 20, one
 * thread; CPU ms per photo include decoding, detection and the face mesh, and vary by a third from
 * run to run on the shared machine):
 *   candidate                                  TAR@FAR0  TAR@FAR1%  EER    CPU ms/photo
 *   face-api ResNet-128 on a mesh-aligned chip  1.000     1.000     0.000    120..212
 *   the same descriptors, cosine                0.976     1.000     0.003    140..196
 *   Human faceres                               0.805     0.805     0.099      191
 *   Human faceres-deep                          0.244     0.463     0.171      197
 *   Human mobilefacenet                         0.171     0.171     0.390      134
 * For the chosen matcher the highest impostor scored 0.808 (two different young women among the
 * faces/human stock photos) and the lowest genuine pair 0.820 (one of them, face screwed up, against
 * her own sideways glance). Approving needs to clear every impostor seen (0.81). Rejecting needs a
 * margin below every genuine pair seen: 0.76 leaves 23 of the 384 impostors for review, as the
 * cosine's band (0.89) left 20, and lies 0.06 below the lowest genuine pair. Everything between goes to
 * a reviewer. Faces far smaller than the bench's score lower for the right person and higher for the
 * wrong one (test/bench/face-size.ts): a face or held card's portrait under 64 px counts neither way,
 * and one under 160 px is approved only above 0.82 (MIN_FACE_PX and SMALL_FACE_PX in
 * src/decide/checks/faces.ts). The approve margin over the highest impostor is thin (0.002) and the
 * set is small: one new impostor pair above 0.81 would move it.
 */
export const FACE_MATCH = {
  approveAbove: 0.81,
  rejectBelow: 0.76,
  model: FACE_MATCHER_MODEL,
} as const;
