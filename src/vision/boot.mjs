// Starts a worker thread on a TypeScript entry: registers tsx's loader in this thread first (a
// worker does not inherit the parent's loader under every runner), then imports the entry.
import { workerData } from 'node:worker_threads';

if (workerData.entry.endsWith('.ts')) {
  const { register } = await import('tsx/esm/api');
  register();
}
await import(workerData.entry);
