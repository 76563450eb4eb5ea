// One side of the vision cost bench in a thread of its own, as a pool worker runs the engine: the
// tuned engine, or every Human model on every photo (naive). Each thread has its own heap, so the
// collector of one never walks the other's models. The bench sends the photos once, then asks for
// one photo at a time and gets back the CPU it cost; the other thread is idle meanwhile.
import { parentPort, workerData } from 'node:worker_threads';
import sharp from 'sharp';
import { createEngine, inputMaker } from '../../src/vision/engine.js';
import { loadRuntime } from '../../src/vision/runtime.js';
import { CHIP_PX, chipGeometry, cutChip } from '../../src/vision/chip.js';
import type { AnalyzeOptions } from '../../src/vision/index.js';

export type CostRequest =
  | { type: 'photos'; photos: { image: Uint8Array; options: AnalyzeOptions }[] }
  | { type: 'run'; index: number; options?: AnalyzeOptions };
export type CostReply = { type: 'ready' } | { type: 'loaded' } | { type: 'cost'; cpuMs: number } | { type: 'failed'; message: string };

// Every model Human can run on a photo, as a pipeline that does not choose would run them.
export const EVERYTHING = {
  face: {
    enabled: true,
    detector: { maxDetected: 2 },
    mesh: { enabled: true },
    iris: { enabled: true },
    description: { enabled: true },
    emotion: { enabled: true },
    antispoof: { enabled: true },
    liveness: { enabled: true },
  },
  hand: { enabled: true },
  body: { enabled: true },
  object: { enabled: true },
  gesture: { enabled: true },
};

type Run = (image: Uint8Array, options: AnalyzeOptions) => Promise<unknown>;

async function tuned(): Promise<Run> {
  const engine = await createEngine();
  await engine.warmup();
  return (image, options) => engine.analyze(image, options);
}

async function naive(): Promise<Run> {
  const runtime = await loadRuntime(EVERYTHING);
  const { human, tf } = runtime;
  const recognizer = await runtime.faceApiRecognizer();
  // the input made as the engine makes it: the two differ by the models they run
  const toInput = inputMaker(tf);
  return async (image) => {
    const { data, info } = await sharp(image).rotate().removeAlpha().toColourspace('srgb').raw().toBuffer({ resolveWithObject: true });
    const t = toInput({ pixels: data, width: info.width, height: info.height });
    let faces: { mesh: [number, number, number?][] }[] = [];
    try {
      faces = (await human.detect(t as never, EVERYTHING as never)).face as never;
    } finally {
      tf.dispose(t);
    }
    // the face match still needs the project's descriptor: on a chip aligned by Human's own mesh, as
    // a pipeline that ran every model would cut it (no second detection)
    const photo = { pixels: data, width: info.width, height: info.height };
    for (const f of faces.filter((x) => x.mesh.length >= 468)) {
      const input = tf.tensor3d(await cutChip(photo, chipGeometry(f.mesh.map(([x, y]) => ({ x, y })))), [CHIP_PX, CHIP_PX, 3], 'float32');
      try {
        await recognizer.computeFaceDescriptor(input);
      } finally {
        tf.dispose(input);
      }
    }
  };
}

const port = parentPort;
if (port) {
  const reply = (r: CostReply) => port.postMessage(r);
  try {
    const run = workerData.kind === 'naive' ? await naive() : await tuned();
    let photos: { image: Uint8Array; options: AnalyzeOptions }[] = [];
    port.on('message', async (req: CostRequest) => {
      try {
        if (req.type === 'photos') {
          photos = req.photos;
          // every kernel compiled and every model used once before anything is counted
          for (const p of photos) await run(p.image, p.options);
          reply({ type: 'loaded' });
          return;
        }
        const p = photos[req.index];
        const t0 = process.cpuUsage();
        await run(p.image, req.options ?? p.options);
        const u = process.cpuUsage(t0);
        reply({ type: 'cost', cpuMs: (u.user + u.system) / 1000 });
      } catch (err) {
        reply({ type: 'failed', message: (err as Error).stack ?? String(err) });
      }
    });
    reply({ type: 'ready' });
  } catch (err) {
    reply({ type: 'failed', message: (err as Error).stack ?? String(err) });
  }
}
