// The worker pool's promises: bounded queue, crash isolation, replacement. Runs a stand-in worker
// (fake-worker.ts) so these cases need no models.
import { afterEach, describe, expect, it } from 'vitest';
import { createPool, VisionClosedError, VisionQueueFullError, VisionWorkerCrashedError, type Pool } from '../../../src/vision/pool.js';

const entry = new URL('./fake-worker.ts', import.meta.url);
let pool: Pool | undefined;
afterEach(async () => {
  await pool?.close();
  pool = undefined;
});

describe('vision worker pool', () => {
  it('rejects at once with a clear error when the queue is full', async () => {
    pool = await createPool({ entry, workers: 1, queueLimit: 2 });
    const running = pool.run({ type: 'analyze', delayMs: 300 });
    const waiting = [pool.run({ type: 'analyze' }), pool.run({ type: 'analyze' })];
    await expect(pool.run({ type: 'analyze' })).rejects.toBeInstanceOf(VisionQueueFullError);
    await expect(pool.run({ type: 'analyze' })).rejects.toThrow(/queue is full/);
    await expect(running).resolves.toMatchObject({ echoed: expect.any(Number) });
    await expect(Promise.all(waiting)).resolves.toHaveLength(2);
    // once drained, work is accepted again
    await expect(pool.run({ type: 'analyze' })).resolves.toBeTruthy();
  });

  it('a crashed worker rejects only its own call and is replaced', async () => {
    pool = await createPool({ entry, workers: 2, queueLimit: 10 });
    const crashing = pool.run({ type: 'analyze', crash: true });
    const healthy = pool.run({ type: 'analyze', delayMs: 50 });
    await expect(crashing).rejects.toBeInstanceOf(VisionWorkerCrashedError);
    await expect(healthy).resolves.toBeTruthy();
    await expect.poll(() => pool!.stats().workers, { timeout: 10_000 }).toBe(2);
    expect(pool.stats().restarts).toBe(1);
    const after = await Promise.all([1, 2, 3].map(() => pool!.run({ type: 'analyze' })));
    expect(after).toHaveLength(3);
  });

  it('spreads work over the workers', async () => {
    pool = await createPool({ entry, workers: 2, queueLimit: 10 });
    const started = performance.now();
    await Promise.all([1, 2].map(() => pool!.run({ type: 'analyze', delayMs: 300 })));
    expect(performance.now() - started).toBeLessThan(550);
  });

  it('refuses work after close and fails what was waiting', async () => {
    pool = await createPool({ entry, workers: 1, queueLimit: 5 });
    const inFlight = pool.run({ type: 'analyze', delayMs: 200 });
    const waiting = pool.run({ type: 'analyze' });
    const failed = Promise.allSettled([inFlight, waiting]);
    await pool.close();
    for (const r of await failed) {
      expect(r.status).toBe('rejected');
      expect((r as PromiseRejectedResult).reason).toBeInstanceOf(VisionClosedError);
    }
    await expect(pool.run({ type: 'analyze' })).rejects.toBeInstanceOf(VisionClosedError);
  });
});
