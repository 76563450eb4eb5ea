// Entry of one pool worker: owns one engine (one Human instance, one WASM backend) and answers the
// pool's requests one at a time.
import { parentPort } from 'node:worker_threads';
import { createEngine } from './engine.js';
import type { AnalyzeOptions } from './types.js';

export type WorkerRequest =
  | { type: 'analyze'; id: number; image: Uint8Array; options: AnalyzeOptions }
  | { type: 'stats'; id: number };

export type WorkerReply =
  | { type: 'ready' }
  | { type: 'startup-failed'; message: string }
  | { type: 'result'; id: number; ok: true; value: unknown }
  | { type: 'result'; id: number; ok: false; message: string };

const port = parentPort;
if (!port) throw new Error('vision worker: must run in a worker thread');

try {
  const engine = await createEngine();
  await engine.warmup();
  port.on('message', async (req: WorkerRequest) => {
    try {
      const value = req.type === 'analyze'
        ? await engine.analyze(req.image, req.options)
        : { tensors: engine.tensors() };
      port.postMessage({ type: 'result', id: req.id, ok: true, value } satisfies WorkerReply);
    } catch (err) {
      port.postMessage({ type: 'result', id: req.id, ok: false, message: (err as Error).message } satisfies WorkerReply);
    }
  });
  port.postMessage({ type: 'ready' } satisfies WorkerReply);
} catch (err) {
  port.postMessage({ type: 'startup-failed', message: (err as Error).stack ?? String(err) } satisfies WorkerReply);
}
