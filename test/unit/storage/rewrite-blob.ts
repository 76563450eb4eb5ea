// Child process for the crash test: rewrites one large blob forever, alternating two versions
// each filled with a single byte value, and says "ready" once it has completed one write. The
// versions are made once up front so nearly all of the child's time is spent writing.
import { createFsStore } from '../../../src/storage/index.js';

const [dir, key, size] = process.argv.slice(2);
const store = createFsStore(dir);
const versions = [1, 2].map((v) => new Uint8Array(Number(size)).fill(v));
for (let written = 0; ; written++) {
  await store.put(key, versions[written % 2], 'application/octet-stream');
  if (written === 0) process.stdout.write('ready\n');
}
