// One vision worker for a test file: started before its tests, closed after them.
import { afterAll, beforeAll } from 'vitest';
import { createVision, type Vision } from '../../src/vision/index.js';

/** Call at the top of a describe block; the returned Vision works inside its tests and hooks. */
export function useVision(): Vision {
  let current: Vision | undefined;
  beforeAll(async () => {
    current = await createVision({ workers: 1 });
  }, 120_000);
  afterAll(async () => {
    await current?.close();
  });
  const live = (): Vision => {
    if (!current) throw new Error('the test vision pool is not started: use it inside a test or a hook');
    return current;
  };
  return {
    analyze: (image, options) => live().analyze(image, options),
    stats: () => live().stats(),
    close: () => live().close(),
  };
}
