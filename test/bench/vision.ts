// Cost of one verification's photos: tuned (only the models each step needs) against naive (every
// Human model on every photo), and verifications per minute through the worker pool.
// Run: npx tsx test/bench/vision.ts   (benchVision() is also called by the main bench).
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import { readFile } from 'node:fs/promises';
import { pathToFileURL } from 'node:url';
import sharp from 'sharp';
import { fixture } from '../support/fixtures.js';
import { createEngine } from '../../src/vision/engine.js';
import { loadRuntime } from '../../src/vision/runtime.js';
import { createVision, type AnalyzeOptions } from '../../src/vision/index.js';
import { analysisFor } from '../../src/pipeline/evidence.js';

/** One verification: the five photos of a session and what the pipeline asks of each (its own options). */
export const VERIFICATION_STEPS: { step: string; file: string; options: AnalyzeOptions }[] = [
  { step: 'id_front', file: 'id_documents/webank-UserApp/front-id.png', options: analysisFor('id_front', false) },
  { step: 'selfie_with_id', file: 'selfie_with_document/webank-UserApp/selfie-id.png', options: analysisFor('selfie_with_id', false) },
  { step: 'gesture_a', file: 'gestures/mediapipe-samples/hand_victory.jpg', options: analysisFor('gesture', true) },
  { step: 'gesture_b', file: 'gestures/vision_ml/Thumb_Up.jpg', options: analysisFor('gesture', true) },
  { step: 'newspaper', file: 'newspapers/NET3010_25W/NYTimes-Page1-11-11-1918.jpg', options: analysisFor('newspaper', false) },
];

// Every model Human can run on a photo, as a pipeline that does not choose would run them.
const EVERYTHING = {
  face: {
    enabled: true,
    detector: { maxDetected: 2 },
    mesh: { enabled: true },
    iris: { enabled: true },
    description: { enabled: true },
    emotion: { enabled: true },
    antispoof: { enabled: true },
    liveness: { enabled: true },
  },
  hand: { enabled: true },
  body: { enabled: true },
  object: { enabled: true },
  gesture: { enabled: true },
};

export interface VisionBenchReport {
  machine: { cpu: string; cores: number; node: string };
  /** CPU ms for the five photos, one thread, decode included */
  tunedCpuMs: number;
  naiveCpuMs: number;
  perStepTunedCpuMs: Record<string, number>;
  ratio: number;
  /** part of tunedCpuMs spent looking for the small portrait on the card held in the selfie */
  smallFaceSearchCpuMs: number;
  pool: {
    workers: number;
    verifications: number;
    wallMs: number;
    perMinute: number;
    /** CPU ms of the whole process per verification through the pool: above tunedCpuMs is the pool's own cost */
    cpuMsPerVerification: number;
    /** share of the wall time the main thread's event loop was busy (queueing, messages, results) */
    mainThreadBusy: number;
  };
  /** what the pool would do with its cores to itself: workers x (60 s / tuned CPU ms) */
  cpuBoundPerMinute: number;
  /** 1-minute load average when the bench ended: other work on the machine lowers the pool figure */
  loadAverage: number;
}

function cpuMs(since: NodeJS.CpuUsage): number {
  const u = process.cpuUsage(since);
  return (u.user + u.system) / 1000;
}

async function tuned(images: Uint8Array[], rounds: number) {
  const engine = await createEngine();
  await engine.warmup();
  for (let i = 0; i < images.length; i++) await engine.analyze(images[i], VERIFICATION_STEPS[i].options);
  const perStep: Record<string, number> = {};
  let total = 0;
  for (let r = 0; r < rounds; r++) {
    for (let i = 0; i < images.length; i++) {
      const t0 = process.cpuUsage();
      await engine.analyze(images[i], VERIFICATION_STEPS[i].options);
      const ms = cpuMs(t0);
      perStep[VERIFICATION_STEPS[i].step] = (perStep[VERIFICATION_STEPS[i].step] ?? 0) + ms / rounds;
      total += ms;
    }
  }
  // the selfie's second look for the held card's small portrait, priced on its own
  const selfie = VERIFICATION_STEPS.findIndex((s) => s.options.smallFaces);
  let withoutSearch = 0;
  for (let r = 0; r < rounds; r++) {
    const t0 = process.cpuUsage();
    await engine.analyze(images[selfie], { ...VERIFICATION_STEPS[selfie].options, smallFaces: false });
    withoutSearch += cpuMs(t0) / rounds;
  }
  const smallFaceSearchCpuMs = perStep[VERIFICATION_STEPS[selfie].step] - withoutSearch;
  return { cpuMs: total / rounds, perStep, engine, smallFaceSearchCpuMs };
}

async function naive(images: Uint8Array[], rounds: number, engine: Awaited<ReturnType<typeof createEngine>>) {
  const { human, tf } = await loadRuntime(EVERYTHING);
  const run = async (image: Uint8Array) => {
    const { data, info } = await sharp(image).rotate().removeAlpha().toColourspace('srgb').raw().toBuffer({ resolveWithObject: true });
    const t = tf.tensor4d(Int32Array.from(data), [1, info.height, info.width, 3], 'int32');
    try {
      await human.detect(t as never, EVERYTHING as never);
    } finally {
      tf.dispose(t);
    }
    // the face match still needs the project's descriptor
    await engine.analyze(image, { face: true, embed: true, maxFaces: 2 });
  };
  for (const image of images) await run(image);
  const t0 = process.cpuUsage();
  for (let r = 0; r < rounds; r++) for (const image of images) await run(image);
  return cpuMs(t0) / rounds;
}

async function throughput(images: Uint8Array[], verifications: number) {
  const vision = await createVision({ queueLimit: verifications * images.length });
  try {
    const workers = (await vision.stats()).workers;
    const one = () => Promise.all(images.map((img, i) => vision.analyze(img, VERIFICATION_STEPS[i].options)));
    await one();
    // every verification is handed over at once: the queue never runs dry while a worker is free
    const cpu0 = process.cpuUsage();
    const elu0 = performance.eventLoopUtilization();
    const started = performance.now();
    await Promise.all(Array.from({ length: verifications }, one));
    const wallMs = performance.now() - started;
    return {
      workers,
      verifications,
      wallMs,
      perMinute: (verifications * 60_000) / wallMs,
      // the whole process (main thread, workers, image decoding threads) per verification
      cpuMsPerVerification: cpuMs(cpu0) / verifications,
      mainThreadBusy: performance.eventLoopUtilization(elu0).utilization,
    };
  } finally {
    await vision.close();
  }
}

export async function benchVision(opts: { rounds?: number; verifications?: number } = {}): Promise<VisionBenchReport> {
  const rounds = opts.rounds ?? 2;
  const images = await Promise.all(VERIFICATION_STEPS.map(async (s) => new Uint8Array(await readFile(fixture(s.file)))));
  const t = await tuned(images, rounds);
  const naiveCpuMs = await naive(images, rounds, t.engine);
  const pool = await throughput(images, opts.verifications ?? 8);
  return {
    machine: { cpu: os.cpus()[0]?.model ?? 'unknown', cores: os.availableParallelism(), node: process.version },
    tunedCpuMs: t.cpuMs,
    naiveCpuMs,
    perStepTunedCpuMs: t.perStep,
    ratio: naiveCpuMs / t.cpuMs,
    smallFaceSearchCpuMs: t.smallFaceSearchCpuMs,
    pool,
    cpuBoundPerMinute: (pool.workers * 60_000) / t.cpuMs,
    loadAverage: os.loadavg()[0],
  };
}

export function printVisionReport(r: VisionBenchReport): void {
  console.log(`vision cost of one verification (5 photos) on ${r.machine.cpu}, ${r.machine.cores} cores, node ${r.machine.node}`);
  console.log(`  tuned: ${r.tunedCpuMs.toFixed(0)} CPU ms  (${Object.entries(r.perStepTunedCpuMs).map(([k, v]) => `${k} ${v.toFixed(0)}`).join(', ')})`);
  console.log(`  naive: ${r.naiveCpuMs.toFixed(0)} CPU ms (every Human model on every photo)`);
  console.log(`  naive / tuned: ${r.ratio.toFixed(2)}x; of tuned, ${r.smallFaceSearchCpuMs.toFixed(0)} CPU ms look for the held card's small portrait`);
  console.log(`  pool of ${r.pool.workers} workers: ${r.pool.verifications} verifications in ${(r.pool.wallMs / 1000).toFixed(1)} s = ${r.pool.perMinute.toFixed(1)} per minute (load average ${r.loadAverage.toFixed(1)})`);
  console.log(`  through the pool: ${r.pool.cpuMsPerVerification.toFixed(0)} CPU ms per verification (all threads), main thread busy ${(100 * r.pool.mainThreadBusy).toFixed(1)}% of the time`);
  console.log(`  CPU-bound capacity of the pool: ${r.cpuBoundPerMinute.toFixed(0)} verifications per minute`);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  printVisionReport(await benchVision());
  process.exit(0);
}
