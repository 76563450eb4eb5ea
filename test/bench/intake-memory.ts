// `npm run bench intake-memory`: resident memory of a service process (PGlite, no pipeline workers)
// while sellers upload 40-megapixel photos four at a time over HTTP through the real intake, and
// whether it returns near its baseline afterwards. The photos are made here (smooth noise at
// 7,280 × 5,460, JPEG) and the measuring runs in a process of its own, so the bench runner's own
// modules and the image making are not counted.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { IDLE_EXIT_MS } from '../../src/photos/process.js';
import { LARGE, renderLargePhoto } from '../support/large-photo.js';

const { width: WIDTH, height: HEIGHT } = LARGE; // 39.7 MP: just under the intake's 40-MP limit
const AT_ONCE = 4;
const BATCHES = 6;

export interface IntakeMemoryReport {
  photo: { width: number; height: number; bytes: number[] };
  batches: number;
  atOnce: number;
  /** the service process */
  rssMiB: { before: number; peak: number; afterEachBatch: number[]; after: number };
  /** the photo decoding process the service starts (null when decoding runs in the service itself) */
  intakeRssMiB: { peak: number; afterEachBatch: number[]; after: number; exitedWhenIdle: boolean } | null;
  uploadSeconds: number[];
  statuses: number[];
}

async function makePhotos(dir: string): Promise<string[]> {
  const files: string[] = [];
  for (let i = 0; i < AT_ONCE; i++) {
    const file = path.join(dir, `photo-${i}.jpg`);
    await writeFile(file, await renderLargePhoto(i, { width: WIDTH, height: HEIGHT }));
    files.push(file);
  }
  return files;
}

export async function benchIntakeMemory(): Promise<IntakeMemoryReport> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'realperson-intake-mem-'));
  try {
    const files = await makePhotos(dir);
    const child = spawn(process.execPath, ['--expose-gc', '--import', 'tsx', fileURLToPath(import.meta.url), '--measure', dir, ...files], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout!.setEncoding('utf8');
    child.stdout!.on('data', (c: string) => { out += c; });
    const code = await new Promise<number | null>((r) => child.once('exit', r));
    if (code !== 0) throw new Error(`the measuring process exited with ${code}`);
    return JSON.parse(out.trim().split('\n').pop()!) as IntakeMemoryReport;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

export function printIntakeMemoryReport(r: IntakeMemoryReport): void {
  const mib = (n: number) => `${n.toFixed(0)} MiB`;
  console.log(`${r.batches} batches of ${r.atOnce} uploads at once, ${r.photo.width} × ${r.photo.height} JPEG (${r.photo.bytes.map((b) => (b / 2 ** 20).toFixed(1)).join(', ')} MiB), answers ${[...new Set(r.statuses)].join(', ')}`);
  console.log(`resident memory: before ${mib(r.rssMiB.before)}, peak ${mib(r.rssMiB.peak)} (+${mib(r.rssMiB.peak - r.rssMiB.before)}), after ${mib(r.rssMiB.after)} (+${mib(r.rssMiB.after - r.rssMiB.before)})`);
  console.log(`after each batch: ${r.rssMiB.afterEachBatch.map((v) => `+${(v - r.rssMiB.before).toFixed(0)}`).join(', ')} MiB; seconds per batch: ${r.uploadSeconds.map((s) => s.toFixed(1)).join(', ')}`);
  if (r.intakeRssMiB) {
    console.log(`decoding process: peak ${mib(r.intakeRssMiB.peak)}, after each batch ${r.intakeRssMiB.afterEachBatch.map((v) => v.toFixed(0)).join(', ')} MiB, ${mib(r.intakeRssMiB.after)} when the uploads stopped; ${r.intakeRssMiB.exitedWhenIdle ? `exited after ${IDLE_EXIT_MS / 1000} s idle` : 'still running after the idle time'}`);
  }
}

async function measure(dir: string, files: string[]): Promise<IntakeMemoryReport> {
  const { loadConfig } = await import('../../src/config/index.js');
  const { startService } = await import('../../src/service.js');
  const { createTenant } = await import('../../src/flows/tenants.js');
  const { activeGestures, rotateGestures } = await import('../../src/flows/gestures.js');
  const config = loadConfig({
    PORT: '0', HOST: '127.0.0.1', DATA_DIR: path.join(dir, 'data'), LOG_LEVEL: 'error', PIPELINE_WORKERS: '0',
    MAX_PHOTO_BYTES: String(50 * 1024 * 1024),
  });
  const service = await startService(config, { deliverWebhooks: false });
  const db = service.database.db;
  const { apiKey } = await createTenant(db, 'bench', new Date());
  if ((await activeGestures(db)).length < 2) await rotateGestures(db, 8, 'bench', new Date());
  const created = await (await fetch(`${service.url}/v1/sessions`, {
    method: 'POST', headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' },
    body: JSON.stringify({ externalSellerId: 'bench', locale: 'en', declared: { fullName: 'Specimen Person', documentType: 'cn_resident_id', documentNumber: '11010519491231002X', region: 'CN-ZJ' } }),
  })).json() as { captureUrl: string };
  const token = new URL(created.captureUrl).hash.replace(/^#token=/, '');
  const auth = { authorization: `Bearer ${token}` };
  const steps = (await (await fetch(`${service.url}/capture/v1/steps`, { headers: auth })).json() as { steps: { id: string }[] }).steps;
  const photos = await Promise.all(files.map(async (f) => new Uint8Array(await readFile(f))));

  const gc = (globalThis as { gc?: () => void }).gc ?? (() => {});
  const settle = async () => {
    for (let i = 0; i < 3; i++) {
      gc();
      await new Promise((r) => setTimeout(r, 300));
    }
    return process.memoryUsage().rss / 2 ** 20;
  };
  const before = await settle();
  let peak = before;
  let intakePeak = 0;
  const intakeRss = (): number | null => {
    const pid = service.intakePid?.();
    if (!pid) return null;
    try {
      const kb = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
      return kb ? Number(kb[1]) / 1024 : null;
    } catch {
      return null;
    }
  };
  const sampler = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss / 2 ** 20);
    intakePeak = Math.max(intakePeak, intakeRss() ?? 0);
  }, 10);
  const intakeAfterEachBatch: number[] = [];
  const afterEachBatch: number[] = [];
  const uploadSeconds: number[] = [];
  const statuses: number[] = [];
  for (let b = 0; b < BATCHES; b++) {
    const t0 = performance.now();
    const answers = await Promise.all(photos.map((body, i) => fetch(`${service.url}/capture/v1/steps/${steps[i].id}/photo`, {
      method: 'PUT', body, headers: { ...auth, 'content-type': 'image/jpeg' },
    }).then(async (r) => { await r.arrayBuffer(); return r.status; })));
    statuses.push(...answers);
    uploadSeconds.push((performance.now() - t0) / 1000);
    afterEachBatch.push(await settle());
    const child = intakeRss();
    if (child !== null) intakeAfterEachBatch.push(child);
  }
  clearInterval(sampler);
  // Measured before the decoding process's idle exit, and again after it.
  const intakeAfter = intakeRss();
  await new Promise((r) => setTimeout(r, IDLE_EXIT_MS + 2000));
  const after = await settle();
  const intakeGone = service.intakePid() === undefined;
  await service.close();
  return {
    photo: { width: WIDTH, height: HEIGHT, bytes: photos.map((p) => p.byteLength) },
    batches: BATCHES, atOnce: AT_ONCE,
    rssMiB: { before, peak, afterEachBatch, after },
    intakeRssMiB: intakeAfter === null ? null : { peak: intakePeak, afterEachBatch: intakeAfterEachBatch, after: intakeAfter, exitedWhenIdle: intakeGone },
    uploadSeconds, statuses,
  };
}

if (process.argv[2] === '--measure') {
  const [dir, ...files] = process.argv.slice(3);
  const report = await measure(dir, files);
  process.stdout.write(JSON.stringify(report) + '\n');
  process.exit(0);
}
