// The vision module's public face: photos in, plain observations out (faces with head angles, mesh,
// eye/mouth openness and a face descriptor; hands with 21 keypoints), computed by a pool of worker
// threads each holding one set of models. Compare descriptors with faceSimilarity and judge the
// score with FACE_MATCH (match.ts cites the benchmark behind both).
import { availableParallelism } from 'node:os';
import { createPool, type PoolStats } from './pool.js';
import type { AnalyzeOptions, Observations } from './types.js';

export * from './types.js';
export { faceSimilarity, FACE_MATCH, FACE_MATCHER_MODEL } from './match.js';
export { VisionQueueFullError, VisionWorkerCrashedError, VisionClosedError, VisionAnalysisError } from './pool.js';

export interface VisionStats extends PoolStats {
  /** live tfjs tensors per worker: flat across analyses unless something leaks */
  tensors: number[];
}

export interface Vision {
  /** `image`: encoded JPEG / PNG / WebP bytes; only the models `options` asks for run */
  analyze(image: Uint8Array, options: AnalyzeOptions): Promise<Observations>;
  stats(): Promise<VisionStats>;
  close(): Promise<void>;
}

export interface VisionOptions {
  /** worker threads, each with its own models (about 330 MB resident, 3-10 s to load and warm up);
   *  default: the machine's cores */
  workers?: number;
  /** analyses allowed to wait for a free worker before `analyze` rejects with VisionQueueFullError */
  queueLimit?: number;
}

/** Starts the workers and resolves once every one has loaded and warmed up its models. */
export async function createVision(opts: VisionOptions = {}): Promise<Vision> {
  const workers = Math.max(1, opts.workers ?? availableParallelism());
  const pool = await createPool({
    entry: new URL(import.meta.url.endsWith('.ts') ? './worker.ts' : './worker.js', import.meta.url),
    workers,
    queueLimit: Math.max(0, opts.queueLimit ?? workers * 16),
  });
  return {
    analyze(image, options) {
      // a private copy is moved to the worker: the caller's buffer stays usable and nothing is shared
      const copy = new Uint8Array(image);
      return pool.run<Observations>({ type: 'analyze', image: copy, options }, [copy.buffer as ArrayBuffer]);
    },
    async stats() {
      const perWorker = await pool.broadcast<{ tensors: number }>({ type: 'stats' });
      return { ...pool.stats(), tensors: perWorker.map((s) => s.tensors) };
    },
    close: () => pool.close(),
  };
}
