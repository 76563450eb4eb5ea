// Hand keypoints from the landmark model on the crop it was trained on. Human's hand tracker squeezes
// the detector's box (often tall and narrow) into the landmark model's square input without turning
// it, so a hand held sideways or pointing down, or a thumb beside a fist, reaches the model distorted
// and the fingers come back misplaced. Here every hand Human found is cut again from the photo as a
// square around its keypoints, turned so the wrist is below the middle knuckle (as MediaPipe's own
// tracking crops are), and the landmark model runs once more on that crop; its hand-presence output
// becomes the hand's score. When no hand is found with confidence, more looks are taken, cheapest
// first: the landmark model on the whole frame (a hand that fills the photo), the doubtful hands'
// crops at other quarter turns, the detector on the photo shrunk into a larger canvas (it is trained
// on hands smaller in the picture), then on the photo upside down and turned a quarter each way.
import sharp from 'sharp';
import type { HandObservation } from './types.js';
import type { RawImage } from './chip.js';
import type { RawHand } from './normalize.js';
import { toHandObservation } from './normalize.js';
import type { Runtime } from './runtime.js';
import { sampleSquare, type Square } from './sample.js';

/** The landmark model's square input side, pixels. */
const LANDMARK_PX = 224;

// MediaPipe's landmarks-to-crop rule: the box of the palm and finger-base joints, turned with the
// hand, doubled, and moved a tenth of its height toward the fingers so that they fit.
const ROI_JOINTS = [0, 1, 2, 3, 5, 6, 9, 10, 13, 14, 17, 18];
const ROI_SCALE = 2;
const ROI_SHIFT = -0.1;

/**
 * Landmark passes per hand: after each, the crop is framed again from the keypoints it gave, as
 * MediaPipe's tracking does from frame to frame, until the crop stops moving (its turn within
 * CROP_SETTLED_DEG, its centre and side within CROP_SETTLED_SHARE of the side) or MAX_PASSES ran.
 * Human's seed of a fist held sideways with the thumb up reads the hand's turn some 80° wrong; the
 * first pass then draws a skeleton squeezed inside the fist (thumb folded) with high presence, and
 * the second, on a crop turned by that skeleton, finds the thumb (bench, test/bench/gestures.ts:
 * the four capture-framed thumbs up, rejected before, are accepted). A hand whose first crop was
 * framed well costs no second pass.
 */
const MAX_PASSES = 3;
const CROP_SETTLED_DEG = 20;
const CROP_SETTLED_SHARE = 0.2;

export interface HandsInput {
  /** the photo at analysis size, as Human saw it */
  analysis: RawImage;
  /** photo pixels per analysis pixel */
  k: number;
  /** Human's hands in analysis pixels */
  found: RawHand[];
  /** Human's hand models alone, on another image (analysis-sized raw pixels) */
  detectHands: (image: RawImage) => Promise<RawHand[]>;
}

/** The landmark model's crop: a square turned with the hand (see sample.ts). */
type Roi = Square;

type Kp = [number, number, number?][];

function roiFromKeypoints(kp: Kp): Roi {
  const [wx, wy] = kp[0];
  const [mx, my] = kp[9];
  const angle = Math.atan2(mx - wx, -(my - wy));
  const cos = Math.cos(angle);
  const sin = Math.sin(angle);
  // joints in the hand's own frame (x right, y toward the wrist), relative to the wrist
  const local = ROI_JOINTS.map((j) => {
    const dx = kp[j][0] - wx;
    const dy = kp[j][1] - wy;
    return [cos * dx + sin * dy, -sin * dx + cos * dy];
  });
  const xs = local.map((p) => p[0]);
  const ys = local.map((p) => p[1]);
  const [x0, x1, y0, y1] = [Math.min(...xs), Math.max(...xs), Math.min(...ys), Math.max(...ys)];
  const w = x1 - x0;
  const h = y1 - y0;
  const lx = (x0 + x1) / 2;
  const ly = (y0 + y1) / 2 + ROI_SHIFT * h;
  return { cx: wx + cos * lx - sin * ly, cy: wy + sin * lx + cos * ly, side: Math.max(w, h) * ROI_SCALE, angle };
}

// tfjs copies a tensor's values into WASM memory when it is made: one crop buffer serves every run
// of this thread (a new 600-kB array per run was garbage for the collector)
const cropScratch = new Float32Array(LANDMARK_PX * LANDMARK_PX * 3);

interface Landmarks {
  keypoints: Kp;
  /** the model's own hand-presence probability */
  presence: number;
}

async function landmarks(runtime: Runtime, img: RawImage, roi: Roi): Promise<Landmarks> {
  const { tf, human } = runtime;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const model = (human as any).models.models.handskeleton;
  if (!model) throw new Error('vision: the hand landmark model is not loaded');
  const input = tf.tensor4d(sampleSquare(img, roi, LANDMARK_PX, cropScratch, 255), [1, LANDMARK_PX, LANDMARK_PX, 3], 'float32');
  let outputs: ReturnType<typeof tf.tensor>[] = [];
  try {
    outputs = model.execute(input, ['Identity_1', 'Identity']);
    // the presence output is already a probability (Human passes it through a second sigmoid)
    const [presence] = await outputs[0].data();
    const raw = await outputs[1].data();
    const cos = Math.cos(roi.angle);
    const sin = Math.sin(roi.angle);
    const scale = roi.side / LANDMARK_PX;
    const keypoints: Kp = [];
    for (let j = 0; j < 21; j++) {
      const lx = raw[j * 3] * scale - roi.side / 2;
      const ly = raw[j * 3 + 1] * scale - roi.side / 2;
      keypoints.push([roi.cx + cos * lx - sin * ly, roi.cy + sin * lx + cos * ly, raw[j * 3 + 2] * scale]);
    }
    return { keypoints, presence: Math.max(0, Math.min(1, presence)) };
  } finally {
    tf.dispose([input, ...outputs]);
  }
}

/** A landmark result as a hand: its box around the keypoints, its presence as the score. */
const asHand = (l: Landmarks): RawHand => ({ box: boxOf(l.keypoints), score: l.presence, keypoints: l.keypoints });

/** Whether a crop framed again from its own keypoints would show the hand as it already did. */
function settled(a: Roi, b: Roi): boolean {
  const turn = Math.abs(Math.atan2(Math.sin(b.angle - a.angle), Math.cos(b.angle - a.angle))) * (180 / Math.PI);
  const moved = Math.hypot(b.cx - a.cx, b.cy - a.cy) / a.side;
  const grew = Math.abs(b.side - a.side) / a.side;
  return turn <= CROP_SETTLED_DEG && moved <= CROP_SETTLED_SHARE && grew <= CROP_SETTLED_SHARE;
}

function boxOf(kp: Kp): RawHand['box'] {
  const xs = kp.map((p) => p[0]);
  const ys = kp.map((p) => p[1]);
  const [x0, y0] = [Math.min(...xs), Math.min(...ys)];
  return [x0, y0, Math.max(...xs) - x0, Math.max(...ys) - y0];
}

function iou(a: RawHand['box'], b: RawHand['box']): number {
  const ix = Math.max(0, Math.min(a[0] + a[2], b[0] + b[2]) - Math.max(a[0], b[0]));
  const iy = Math.max(0, Math.min(a[1] + a[3], b[1] + b[3]) - Math.max(a[1], b[1]));
  const inter = ix * iy;
  return inter / Math.max(a[2] * a[3] + b[2] * b[3] - inter, 1e-6);
}

/** Keypoints again on a square, upright crop around each hand; the hand's score becomes the
 *  landmark model's presence on that crop. Hands that end on the same place are kept once. */
async function refine(runtime: Runtime, img: RawImage, seeds: RawHand[]): Promise<RawHand[]> {
  const out: RawHand[] = [];
  for (const seed of seeds) {
    // Human reports one hand twice at times: a seed on a hand already measured adds nothing
    if (out.some((h) => iou(h.box, boxOf(seed.keypoints)) > 0.5)) continue;
    let kp = seed.keypoints;
    let presence = 0;
    let roi = roiFromKeypoints(kp);
    for (let pass = 0; pass < MAX_PASSES && roi.side > 8; pass++) {
      ({ keypoints: kp, presence } = await landmarks(runtime, img, roi));
      const next = roiFromKeypoints(kp);
      if (settled(roi, next)) break;
      roi = next;
    }
    const hand = asHand({ keypoints: kp, presence });
    const same = out.findIndex((h) => iou(h.box, hand.box) > 0.5);
    if (same < 0) out.push(hand);
    else if (out[same].score < hand.score) out[same] = hand;
  }
  return out;
}

// The looks taken, in this order, while no hand is found with confidence (measured on test/bench/
// gestures.ts; figures in README.md), the cheaper first: the first two run the landmark model alone
// (about 35 CPU ms a run: three for the whole frame, three for each of up to two doubtful hands),
// each of the last four is one detector run (about 100); the order changed no figure of the bench
// and took the 12-MP victory close-up from 1.6 to 0.5 CPU s.
// - A hand that fills the photo, which the detector misses at any size: the landmark model on the
//   whole frame, upright and turned a quarter either way (upside down never won there and hands are
//   not shown so).
// - The two likeliest hands seen so far at the other three quarter turns: a sideways fist or a thumb
//   down whose first keypoints set the crop's turn wrong.
// - The detector again on the photo shrunk into a canvas twice its size (padding by a quarter or a
//   whole side found fewer of the framed fixture hands).
// - The detector on the photo turned upside down, then a quarter turn each way: it is trained on
//   raised hands and misses most thumbs down and fists held sideways as they are, but finds them
//   turned (on the bench, thumb-down went from 6 to 20 of its 20 genuine photos, no impostor
//   accepted).
const PAD = 0.5;
const DETECTOR_TURNS = [180, 90, 270] as const;
const OTHER_TURNS = [Math.PI / 2, -Math.PI / 2, Math.PI];
const MAX_TURNED = 2;
const WHOLE_FRAME_TURNS = [0, Math.PI / 2, -Math.PI / 2];

/** Hands whose landmark presence on their own crop is below this are not reported; below USABLE the
 *  next look is still taken. Bench: crops of background, forearm or face read below 0.1; of the 103
 *  hands found, every one under 0.85 and three of the six at 0.85-0.93 had misplaced fingers, while
 *  the well-placed hands mostly read 0.95 and more. */
const MIN_PRESENCE = 0.5;
const USABLE_PRESENCE = 0.9;

/**
 * The photo centred in a larger mid-grey canvas, at half the analysis size: the detector is given
 * it at 320 px either way (see the engine's detectHands), and the keypoints it gives are only seeds
 * that refine() places again on the full analysis pixels; a smaller canvas is cheaper to build.
 */
const PADDED_SCALE = 0.5;

/** A photo made from the analysis image for the detector, and the map of its pixels back. */
interface Transformed {
  image: RawImage;
  back: (h: RawHand) => RawHand;
}

async function padded(img: RawImage): Promise<Transformed> {
  const scale = PADDED_SCALE;
  const small = { width: Math.max(1, Math.round(img.width * scale)), height: Math.max(1, Math.round(img.height * scale)) };
  const pixels = await sharp(img.pixels, { raw: { width: img.width, height: img.height, channels: 3 } })
    .resize(small.width, small.height, { fit: 'fill' })
    .extend({
      top: Math.round(Math.max(small.width, small.height) * PAD),
      bottom: Math.round(Math.max(small.width, small.height) * PAD),
      left: Math.round(Math.max(small.width, small.height) * PAD),
      right: Math.round(Math.max(small.width, small.height) * PAD),
      background: { r: 128, g: 128, b: 128 },
    })
    .raw()
    .toBuffer({ resolveWithObject: true });
  const pad = Math.round(Math.max(small.width, small.height) * PAD);
  return { image: { pixels: pixels.data, width: pixels.info.width, height: pixels.info.height }, back: (h) => shift(h, -pad, -pad, 1 / scale) };
}

const shift = (h: RawHand, dx: number, dy: number, k = 1): RawHand => ({
  ...h,
  box: [(h.box[0] + dx) * k, (h.box[1] + dy) * k, h.box[2] * k, h.box[3] * k],
  keypoints: h.keypoints.map(([x, y, z]) => [(x + dx) * k, (y + dy) * k, z]),
});

/** The photo turned clockwise by `deg` (90, 180 or 270), and the map of its pixels back to the photo's. */
export async function turned(img: RawImage, deg: 90 | 180 | 270): Promise<Transformed> {
  const { data, info } = await sharp(img.pixels, { raw: { width: img.width, height: img.height, channels: 3 } }).rotate(deg).raw().toBuffer({ resolveWithObject: true });
  const { width: W, height: H } = img;
  const point = ([x, y, z]: [number, number, number?]): [number, number, number?] =>
    deg === 180 ? [W - x, H - y, z] : deg === 90 ? [y, H - x, z] : [W - y, x, z];
  return {
    image: { pixels: data, width: info.width, height: info.height },
    back: (h) => {
      const keypoints = h.keypoints.map(point);
      return { ...h, keypoints, box: boxOf(keypoints) };
    },
  };
}

/** A hand seen without confidence may be turned further than its first keypoints said (a fist held
 *  sideways, a thumb down): its crop again at each other quarter turn, kept if surer. */
async function turnedCrops(runtime: Runtime, analysis: RawImage, hands: RawHand[]): Promise<RawHand[]> {
  const surer: RawHand[] = [];
  for (const h of [...hands].sort((a, b) => b.score - a.score).slice(0, MAX_TURNED)) {
    const roi = roiFromKeypoints(h.keypoints);
    if (!(roi.side > 8)) continue;
    const best = await surest(runtime, analysis, OTHER_TURNS.map((turn) => ({ ...roi, angle: roi.angle + turn })));
    if (best.presence > h.score) surer.push(asHand(best));
  }
  return refine(runtime, analysis, surer);
}

/** A hand that fills the photo: the landmark model itself on the whole frame, upright and turned a
 *  quarter each way, then refined from the turn it was surest of. */
async function wholeFrame(runtime: Runtime, analysis: RawImage): Promise<RawHand[]> {
  const side = Math.max(analysis.width, analysis.height);
  const best = await surest(runtime, analysis, WHOLE_FRAME_TURNS.map((angle) => ({ cx: analysis.width / 2, cy: analysis.height / 2, side, angle })));
  return best.presence >= MIN_PRESENCE ? refine(runtime, analysis, [asHand(best)]) : [];
}

/** The landmark model on each crop (at least one), the one it is surest of. */
async function surest(runtime: Runtime, img: RawImage, rois: Roi[]): Promise<Landmarks> {
  let best: Landmarks | undefined;
  for (const roi of rois) {
    const l = await landmarks(runtime, img, roi);
    if (!best || l.presence > best.presence) best = l;
  }
  return best!;
}

const usable = (hands: RawHand[]): boolean => hands.some((h) => h.score >= USABLE_PRESENCE);
const whole = (hands: RawHand[]): RawHand[] => hands.filter((h) => h.keypoints.length === 21);

export async function findHands(runtime: Runtime, input: HandsInput): Promise<HandObservation[]> {
  const { analysis, k } = input;
  // cheapest first: the landmark model alone (about 35 CPU ms a run), then the detector (about 100)
  const looks: ((sofar: RawHand[]) => Promise<RawHand[]>)[] = [
    () => refine(runtime, analysis, whole(input.found)),
    () => wholeFrame(runtime, analysis),
    (sofar) => turnedCrops(runtime, analysis, sofar),
    ...[() => padded(analysis), ...DETECTOR_TURNS.map((deg) => () => turned(analysis, deg))].map((transform) => async () => {
      const t = await transform();
      return refine(runtime, analysis, whole(await input.detectHands(t.image)).map(t.back));
    }),
  ];
  let hands: RawHand[] = [];
  for (const look of looks) {
    if (usable(hands)) break;
    hands = [...hands, ...(await look(hands))];
  }
  // one hand seen by two looks is reported once, as the look surest of it saw it
  const kept: RawHand[] = [];
  for (const h of hands.filter((x) => x.score >= MIN_PRESENCE).sort((a, b) => b.score - a.score)) {
    if (!kept.some((x) => iou(x.box, h.box) > 0.5)) kept.push(h);
  }
  return kept.map((h) => toHandObservation(shift(h, 0, 0, k)));
}
