// Cost of one verification's photos: tuned (only the models each step needs) against naive (every
// Human model on every photo), and verifications per minute through the worker pool.
// Run: npx tsx test/bench/vision.ts   (benchVision() is also called by the main bench).
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import { readFile } from 'node:fs/promises';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { fixture } from '../support/fixtures.js';
import { createVision, type AnalyzeOptions } from '../../src/vision/index.js';
import type { CostReply, CostRequest } from './vision-cost-worker.js';
import { analysisFor } from '../../src/pipeline/evidence.js';
import { composeSession, readFixture } from '../unit/pipeline/session.js';

/** One verification: the five photos of a session and what the pipeline asks of each (its own options). */
export const VERIFICATION_STEPS: { step: string; file: string; options: AnalyzeOptions }[] = [
  { step: 'id_front', file: 'id_documents/webank-UserApp/front-id.png', options: analysisFor('id_front', false) },
  { step: 'selfie_with_id', file: 'selfie_with_document/webank-UserApp/selfie-id.png', options: analysisFor('selfie_with_id', false) },
  { step: 'gesture_a', file: 'gestures/mediapipe-samples/hand_victory.jpg', options: analysisFor('gesture', true) },
  { step: 'gesture_b', file: 'gestures/vision_ml/Thumb_Up.jpg', options: analysisFor('gesture', true) },
  { step: 'newspaper', file: 'newspapers/NET3010_25W/NYTimes-Page1-11-11-1918.jpg', options: analysisFor('newspaper', false) },
];

/** The photos of one verification and what the pipeline asks of each. */
interface Verification {
  name: string;
  steps: { step: string; image: Uint8Array; options: AnalyzeOptions }[];
}

export interface VisionSetReport {
  name: string;
  /** rounds over the five photos; the CPU figures are medians over them */
  rounds: number;
  /** CPU ms for the five photos, one thread, decode included */
  tunedCpuMs: number;
  naiveCpuMs: number;
  perStepTunedCpuMs: Record<string, number>;
  /** median of the per-round naive / tuned ratios, and their lowest and highest */
  ratio: number;
  ratioRange: [number, number];
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
    /** 1-minute load average when the pool run ended: other work on the machine lowers the rate */
    loadAverage: number;
  };
  /** what the pool would do with its cores to itself: workers x (60 s / tuned CPU ms) */
  cpuBoundPerMinute: number;
}

export interface VisionBenchReport {
  machine: { cpu: string; cores: number; node: string };
  sets: VisionSetReport[];
}

function cpuMs(since: NodeJS.CpuUsage): number {
  const u = process.cpuUsage(since);
  return (u.user + u.system) / 1000;
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((x, y) => x - y);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

/** One side of the cost bench in its own thread (vision-cost-worker.ts). */
interface CostThread {
  /** CPU ms of photo `index`, with other options than the verification's if given */
  cost(index: number, options?: AnalyzeOptions): Promise<number>;
  close(): Promise<void>;
}

const BOOT = new URL('../../src/vision/boot.mjs', import.meta.url);
const COST_WORKER = new URL('./vision-cost-worker.ts', import.meta.url);

async function costThread(kind: 'tuned' | 'naive', v: Verification): Promise<CostThread> {
  const worker = new Worker(BOOT, { workerData: { entry: COST_WORKER.href, kind } });
  const replies: CostReply[] = [];
  const waiting: ((r: CostReply) => void)[] = [];
  worker.on('message', (r: CostReply) => (waiting.length ? waiting.shift()!(r) : replies.push(r)));
  const failed = new Promise<never>((_, reject) => worker.once('error', reject));
  const next = async (): Promise<CostReply> => {
    const r = await Promise.race([replies.length ? Promise.resolve(replies.shift()!) : new Promise<CostReply>((resolve) => waiting.push(resolve)), failed]);
    if (r.type === 'failed') throw new Error(`vision bench, ${kind} thread: ${r.message}`);
    return r;
  };
  await next(); // ready
  worker.postMessage({ type: 'photos', photos: v.steps.map((s) => ({ image: s.image, options: s.options })) } satisfies CostRequest);
  await next(); // loaded: every photo analysed once
  return {
    async cost(index, options) {
      worker.postMessage({ type: 'run', index, options } satisfies CostRequest);
      const r = await next();
      if (r.type !== 'cost') throw new Error(`vision bench, ${kind} thread: unexpected ${r.type}`);
      return r.cpuMs;
    },
    close: async () => void (await worker.terminate()),
  };
}

/**
 * Tuned and naive CPU of the same verification, photo by photo in turn, `rounds` times: both see the
 * machine in the same state (this machine's speed drifts by a third from minute to minute), and the
 * medians over the rounds are reported with the range of the per-round ratio. Each pipeline runs in
 * a worker thread of its own, as the pool runs the engine: in one thread together, the collector
 * walked both pipelines' models whenever either allocated: the composed session's tuned cost read
 * 1,349 CPU ms there, 1,275-1,294 in a thread of its own, and 1,200-1,255 through the pool.
 */
async function costs(v: Verification, rounds: number) {
  const tuned = await costThread('tuned', v);
  const naive = await costThread('naive', v);
  try {
    const perStep: Record<string, number[]> = {};
    const tunedRounds: number[] = [];
    const naiveRounds: number[] = [];
    for (let r = 0; r < rounds; r++) {
      let tunedMs = 0;
      let naiveMs = 0;
      for (let i = 0; i < v.steps.length; i++) {
        const ms = await tuned.cost(i);
        (perStep[v.steps[i].step] ??= []).push(ms);
        tunedMs += ms;
        naiveMs += await naive.cost(i);
      }
      tunedRounds.push(tunedMs);
      naiveRounds.push(naiveMs);
    }
    // the selfie's second look for the held card's small portrait, priced on its own
    const selfie = v.steps.findIndex((s) => s.options.smallFaces);
    const withoutSearch: number[] = [];
    for (let r = 0; r < rounds; r++) withoutSearch.push(await tuned.cost(selfie, { ...v.steps[selfie].options, smallFaces: false }));
    const ratios = tunedRounds.map((t, r) => naiveRounds[r] / t);
    return {
      tunedCpuMs: median(tunedRounds),
      naiveCpuMs: median(naiveRounds),
      perStep: Object.fromEntries(Object.entries(perStep).map(([k, xs]) => [k, median(xs)])),
      ratio: median(ratios),
      ratioRange: [Math.min(...ratios), Math.max(...ratios)] as [number, number],
      smallFaceSearchCpuMs: median(perStep[v.steps[selfie].step]) - median(withoutSearch),
    };
  } finally {
    await Promise.all([tuned.close(), naive.close()]);
  }
}

async function throughput(v: Verification, verifications: number) {
  const images = v.steps.map((x) => x.image);
  const vision = await createVision({ queueLimit: verifications * images.length });
  try {
    const workers = (await vision.stats()).workers;
    const one = () => Promise.all(images.map((img, i) => vision.analyze(img, v.steps[i].options)));
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
      loadAverage: os.loadavg()[0],
    };
  } finally {
    await vision.close();
  }
}

/** The fixture photos as they are: real ID specimen and selfie, hand close-ups and a front page without a face. */
async function fixturePhotos(): Promise<Verification> {
  return {
    name: 'fixture photos as found (3 of 5 show no face; the hand close-ups need the second hand look)',
    steps: await Promise.all(VERIFICATION_STEPS.map(async (s) => ({ step: s.step, options: s.options, image: new Uint8Array(await readFile(fixture(s.file))) }))),
  };
}

/**
 * A session as the capture page frames it, composed from real fixture pixels (test/unit/pipeline/
 * session.ts): one woman's portrait on a rendered ID card photographed on a table, her holding it,
 * her with a real hand photo beside her face for two gestures, and her holding a rendered front page.
 */
async function composedSession(): Promise<Verification> {
  const vision = await createVision({ workers: 1 });
  try {
    const a = (n: number) => readFixture(`faces/human/stock-emotions-a-${n}.jpg`);
    const photos = await composeSession(vision, {
      idPerson: await a(3),
      live: { selfie: await a(5), gestures: [await a(7), await a(5)], newspaper: await a(7) },
      gestures: [
        { id: 'victory-right', hand: await readFixture('gestures/hand-gesture-recognition-system/victory.jpg') },
        { id: 'one-index-left', hand: await readFixture('gestures/hand-gesture-recognition-system/pointing_up.jpg') },
      ],
    });
    const bytes = (b: Buffer) => new Uint8Array(b);
    return {
      name: 'a session composed as the capture page frames it (faces on every photo)',
      steps: [
        { step: 'id_front', image: bytes(photos.idFront), options: analysisFor('id_front', false) },
        { step: 'selfie_with_id', image: bytes(photos.selfie), options: analysisFor('selfie_with_id', false) },
        { step: 'gesture_a', image: bytes(photos.gestures[0].photo), options: analysisFor('gesture', true) },
        { step: 'gesture_b', image: bytes(photos.gestures[1].photo), options: analysisFor('gesture', true) },
        { step: 'newspaper', image: bytes(photos.newspaper), options: analysisFor('newspaper', false) },
      ],
    };
  } finally {
    await vision.close();
  }
}

async function benchSet(v: Verification, rounds: number, verifications: number): Promise<VisionSetReport> {
  const c = await costs(v, rounds);
  const pool = await throughput(v, verifications);
  return {
    name: v.name,
    rounds,
    tunedCpuMs: c.tunedCpuMs,
    naiveCpuMs: c.naiveCpuMs,
    perStepTunedCpuMs: c.perStep,
    ratio: c.ratio,
    ratioRange: c.ratioRange,
    smallFaceSearchCpuMs: c.smallFaceSearchCpuMs,
    pool,
    cpuBoundPerMinute: (pool.workers * 60_000) / c.tunedCpuMs,
  };
}

export async function benchVision(opts: { rounds?: number; verifications?: number } = {}): Promise<VisionBenchReport> {
  const rounds = opts.rounds ?? 5;
  const verifications = opts.verifications ?? 8;
  const sets: VisionSetReport[] = [];
  for (const make of [composedSession, fixturePhotos]) sets.push(await benchSet(await make(), rounds, verifications));
  return { machine: { cpu: os.cpus()[0]?.model ?? 'unknown', cores: os.availableParallelism(), node: process.version }, sets };
}

export function printVisionReport(report: VisionBenchReport): void {
  const m = report.machine;
  console.log(`vision cost of one verification (5 photos) on ${m.cpu}, ${m.cores} cores, node ${m.node}`);
  for (const r of report.sets) {
    console.log(`${r.name}:`);
    console.log(`  tuned: ${r.tunedCpuMs.toFixed(0)} CPU ms, median of ${r.rounds} rounds taken in turn with naive  (${Object.entries(r.perStepTunedCpuMs).map(([k, v]) => `${k} ${v.toFixed(0)}`).join(', ')})`);
    console.log(`  naive: ${r.naiveCpuMs.toFixed(0)} CPU ms (every Human model on every photo)`);
    console.log(`  naive / tuned: ${r.ratio.toFixed(2)}x (rounds ${r.ratioRange[0].toFixed(2)}-${r.ratioRange[1].toFixed(2)}x); of tuned, ${r.smallFaceSearchCpuMs > 5 ? `${r.smallFaceSearchCpuMs.toFixed(0)} CPU ms look` : 'nothing (within noise) is spent looking'} for the held card's small portrait`);
    console.log(`  pool of ${r.pool.workers} workers: ${r.pool.verifications} verifications in ${(r.pool.wallMs / 1000).toFixed(1)} s = ${r.pool.perMinute.toFixed(1)} per minute (load average ${r.pool.loadAverage.toFixed(1)})`);
    console.log(`  through the pool: ${r.pool.cpuMsPerVerification.toFixed(0)} CPU ms per verification (all threads), main thread busy ${(100 * r.pool.mainThreadBusy).toFixed(1)}% of the time`);
    console.log(`  CPU-bound capacity of the pool: ${r.cpuBoundPerMinute.toFixed(0)} verifications per minute`);
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  printVisionReport(await benchVision());
  process.exit(0);
}
