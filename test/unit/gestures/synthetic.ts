// Hands and faces drawn from numbers: a hand is built upright in its own frame (wrist at the origin,
// fingers up, palm length 1) from per-finger curls, then mirrored, rotated, scaled and placed.
import type { FaceObservation, HandObservation, Observations, Point } from '../../../src/vision/types.js';

type LongFinger = 'index' | 'middle' | 'ring' | 'pinky';
export type Shape = 'extended' | 'half' | 'folded';

/** Total in-plane curl, degrees, spread evenly over a finger's three joints. */
const CURL: Record<Shape, number> = { extended: 6, half: 90, folded: 250 };

const MCP: Record<LongFinger, Point> = {
  index: { x: 0.32, y: -0.95 },
  middle: { x: 0.1, y: -1.0 },
  ring: { x: -0.12, y: -0.95 },
  pinky: { x: -0.32, y: -0.86 },
};
const SEGMENTS: Record<LongFinger, [number, number, number]> = {
  index: [0.42, 0.25, 0.22],
  middle: [0.47, 0.28, 0.23],
  ring: [0.43, 0.27, 0.22],
  pinky: [0.33, 0.2, 0.2],
};
const SPREAD: Record<LongFinger, number> = { index: 8, middle: 2, ring: -4, pinky: -10 };

const rad = (d: number): number => (d * Math.PI) / 180;
/** unit vector `deg` clockwise from straight up (y down) */
const dir = (deg: number): Point => ({ x: Math.sin(rad(deg)), y: -Math.cos(rad(deg)) });
const add = (p: Point, v: Point, k: number): Point => ({ x: p.x + v.x * k, y: p.y + v.y * k });

function chain(start: Point, startDeg: number, lengths: number[], bendPerJoint: number): Point[] {
  const pts: Point[] = [];
  let p = start;
  let deg = startDeg;
  for (const len of lengths) {
    p = add(p, dir(deg), len);
    pts.push(p);
    // fingers curl toward the pinky side in this side-on drawing; the thumb curls toward the palm
    deg -= bendPerJoint;
  }
  return pts;
}

export interface HandSpec {
  fingers?: Partial<Record<LongFinger, Shape>>;
  /** out: thumb held out at `thumbDeg` (hand frame, clockwise from up); tucked: across the palm */
  thumb?: 'out' | 'tucked' | 'half';
  thumbDeg?: number;
  /** thumb tip meets the index tip (OK circle); the index is curled to meet it */
  okCircle?: boolean;
  which?: 'right' | 'left';
  facing?: 'palm' | 'back';
  /** clockwise rotation in the image, degrees */
  rotate?: number;
  /** palm length in pixels */
  size?: number;
  /** wrist position in pixels */
  at?: Point;
  /** squeeze across the palm, 1 = full face-on view; small values turn the hand edge-on */
  squeeze?: number;
  score?: number;
}

/** 21 keypoints in MediaPipe order, as an unmirrored camera frame would show them. */
export function hand(spec: HandSpec = {}): HandObservation {
  const shapes: Record<LongFinger, Shape> = { index: 'extended', middle: 'extended', ring: 'extended', pinky: 'extended', ...spec.fingers };
  const wrist = { x: 0, y: 0 };
  const pts: Point[] = [wrist];
  const cmc = { x: 0.22, y: -0.22 };
  let thumb: Point[];
  const indexChain = spec.okCircle
    ? chain(MCP.index, SPREAD.index, SEGMENTS.index, -55)
    : chain(MCP.index, SPREAD.index, SEGMENTS.index, CURL[shapes.index] / 3);
  if (spec.okCircle) {
    const tip = indexChain[2];
    thumb = [cmc, add(cmc, { x: (tip.x - cmc.x) * 0.45 + 0.08, y: (tip.y - cmc.y) * 0.4 }, 1), add(cmc, { x: (tip.x - cmc.x) * 0.8 + 0.05, y: (tip.y - cmc.y) * 0.72 }, 1), { x: tip.x - 0.02, y: tip.y + 0.02 }];
  } else if (spec.thumb === 'tucked') {
    thumb = [cmc, { x: 0.38, y: -0.45 }, { x: 0.25, y: -0.66 }, { x: 0.06, y: -0.8 }];
  } else if (spec.thumb === 'half') {
    thumb = [cmc, ...chain(cmc, spec.thumbDeg ?? 40, [0.3, 0.3, 0.25], 0).slice(0, 1), { x: 0.5, y: -0.62 }, { x: 0.36, y: -0.74 }];
  } else {
    thumb = [cmc, ...chain(cmc, spec.thumbDeg ?? 60, [0.32, 0.32, 0.27], 4)];
  }
  pts.push(...thumb);
  pts.push(MCP.index, ...indexChain);
  for (const f of ['middle', 'ring', 'pinky'] as const) {
    pts.push(MCP[f], ...chain(MCP[f], SPREAD[f], SEGMENTS[f], CURL[shapes[f]] / 3));
  }
  // right palm toward an unmirrored camera has the thumb on the image's right (x > 0 here)
  const which = spec.which ?? 'right';
  const facing = spec.facing ?? 'palm';
  const flip = (which === 'right') !== (facing === 'palm') ? -1 : 1;
  const squeeze = spec.squeeze ?? 1;
  const size = spec.size ?? 100;
  const at = spec.at ?? { x: 320, y: 360 };
  const c = Math.cos(rad(spec.rotate ?? 0));
  const s = Math.sin(rad(spec.rotate ?? 0));
  const keypoints = pts.map((p) => {
    const x = p.x * flip * squeeze;
    const y = p.y;
    return { x: at.x + size * (x * c - y * s), y: at.y + size * (x * s + y * c), z: 0 };
  });
  const xs = keypoints.map((p) => p.x);
  const ys = keypoints.map((p) => p.y);
  return {
    box: { x: Math.min(...xs), y: Math.min(...ys), width: Math.max(...xs) - Math.min(...xs), height: Math.max(...ys) - Math.min(...ys) },
    score: spec.score ?? 0.9,
    keypoints,
  };
}

export interface FaceSpec {
  box?: { x: number; y: number; width: number; height: number };
  yaw?: number;
  pitch?: number;
  roll?: number;
  eyesOpen?: number;
  mouthOpen?: number;
  mouthStretch?: number;
}

/** A face with a detector box and no mesh: landmarks are estimated from the box. */
export function face(spec: FaceSpec = {}): FaceObservation {
  const box = spec.box ?? { x: 250, y: 150, width: 140, height: 160 };
  return {
    box,
    score: 0.95,
    sizeRatio: (box.width * box.height) / (640 * 720),
    angles: { yaw: spec.yaw ?? 0, pitch: spec.pitch ?? 0, roll: spec.roll ?? 0 },
    eyesOpen: spec.eyesOpen === undefined ? undefined : { left: spec.eyesOpen, right: spec.eyesOpen },
    mouthOpen: spec.mouthOpen,
    mouthStretch: spec.mouthStretch,
  };
}

export function observations(parts: { hands?: HandObservation[]; faces?: FaceObservation[] }): Observations {
  return { width: 640, height: 720, faces: parts.faces ?? [], hands: parts.hands ?? [], models: ['synthetic'], ms: 0 };
}
