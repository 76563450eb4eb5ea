// A service process that stops dead at a chosen point of a request, for tests that kill it there
// with SIGKILL: CRASH_AT=after-put halts right after a photo's blob is written (before its row
// commits), CRASH_AT=before-delete halts at the first blob delete (after an erasure committed).
// It prints "paused" when it halts; the request comes as JSON in CRASH_REQUEST.
import { readFile } from 'node:fs/promises';
import { loadConfig } from '../../src/config/index.js';
import { startService } from '../../src/service.js';

const service = await startService(loadConfig({ ...process.env, PIPELINE_WORKERS: '0', PORT: '0', LOG_LEVEL: 'silent' }), { listen: false, deliverWebhooks: false });
const store = service.store;
const halt = () => {
  process.stdout.write('paused\n');
  return new Promise<never>(() => {});
};
if (process.env.CRASH_AT === 'after-put') {
  const put = store.put.bind(store);
  store.put = async (...args) => {
    await put(...args);
    return halt();
  };
} else if (process.env.CRASH_AT === 'before-delete') {
  store.delete = () => halt();
} else {
  throw new Error(`unknown CRASH_AT ${process.env.CRASH_AT}`);
}

const request = JSON.parse(process.env.CRASH_REQUEST!) as { method: string; path: string; token: string; bodyFile?: string };
const body = request.bodyFile ? new Uint8Array(await readFile(request.bodyFile)) : undefined;
const res = await service.app.request(request.path, {
  method: request.method, body,
  headers: { authorization: `Bearer ${request.token}`, ...(body ? { 'content-type': 'image/jpeg' } : {}) },
});
// Reaching here means the halt point was never hit: the parent sees this line instead of "paused".
process.stdout.write(`finished ${res.status}\n`);
process.exit(0);
