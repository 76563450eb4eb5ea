// Face-matcher benchmark on the labelled fixture faces: which descriptor separates people, at what
// cost. Run: npx tsx test/bench/face.ts   (benchFaceMatchers() is also called by the main bench).
import os from 'node:os';
import { readFile } from 'node:fs/promises';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import sharp from 'sharp';
import { fixture, readTable } from '../support/fixtures.js';
import { createEngine } from '../../src/vision/engine.js';
import { loadRuntime } from '../../src/vision/runtime.js';
import { FACE_MATCH, faceSimilarity, l2normalize } from '../../src/vision/match.js';

export interface LabelledPhoto {
  file: string;
  identity: string;
  /** photos cut from one original share a source (their pair says little about matching) */
  source: string | null;
}

export interface CandidateReport {
  candidate: string;
  photos: number;
  photosWithoutFace: number;
  genuinePairs: number;
  impostorPairs: number;
  /** threshold = highest impostor score: share of genuine pairs above it */
  tarAtFar0: number;
  thresholdAtFar0: number;
  tarAtFar1: number;
  eer: number;
  minGenuine: number;
  maxImpostor: number;
  /** same-source pairs (crops of one photo), reported apart: share above thresholdAtFar0 */
  sameSourceTar: number;
  /** with the shipped FACE_MATCH thresholds (meaningful for the chosen matcher only) */
  tarAtApprove: number;
  impostorsAtOrAboveReject: number;
  genuineBelowReject: number;
  /** wall time per photo, one thread (decode + detection + mesh + descriptor) */
  msPerPhoto: number;
  /** CPU time per photo of the same */
  cpuMsPerPhoto: number;
}

export interface FaceBenchReport {
  machine: { cpu: string; cores: number; node: string };
  candidates: CandidateReport[];
}

const execFileAsync = promisify(execFile);

type Describe = (image: Uint8Array) => Promise<number[] | null>;

interface Candidate {
  name: string;
  start(): Promise<Describe>;
}

/** Labelled photos: face_recognition single-face images plus the faces/human identity groups. */
export async function labelledPhotos(): Promise<LabelledPhoto[]> {
  const ids = await readTable('faces/face_recognition/identities.csv');
  const photos: LabelledPhoto[] = ids
    .filter((r) => r.faces === '1')
    .map((r) => ({ file: `faces/face_recognition/images/${r.file}`, identity: r.identity, source: r.source_photo || null }));
  for (const r of await readTable('faces/human/labels.tsv')) {
    const identity = /identity=(\w+)/.exec(r.label)?.[1];
    if (identity) photos.push({ file: `faces/human/${r.file}`, identity, source: null });
  }
  return photos;
}

async function decodeForHuman(image: Uint8Array) {
  const { data, info } = await sharp(image).rotate()
    .resize(1600, 1600, { fit: 'inside', withoutEnlargement: true })
    .removeAlpha().toColourspace('srgb').raw().toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height };
}

function humanCandidate(name: string, overrides: Record<string, unknown>): Candidate {
  return {
    name,
    async start() {
      const { human, tf } = await loadRuntime(overrides);
      return async (image) => {
        const d = await decodeForHuman(image);
        const t = tf.tensor4d(Int32Array.from(d.data), [1, d.height, d.width, 3], 'int32');
        try {
          const r = await human.detect(t as never, { face: { enabled: true } } as never);
          const largest = [...r.face].sort((a, b) => b.box[2] * b.box[3] - a.box[2] * a.box[3])[0];
          return largest?.embedding?.length ? l2normalize(largest.embedding) : null;
        } finally {
          tf.dispose(t);
        }
      };
    },
  };
}

const CHOSEN = 'face-api resnet128 on a mesh-aligned chip';

/** `unitLength`: the same descriptors scaled to length 1, so their similarity is the cosine (for comparison). */
function faceApiCandidate(name: string, unitLength = false): Candidate {
  return {
    name,
    async start() {
      const engine = await createEngine();
      return async (image) => {
        const d = (await engine.analyze(image, { face: true, embed: true })).faces[0]?.embedding ?? null;
        return d && unitLength ? l2normalize(d) : d;
      };
    },
  };
}

export const CANDIDATES: Candidate[] = [
  humanCandidate('human faceres', { face: { description: { enabled: true, modelPath: 'faceres.json' } } }),
  humanCandidate('human faceres-deep', { face: { description: { enabled: true, modelPath: 'faceres-deep.json' } } }),
  humanCandidate('human mobilefacenet', { face: { mobilefacenet: { enabled: true, modelPath: 'mobilefacenet.json' } } }),
  faceApiCandidate(CHOSEN),
  faceApiCandidate('the same descriptors, cosine', true),
];

/** Share of `genuine` strictly above `threshold`. */
function tarAbove(genuine: number[], threshold: number): number {
  return genuine.length ? genuine.filter((g) => g > threshold).length / genuine.length : 0;
}

export function errorRates(genuine: number[], impostor: number[]) {
  const imp = [...impostor].sort((a, b) => b - a);
  const thresholdAtFar0 = imp[0] ?? 0;
  // FAR 1%: at most floor(1% of impostors) may score above the threshold
  const allowed = Math.floor(imp.length * 0.01);
  const thresholdAtFar1 = imp[allowed] ?? 0;
  let eer = 1;
  for (const t of [...genuine, ...impostor, -Infinity, Infinity]) {
    const far = impostor.filter((s) => s >= t).length / impostor.length;
    const frr = genuine.filter((s) => s < t).length / genuine.length;
    eer = Math.min(eer, Math.max(far, frr));
  }
  return {
    thresholdAtFar0,
    tarAtFar0: tarAbove(genuine, thresholdAtFar0),
    tarAtFar1: tarAbove(genuine, thresholdAtFar1),
    eer,
    minGenuine: Math.min(...genuine),
    maxImpostor: thresholdAtFar0,
  };
}

async function runCandidate(candidate: Candidate, photos: LabelledPhoto[], images: Uint8Array[]): Promise<CandidateReport> {
  const describe = await candidate.start();
  await describe(images[0]); // the first pass compiles WASM kernels: not part of the cost
  const descriptors: (number[] | null)[] = [];
  const started = performance.now();
  const cpu0 = process.cpuUsage();
  for (const image of images) descriptors.push(await describe(image));
  const cpu = process.cpuUsage(cpu0);
  const msPerPhoto = (performance.now() - started) / images.length;
  // CPU time is the fair cost on a shared machine (wall time includes other processes' load)
  const cpuMsPerPhoto = (cpu.user + cpu.system) / 1000 / images.length;

  const genuine: number[] = [];
  const impostor: number[] = [];
  const sameSource: number[] = [];
  for (let i = 0; i < photos.length; i++) {
    for (let j = i + 1; j < photos.length; j++) {
      const a = descriptors[i];
      const b = descriptors[j];
      // a photo where no face was found fails its genuine pairs and passes its impostor pairs
      const score = a && b ? faceSimilarity(a, b) : 0;
      if (photos[i].identity !== photos[j].identity) impostor.push(score);
      else if (photos[i].source && photos[i].source === photos[j].source) sameSource.push(score);
      else genuine.push(score);
    }
  }
  const rates = errorRates(genuine, impostor);
  return {
    candidate: candidate.name,
    photos: photos.length,
    photosWithoutFace: descriptors.filter((d) => !d).length,
    genuinePairs: genuine.length,
    impostorPairs: impostor.length,
    ...rates,
    sameSourceTar: tarAbove(sameSource, rates.thresholdAtFar0),
    tarAtApprove: tarAbove(genuine, FACE_MATCH.approveAbove),
    impostorsAtOrAboveReject: impostor.filter((s) => s >= FACE_MATCH.rejectBelow).length / impostor.length,
    genuineBelowReject: genuine.filter((s) => s < FACE_MATCH.rejectBelow).length / genuine.length,
    msPerPhoto,
    cpuMsPerPhoto,
  };
}

async function runCandidateHere(name: string): Promise<CandidateReport> {
  const candidate = CANDIDATES.find((c) => c.name === name);
  if (!candidate) throw new Error(`no face-matcher candidate named ${name}`);
  const photos = await labelledPhotos();
  const images = await Promise.all(photos.map(async (p) => new Uint8Array(await readFile(fixture(p.file)))));
  return runCandidate(candidate, photos, images);
}

/** Human keeps each model in module state: every candidate runs in a fresh process of its own. */
async function runCandidateInChild(name: string): Promise<CandidateReport> {
  const { stdout } = await execFileAsync(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url), '--candidate', name], {
    maxBuffer: 1 << 24,
  });
  const line = stdout.split('\n').find((l) => l.startsWith(REPORT_PREFIX));
  if (!line) throw new Error(`face bench: candidate ${name} printed no report`);
  return JSON.parse(line.slice(REPORT_PREFIX.length)) as CandidateReport;
}

const REPORT_PREFIX = 'FACE-BENCH-REPORT ';

export async function benchFaceMatchers(names: string[] = CANDIDATES.map((c) => c.name)): Promise<FaceBenchReport> {
  const reports: CandidateReport[] = [];
  for (const name of names) reports.push(await runCandidateInChild(name));
  return {
    machine: { cpu: os.cpus()[0]?.model ?? 'unknown', cores: os.availableParallelism(), node: process.version },
    candidates: reports,
  };
}

export function printFaceReport(report: FaceBenchReport): void {
  const { machine } = report;
  console.log(`face matchers on ${machine.cpu}, ${machine.cores} cores, node ${machine.node} (one thread)`);
  console.log('candidate'.padEnd(44), 'TAR@FAR0  thr@FAR0  TAR@FAR1%  EER    minGen  maxImp  sameSrc  noFace  ms/photo  cpu-ms/photo');
  for (const c of report.candidates) {
    console.log(
      c.candidate.padEnd(44),
      c.tarAtFar0.toFixed(3).padStart(8),
      c.thresholdAtFar0.toFixed(3).padStart(9),
      c.tarAtFar1.toFixed(3).padStart(10),
      c.eer.toFixed(3).padStart(6),
      c.minGenuine.toFixed(3).padStart(7),
      c.maxImpostor.toFixed(3).padStart(7),
      c.sameSourceTar.toFixed(2).padStart(8),
      String(c.photosWithoutFace).padStart(7),
      c.msPerPhoto.toFixed(0).padStart(9),
      c.cpuMsPerPhoto.toFixed(0).padStart(13),
    );
  }
  const chosen = report.candidates.find((c) => c.candidate === CHOSEN);
  if (chosen) {
    console.log(`shipped thresholds (${CHOSEN}): approve above ${FACE_MATCH.approveAbove}, reject below ${FACE_MATCH.rejectBelow}: `
      + `genuine approved ${chosen.tarAtApprove.toFixed(3)}, genuine rejected ${chosen.genuineBelowReject.toFixed(3)}, `
      + `impostors not rejected ${chosen.impostorsAtOrAboveReject.toFixed(3)}`);
  }
  const c0 = report.candidates[0];
  if (c0) console.log(`pairs: ${c0.genuinePairs} genuine, ${c0.impostorPairs} impostor, over ${c0.photos} photos`);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  if (process.argv[2] === '--candidate') {
    console.log(REPORT_PREFIX + JSON.stringify(await runCandidateHere(process.argv[3])));
  } else {
    const only = process.argv[2];
    printFaceReport(await benchFaceMatchers(CANDIDATES.map((c) => c.name).filter((n) => !only || n.includes(only))));
  }
}
