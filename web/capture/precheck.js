// A quick look at a captured frame before it is sent, so the seller can retake a photo that will
// obviously fail. Advisory only: the server decides everything, and if the models cannot load in
// this browser the check is skipped and the photo goes as it is.
import { isFaceAction } from './drawings.js';

const HUMAN_URL = '/vendor/human/human.esm.js';
const MODELS = '/vendor/human/models/';
// A check must never hold the seller up for long on a slow phone.
const LOAD_TIMEOUT_MS = 40_000;
const DETECT_TIMEOUT_MS = 12_000;
// Below this mean luma (0..255) faces and text are usually unreadable in practice.
const DARK_LUMA = 55;
// A face smaller than this share of the frame height leaves too few pixels to match to the ID.
const MIN_FACE_SHARE = 0.14;
// On the ID step the face seen should be a card's portrait, a fraction of the card guide's width.
// Measured with the server's face detector (the same Human detector) against the guide's width for
// each photo's frame: portraits on 31 passport and ID specimens 0.11-0.35 (one 0.49), on 4
// photographed resident ID cards 0.15-0.18; faces in 34 plain headshots and selfies 0.12-1.1, most
// above 0.45. A wider face is the seller's own: the seller is told, not stopped.
const MAX_PORTRAIT_SHARE = 0.45;

let humanPromise = null;

const config = {
  modelBasePath: MODELS,
  debug: false,
  async: true,
  warmup: 'none',
  cacheSensitivity: 0,
  filter: { enabled: false },
  face: {
    enabled: true,
    detector: { rotation: false, maxDetected: 4, minConfidence: 0.35, return: false },
    mesh: { enabled: false },
    iris: { enabled: false },
    description: { enabled: false },
    emotion: { enabled: false },
    antispoof: { enabled: false },
    liveness: { enabled: false },
    attention: { enabled: false },
  },
  hand: {
    enabled: true,
    rotation: false,
    maxDetected: 2,
    minConfidence: 0.3,
    landmarks: false,
    detector: { modelPath: 'handtrack.json' },
    skeleton: { modelPath: 'handlandmark-lite.json' },
  },
  body: { enabled: false },
  object: { enabled: false },
  gesture: { enabled: false },
  segmentation: { enabled: false },
};

function withTimeout(promise, ms) {
  return Promise.race([promise, new Promise((resolve) => setTimeout(() => resolve(null), ms))]);
}

async function loadHuman() {
  const { Human } = await import(HUMAN_URL);
  // WebGL is fast where there is a GPU; WASM (served beside Human) covers the rest.
  for (const backend of ['webgl', 'wasm']) {
    try {
      const human = new Human({ ...config, backend, wasmPath: '/vendor/human/wasm/' });
      await human.init();
      if (human.tf.getBackend() !== backend) continue;
      await human.load();
      // The first detection compiles the models for this device and can take seconds on a phone;
      // doing it now on a blank frame keeps the seller's own check quick. (Human's own warm-up
      // fetches a data: URL, which the page's Content-Security-Policy rightly refuses.)
      const blank = document.createElement('canvas');
      blank.width = 320;
      blank.height = 240;
      blank.getContext('2d').fillRect(0, 0, blank.width, blank.height);
      await human.detect(blank);
      // Exposed for support staff and the browser tests: which engine looked at the photos.
      document.documentElement.dataset.precheck = backend;
      return human;
    } catch (err) {
      console.info(`pre-check: ${backend} backend unavailable`, err?.message ?? err);
    }
  }
  return null;
}

/** Starts loading the models in the background; resolves to null when they cannot be used here. */
export function preloadPrecheck() {
  humanPromise ??= withTimeout(loadHuman(), LOAD_TIMEOUT_MS)
    .catch((err) => {
      console.info('pre-check unavailable', err?.message ?? err);
      return null;
    })
    .then((human) => {
      if (!human) document.documentElement.dataset.precheck = 'off';
      return human;
    });
  return humanPromise;
}

/** Mean luma of the frame, from a small copy of it. */
export function meanLuma(source) {
  const c = document.createElement('canvas');
  c.width = 64;
  c.height = 48;
  const ctx = c.getContext('2d', { willReadFrequently: true });
  ctx.drawImage(source, 0, 0, c.width, c.height);
  const { data } = ctx.getImageData(0, 0, c.width, c.height);
  let sum = 0;
  for (let i = 0; i < data.length; i += 4) sum += 0.299 * data[i] + 0.587 * data[i + 1] + 0.114 * data[i + 2];
  return sum / (data.length / 4);
}

/** Width of the card guide drawn for a frame of this size (drawings.js overlay('card')). */
function cardGuideWidth(width, height) {
  return Math.min(width * 0.88, height * 0.8 * 1.585);
}

/**
 * Warnings for a captured frame (a canvas) of `step`: any of 'dark', 'noFace', 'faceSmall', 'noHand', 'noCard'.
 * `ran` tells whether the models looked at it at all.
 */
export async function precheck(canvas, step) {
  const warnings = [];
  if (meanLuma(canvas) < DARK_LUMA) warnings.push('dark');
  const wantsFace = step.kind === 'selfie_with_id' || step.kind === 'gesture';
  const wantsHand = step.kind === 'gesture' && !isFaceAction(step.gestureId ?? '');
  const wantsCard = step.kind === 'id_front';
  if (!wantsFace && !wantsCard) return { warnings, ran: false };

  const human = await preloadPrecheck();
  if (!human) return { warnings, ran: false };
  const result = await withTimeout(human.detect(canvas, { hand: { enabled: wantsHand } }), DETECT_TIMEOUT_MS)
    .catch((err) => {
      console.info('pre-check skipped', err?.message ?? err);
      return null;
    });
  if (!result || result.error) return { warnings, ran: false };
  document.documentElement.dataset.precheckRuns = String(Number(document.documentElement.dataset.precheckRuns ?? 0) + 1);

  const faces = result.face ?? [];
  if (wantsCard) {
    // no portrait at all, or a face too large to be one: no card in the frame
    const widest = Math.max(0, ...faces.map((f) => f.box?.[2] ?? (f.boxRaw?.[2] ?? 0) * canvas.width));
    if (faces.length === 0 || widest / cardGuideWidth(canvas.width, canvas.height) > MAX_PORTRAIT_SHARE) warnings.push('noCard');
    return { warnings, ran: true };
  }
  if (faces.length === 0) {
    warnings.push('noFace');
  } else {
    // The largest face is the seller's; a smaller one may be the portrait on the ID card.
    const tallest = Math.max(...faces.map((f) => f.boxRaw?.[3] ?? (f.box?.[3] ?? 0) / canvas.height));
    if (tallest < MIN_FACE_SHARE) warnings.push('faceSmall');
  }
  if (wantsHand && (result.hand ?? []).length === 0) warnings.push('noHand');
  return { warnings, ran: true };
}
