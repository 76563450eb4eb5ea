// The Concat kernel put in front of the tfjs WASM backend's own gives the same tensors as the
// reference CPU backend, on the shapes the models use and on the edge cases it hands back.
import { createRequire } from 'node:module';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { concatRows, registerFastConcat } from '../../../src/vision/kernels.js';
import type { Tf } from '../../../src/vision/runtime.js';

const require = createRequire(import.meta.url);

/** Distinct values, so a value copied to the wrong place shows. */
function tensorOf(shape: number[], start: number, dtype: 'float32' | 'int32' = 'float32') {
  const n = shape.reduce((a, b) => a * b, 1);
  return tf.tensor(Array.from({ length: n }, (_, i) => start + i * 0.5), shape, dtype);
}

function concatOn(backend: string, shapes: number[][], axis: number, dtype: 'float32' | 'int32' = 'float32') {
  return tf.tidy(() => {
    tf.setBackend(backend);
    const inputs = shapes.map((s, i) => tensorOf(s, i * 1000, dtype));
    const out = tf.concat(inputs, axis);
    return { shape: out.shape, values: Array.from(out.dataSync()) };
  });
}

describe('Concat on the WASM backend', () => {
  beforeAll(async () => {
    tf.env().set('IS_TEST', true); // no note on stderr about the native Node backend
    setWasmPaths(path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm')) + path.sep);
    await tf.setBackend('wasm');
    await tf.ready();
    registerFastConcat(tf as unknown as Tf);
    registerFastConcat(tf as unknown as Tf); // a second call leaves the one replacement in place
  });

  const cases: [string, number[][], number][] = [
    ['three colour planes of a chip', [[1, 150, 150, 1], [1, 150, 150, 1], [1, 150, 150, 1]], 3],
    ['channels of a feature map', [[1, 17, 17, 32], [1, 17, 17, 32]], 3],
    ['a middle axis', [[1, 4, 3, 256], [1, 4, 1, 256]], 2],
    ['long rows copied whole', [[1, 384, 1], [1, 384, 16]], 2],
    ['the first axis', [[896, 2], [896, 2]], 0],
    ['a negative axis', [[2, 3, 4], [2, 3, 5]], -1],
    ['rows long and short side by side', [[3, 70], [3, 32], [3, 31], [3, 1]], 1],
  ];
  for (const [name, shapes, axis] of cases) {
    it(`matches the CPU backend: ${name}`, async () => {
      const want = concatOn('cpu', shapes, axis);
      const got = concatOn('wasm', shapes, axis);
      expect(got.shape).toEqual(want.shape);
      expect(got.values).toEqual(want.values);
    });
  }

  it('keeps integer tensors integer', () => {
    const want = concatOn('cpu', [[2, 2, 3], [2, 2, 1]], 2, 'int32');
    const got = concatOn('wasm', [[2, 2, 3], [2, 2, 1]], 2, 'int32');
    expect(got).toEqual(want);
  });

  it('leaves one input, empty inputs and mismatched shapes to the original kernel', () => {
    tf.setBackend('wasm');
    const backend = tf.backend() as never;
    const info = (t: tf.Tensor) => ({ dataId: t.dataId, shape: t.shape, dtype: t.dtype });
    const a = tensorOf([2, 3], 0);
    const empty = tf.zeros([2, 0]);
    const odd = tensorOf([3, 3], 0);
    expect(concatRows({ inputs: [info(a)], backend, attrs: { axis: 1 } })).toBeNull();
    expect(concatRows({ inputs: [info(a), info(empty)], backend, attrs: { axis: 1 } })).toBeNull();
    expect(concatRows({ inputs: [info(a), info(odd)], backend, attrs: { axis: 1 } })).toBeNull();
    // and the original still answers them: the empty input is dropped, the mismatch refused
    expect(tf.concat([a, empty], 1).shape).toEqual([2, 3]);
    expect(() => tf.concat([a, odd], 1)).toThrow();
    tf.dispose([a, empty, odd]);
  });
});
