// Which face in a photo is which: the live face, the portrait printed on a held ID card, and anyone
// else in the frame. Also the search for portraits too small for the detector's 256-pixel input.
import sharp from 'sharp';
import { faceSimilarity, PRINTED_FACE_MAX_SHARE, type Box, type FaceObservation, type Observations, type Vision } from '../vision/index.js';

export interface FacesOfPhoto {
  /** the largest face: the person in front of the camera */
  live: FaceObservation | null;
  /** other faces as large as a live face */
  extra: FaceObservation[];
  /** smaller faces: printed portraits (the held card's among them) */
  printed: FaceObservation[];
}

export function classifyFaces(obs: Observations): FacesOfPhoto {
  const [live, ...others] = obs.faces;
  if (!live) return { live: null, extra: [], printed: [] };
  const extra = others.filter((f) => f.box.width >= live.box.width * PRINTED_FACE_MAX_SHARE);
  const printed = others.filter((f) => f.box.width < live.box.width * PRINTED_FACE_MAX_SHARE);
  return { live, extra, printed };
}

/** Similarity of two faces' descriptors, or null when either has none. Throws when their matchers differ. */
export function similarity(a: FaceObservation | null | undefined, b: FaceObservation | null | undefined): number | null {
  if (!a?.embedding || !b?.embedding) return null;
  if (a.embeddingModel && b.embeddingModel && a.embeddingModel !== b.embeddingModel) {
    throw new Error(`face descriptors of different matchers (${a.embeddingModel} vs ${b.embeddingModel})`);
  }
  return faceSimilarity(a.embedding, b.embedding);
}

/**
 * The held card's portrait among the small faces of the selfie: the one closest to the ID photo's
 * portrait when there is one (any other small face is a print and cannot lift the score of the
 * document), else the largest.
 */
export function pickCardPortrait(printed: FaceObservation[], idPortrait: FaceObservation | null): FaceObservation | null {
  const usable = printed.filter((f) => f.embedding);
  if (usable.length === 0) return null;
  if (!idPortrait?.embedding) return usable[0];
  return usable.reduce((best, f) => ((similarity(f, idPortrait) ?? 0) > (similarity(best, idPortrait) ?? 0) ? f : best));
}

/** Lowest similarity over every pair of live faces: one person throughout, or not. Null with fewer than two. */
export function lowestPairSimilarity(faces: FaceObservation[]): number | null {
  let lowest: number | null = null;
  for (let i = 0; i < faces.length; i++) {
    for (let j = i + 1; j < faces.length; j++) {
      const s = similarity(faces[i], faces[j]);
      if (s !== null) lowest = lowest === null ? s : Math.min(lowest, s);
    }
  }
  return lowest;
}

function intersection(a: Box, b: Box): number {
  const w = Math.max(0, Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x));
  const h = Math.max(0, Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y));
  return w * h;
}
/** Share of the smaller box covered by the other: one face seen in two overlapping parts. */
const sameFace = (a: Box, b: Box) => intersection(a, b) / Math.min(a.width * a.height, b.width * b.height) > 0.5;
/**
 * The live face seen again, whole or cut by a tile's edge: a face touching its box at a third of its
 * width or more. A card held against the cheek lies inside the live face's generous box, but its
 * portrait is a tenth of the live face's width (43 to 86 px against 670 in the composed selfies).
 */
const liveAgain = (live: Box, f: Box) => intersection(live, f) > 0 && f.width >= live.width / 3;

/**
 * Faces the whole-photo pass missed because they are small: the detector sees the photo at 256
 * pixels, where a card portrait is a dozen pixels wide. Each quarter of the photo (overlapping, so a
 * face on a seam is whole in one of them) is analysed on its own, which enlarges it about twofold;
 * the descriptor is cut from full-resolution pixels either way. The face at `exclude` (the live
 * face, seen again) is dropped. Four extra analyses: used only when a portrait was expected and not found.
 */
export async function findSmallFaces(vision: Vision, image: Uint8Array, exclude: Box | null): Promise<FaceObservation[]> {
  const meta = await sharp(image).rotate().metadata();
  const turned = (meta.orientation ?? 1) >= 5;
  const width = (turned ? meta.height : meta.width) ?? 0;
  const height = (turned ? meta.width : meta.height) ?? 0;
  const tw = Math.round(width * 0.6);
  const th = Math.round(height * 0.6);
  const tiles = [
    { left: 0, top: 0 }, { left: width - tw, top: 0 },
    { left: 0, top: height - th }, { left: width - tw, top: height - th },
  ];
  const found = await Promise.all(tiles.map(async ({ left, top }) => {
    const crop = await sharp(image).rotate().extract({ left, top, width: tw, height: th }).jpeg({ quality: 95 }).toBuffer();
    const obs = await vision.analyze(crop, { face: true, embed: true, maxFaces: 2 });
    return obs.faces.map((f) => ({ ...f, box: { ...f.box, x: f.box.x + left, y: f.box.y + top }, mesh: undefined }));
  }));
  const faces: FaceObservation[] = [];
  for (const f of found.flat().sort((a, b) => b.score - a.score)) {
    if (exclude && liveAgain(exclude, f.box)) continue;
    if (faces.some((g) => sameFace(g.box, f.box))) continue;
    faces.push(f);
  }
  return faces.sort((a, b) => b.box.width * b.box.height - a.box.width * a.box.height);
}

export interface FusedFaceMatch {
  /** the live faces' similarities to the ID portrait, fused (see fuseFaceMatch) */
  score: number;
  /** how many live faces were compared */
  comparisons: number;
  /** width of the smallest face taking part, the ID portrait included */
  smallestFacePx: number;
}

/**
 * Every live face of the session against the ID portrait, fused into one score: the mean of their
 * similarities. A session shows the seller's face in three or four photos; one pair that happens to
 * score high (an impostor's lucky frame) is pulled down by the others, and decide() approves no face
 * match fused from fewer than two. test/bench/face.ts composes sessions from the pooled fixture
 * photos and prints what each rule buys (the mean against one pair, the lowest pair, a mean
 * descriptor). Null when either side has no descriptor.
 */
export function fuseFaceMatch(live: FaceObservation[], idPortrait: FaceObservation | null): FusedFaceMatch | null {
  const faces = live.filter((f) => f.embedding);
  if (!idPortrait?.embedding || faces.length === 0) return null;
  const scores = faces.map((f) => similarity(f, idPortrait)!);
  return {
    score: scores.reduce((a, b) => a + b, 0) / scores.length,
    comparisons: scores.length,
    smallestFacePx: Math.round(Math.min(idPortrait.box.width, ...faces.map((f) => f.box.width))),
  };
}
