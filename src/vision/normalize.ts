// Turns Human's raw results into the project's observations: pixel boxes, degrees with the sign
// conventions of types.ts, eye and mouth openness measured on the face mesh. Pure functions.
import type { Box, FaceObservation, HandObservation, HeadAngles, Point } from './types.js';

/** Human's face and hand results, reduced to the fields read here (keeps Human's types out). */
export interface RawFace {
  box: [number, number, number, number];
  score: number;
  mesh: [number, number, number?][];
  rotation?: { angle: { roll: number; yaw: number; pitch: number } } | null;
  real?: number;
  live?: number;
}

export interface RawHand {
  box: [number, number, number, number];
  score: number;
  keypoints: [number, number, number?][];
}

// MediaPipe face-mesh indices. "right" is the subject's own right eye (the image's left side in a
// non-mirrored photo).
const MESH = {
  rightEye: { outer: 33, inner: 133, upper: 159, lower: 145 },
  leftEye: { outer: 263, inner: 362, upper: 386, lower: 374 },
  mouth: { left: 291, right: 61, upperInner: 13, lowerInner: 14 },
} as const;

// Eyelid gap / eye width of an open eye. Measured on the 38 faces of the faces/ fixtures (76 eyes,
// all open): median 0.29, 90% above 0.20, two squinting eyes of a small tilted face at 0.02 and 0.06.
// 0.30 maps a normally open eye to about 1; lids that touch give well under 0.3.
const EYE_WIDE_OPEN_RATIO = 0.3;

const RAD = 180 / Math.PI;

export function toBox([x, y, width, height]: [number, number, number, number]): Box {
  return { x, y, width, height };
}

function toPoint([x, y, z]: [number, number, number?]): Point {
  return z === undefined ? { x, y } : { x, y, z };
}

function dist(a: [number, number, number?], b: [number, number, number?]): number {
  return Math.hypot(a[0] - b[0], a[1] - b[1]);
}

/** Eyelid gap over eye width, scaled so a normally open eye is about 1; 0 is closed. */
export function eyeOpenness(mesh: RawFace['mesh'], eye: 'left' | 'right'): number {
  const e = eye === 'left' ? MESH.leftEye : MESH.rightEye;
  const width = dist(mesh[e.outer], mesh[e.inner]);
  if (width <= 0) return 0;
  return Math.min(1, dist(mesh[e.upper], mesh[e.lower]) / width / EYE_WIDE_OPEN_RATIO);
}

/** Inner lip gap over mouth width (0 closed, about 0.5 and more wide open). */
export function mouthOpenness(mesh: RawFace['mesh']): number {
  const width = dist(mesh[MESH.mouth.left], mesh[MESH.mouth.right]);
  if (width <= 0) return 0;
  return dist(mesh[MESH.mouth.upperInner], mesh[MESH.mouth.lowerInner]) / width;
}

/** Mouth width over the distance between the outer eye corners: a smile stretches the mouth
 *  sideways (about 0.75 and more), a relaxed or open mouth is narrower (about 0.45 to 0.7). */
export function mouthStretch(mesh: RawFace['mesh']): number {
  const eyes = dist(mesh[MESH.rightEye.outer], mesh[MESH.leftEye.outer]);
  if (eyes <= 0) return 0;
  return dist(mesh[MESH.mouth.left], mesh[MESH.mouth.right]) / eyes;
}

/**
 * Human's rotation angles (radians) to the project's convention (degrees; yaw > 0 toward the
 * image's right edge, pitch > 0 chin up, roll > 0 clockwise in the image). The signs were checked
 * on real photos against the mesh's own geometry: see test/unit/vision/angles.test.ts.
 */
export function toHeadAngles(angle: { roll: number; yaw: number; pitch: number } | undefined | null): HeadAngles {
  if (!angle) return { yaw: 0, pitch: 0, roll: 0 };
  return {
    yaw: round1(HUMAN_SIGN.yaw * angle.yaw * RAD),
    pitch: round1(HUMAN_SIGN.pitch * angle.pitch * RAD),
    roll: round1(HUMAN_SIGN.roll * angle.roll * RAD),
  };
}

/** Sign of Human's angle relative to ours, per axis (measured, see toHeadAngles). */
// Measured on the faces/ fixtures: Human's yaw is positive when the nose sits left of the cheeks'
// midpoint (the face turns toward the image's left edge), its pitch is positive when the chin is
// farther from the camera than the forehead (chin down), and its roll grows by +20 when the photo
// is turned 20 degrees clockwise. So yaw and pitch flip, roll keeps its sign.
export const HUMAN_SIGN = { yaw: -1, pitch: -1, roll: 1 } as const;

function round1(v: number): number {
  return Math.round(v * 10) / 10 + 0; // + 0 turns -0 into 0
}

export function toFaceObservation(
  raw: RawFace,
  image: { width: number; height: number },
  wants: { mesh: boolean; liveness: boolean },
): FaceObservation {
  const box = toBox(raw.box);
  const face: FaceObservation = {
    box,
    score: raw.score,
    sizeRatio: (box.width * box.height) / (image.width * image.height),
    angles: toHeadAngles(raw.rotation?.angle),
  };
  if (wants.mesh && raw.mesh.length >= 468) {
    face.mesh = raw.mesh.map(toPoint);
    face.eyesOpen = { left: eyeOpenness(raw.mesh, 'left'), right: eyeOpenness(raw.mesh, 'right') };
    face.mouthOpen = mouthOpenness(raw.mesh);
    face.mouthStretch = mouthStretch(raw.mesh);
  }
  if (wants.liveness) {
    if (raw.real !== undefined) face.real = raw.real;
    if (raw.live !== undefined) face.live = raw.live;
  }
  return face;
}

export function toHandObservation(raw: RawHand): HandObservation {
  return { box: toBox(raw.box), score: raw.score, keypoints: raw.keypoints.map(toPoint) };
}

/** Largest first: the live face of a selfie is the biggest; an ID card's printed portrait is smaller. */
export function byAreaDescending(a: { box: Box }, b: { box: Box }): number {
  return b.box.width * b.box.height - a.box.width * a.box.height;
}
