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
 * Similarity 0..1 of two descriptors of the same matcher (higher = same person): the cosine of the
 * L2-normalised vectors, floored at 0 (unrelated faces never score below it in practice).
 */
export function faceSimilarity(a: number[], b: number[]): number {
  if (a.length !== b.length || a.length === 0) {
    throw new Error(`faceSimilarity: descriptors of different length (${a.length} vs ${b.length}) come from different matchers`);
  }
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length; i++) {
    dot += a[i] * b[i];
    na += a[i] * a[i];
    nb += b[i] * b[i];
  }
  if (na === 0 || nb === 0) return 0;
  return Math.max(0, Math.min(1, dot / Math.sqrt(na * nb)));
}

/** The matcher whose descriptor `embedding` carries; see FACE_MATCH for why it was chosen. */
export const FACE_MATCHER_MODEL = 'face-api-resnet128/mesh-chip-v2';

/**
 * Approve above, reject below, review between. Chosen and set by test/bench/face.ts on the labelled
 * fixture faces (30 photos: 41 genuine pairs, 384 impostor pairs; AMD EPYC, 2 cores, node 20, one
 * thread; CPU ms per photo include decoding, detection and the face mesh):
 *   candidate                                  TAR@FAR0  TAR@FAR1%  EER    CPU ms/photo
 *   face-api ResNet-128 on a mesh-aligned chip  0.976     1.000     0.003      196
 *   Human faceres                               0.805     0.805     0.099      254
 *   Human faceres-deep                          0.244     0.463     0.171      278
 *   Human mobilefacenet                         0.171     0.171     0.390      172
 * For the chosen matcher the highest impostor scored 0.914 (two different young women among the
 * faces/human stock photos, one with her tongue out) and the lowest genuine pair 0.913. Approving
 * needs to clear every impostor seen (0.92); rejecting needs a margin below every genuine pair
 * seen (0.89); everything between goes to a reviewer.
 */
export const FACE_MATCH = {
  approveAbove: 0.92,
  rejectBelow: 0.89,
  model: FACE_MATCHER_MODEL,
} as const;
