// A faster Concat for the tfjs WASM backend. The backend's own kernel runs in JavaScript and copies
// each row of each input with `subarray().set()`: for a concat along the channels of an image that
// is one new view per pixel per input (face-api's ResNet joins the three colour planes of every
// 150x150 chip so: 67,500 views) and the garbage the collector then finds. Rows of fewer than
// ROW_COPY_MIN values are copied here value by value instead; everything else (strings, empty or
// mismatched inputs, one input) is left to the original kernel, which also reports bad shapes.
import type { Tf } from './runtime.js';

/**
 * Rows at least this long are copied with one `set()`, shorter ones value by value. A million float32
 * values in rows of 4 / 16 / 32 / 64 took 24.9 / 6.3 / 3.1 / 1.5 ms with `set()` and 2.1 / 3.7 / 3.7
 * / 3.7 ms in the loop (AMD EPYC, Node 20).
 */
const ROW_COPY_MIN = 32;

/* eslint-disable @typescript-eslint/no-explicit-any */
interface WasmTensorInfo {
  dataId: object;
  shape: number[];
  dtype: string;
}
interface WasmBackend {
  makeOutput(shape: number[], dtype: string): WasmTensorInfo;
  typedArrayFromHeap(t: WasmTensorInfo): Float32Array | Int32Array | Uint8Array;
}
interface KernelArgs {
  inputs: WasmTensorInfo[] | Record<string, WasmTensorInfo>;
  backend: WasmBackend;
  attrs: { axis?: number | number[] };
}

const product = (xs: number[]) => xs.reduce((a, b) => a * b, 1);

/** The concatenation, or null where the original kernel should answer. */
export function concatRows(args: KernelArgs): WasmTensorInfo | null {
  const inputs = Object.values(args.inputs) as WasmTensorInfo[];
  if (inputs.length < 2) return null;
  const [first] = inputs;
  const rank = first.shape.length;
  const rawAxis = Array.isArray(args.attrs.axis) ? args.attrs.axis[0] : args.attrs.axis ?? 0;
  const axis = rawAxis < 0 ? rawAxis + rank : rawAxis;
  if (!Number.isInteger(axis) || axis < 0 || axis >= rank) return null;
  for (const t of inputs) {
    if (t.dtype !== first.dtype || t.dtype === 'string' || t.shape.length !== rank || product(t.shape) === 0) return null;
    if (t.shape.some((d, i) => i !== axis && d !== first.shape[i])) return null;
  }
  const rows = product(first.shape.slice(0, axis));
  const widths = inputs.map((t) => product(t.shape.slice(axis)));
  const total = widths.reduce((a, b) => a + b, 0);
  const outShape = [...first.shape];
  outShape[axis] = inputs.reduce((n, t) => n + t.shape[axis], 0);
  const out = args.backend.makeOutput(outShape, first.dtype);
  // views of the heap only after the output is allocated: an allocation can grow (and move) it
  const to = args.backend.typedArrayFromHeap(out);
  const from = inputs.map((t) => args.backend.typedArrayFromHeap(t));
  let column = 0;
  for (let i = 0; i < from.length; i++) {
    const src = from[i];
    const w = widths[i];
    for (let r = 0; r < rows; r++) {
      const o = r * total + column;
      const s = r * w;
      if (w >= ROW_COPY_MIN) to.set(src.subarray(s, s + w), o);
      else for (let j = 0; j < w; j++) to[o + j] = src[s + j];
    }
    column += w;
  }
  return out;
}

const FAST = Symbol('realperson concatRows');

/** Puts concatRows in front of the WASM backend's Concat kernel; the kernel registry is global to tfjs, so once. */
export function registerFastConcat(tf: Tf): void {
  const api = tf as any;
  const original = api.getKernel('Concat', 'wasm');
  if (!original) throw new Error('vision: the tfjs WASM backend has no Concat kernel to replace');
  if (original.kernelFunc[FAST]) return;
  const kernelFunc = (args: KernelArgs) => concatRows(args) ?? original.kernelFunc(args);
  Object.defineProperty(kernelFunc, FAST, { value: true });
  api.unregisterKernel('Concat', 'wasm');
  api.registerKernel({ ...original, kernelFunc });
}
