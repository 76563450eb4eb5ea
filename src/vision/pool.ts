// A pool of worker threads, one model instance each (tfjs WASM runs single-threaded in Node, so
// parallelism comes from workers), with a bounded queue: a full queue refuses work at once rather
// than letting a burst of uploads grow memory without limit.
import { Worker } from 'node:worker_threads';

export class VisionQueueFullError extends Error {
  readonly type = 'vision.queue_full';
  constructor(limit: number) {
    super(`vision: the analysis queue is full (${limit} waiting); try again later`);
  }
}

export class VisionWorkerCrashedError extends Error {
  readonly type = 'vision.worker_crashed';
  constructor(detail: string) {
    super(`vision: the worker analysing this image stopped (${detail}); it has been replaced`);
  }
}

export class VisionClosedError extends Error {
  readonly type = 'vision.closed';
  constructor() {
    super('vision: the pool is closed');
  }
}

export class VisionAnalysisError extends Error {
  readonly type = 'vision.analysis_failed';
}

export interface PoolOptions {
  /** module the worker runs (.ts entries are started through tsx) */
  entry: URL;
  workers: number;
  /** jobs allowed to wait for a free worker */
  queueLimit: number;
}

export interface PoolStats {
  workers: number;
  busy: number;
  queued: number;
  /** workers replaced after a crash since start */
  restarts: number;
}

interface Job {
  id: number;
  message: { type: string; [k: string]: unknown };
  transfer: ArrayBuffer[];
  resolve(value: unknown): void;
  reject(err: Error): void;
}

interface Slot {
  worker: Worker;
  job: Job | null;
  ready: boolean;
}

const BOOT = new URL('./boot.mjs', import.meta.url);

export interface Pool {
  /** runs `message` on the next free worker; `transfer` buffers move to the worker */
  run<T>(message: { type: string; [k: string]: unknown }, transfer?: ArrayBuffer[]): Promise<T>;
  /** the same request on every worker (e.g. a statistics probe), bypassing the queue limit */
  broadcast<T>(message: { type: string; [k: string]: unknown }): Promise<T[]>;
  stats(): PoolStats;
  close(): Promise<void>;
}

export async function createPool(options: PoolOptions): Promise<Pool> {
  const slots = new Set<Slot>();
  const queue: Job[] = [];
  let nextId = 1;
  let closed = false;
  let restarts = 0;

  function spawn(): Promise<Slot> {
    const worker = new Worker(BOOT, { workerData: { entry: options.entry.href } });
    const slot: Slot = { worker, job: null, ready: false };
    slots.add(slot);
    return new Promise((resolve, reject) => {
      worker.on('message', (msg: { type: string; id?: number; ok?: boolean; value?: unknown; message?: string }) => {
        if (msg.type === 'ready') {
          slot.ready = true;
          resolve(slot);
          dispatch();
        } else if (msg.type === 'startup-failed') {
          reject(new Error(`vision: a worker failed to start: ${msg.message}`));
        } else if (msg.type === 'result') {
          const job = slot.job;
          if (!job || job.id !== msg.id) return;
          slot.job = null;
          if (msg.ok) job.resolve(msg.value);
          else job.reject(new VisionAnalysisError(`vision: ${msg.message}`));
          dispatch();
        }
      });
      const lost = (detail: string) => {
        if (!slots.has(slot)) return;
        slots.delete(slot);
        if (!slot.ready) reject(new Error(`vision: a worker failed to start: ${detail}`));
        const job = slot.job;
        slot.job = null;
        if (job) job.reject(new VisionWorkerCrashedError(detail));
        if (!closed && slot.ready) {
          restarts++;
          spawn().catch((err) => failQueued(err as Error));
        }
      };
      worker.on('error', (err) => lost(err.message));
      worker.on('exit', (code) => lost(`exit code ${code}`));
    });
  }

  function failQueued(err: Error) {
    // no worker can be started: waiting jobs would wait forever
    if ([...slots].some((s) => s.ready)) return;
    for (const job of queue.splice(0)) job.reject(err);
  }

  function dispatch() {
    for (const slot of slots) {
      if (queue.length === 0) return;
      if (!slot.ready || slot.job) continue;
      const job = queue.shift()!;
      slot.job = job;
      slot.worker.postMessage({ ...job.message, id: job.id }, job.transfer);
    }
  }

  const started = await Promise.allSettled(Array.from({ length: options.workers }, () => spawn()));
  const failure = started.find((s) => s.status === 'rejected');
  if (failure) {
    closed = true;
    await Promise.all([...slots].map((s) => s.worker.terminate()));
    throw (failure as PromiseRejectedResult).reason;
  }

  function enqueue<T>(message: Job['message'], transfer: ArrayBuffer[], bounded: boolean): Promise<T> {
    if (closed) return Promise.reject(new VisionClosedError());
    const idle = [...slots].some((s) => s.ready && !s.job);
    if (bounded && !idle && queue.length >= options.queueLimit) {
      return Promise.reject(new VisionQueueFullError(options.queueLimit));
    }
    return new Promise<T>((resolve, reject) => {
      queue.push({ id: nextId++, message, transfer, resolve: resolve as (v: unknown) => void, reject });
      dispatch();
    });
  }

  return {
    run: (message, transfer = []) => enqueue(message, transfer, true),
    async broadcast<T>(message: Job['message']) {
      // each worker answers between its analyses; posted directly, not through the queue
      return Promise.all([...slots].filter((s) => s.ready).map((slot) => new Promise<T>((resolve, reject) => {
        const id = nextId++;
        const onMessage = (msg: { type: string; id?: number; ok?: boolean; value?: unknown; message?: string }) => {
          if (msg.type !== 'result' || msg.id !== id) return;
          slot.worker.off('message', onMessage);
          if (msg.ok) resolve(msg.value as T);
          else reject(new VisionAnalysisError(`vision: ${msg.message}`));
        };
        slot.worker.on('message', onMessage);
        slot.worker.postMessage({ ...message, id });
      })));
    },
    stats: () => ({
      workers: [...slots].filter((s) => s.ready).length,
      busy: [...slots].filter((s) => s.job).length,
      queued: queue.length,
      restarts,
    }),
    async close() {
      if (closed) return;
      closed = true;
      for (const job of queue.splice(0)) job.reject(new VisionClosedError());
      const all = [...slots];
      slots.clear();
      for (const s of all) s.job?.reject(new VisionClosedError());
      await Promise.all(all.map((s) => s.worker.terminate()));
    },
  };
}
