// What the vision module reports about one image. Plain data: no tensors, no Human types leak out.
// Coordinates are pixels of the analysed (already orientation-corrected) image: x right, y down.

export interface Point {
  x: number;
  y: number;
  /** depth relative to the wrist / face centre, in the model's own units; only comparable within one hand or face */
  z?: number;
}

export interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** Head pose in degrees. yaw > 0: the face turns toward the image's right edge (the subject's own left).
 *  pitch > 0: chin up (face tilts up). roll > 0: the head leans clockwise as seen in the image. */
export interface HeadAngles {
  yaw: number;
  pitch: number;
  roll: number;
}

export interface FaceObservation {
  box: Box;
  /** detector confidence 0..1 */
  score: number;
  /** face box area / image area */
  sizeRatio: number;
  angles: HeadAngles;
  /** the 468-point face mesh (MediaPipe indexing), present when the mesh model ran */
  mesh?: Point[];
  /** eye openness 0 (closed) .. 1 (wide open), from the mesh; undefined when no mesh */
  eyesOpen?: { left: number; right: number };
  /** mouth openness: lip gap / mouth width, from the mesh; undefined when no mesh */
  mouthOpen?: number;
  /** mouth width / distance between the outer eye corners, from the mesh: a smile stretches it */
  mouthStretch?: number;
  /** face descriptor of the project's chosen matcher (see FACE_MATCH in match.ts); compare with faceSimilarity */
  embedding?: number[];
  /** which matcher produced `embedding`, so descriptors of different models are never compared */
  embeddingModel?: string;
  /** Human's antispoof ("real") and liveness scores 0..1: weak signals only, never decisive */
  real?: number;
  live?: number;
}

export type HandJoint =
  | 'wrist'
  | 'thumbCMC' | 'thumbMCP' | 'thumbIP' | 'thumbTip'
  | 'indexMCP' | 'indexPIP' | 'indexDIP' | 'indexTip'
  | 'middleMCP' | 'middlePIP' | 'middleDIP' | 'middleTip'
  | 'ringMCP' | 'ringPIP' | 'ringDIP' | 'ringTip'
  | 'pinkyMCP' | 'pinkyPIP' | 'pinkyDIP' | 'pinkyTip';

/** MediaPipe's 21-landmark order: keypoints[i] is HAND_JOINTS[i]. */
export const HAND_JOINTS: readonly HandJoint[] = [
  'wrist',
  'thumbCMC', 'thumbMCP', 'thumbIP', 'thumbTip',
  'indexMCP', 'indexPIP', 'indexDIP', 'indexTip',
  'middleMCP', 'middlePIP', 'middleDIP', 'middleTip',
  'ringMCP', 'ringPIP', 'ringDIP', 'ringTip',
  'pinkyMCP', 'pinkyPIP', 'pinkyDIP', 'pinkyTip',
] as const;

export interface HandObservation {
  box: Box;
  /** landmark confidence 0..1 */
  score: number;
  /** 21 points in HAND_JOINTS order */
  keypoints: Point[];
}

export interface Observations {
  width: number;
  height: number;
  /** largest first */
  faces: FaceObservation[];
  hands: HandObservation[];
  /** which models ran, and milliseconds spent */
  models: string[];
  ms: number;
}

/** What a caller asks of one image; only the named models run (an ID photo needs no hands). */
export interface AnalyzeOptions {
  /** detect faces (always needed for a face match) */
  face?: boolean;
  /** run the face mesh (needed for eyes/mouth/face-relative hand position) */
  mesh?: boolean;
  /** compute the matcher's embedding for each face */
  embed?: boolean;
  /** run hand detection + landmarks */
  hands?: boolean;
  /** antispoof + liveness signals */
  liveness?: boolean;
  /** upper bound of faces to report (ID-in-selfie has two: the live face and the card's portrait) */
  maxFaces?: number;
  /** when the whole photo showed no printed portrait (a face under PRINTED_FACE_MAX_SHARE of the
   *  largest) and fewer than maxFaces, look again in upscaled tiles, nearest the largest face first,
   *  for one face too small for the whole-photo pass (an ID card's printed portrait); costs several
   *  detector runs, so only the selfie with the ID asks */
  smallFaces?: boolean;
}

/**
 * A face under this share of the largest face's width is a printed one (a held ID card's portrait, a
 * picture on a newspaper page, a poster), not another person in the frame: an ID card's photo is
 * about 2.6 cm wide against a real face's 15 cm, so even a card held well in front of the face shows
 * a portrait under a third of its width.
 */
export const PRINTED_FACE_MAX_SHARE = 0.5;
