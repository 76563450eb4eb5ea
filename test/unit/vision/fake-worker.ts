// A stand-in analysis worker for the pool's own tests: answers after a delay, or dies on request.
import { parentPort } from 'node:worker_threads';

const port = parentPort!;
port.on('message', async (req: { type: string; id: number; delayMs?: number; crash?: boolean }) => {
  if (req.crash) process.exit(3);
  await new Promise((r) => setTimeout(r, req.delayMs ?? 0));
  port.postMessage({ type: 'result', id: req.id, ok: true, value: { echoed: req.id, tensors: 7 } });
});
port.postMessage({ type: 'ready' });
