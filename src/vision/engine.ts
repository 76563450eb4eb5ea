// One analysis thread: decodes a photo, runs only the models the caller asked for, and returns plain
// observations. A worker of the pool owns one engine; tests and benchmarks may use one directly.
import sharp from 'sharp';
import type { AnalyzeOptions, FaceObservation, Observations } from './types.js';
import { loadRuntime, type Runtime, type Tf } from './runtime.js';
import { byAreaDescending, toFaceObservation, toHandObservation, type RawFace, type RawHand } from './normalize.js';
import { FACE_MATCHER_MODEL, l2normalize } from './match.js';

export interface Engine {
  analyze(image: Uint8Array, options: AnalyzeOptions): Promise<Observations>;
  /** live tfjs tensors: flat across calls, or something leaks */
  tensors(): number;
  /** one real pass through every model: WASM kernels compile on first use, not at load */
  warmup(): Promise<void>;
}

// Detectors work on 256-px inputs: a longer side above this only costs decode and copy time.
// Small faces are re-read from the full-resolution photo (see SMALL_FACE_PX).
const ANALYSIS_MAX_SIDE = 1600;
// A face narrower than this on the original photo is cut out and upscaled before its landmarks and
// descriptor are computed: face-api's ResNet was trained on 150-px chips, and the ID-card portrait
// in the webank selfie-with-ID fixture is about 40 px wide.
const SMALL_FACE_PX = 112;
const SMALL_FACE_UPSCALE_TO = 256;
// face-api's ResNet takes 150x150 chips framed like dlib's aligned faces; Human's aligned crop is
// looser (hair and neck), so its centre is cut out first. Fraction tuned in test/bench/face.ts.
const CHIP_PX = 150;
export const CHIP_CENTRE_FRACTION = 0.8;

interface Decoded {
  pixels: Uint8Array;
  width: number;
  height: number;
  /** analysed pixels per original pixel (<= 1) */
  scale: number;
  /** orientation-corrected size of the original photo */
  originalWidth: number;
  originalHeight: number;
}

async function decode(image: Uint8Array, maxSide: number): Promise<Decoded> {
  const oriented = sharp(image, { failOn: 'error' }).rotate();
  const meta = await sharp(image).metadata();
  const swap = (meta.orientation ?? 1) >= 5;
  const originalWidth = (swap ? meta.height : meta.width) ?? 0;
  const originalHeight = (swap ? meta.width : meta.height) ?? 0;
  if (!originalWidth || !originalHeight) throw new Error('vision: the image has no size');
  const scale = Math.min(1, maxSide / Math.max(originalWidth, originalHeight));
  const pipeline = scale < 1
    ? oriented.resize(Math.round(originalWidth * scale), Math.round(originalHeight * scale), { fit: 'fill' })
    : oriented;
  const { data, info } = await pipeline.removeAlpha().toColourspace('srgb').raw().toBuffer({ resolveWithObject: true });
  return { pixels: data, width: info.width, height: info.height, scale, originalWidth, originalHeight };
}

function toInput(tf: Tf, d: { pixels: Uint8Array; width: number; height: number }) {
  return tf.tensor4d(Int32Array.from(d.pixels), [1, d.height, d.width, 3], 'int32');
}

function humanConfig(options: AnalyzeOptions, maxFaces: number, withCrop: boolean) {
  const face = Boolean(options.face || options.mesh || options.embed || options.liveness);
  return {
    face: {
      enabled: face,
      detector: { maxDetected: maxFaces, return: withCrop },
      antispoof: { enabled: Boolean(options.liveness) },
      liveness: { enabled: Boolean(options.liveness) },
    },
    hand: { enabled: Boolean(options.hands) },
  };
}

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

function scaleHand(raw: RawHand, k: number): RawHand {
  return {
    ...raw,
    box: [raw.box[0] * k, raw.box[1] * k, raw.box[2] * k, raw.box[3] * k],
    keypoints: raw.keypoints.map(([x, y, z]) => [x * k, y * k, z]),
  };
}

export async function createEngine(): Promise<Engine> {
  const runtime = await loadRuntime();
  const { human, tf } = runtime;

  /** ResNet-128 descriptor of Human's aligned face crop, L2-normalised. Disposes `crop`. */
  async function describe(crop: unknown): Promise<number[]> {
    const recognizer = await runtime.faceApiRecognizer();
    const chip = tf.tidy(() => {
      const t = crop as ReturnType<Tf['tensor3d']>;
      const [h, w] = t.shape;
      const ch = Math.round(h * CHIP_CENTRE_FRACTION);
      const cw = Math.round(w * CHIP_CENTRE_FRACTION);
      const centre = tf.slice(t, [Math.round((h - ch) / 2), Math.round((w - cw) / 2), 0], [ch, cw, 3]);
      return tf.mul(tf.image.resizeBilinear(centre as any, [CHIP_PX, CHIP_PX]), 255);
    });
    try {
      const d = await recognizer.computeFaceDescriptor(chip);
      return l2normalize(Array.isArray(d) ? d[0] : d);
    } finally {
      tf.dispose([chip as any, crop as any]);
    }
  }

  async function detect(input: { pixels: Uint8Array; width: number; height: number }, config: object) {
    const tensor = toInput(tf, input);
    try {
      return await human.detect(tensor as any, config as any);
    } finally {
      tf.dispose(tensor);
    }
  }

  /** A small face re-read from the original photo, upscaled, so landmarks and descriptor see detail. */
  async function refineSmallFace(image: Uint8Array, d: Decoded, raw: RawFace, options: AnalyzeOptions) {
    const [bx, by, bw, bh] = raw.box.map((v) => v / d.scale);
    const side = Math.max(bw, bh) * 2;
    const left = Math.max(0, Math.round(bx + bw / 2 - side / 2));
    const top = Math.max(0, Math.round(by + bh / 2 - side / 2));
    const width = Math.min(d.originalWidth - left, Math.round(side));
    const height = Math.min(d.originalHeight - top, Math.round(side));
    const k = SMALL_FACE_UPSCALE_TO / Math.max(width, height);
    const { data, info } = await sharp(image).rotate()
      .extract({ left, top, width, height })
      .resize(Math.round(width * k), Math.round(height * k), { kernel: 'lanczos3' })
      .removeAlpha().toColourspace('srgb').raw().toBuffer({ resolveWithObject: true });
    const result = await detect({ pixels: data, width: info.width, height: info.height }, humanConfig(options, 1, Boolean(options.embed)));
    const found = result.face[0];
    for (const f of result.face.slice(1)) tf.dispose(f.tensor as any);
    if (!found) return null;
    return { raw: scaleFace(found as unknown as RawFace, 1 / k, left, top), crop: found.tensor };
  }

  const engine: Engine = {
    tensors: () => tf.memory().numTensors,
    async warmup() {
      const blank = await sharp({ create: { width: 320, height: 240, channels: 3, background: '#8a7565' } }).png().toBuffer();
      await engine.analyze(blank, { face: true, hands: true, liveness: true });
      await describe(tf.zeros([192, 192, 3]));
    },
    async analyze(image, options) {
      const started = performance.now();
      const maxFaces = Math.max(1, options.maxFaces ?? 1);
      const d = await decode(image, ANALYSIS_MAX_SIDE);
      const wantsFace = Boolean(options.face || options.mesh || options.embed || options.liveness);
      const result = wantsFace || options.hands
        ? await detect(d, humanConfig(options, maxFaces, Boolean(options.embed)))
        : { face: [], hand: [] };
      const k = 1 / d.scale;
      const image0 = { width: d.originalWidth, height: d.originalHeight };
      const wants = { mesh: Boolean(options.mesh), liveness: Boolean(options.liveness) };

      const faces: FaceObservation[] = [];
      for (const found of result.face) {
        let raw = scaleFace(found as unknown as RawFace, k);
        let crop: unknown = found.tensor;
        if (raw.box[2] < SMALL_FACE_PX && options.embed) {
          const refined = await refineSmallFace(image, d, found as unknown as RawFace, options);
          if (refined) {
            tf.dispose(crop as any);
            raw = { ...refined.raw, score: raw.score };
            crop = refined.crop;
          }
        }
        const face = toFaceObservation(raw, image0, wants);
        if (options.embed && crop) {
          face.embedding = await describe(crop);
          face.embeddingModel = FACE_MATCHER_MODEL;
        } else if (crop) {
          tf.dispose(crop as any);
        }
        faces.push(face);
      }
      faces.sort(byAreaDescending);

      const hands = options.hands
        ? result.hand.filter((h) => h.keypoints.length === 21).map((h) => toHandObservation(scaleHand(h as unknown as RawHand, k)))
        : [];
      return {
        width: d.originalWidth,
        height: d.originalHeight,
        faces: faces.slice(0, maxFaces),
        hands,
        models: modelsRun(options),
        ms: Math.round(performance.now() - started),
      };
    },
  };
  return engine;
}
