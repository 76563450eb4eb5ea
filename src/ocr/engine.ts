// The OCR engine: tesseract.js workers created once and lent out one job at a time, language data
// read only from the installed @tesseract.js-data packages (never fetched), images cleaned up with
// sharp before recognition.
import { createRequire } from 'node:module';
import { mkdtemp, mkdir, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Worker } from 'tesseract.js';
import { prepareForOcr, type Preprocess } from './preprocess.js';

export type OcrLanguages = 'eng' | 'chi_sim' | 'chi_sim+eng';

/** Tesseract page segmentation modes the project uses. */
export type PageLayout = 'auto' | 'block' | 'line' | 'sparse';
const PSM: Record<PageLayout, string> = { auto: '3', block: '6', line: '7', sparse: '11' };

export interface OcrBox {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface OcrLine {
  text: string;
  /** 0..1 */
  confidence: number;
  /** in pixels of the image given to recognize(), before pre-processing */
  box: OcrBox;
}

export interface OcrResult {
  text: string;
  /** tesseract's mean word confidence, 0..1 */
  confidence: number;
  lines: OcrLine[];
  ms: number;
}

export interface RecognizeOptions {
  languages?: OcrLanguages;
  layout?: PageLayout;
  /** restrict the characters tesseract may output (MRZ: A-Z, 0-9 and <) */
  whitelist?: string;
  /** only this part of the image, in its own pixels */
  crop?: OcrBox;
  /** sharp clean-up before recognition; false to pass the bytes as they are */
  preprocess?: Preprocess | false;
  /** let tesseract straighten a skewed page before recognition */
  deskew?: boolean;
}

export interface Ocr {
  recognize(image: Uint8Array, options?: RecognizeOptions): Promise<OcrResult>;
  /** ends every worker; pending jobs finish first */
  close(): Promise<void>;
}

export interface CreateOcrOptions {
  /** language sets to start workers for; a set not listed here is refused by recognize() */
  languages?: OcrLanguages[];
  /** workers per language set; each holds its model in memory (about 60 MB for chi_sim) */
  workersPerLanguage?: number;
  /** where tesseract may keep files; nothing is downloaded, so this only holds links to the data */
  cachePath?: string;
  /**
   * 'standard': the packages' default 4.0.0 data. 'fast': their 4.0.0_best_int data: the same MRZ
   * text a third faster, but on test/bench/ocr.ts two fewer Chinese-numeral datelines read of 24
   * pages for the same CPU time, hence not the default.
   */
  model?: 'standard' | 'fast';
}

/** Folder holding `<code>.traineddata.gz` for one installed language package. */
function languageFolder(code: 'eng' | 'chi_sim', model: 'standard' | 'fast'): { folder: string; gzip: boolean } {
  const pkg = createRequire(import.meta.url)(`@tesseract.js-data/${code}`) as { langPath: string; gzip: boolean };
  // the package's langPath is its 4.0.0 folder; best_int sits beside it
  const folder = model === 'fast' ? path.join(path.dirname(pkg.langPath), `${path.basename(pkg.langPath)}_best_int`) : pkg.langPath;
  return { folder, gzip: pkg.gzip };
}

/** tesseract.js takes one langPath per worker: a set of several languages gets a folder of links. */
async function languagePath(languages: OcrLanguages, cachePath: string, model: 'standard' | 'fast'): Promise<{ langPath: string; gzip: boolean }> {
  const codes = languages.split('+') as ('eng' | 'chi_sim')[];
  if (codes.length === 1) {
    const { folder, gzip } = languageFolder(codes[0], model);
    return { langPath: folder, gzip };
  }
  const combined = path.join(cachePath, `${languages}-${model}`);
  await mkdir(combined, { recursive: true });
  let gzip = true;
  for (const code of codes) {
    const lang = languageFolder(code, model);
    gzip &&= lang.gzip;
    const file = `${code}.traineddata${lang.gzip ? '.gz' : ''}`;
    await symlink(path.join(lang.folder, file), path.join(combined, file)).catch((err: NodeJS.ErrnoException) => {
      if (err.code !== 'EEXIST') throw err;
    });
  }
  return { langPath: combined, gzip };
}

/** A fixed set of workers for one language set; jobs wait for a free worker. */
class WorkerPool {
  private idle: Worker[] = [];
  private waiting: ((w: Worker) => void)[] = [];
  private all: Worker[] = [];

  add(worker: Worker): void {
    this.all.push(worker);
    this.release(worker);
  }

  acquire(): Promise<Worker> {
    const worker = this.idle.pop();
    if (worker) return Promise.resolve(worker);
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  release(worker: Worker): void {
    const next = this.waiting.shift();
    if (next) next(worker);
    else this.idle.push(worker);
  }

  async terminate(): Promise<void> {
    await Promise.all(this.all.map((w) => w.terminate()));
    this.all = [];
    this.idle = [];
  }
}

export async function createOcr(options: CreateOcrOptions = {}): Promise<Ocr> {
  const { createWorker, OEM } = await import('tesseract.js');
  const sets = options.languages ?? ['eng', 'chi_sim+eng'];
  const perSet = Math.max(1, options.workersPerLanguage ?? 1);
  const ownCache = options.cachePath === undefined;
  const cachePath = options.cachePath ?? (await mkdtemp(path.join(tmpdir(), 'realperson-ocr-')));
  await mkdir(cachePath, { recursive: true });

  const pools = new Map<OcrLanguages, WorkerPool>();
  for (const set of sets) {
    const { langPath, gzip } = await languagePath(set, cachePath, options.model ?? 'standard');
    const pool = new WorkerPool();
    for (let i = 0; i < perSet; i++) {
      const worker = await createWorker(set, OEM.LSTM_ONLY, {
        langPath,
        gzip,
        cachePath,
        // 'none': never read a cached copy, never write one (the default writes into the cwd)
        cacheMethod: 'none',
        // a failed job already rejects its own promise; without a handler tesseract.js would
        // also throw from its message listener and take the process down
        errorHandler: () => undefined,
      });
      pool.add(worker);
    }
    pools.set(set, pool);
  }
  let closed = false;

  return {
    async recognize(image, opts = {}) {
      if (closed) throw new Error('ocr is closed');
      const set = opts.languages ?? sets[0];
      const pool = pools.get(set);
      if (!pool) throw new Error(`no OCR workers for ${set}; started: ${sets.join(', ')}`);
      const started = performance.now();
      const prepared = opts.preprocess === false
        ? { image, scale: 1, offset: { x: opts.crop?.x ?? 0, y: opts.crop?.y ?? 0 } }
        : await prepareForOcr(image, { ...opts.preprocess, crop: opts.crop });
      const worker = await pool.acquire();
      try {
        await worker.setParameters({
          tessedit_pageseg_mode: PSM[opts.layout ?? 'auto'] as never,
          tessedit_char_whitelist: opts.whitelist ?? '',
          preserve_interword_spaces: '1',
        });
        const { data } = await worker.recognize(
          Buffer.from(prepared.image),
          { rotateAuto: opts.deskew ?? false },
          // debug: Tesseract's own diagnostics ("Detected 51 diacritics", ...) go into the result,
          // not onto the service's stderr beside its JSON log lines
          { text: true, blocks: true, debug: true },
        );
        const lines: OcrLine[] = [];
        for (const block of data.blocks ?? []) {
          for (const paragraph of block.paragraphs) {
            for (const line of paragraph.lines) {
              const { x0, y0, x1, y1 } = line.bbox;
              lines.push({
                text: line.text.trim(),
                confidence: line.confidence / 100,
                box: {
                  x: Math.round(x0 / prepared.scale + prepared.offset.x),
                  y: Math.round(y0 / prepared.scale + prepared.offset.y),
                  width: Math.round((x1 - x0) / prepared.scale),
                  height: Math.round((y1 - y0) / prepared.scale),
                },
              });
            }
          }
        }
        return { text: data.text, confidence: data.confidence / 100, lines, ms: performance.now() - started };
      } finally {
        pool.release(worker);
      }
    },
    async close() {
      if (closed) return;
      closed = true;
      await Promise.all([...pools.values()].map((p) => p.terminate()));
      if (ownCache) await rm(cachePath, { recursive: true, force: true });
    },
  };
}
