// Photo decoding in a process of its own. The allocator keeps the memory a 40-MP decode needed: in
// the service process, four such uploads at a time grew it by 215 MiB for good, and one at a time
// still left 134 MiB (`npm run bench intake-memory`). glibc returns large blocks at once only when
// its mmap threshold is fixed, which is set from the environment before a process starts, so the
// decoder runs in a child started with it; a decoder crash on a hostile file also ends there. The
// child still keeps some of what it used, so it exits once no upload has come for a few seconds
// and all of it goes back; the next upload starts it again (240-260 ms at load average 3.6).
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { Problem } from '../problem/index.js';
import type { IntakenPhoto, PhotoLimits } from './intake.js';

const BOOT = fileURLToPath(new URL('./boot.mjs', import.meta.url));
const ENTRY = fileURLToPath(new URL(`./child${import.meta.url.endsWith('.ts') ? '.ts' : '.js'}`, import.meta.url));

// Blocks of 128 KiB and more are mapped on their own and unmapped when freed (glibc's default before
// its threshold starts adapting upwards); two arenas are plenty for one decode at a time.
const ALLOCATOR_ENV = { MALLOC_MMAP_THRESHOLD_: '131072', MALLOC_ARENA_MAX: '2' };

/** Environment variables the decoder must not see: database, storage and key secrets. */
const SECRET_ENV = /^(DATABASE_URL|TEST_DATABASE_URL|S3_|SIGNING_JWK|EMBEDDING_KEY|AWS_)/;

/** How long the decoder may go without answering while photos wait: far above what the largest
 *  photo the pixel limit admits takes to decode and re-encode, even on a loaded machine. */
const STALL_MS = 60_000;

/** How long the child waits for another photo before exiting. */
export const IDLE_EXIT_MS = 10_000;

export interface IntakeProcess {
  intake(bytes: Uint8Array, limits: Partial<PhotoLimits>): Promise<IntakenPhoto>;
  /** the child's pid while it runs (tests, metrics) */
  pid(): number | undefined;
  close(): Promise<void>;
}

type Pending = { resolve: (p: IntakenPhoto) => void; reject: (e: unknown) => void };

export function startIntakeProcess(opts: { idleExitMs?: number } = {}): IntakeProcess {
  const idleExitMs = opts.idleExitMs ?? IDLE_EXIT_MS;
  let idle: NodeJS.Timeout | null = null;
  let child: ChildProcess | null = null;
  let ready: Promise<ChildProcess> | null = null;
  let next = 0;
  let closed = false;
  const pending = new Map<number, Pending>();

  function spawnChild(): Promise<ChildProcess> {
    // The child handles hostile files: it gets none of the service's secrets.
    const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !SECRET_ENV.test(k)));
    const c = fork(BOOT, [ENTRY], { env: { ...env, ...ALLOCATOR_ENV }, serialization: 'advanced', stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    child = c;
    // A failed send is answered through its callback and a dead child through 'exit'; without a
    // listener, an 'error' event would end the service itself.
    c.on('error', () => undefined);
    const started = new Promise<ChildProcess>((resolve, reject) => {
      c.once('error', reject);
      c.once('exit', (code, signal) => reject(new Error(`the photo intake process stopped while starting (${signal ?? code})`)));
      c.on('message', (m: { ready?: true; id?: number; photo?: IntakenPhoto; problem?: { type: string; status: number; detail: string } }) => {
        if (m.ready) return resolve(c);
        const waiter = pending.get(m.id!);
        if (!waiter) return;
        pending.delete(m.id!);
        watch(c);
        if (pending.size === 0) {
          idle = setTimeout(() => stop(c), idleExitMs);
          idle.unref();
        }
        if (m.photo) waiter.resolve(m.photo);
        else waiter.reject(new Problem(m.problem!.type, m.problem!.status, m.problem!.detail));
      });
    });
    c.once('exit', () => {
      if (stall) clearTimeout(stall);
      stall = null;
      if (child === c) {
        child = null;
        ready = null;
      }
      // Whatever it was working on is lost; the uploads are answered 503 and the next one starts a new process.
      for (const [id, waiter] of pending) {
        pending.delete(id);
        waiter.reject(new Problem('photo.intake_interrupted', 503, 'photo processing stopped; send the photo again', { retryAfterSeconds: 1 }));
      }
    });
    started.catch(() => undefined);
    return started;
  }

  // A photo that keeps the decoder busy past STALL_MS (a file crafted to make the image library spin)
  // must not hold every upload queued behind it: the process is killed, its uploads answered 503
  // by the 'exit' handler, and the next upload starts a new one. Re-armed at every answer.
  let stall: NodeJS.Timeout | null = null;
  function watch(c: ChildProcess): void {
    if (stall) clearTimeout(stall);
    stall = null;
    if (pending.size === 0) return;
    stall = setTimeout(() => { if (pending.size > 0) c.kill('SIGKILL'); }, STALL_MS);
    stall.unref();
  }

  async function stop(c: ChildProcess): Promise<void> {
    if (child === c) {
      child = null;
      ready = null;
    }
    if (c.exitCode !== null || c.signalCode !== null) return;
    const exited = new Promise((r) => c.once('exit', r));
    // The child's pending work was answered already; it exits when its channel closes.
    if (c.connected) c.disconnect();
    await exited;
  }

  return {
    async intake(bytes, limits) {
      if (closed) throw new Problem('photo.intake_interrupted', 503, 'the service is shutting down');
      if (idle) clearTimeout(idle);
      idle = null;
      ready ??= spawnChild();
      let c: ChildProcess;
      try {
        c = await ready;
      } catch (err) {
        ready = null;
        const failure = new Problem('photo.intake_interrupted', 503, 'photo processing could not start');
        failure.cause = err;
        throw failure;
      }
      const id = ++next;
      return new Promise<IntakenPhoto>((resolve, reject) => {
        pending.set(id, { resolve, reject });
        if (pending.size === 1) watch(c);
        c.send({ id, bytes, limits }, (err) => {
          if (err && pending.delete(id)) reject(new Problem('photo.intake_interrupted', 503, 'photo processing stopped; send the photo again', { retryAfterSeconds: 1 }));
        });
      });
    },
    pid: () => child?.pid,
    async close() {
      closed = true;
      if (idle) clearTimeout(idle);
      if (child) await stop(child);
    },
  };
}
