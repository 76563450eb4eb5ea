// One analysis thread: decodes a photo, runs only the models the caller asked for, and returns plain
// observations. A worker of the pool owns one engine; tests and benchmarks may use one directly.
import sharp from 'sharp';
import { PRINTED_FACE_MAX_SHARE, type AnalyzeOptions, type FaceObservation, type Observations } from './types.js';
import { loadRuntime, type Runtime, type Tf } from './runtime.js';
import { byAreaDescending, toFaceObservation, type RawFace, type RawHand } from './normalize.js';
import { FACE_MATCHER_MODEL } from './match.js';
import {
  CHIP_PX, chipGeometry, cutChip, cutSquareChip, dlibSquare, landmarks68AlignmentPoints, meshAlignmentPoints, mirrorChip,
  type ChipMethod, type RawImage,
} from './chip.js';
import { sampleSquare } from './sample.js';
import type { Point } from './types.js';
import { nearestFirst, overlap, tileGrid, type Tile } from './tiles.js';
import { findHands } from './hands.js';

export interface Engine {
  analyze(image: Uint8Array, options: AnalyzeOptions): Promise<Observations>;
  /** live tfjs tensors: flat across calls, or something leaks */
  tensors(): number;
  /** one real pass through every model: WASM kernels compile on first use, not at load */
  warmup(): Promise<void>;
}

// Detectors work on 256-px inputs and the mesh and hand models on 192/224-px crops: a longer side
// above this only costs tensor copies. Face chips are cut from the full-resolution pixels (see
// chip.ts), so small faces keep their detail. On test/bench/face.ts, 1024 instead of 1600 kept every
// figure (TAR, EER, extremes) and cut CPU per photo from 219 to 196 ms.
const ANALYSIS_MAX_SIDE = 1024;
// Face chips (150 px) and small-face tiles never need more: a 12-MP phone photo is decoded with
// JPEG shrink-on-load to 2048 px (the 3000x4000 gesture fixture: 424 against 530 CPU ms at 4096).
const FULL_MAX_SIDE = 2048;

// The second look for small faces (see findSmallFaces): tiles of 1/2 then 1/3 of the longer side,
// upscaled to the detector's 256 px. The small portrait printed on the webank ID-card specimen
// (about 36 px wide on a 600-px photo) is found this way.
const SMALL_FACE_TILE_FRACTIONS = [1 / 2, 1 / 3];
const SMALL_FACE_TILE_PX = 256;
const SMALL_FACE_MAX_ZOOM = 2;
// Tiles show more clutter than whole photos; a weak detection there is more often a false face.
const SMALL_FACE_MIN_SCORE = 0.5;

interface Decoded extends RawImage {
  /** the same photo at most ANALYSIS_MAX_SIDE on its longer side, for the detectors */
  analysis: RawImage;
  /** analysed pixels per original pixel (<= 1) */
  scale: number;
}

async function decode(image: Uint8Array): Promise<Decoded> {
  const { data, info } = await sharp(image, { failOn: 'error' })
    .rotate()
    .resize(FULL_MAX_SIDE, FULL_MAX_SIDE, { fit: 'inside', withoutEnlargement: true })
    .removeAlpha()
    .toColourspace('srgb')
    .raw()
    .toBuffer({ resolveWithObject: true });
  const full: RawImage = { pixels: data, width: info.width, height: info.height };
  const scale = Math.min(1, ANALYSIS_MAX_SIDE / Math.max(info.width, info.height));
  if (scale === 1) return { ...full, analysis: full, scale };
  const small = await sharp(data, { raw: { width: info.width, height: info.height, channels: 3 } })
    .resize(Math.round(info.width * scale), Math.round(info.height * scale), { fit: 'fill' })
    .raw()
    .toBuffer({ resolveWithObject: true });
  return { ...full, analysis: { pixels: small.data, width: small.info.width, height: small.info.height }, scale };
}

/**
 * The photo as Human's input tensor. tfjs copies the values into WASM memory at once, so one scratch
 * array per engine carries every photo: a new array per detection (10 MB for a 1024-px photo) was
 * garbage the collector then had to find, about 100 of the 1,550 CPU ms of the vision bench's
 * composed verification (test/bench/vision.ts, one engine, ten rounds).
 */
export function inputMaker(tf: Tf) {
  let scratch = new Int32Array(0);
  return (d: { pixels: Uint8Array; width: number; height: number }) => {
    const n = d.width * d.height * 3;
    if (scratch.length < n) scratch = new Int32Array(n);
    const values = scratch.subarray(0, n);
    values.set(d.pixels.subarray(0, n));
    return tf.tensor4d(values, [1, d.height, d.width, 3], 'int32');
  };
}

function humanConfig(options: AnalyzeOptions, maxFaces: number, probeOnly = false) {
  const face = Boolean(options.face || options.mesh || options.embed || options.liveness);
  return {
    face: {
      enabled: face,
      // Human merges each call's config into its own: every switch is set on every call, and the
      // detector's crop tensor is never asked for (it would be one leaked tensor per face)
      detector: { maxDetected: maxFaces, return: false, rotation: !probeOnly },
      mesh: { enabled: !probeOnly },
      antispoof: { enabled: Boolean(options.liveness) && !probeOnly },
      liveness: { enabled: Boolean(options.liveness) && !probeOnly },
    },
    hand: { enabled: Boolean(options.hands) && !probeOnly },
  };
}

// The hand detector squeezes whatever it is given to 320x320 inside its own graph, with a plain
// bilinear resize: from a 1024-px photo that skips most pixels, and thin fingers break up. Shrunk
// first with a proper filter to 320 px on its longer side, it proposed more of the hands (gesture
// bench, test/bench/gestures.ts: 174 of 188 genuine photos accepted against 172, no more false
// accepts, 434 against 477 ms a photo). Its cost does not depend on the size it is given (about
// 90 CPU ms at any input from 256 to 512 px): this is for accuracy, not speed.
const HAND_DETECTOR_PX = 320;

function modelsRun(options: AnalyzeOptions): string[] {
  const models: string[] = [];
  if (options.face || options.mesh || options.embed || options.liveness) models.push('blazeface', 'facemesh');
  if (options.liveness) models.push('antispoof', 'liveness');
  if (options.embed) models.push(FACE_MATCHER_MODEL);
  if (options.hands) models.push('handtrack', 'handlandmark-full');
  return models;
}

function scaleFace(raw: RawFace, k: number, dx = 0, dy = 0): RawFace {
  return {
    ...raw,
    box: [raw.box[0] * k + dx, raw.box[1] * k + dy, raw.box[2] * k, raw.box[3] * k],
    mesh: raw.mesh.map(([x, y, z]) => [x * k + dx, y * k + dy, z]),
  };
}

/** How an engine frames and describes faces; the defaults are the product's, the face bench tries others. */
export interface EngineOptions {
  chip?: ChipMethod;
  /** average the descriptor of the chip and of its mirror image */
  flip?: boolean;
}

// face-api's 68-point landmark net takes a 112-px square face crop
const LANDMARK_68_PX = 112;

export async function createEngine(engineOptions: EngineOptions = {}): Promise<Engine> {
  const runtime = await loadRuntime();
  const { human, tf } = runtime;
  const toInput = inputMaker(tf);
  const chipMethod = engineOptions.chip ?? 'dlib-68';

  /** face-api's 68 points for a face, from a square crop around its mesh's bounding box; photo pixels. */
  async function landmarks68(image: RawImage, mesh: Point[]): Promise<Point[]> {
    const xs = mesh.map((p) => p.x);
    const ys = mesh.map((p) => p.y);
    const [x0, x1, y0, y1] = [Math.min(...xs), Math.max(...xs), Math.min(...ys), Math.max(...ys)];
    const side = Math.max(x1 - x0, y1 - y0);
    const square = { cx: (x0 + x1) / 2 - 0.5, cy: (y0 + y1) / 2 - 0.5, side, angle: 0 };
    const crop = sampleSquare(image, square, LANDMARK_68_PX, new Float32Array(LANDMARK_68_PX * LANDMARK_68_PX * 3), 1);
    const net = await runtime.faceApiLandmarker();
    const input = tf.tensor3d(crop, [LANDMARK_68_PX, LANDMARK_68_PX, 3], 'float32');
    try {
      const found = await net.detectLandmarks(input);
      const { positions } = Array.isArray(found) ? found[0] : found;
      const k = side / LANDMARK_68_PX;
      return positions.map((p) => ({ x: square.cx + 0.5 - side / 2 + p.x * k, y: square.cy + 0.5 - side / 2 + p.y * k }));
    } finally {
      tf.dispose(input);
    }
  }

  /** The descriptor of one face, framed as this engine's chip method says. */
  async function embed(image: RawImage, mesh: Point[]): Promise<number[]> {
    let chip: Float32Array;
    if (chipMethod === 'mesh-v4') chip = await cutChip(image, chipGeometry(mesh));
    else if (chipMethod === 'dlib-68') chip = cutSquareChip(image, dlibSquare(landmarks68AlignmentPoints(await landmarks68(image, mesh)), false));
    else chip = cutSquareChip(image, dlibSquare(meshAlignmentPoints(mesh), chipMethod === 'dlib-mesh-level'));
    const d = await describe(chip);
    if (!engineOptions.flip) return d;
    const m = await describe(mirrorChip(chip));
    return d.map((v, i) => (v + m[i]) / 2);
  }

  /** ResNet-128 descriptor of an aligned chip, raw: its length counts in the distance (see faceSimilarity). */
  async function describe(chip: Float32Array): Promise<number[]> {
    const recognizer = await runtime.faceApiRecognizer();
    const input = tf.tensor3d(chip, [CHIP_PX, CHIP_PX, 3], 'float32');
    try {
      const d = await recognizer.computeFaceDescriptor(input);
      return Array.from(Array.isArray(d) ? d[0] : d);
    } finally {
      tf.dispose(input);
    }
  }

  /** Human's hand models alone on `image`, shrunk first to the detector's own input size; keypoints in `image`'s pixels. */
  async function detectHands(image: RawImage): Promise<RawHand[]> {
    const scale = Math.min(1, HAND_DETECTOR_PX / Math.max(image.width, image.height));
    const width = Math.max(1, Math.round(image.width * scale));
    const height = Math.max(1, Math.round(image.height * scale));
    const small = scale === 1 ? image : { width, height, pixels: await sharp(image.pixels, { raw: { width: image.width, height: image.height, channels: 3 } }).resize(width, height, { fit: 'fill' }).raw().toBuffer() };
    const hands = (await detect(small, humanConfig({ hands: true }, 1))).hand as unknown as RawHand[];
    const [kx, ky] = [image.width / small.width, image.height / small.height];
    return hands.map((h) => ({ ...h, box: [h.box[0] * kx, h.box[1] * ky, h.box[2] * kx, h.box[3] * ky], keypoints: h.keypoints.map(([x, y, z]) => [x * kx, y * ky, z]) }));
  }

  async function detect(input: RawImage, config: object) {
    const tensor = toInput(input);
    try {
      return await human.detect(tensor as any, config as any);
    } finally {
      tf.dispose(tensor);
    }
  }

  /**
   * Faces the whole-photo pass missed because they are small: probe overlapping tiles of a half and
   * then a third of the photo's longer side with the detector alone (nearest the largest known face
   * first: a held card is beside its holder's face), then run the full face models on an upscaled
   * cut-out around each new face, once per place: overlapping tiles see the same candidate again.
   */
  async function findSmallFaces(d: Decoded, known: RawFace[], wanted: number, options: AnalyzeOptions): Promise<RawFace[]> {
    const found: RawFace[] = [];
    const looked: RawFace['box'][] = [];
    // a known face seen again overlaps it and is at least a third as wide: a card held against the
    // cheek lies inside the live face's box, but its portrait is about a tenth as wide (28 to 71 px
    // against 630 to 790 in the selfies composed by the pipeline tests)
    const isNew = (box: RawFace['box']) => ![...known, ...found].some((k) => overlap(k.box, box) > 0.3 && box[2] >= k.box[2] / 3);
    const holder = known.reduce<RawFace | null>((a, f) => (a && a.box[2] * a.box[3] >= f.box[2] * f.box[3] ? a : f), null);
    for (const fraction of SMALL_FACE_TILE_FRACTIONS) {
      const tileSide = Math.max(d.width, d.height) * fraction;
      // upscaling a tile more than 2x invents no detail for the detector: the faces it would need
      // are a few pixels wide (the card held in the 336-px webank selfie shows a 6-px portrait)
      if (tileSide * SMALL_FACE_MAX_ZOOM < SMALL_FACE_TILE_PX) break;
      const grid = tileGrid(d.width, d.height, tileSide);
      for (const tile of holder ? nearestFirst(grid, holder.box) : grid) {
        if (known.length + found.length >= wanted) return found;
        const probe = await detectIn(d, tile, humanConfig(options, wanted, true));
        for (const candidate of probe) {
          if (candidate.score < SMALL_FACE_MIN_SCORE || !isNew(candidate.box)) continue;
          if (looked.some((b) => overlap(b, candidate.box) > 0.3)) continue;
          looked.push(candidate.box);
          const [x, y, w, h] = candidate.box;
          // whole pixels before clamping: a rounded-up corner plus a rounded-up side can overrun the photo
          const side = Math.max(1, Math.round(Math.min(Math.max(w, h) * 2.5, d.width, d.height)));
          const around = {
            left: Math.round(Math.min(Math.max(0, x + w / 2 - side / 2), d.width - side)),
            top: Math.round(Math.min(Math.max(0, y + h / 2 - side / 2), d.height - side)),
            side,
          };
          const [face] = await detectIn(d, around, humanConfig(options, 1));
          if (face && isNew(face.box)) found.push(face);
        }
      }
    }
    return found;
  }

  /** Faces in a square part of the full-resolution photo, upscaled for the detector, in photo pixels. */
  async function detectIn(d: Decoded, tile: Tile, config: object): Promise<RawFace[]> {
    const zoom = Math.max(1, SMALL_FACE_TILE_PX / tile.side);
    const side = Math.round(tile.side * zoom);
    const pixels = await sharp(d.pixels, { raw: { width: d.width, height: d.height, channels: 3 } })
      .extract({ left: tile.left, top: tile.top, width: tile.side, height: tile.side })
      .resize(side, side, { kernel: 'lanczos3' })
      .raw()
      .toBuffer();
    const result = await detect({ pixels, width: side, height: side }, config);
    return result.face.map((f) => scaleFace(f as unknown as RawFace, 1 / zoom, tile.left, tile.top));
  }

  const engine: Engine = {
    tensors: () => tf.memory().numTensors,
    async warmup() {
      const blank = await sharp({ create: { width: 320, height: 240, channels: 3, background: '#8a7565' } }).png().toBuffer();
      await engine.analyze(blank, { face: true, hands: true, liveness: true });
      await describe(new Float32Array(CHIP_PX * CHIP_PX * 3));
      // the 68-point net too, when the chip is framed by it: loaded and compiled before the first photo
      if (chipMethod === 'dlib-68') {
        const blankFace = { pixels: new Uint8Array(LANDMARK_68_PX * LANDMARK_68_PX * 3), width: LANDMARK_68_PX, height: LANDMARK_68_PX };
        await landmarks68(blankFace, [{ x: 0, y: 0 }, { x: LANDMARK_68_PX, y: LANDMARK_68_PX }]);
      }
    },
    async analyze(image, options) {
      const started = performance.now();
      const maxFaces = Math.max(1, options.maxFaces ?? 1);
      const d = await decode(image);
      const wantsFace = Boolean(options.face || options.mesh || options.embed || options.liveness);
      const result = wantsFace
        ? await detect(d.analysis, humanConfig({ ...options, hands: false }, maxFaces))
        : { face: [], hand: [] };
      const k = 1 / d.scale;
      const wants = { mesh: Boolean(options.mesh), liveness: Boolean(options.liveness) };

      const raws = result.face.map((f) => scaleFace(f as unknown as RawFace, k));
      // the tiles look for the one printed portrait a held card shows, when the whole photo showed
      // none; maxFaces above that leaves room for a third, full-size face without searching for it
      const largest = Math.max(0, ...raws.map((r) => r.box[2]));
      const sawPrinted = raws.some((r) => r.box[2] < largest * PRINTED_FACE_MAX_SHARE);
      if (wantsFace && options.smallFaces && maxFaces > raws.length && !sawPrinted) raws.push(...await findSmallFaces(d, raws, raws.length + 1, options));

      const faces: FaceObservation[] = [];
      for (const raw of raws) {
        const face = toFaceObservation(raw, d, wants);
        if (options.embed && raw.mesh.length >= 468) {
          face.embedding = await embed(d, raw.mesh.map(([x, y]) => ({ x, y })));
          face.embeddingModel = FACE_MATCHER_MODEL;
        }
        faces.push(face);
      }
      faces.sort(byAreaDescending);

      const hands = options.hands
        ? await findHands(runtime, { analysis: d.analysis, k, found: await detectHands(d.analysis), detectHands })
        : [];
      return {
        width: d.width,
        height: d.height,
        faces: faces.slice(0, maxFaces),
        hands,
        models: modelsRun(options),
        ms: Math.round(performance.now() - started),
      };
    },
  };
  return engine;
}
