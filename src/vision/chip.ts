// Cuts the aligned face chip the descriptor model expects, from the full-resolution photo. The
// engine frames it as face-api frames its own (dlibSquare below, from face-api's 68 points); the
// earlier mesh framing (cutChip) is kept for the face bench, which compares the two.
// Mesh framing: eyes levelled, eyes and mouth at the places of dlib's 150-px aligned faces (face-api's
// ResNet was trained on those). A face larger than the chip is sampled straight from the photo's pixels
// (sample.ts); a smaller one (an ID card's printed portrait) is enlarged with lanczos instead of
// stretching a low-resolution detector crop.
import sharp from 'sharp';
import type { Point } from './types.js';
import { sampleSquare, type Square } from './sample.js';

export const CHIP_PX = 150;

// Where dlib's aligned 150-px chip puts the features, as fractions of the chip side: its mean face
// shape (eyes at 0.225 / 0.755 across, 0.216 down; top of the upper lip at 0.727 down) padded by
// 0.25 on each side gives eye centres 0.35 apart at height 0.31 and the upper lip 0.34 below the
// eyes. The upper lip rather than the mouth centre: an open mouth or a tongue out moves the centre
// (on test/bench/face.ts the change lowered the EER from 0.026 to 0.018). A sweep of the chip's
// scale (0.85..1.08) and height (+-0.03) on the same bench put the best framing 8% tighter than
// the template (TAR at FAR 0: 0.951 against 0.902; neighbouring framings 0.83..0.93, i.e. within
// one or two of the 41 genuine pairs, so the gain is partly noise): eye gap 0.38, eye to lip 0.37.
export const EYE_Y = 0.31;
export const EYE_GAP = 0.38;
const EYE_TO_LIP = 0.37;

// MediaPipe mesh rings around each eye, and the top of the upper lip.
const RIGHT_EYE = [33, 133, 159, 145, 160, 158, 144, 153];
const LEFT_EYE = [263, 362, 386, 374, 387, 385, 373, 380];
const UPPER_LIP = [0];

function centre(mesh: Point[], idx: number[]): Point {
  let x = 0;
  let y = 0;
  for (const i of idx) {
    x += mesh[i].x;
    y += mesh[i].y;
  }
  return { x: x / idx.length, y: y / idx.length };
}

export interface ChipGeometry {
  /** centre between the eyes, original pixels */
  eyes: Point;
  /** clockwise tilt of the eye line, degrees (the chip is rotated back by it) */
  tiltDeg: number;
  /** side of the square the chip covers, original pixels */
  side: number;
}

/**
 * Where the chip lies on the photo. Its side is the larger of what the eye gap and the eye-lip
 * distance imply, so a turned head (short eye gap) or a raised chin (short eye-lip) does not zoom in.
 */
export function chipGeometry(mesh: Point[]): ChipGeometry {
  const right = centre(mesh, RIGHT_EYE); // subject's right: image left
  const left = centre(mesh, LEFT_EYE);
  const lip = centre(mesh, UPPER_LIP);
  const eyes = { x: (left.x + right.x) / 2, y: (left.y + right.y) / 2 };
  const tilt = Math.atan2(left.y - right.y, left.x - right.x);
  const gap = Math.hypot(left.x - right.x, left.y - right.y);
  // eye-to-lip measured across the eye line (perpendicular), so tilt does not shorten it
  const down = Math.abs(-(lip.x - eyes.x) * Math.sin(tilt) + (lip.y - eyes.y) * Math.cos(tilt));
  const side = Math.max(gap / EYE_GAP, down / EYE_TO_LIP, 8);
  return { eyes, tiltDeg: (tilt * 180) / Math.PI, side };
}

export interface RawImage {
  pixels: Uint8Array;
  width: number;
  height: number;
}

/**
 * RGB values 0..255 (CHIP_PX x CHIP_PX x 3) of the aligned chip, as the descriptor's float input.
 * Shrinking, it is one pass over the photo's pixels in the sampler the hand crops use: with the
 * image library (a square twice the chip's side cut, turned and resized on its threads) the six
 * chips of the vision bench's composed verification (test/bench/vision.ts, faces about 500 px)
 * cost about 200 CPU ms; sampled, about 30, and the face bench
 * (test/bench/face.ts) kept its figures: TAR 1.000 at FAR 0, EER 0, lowest genuine 0.820 against
 * 0.821, highest impostor 0.808 as before; the small-face bench (test/bench/face-size.ts) moved
 * by at most 0.005 at any width.
 */
export async function cutChip(image: RawImage, g: ChipGeometry): Promise<Float32Array> {
  // the chip at any turn lies within `side` of the eyes: that square must reach into the photo
  const reach = Math.ceil(g.side);
  const [x, y] = [Math.round(g.eyes.x), Math.round(g.eyes.y)];
  if (Math.min(image.width, x + reach) - Math.max(0, x - reach) < 2 || Math.min(image.height, y + reach) - Math.max(0, y - reach) < 2) {
    throw new Error('vision: face chip lies outside the photo');
  }
  if (g.side > CHIP_PX) {
    const t = (g.tiltDeg * Math.PI) / 180;
    // the chip's centre lies below the eyes, across the levelled eye line; the mesh puts pixel i's
    // centre at i + 0.5, the sampler at i
    const down = (0.5 - EYE_Y) * g.side;
    const square = { cx: g.eyes.x - Math.sin(t) * down - 0.5, cy: g.eyes.y + Math.cos(t) * down - 0.5, side: g.side, angle: t };
    return sampleSquare(image, square, CHIP_PX, new Float32Array(CHIP_PX * CHIP_PX * 3), 1);
  }
  return Float32Array.from(await enlargedChip(image, g));
}

/** The chip of a face smaller than it: cut, turned level and enlarged with lanczos. */
async function enlargedChip(image: RawImage, g: ChipGeometry): Promise<Uint8Array> {
  // a square around the eyes big enough to hold the chip at any rotation, padded where it leaves the photo
  const half = Math.ceil(g.side);
  const want = { left: Math.round(g.eyes.x) - half, top: Math.round(g.eyes.y) - half, size: 2 * half };
  const left = Math.max(0, want.left);
  const top = Math.max(0, want.top);
  const right = Math.min(image.width, want.left + want.size);
  const bottom = Math.min(image.height, want.top + want.size);
  const region = await sharp(image.pixels, { raw: { width: image.width, height: image.height, channels: 3 } })
    .extract({ left, top, width: right - left, height: bottom - top })
    .extend({
      left: left - want.left,
      top: top - want.top,
      right: want.left + want.size - right,
      bottom: want.top + want.size - bottom,
      background: { r: 0, g: 0, b: 0 },
    })
    .raw()
    .toBuffer();
  // rotating about the region's centre (the eyes) keeps the eyes at the centre of the larger canvas
  const rotated = await sharp(region, { raw: { width: want.size, height: want.size, channels: 3 } })
    .rotate(-g.tiltDeg, { background: { r: 0, g: 0, b: 0 } })
    .raw()
    .toBuffer({ resolveWithObject: true });
  const cx = rotated.info.width / 2;
  const cy = rotated.info.height / 2;
  const side = Math.round(g.side);
  const chipLeft = Math.max(0, Math.round(cx - g.side / 2));
  const chipTop = Math.max(0, Math.round(cy - EYE_Y * g.side));
  return sharp(rotated.data, { raw: { width: rotated.info.width, height: rotated.info.height, channels: 3 } })
    .extract({
      left: chipLeft,
      top: chipTop,
      width: Math.min(side, rotated.info.width - chipLeft),
      height: Math.min(side, rotated.info.height - chipTop),
    })
    .resize(CHIP_PX, CHIP_PX, { fit: 'fill', kernel: 'lanczos3' })
    .raw()
    .toBuffer();
}

/**
 * How the chip is framed. 'mesh-v4': levelled, eye gap and eye-to-upper-lip from the face mesh
 * (cutChip above). The 'dlib' framings are the box face-api itself gives its descriptor
 * (FaceLandmarks.alignDlib): a square eye-to-mouth-centre distance / 0.45 wide, whose point a
 * third of the way from the eyes' midpoint to the mouth sits at 0.5 across and 0.43 down; face-api
 * does not turn it ('dlib-mesh' and 'dlib-68', from the mesh or from face-api's own 68-point
 * landmarks), 'dlib-mesh-level' turns it so the eyes are level.
 */
export type ChipMethod = 'mesh-v4' | 'dlib-mesh' | 'dlib-mesh-level' | 'dlib-68';

// face-api's alignDlib constants
const DLIB_REL_X = 0.5;
const DLIB_REL_Y = 0.43;
const DLIB_REL_SCALE = 0.45;

// MediaPipe mesh rings of the outer and inner lips: their mean is the mouth centre the 68-point
// scheme takes (the mean of its 20 mouth points).
const OUTER_LIP = [61, 146, 91, 181, 84, 17, 314, 405, 321, 375, 291, 409, 270, 269, 267, 0, 37, 39, 40, 185];
const INNER_LIP = [78, 95, 88, 178, 87, 14, 317, 402, 318, 324, 308, 415, 310, 311, 312, 13, 82, 81, 80, 191];

export interface AlignmentPoints {
  /** the subject's right eye (image left), left eye, and mouth centre */
  right: Point;
  left: Point;
  mouth: Point;
}

export function meshAlignmentPoints(mesh: Point[]): AlignmentPoints {
  return { right: centre(mesh, RIGHT_EYE), left: centre(mesh, LEFT_EYE), mouth: centre(mesh, [...OUTER_LIP, ...INNER_LIP]) };
}

/** The 68-point scheme's eyes (36-41 image left, 42-47) and mouth (48-67). */
export function landmarks68AlignmentPoints(points: Point[]): AlignmentPoints {
  const range = (a: number, b: number) => Array.from({ length: b - a }, (_, i) => a + i);
  return { right: centre(points, range(36, 42)), left: centre(points, range(42, 48)), mouth: centre(points, range(48, 68)) };
}

/** face-api's dlib box as a square on the photo (coordinates with pixel centres at i + 0.5), turned level when asked. */
export function dlibSquare(p: AlignmentPoints, level: boolean): Square {
  const dist = (a: Point) => Math.hypot(p.mouth.x - a.x, p.mouth.y - a.y);
  const side = Math.max(8, (dist(p.left) + dist(p.right)) / 2 / DLIB_REL_SCALE);
  const ref = { x: (p.left.x + p.right.x + p.mouth.x) / 3, y: (p.left.y + p.right.y + p.mouth.y) / 3 };
  const angle = level ? Math.atan2(p.left.y - p.right.y, p.left.x - p.right.x) : 0;
  // the box's centre lies (0.5 - relX, 0.5 - relY) sides from the reference point, in the box's own axes
  const [u, v] = [(0.5 - DLIB_REL_X) * side, (0.5 - DLIB_REL_Y) * side];
  const [cos, sin] = [Math.cos(angle), Math.sin(angle)];
  return { cx: ref.x + u * cos - v * sin - 0.5, cy: ref.y + u * sin + v * cos - 0.5, side, angle };
}

/** The chip a square frames, sampled from the photo (box filter when shrinking, bilinear when enlarging). */
export function cutSquareChip(image: RawImage, square: Square): Float32Array {
  return sampleSquare(image, square, CHIP_PX, new Float32Array(CHIP_PX * CHIP_PX * 3), 1);
}

/** The chip mirrored left to right: the descriptor of a face and of its mirror image may be averaged. */
export function mirrorChip(chip: Float32Array): Float32Array {
  const out = new Float32Array(chip.length);
  for (let y = 0; y < CHIP_PX; y++) {
    for (let x = 0; x < CHIP_PX; x++) {
      const from = (y * CHIP_PX + x) * 3;
      const to = (y * CHIP_PX + (CHIP_PX - 1 - x)) * 3;
      out[to] = chip[from];
      out[to + 1] = chip[from + 1];
      out[to + 2] = chip[from + 2];
    }
  }
  return out;
}
