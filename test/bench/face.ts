// Face-matcher benchmark on every labelled face of ../shared/fixtures/faces, pooled: how each chip
// framing of the face-api descriptor separates people (TAR / FMR per fixture folder and pooled, at
// what CPU cost), what fusing a session's live faces buys, and the approve line the pooled impostors
// imply. Run: npx tsx test/bench/face.ts [name filter] [--all: Human's descriptors too]
// (`npm run bench face` runs the default candidates).
import os from 'node:os';
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import sharp from 'sharp';
import { fixture, readTable } from '../support/fixtures.js';
import { createEngine, type EngineOptions } from '../../src/vision/engine.js';
import { loadRuntime } from '../../src/vision/runtime.js';
import { FACE_MATCH, faceSimilarity, l2normalize } from '../../src/vision/match.js';

export interface LabelledPhoto {
  file: string;
  /** the fixture folder under faces/ it comes from */
  folder: string;
  identity: string;
  /** photos cut from one original share a source (their pair says little about matching) */
  source: string | null;
}

/** What a candidate computed for every pooled photo, in labelledPhotos() order. */
export interface CandidateRun {
  candidate: string;
  descriptors: (number[] | null)[];
  /** face box width of each described face, photo pixels */
  widths: (number | null)[];
  /** head yaw of each described face, degrees (absent for Human's candidates) */
  yaws?: (number | null)[];
  msPerPhoto: number;
  cpuMsPerPhoto: number;
}

export interface Rates {
  people: number;
  photos: number;
  photosWithoutFace: number;
  /** genuine pairs compared (both faces found) */
  genuinePairs: number;
  /** genuine pairs with a photo where no face was found (left out of every rate) */
  lostGenuinePairs: number;
  impostorPairs: number;
  /** threshold = highest impostor score: share of genuine pairs above it */
  tarAtFar0: number;
  tarAtFar1: number;
  eer: number;
  minGenuine: number;
  maxImpostor: number;
  /** at the shipped approve line: genuine share approved, impostors above it, and the 95 % upper bound of the FMR that implies */
  tarAtLine: number;
  impostorsAboveLine: number;
  fmrUpper95: number;
  /** pairs of different people, and the same bound counted over them (impostor pairs share people) */
  personPairs: number;
  fmrUpper95People: number;
  /** genuine pairs below the shipped reject line */
  genuineBelowReject: number;
  /** the line this candidate's own highest impostor implies (+ APPROVE_MARGIN, rounded up), and the genuine share above it */
  ownLine: number;
  tarAtOwnLine: number;
}

export interface CandidateReport {
  candidate: string;
  /** per fixture folder (pairs inside it), then 'pooled' (every pair, impostors across folders too) */
  sets: Record<string, Rates>;
  msPerPhoto: number;
  cpuMsPerPhoto: number;
}

export interface FaceBenchReport {
  machine: { cpu: string; cores: number; node: string; load: number[] };
  candidates: CandidateReport[];
  fusion: FusionRow[];
  pose: PoseRow[];
  /** the approve line the pooled set implies for the chosen candidate (highest impostor + margin) */
  line: { candidate: string; maxImpostor: number; margin: number; approveAbove: number };
}

const execFileAsync = promisify(execFile);

type Describe = (image: Uint8Array) => Promise<{ embedding: number[]; width: number; yaw?: number } | null>;

interface Candidate {
  name: string;
  start(): Promise<Describe>;
}

/**
 * Every labelled single-face photo of faces/: face_recognition (identities.csv), human (labels.tsv),
 * face-api-examples and compreface-e2e (identities.tsv; '-' marks photos of no single person).
 * Identities are kept apart per folder: no person appears in two of them.
 */
export async function labelledPhotos(): Promise<LabelledPhoto[]> {
  const photos: LabelledPhoto[] = [];
  for (const r of await readTable('faces/face_recognition/identities.csv')) {
    if (r.faces === '1') photos.push({ file: `faces/face_recognition/images/${r.file}`, folder: 'face_recognition', identity: r.identity, source: r.source_photo || null });
  }
  for (const r of await readTable('faces/human/labels.tsv')) {
    const identity = /identity=(\w+)/.exec(r.label)?.[1];
    if (identity) photos.push({ file: `faces/human/${r.file}`, folder: 'human', identity, source: null });
  }
  for (const folder of ['face-api-examples', 'compreface-e2e']) {
    for (const r of await readTable(`faces/${folder}/identities.tsv`)) {
      if (r.identity && r.identity !== '-') photos.push({ file: `faces/${folder}/${r.file}`, folder, identity: r.identity, source: null });
    }
  }
  return photos.map((p) => ({ ...p, identity: `${p.folder}/${p.identity}` }));
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
          return largest?.embedding?.length ? { embedding: l2normalize(largest.embedding), width: largest.box[2] } : null;
        } finally {
          tf.dispose(t);
        }
      };
    },
  };
}

/** The shipped matcher: engine defaults. */
export const CHOSEN = 'face-api resnet128, dlib box from 68 points';

function faceApiCandidate(name: string, options: EngineOptions, unitLength = false): Candidate {
  return {
    name,
    async start() {
      const engine = await createEngine(options);
      return async (image) => {
        const face = (await engine.analyze(image, { face: true, embed: true })).faces[0];
        if (!face?.embedding) return null;
        return { embedding: unitLength ? l2normalize(face.embedding) : face.embedding, width: face.box.width, yaw: face.angles.yaw };
      };
    },
  };
}

/** The face-api descriptor framed four ways, and with the mirror image's descriptor averaged in. */
export const CANDIDATES: Candidate[] = [
  faceApiCandidate('face-api resnet128, mesh chip v4', { chip: 'mesh-v4' }),
  faceApiCandidate('face-api resnet128, dlib box from the mesh', { chip: 'dlib-mesh' }),
  faceApiCandidate('face-api resnet128, dlib box from the mesh, level', { chip: 'dlib-mesh-level' }),
  faceApiCandidate(CHOSEN, { chip: 'dlib-68' }),
  faceApiCandidate('  the same + mirror-image average', { chip: 'dlib-68', flip: true }),
  faceApiCandidate('  the same descriptors, cosine', { chip: 'dlib-68' }, true),
];

/** Human's own descriptors, measured when the bench is given --all (none came close: README). */
export const HUMAN_CANDIDATES: Candidate[] = [
  humanCandidate('human faceres', { face: { description: { enabled: true, modelPath: 'faceres.json' } } }),
  humanCandidate('human faceres-deep', { face: { description: { enabled: true, modelPath: 'faceres-deep.json' } } }),
  humanCandidate('human mobilefacenet', { face: { mobilefacenet: { enabled: true, modelPath: 'mobilefacenet.json' } } }),
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

/**
 * One-sided 95 % upper confidence bound of a rate seen `k` times in `n` trials (Clopper-Pearson):
 * with no impostor above the line in n pairs, about 3 / n. Impostor pairs share photos, so they are
 * not independent trials: the true bound is wider still.
 */
export function upperBound95(k: number, n: number): number {
  if (n === 0) return 1;
  if (k >= n) return 1;
  const logChoose = (m: number) => lgamma(n + 1) - lgamma(m + 1) - lgamma(n - m + 1);
  const cdf = (p: number) => {
    let sum = 0;
    for (let m = 0; m <= k; m++) sum += Math.exp(logChoose(m) + m * Math.log(p) + (n - m) * Math.log1p(-p));
    return sum;
  };
  let [lo, hi] = [k / n, 1];
  for (let i = 0; i < 60; i++) {
    const mid = (lo + hi) / 2;
    if (cdf(mid) > 0.05) lo = mid;
    else hi = mid;
  }
  return hi;
}

function lgamma(x: number): number {
  // Stirling series, exact enough for the counts here (x >= 1)
  if (x < 7) {
    let r = 0;
    while (x < 7) r -= Math.log(x++);
    return r + lgamma(x);
  }
  return (x - 0.5) * Math.log(x) - x + 0.5 * Math.log(2 * Math.PI) + 1 / (12 * x) - 1 / (360 * x ** 3);
}

/** Pair scores of a set of photos (indices), same-source crops left out. */
function pairScores(photos: LabelledPhoto[], run: CandidateRun, members: number[]) {
  const genuine: number[] = [];
  const impostor: number[] = [];
  let lostGenuine = 0;
  const pairsAbove = new Set<string>();
  for (let a = 0; a < members.length; a++) {
    for (let b = a + 1; b < members.length; b++) {
      const [i, j] = [members[a], members[b]];
      const [x, y] = [run.descriptors[i], run.descriptors[j]];
      const same = photos[i].identity === photos[j].identity;
      if (same && photos[i].source && photos[i].source === photos[j].source) continue;
      // a photo where no face was found is counted apart: it goes to review (live_face_not_found,
      // id_portrait_not_found) whatever the matcher, so it says nothing of the score's lines
      if (!x || !y) {
        if (same) lostGenuine++;
        continue;
      }
      const score = faceSimilarity(x, y);
      (same ? genuine : impostor).push(score);
      if (!same && score > FACE_MATCH.approveAbove) pairsAbove.add([photos[i].identity, photos[j].identity].sort().join('~'));
    }
  }
  return { genuine, impostor, lostGenuine, peopleAbove: pairsAbove.size };
}

function rates(photos: LabelledPhoto[], run: CandidateRun, members: number[]): Rates {
  const { genuine, impostor, lostGenuine, peopleAbove } = pairScores(photos, run, members);
  const people = new Set(members.map((i) => photos[i].identity)).size;
  const personPairs = (people * (people - 1)) / 2;
  const r = errorRates(genuine, impostor);
  const above = impostor.filter((s) => s > FACE_MATCH.approveAbove).length;
  return {
    people,
    personPairs,
    fmrUpper95People: upperBound95(peopleAbove, personPairs),
    photos: members.length,
    photosWithoutFace: members.filter((i) => !run.descriptors[i]).length,
    genuinePairs: genuine.length,
    lostGenuinePairs: lostGenuine,
    impostorPairs: impostor.length,
    tarAtFar0: r.tarAtFar0,
    tarAtFar1: r.tarAtFar1,
    eer: r.eer,
    minGenuine: r.minGenuine,
    maxImpostor: r.maxImpostor,
    tarAtLine: tarAbove(genuine, FACE_MATCH.approveAbove),
    impostorsAboveLine: above,
    fmrUpper95: upperBound95(above, impostor.length),
    genuineBelowReject: genuine.filter((s) => s < FACE_MATCH.rejectBelow).length,
    ownLine: impliedLine(r.maxImpostor),
    tarAtOwnLine: tarAbove(genuine, impliedLine(r.maxImpostor)),
  };
}

export const FOLDERS = ['face_recognition', 'human', 'face-api-examples', 'compreface-e2e'];

function report(photos: LabelledPhoto[], run: CandidateRun): CandidateReport {
  const sets: Record<string, Rates> = {};
  for (const folder of FOLDERS) sets[folder] = rates(photos, run, photos.flatMap((p, i) => (p.folder === folder ? [i] : [])));
  sets.pooled = rates(photos, run, photos.map((_, i) => i));
  return { candidate: run.candidate, sets, msPerPhoto: run.msPerPhoto, cpuMsPerPhoto: run.cpuMsPerPhoto };
}

export interface PoseRow {
  /** the larger |yaw| of the two faces of a genuine pair, degrees: [from, to) */
  from: number;
  to: number;
  genuinePairs: number;
  minGenuine: number;
  /** share above the shipped approve line */
  tarAtLine: number;
}

/** Genuine pairs of the pooled set by head turn: how far the line holds as a face turns away. */
export function poseRows(photos: LabelledPhoto[], run: CandidateRun): PoseRow[] {
  if (!run.yaws) return [];
  const buckets = [[0, 10], [10, 20], [20, 30], [30, 90]];
  const rows = buckets.map(([from, to]) => ({ from, to, scores: [] as number[] }));
  for (let i = 0; i < photos.length; i++) {
    for (let j = i + 1; j < photos.length; j++) {
      const [x, y] = [run.descriptors[i], run.descriptors[j]];
      if (!x || !y || photos[i].identity !== photos[j].identity) continue;
      if (photos[i].source && photos[i].source === photos[j].source) continue;
      const yaw = Math.max(Math.abs(run.yaws[i] ?? 0), Math.abs(run.yaws[j] ?? 0));
      rows.find((r) => yaw >= r.from && yaw < r.to)?.scores.push(faceSimilarity(x, y));
    }
  }
  return rows.map((r) => ({
    from: r.from, to: r.to, genuinePairs: r.scores.length,
    minGenuine: r.scores.length ? Math.min(...r.scores) : NaN,
    tarAtLine: tarAbove(r.scores, FACE_MATCH.approveAbove),
  }));
}

export interface FusionRow {
  rule: string;
  genuineSessions: number;
  impostorSessions: number;
  /** genuine sessions above the highest impostor session */
  tarAtFar0: number;
  eer: number;
  minGenuine: number;
  maxImpostor: number;
  /** at the shipped approve line */
  genuineApproved: number;
  impostorsApproved: number;
  /** at the line the pooled pairs imply */
  genuineApprovedImplied: number;
  impostorsApprovedImplied: number;
}

/**
 * Sessions made of the pooled photos: for every person with three photos or more, each photo in turn
 * is the ID portrait, the next one the held card's portrait, and up to three others the live faces.
 * An impostor session keeps that ID and card and takes up to three photos of another person as the
 * live faces. Each rule turns a session's comparisons into one score.
 */
export function fusion(photos: LabelledPhoto[], run: CandidateRun, implied: number): FusionRow[] {
  const byPerson = new Map<string, number[]>();
  photos.forEach((p, i) => {
    if (run.descriptors[i]) byPerson.set(p.identity, [...(byPerson.get(p.identity) ?? []), i]);
  });
  const people = [...byPerson.entries()].filter(([, v]) => v.length >= 3);
  const sim = (i: number, j: number) => faceSimilarity(run.descriptors[i]!, run.descriptors[j]!);
  const mean = (v: number[]) => v.reduce((a, b) => a + b, 0) / v.length;
  const meanDescriptor = (ids: number[]) => run.descriptors[ids[0]]!.map((_, k) => mean(ids.map((i) => run.descriptors[i]![k])));
  const rules: [string, (id: number, card: number, live: number[]) => number][] = [
    ['one pair: the selfie vs the ID portrait', (id, _c, live) => sim(live[0], id)],
    ['mean of every live face vs the ID portrait', (id, _c, live) => mean(live.map((l) => sim(l, id)))],
    ['lowest of every live face vs the ID portrait', (id, _c, live) => Math.min(...live.map((l) => sim(l, id)))],
    ['mean of every live face vs ID and held card', (id, card, live) => mean(live.flatMap((l) => [sim(l, id), sim(l, card)]))],
    ['mean live descriptor vs the ID portrait', (id, _c, live) => faceSimilarity(meanDescriptor(live), run.descriptors[id]!)],
  ];
  const sessions: { id: number; card: number; live: number[]; genuine: boolean }[] = [];
  for (const [person, own] of people) {
    for (let k = 0; k < own.length; k++) {
      const id = own[k];
      const card = own[(k + 1) % own.length];
      const rest = own.filter((i) => i !== id && i !== card).slice(0, 3);
      sessions.push({ id, card, live: rest, genuine: true });
      for (const [other, theirs] of byPerson) {
        if (other === person || theirs.length < 2) continue;
        sessions.push({ id, card, live: theirs.slice(0, 3), genuine: false });
      }
    }
  }
  return rules.map(([rule, score]) => {
    const genuine = sessions.filter((s) => s.genuine).map((s) => score(s.id, s.card, s.live));
    const impostor = sessions.filter((s) => !s.genuine).map((s) => score(s.id, s.card, s.live));
    const r = errorRates(genuine, impostor);
    return {
      rule,
      genuineSessions: genuine.length,
      impostorSessions: impostor.length,
      tarAtFar0: r.tarAtFar0,
      eer: r.eer,
      minGenuine: r.minGenuine,
      maxImpostor: r.maxImpostor,
      genuineApproved: genuine.filter((s) => s > FACE_MATCH.approveAbove).length,
      impostorsApproved: impostor.filter((s) => s > FACE_MATCH.approveAbove).length,
      genuineApprovedImplied: genuine.filter((s) => s > implied).length,
      impostorsApprovedImplied: impostor.filter((s) => s > implied).length,
    };
  });
}

async function runCandidate(candidate: Candidate, images: Uint8Array[]): Promise<CandidateRun> {
  const describe = await candidate.start();
  await describe(images[0]); // the first pass compiles WASM kernels and loads lazy models: not part of the cost
  const found: ({ embedding: number[]; width: number; yaw?: number } | null)[] = [];
  const started = performance.now();
  const cpu0 = process.cpuUsage();
  for (const image of images) found.push(await describe(image));
  const cpu = process.cpuUsage(cpu0);
  return {
    candidate: candidate.name,
    descriptors: found.map((f) => f?.embedding ?? null),
    widths: found.map((f) => f?.width ?? null),
    yaws: found.map((f) => f?.yaw ?? null),
    msPerPhoto: (performance.now() - started) / images.length,
    // CPU time is the fair cost on a shared machine (wall time includes other processes' load)
    cpuMsPerPhoto: (cpu.user + cpu.system) / 1000 / images.length,
  };
}

const ALL = [...CANDIDATES, ...HUMAN_CANDIDATES];

async function runCandidateHere(name: string): Promise<CandidateRun> {
  const candidate = ALL.find((c) => c.name === name);
  if (!candidate) throw new Error(`no face-matcher candidate named ${name}`);
  const photos = await labelledPhotos();
  const images = await Promise.all(photos.map(async (p) => new Uint8Array(await readFile(fixture(p.file)))));
  return runCandidate(candidate, images);
}

/** Human keeps each model in module state: every candidate runs in a fresh process of its own. */
export async function runCandidateInChild(name: string): Promise<CandidateRun> {
  const { stdout } = await execFileAsync(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url), '--candidate', name], {
    maxBuffer: 1 << 26,
  });
  const line = stdout.split('\n').find((l) => l.startsWith(REPORT_PREFIX));
  if (!line) throw new Error(`face bench: candidate ${name} printed no report`);
  return JSON.parse(line.slice(REPORT_PREFIX.length)) as CandidateRun;
}

const REPORT_PREFIX = 'FACE-BENCH-RUN ';

/**
 * The margin the approve line keeps above the highest impostor of the pooled fixtures, for people the
 * fixtures do not hold. With the earlier chip the pooled highest impostor (0.849) fell 0.002 short of
 * the highest among 40 people of unconstrained news photos outside the fixtures (0.851); 0.015 covers
 * seven times that shortfall.
 */
export const APPROVE_MARGIN = 0.015;

/** The approve line a highest impostor implies: plus the margin, rounded up to a hundredth. */
export const impliedLine = (maxImpostor: number) => Math.ceil((maxImpostor + APPROVE_MARGIN) * 100) / 100;

export async function benchFaceMatchers(options: { all?: boolean; only?: string } = {}): Promise<FaceBenchReport> {
  const names = (options.all ? ALL : CANDIDATES).map((c) => c.name).filter((n) => !options.only || n.includes(options.only));
  const photos = await labelledPhotos();
  const runs: CandidateRun[] = [];
  // FACE_BENCH_CACHE=file keeps the descriptors between runs while the rules after them change
  const cacheFile = process.env.FACE_BENCH_CACHE;
  const cache: Record<string, CandidateRun> = cacheFile && existsSync(cacheFile) ? JSON.parse(await readFile(cacheFile, 'utf8')) : {};
  for (const name of names) runs.push(cache[name] ??= await runCandidateInChild(name));
  if (cacheFile) await writeFile(cacheFile, JSON.stringify(cache));
  const chosen = runs.find((r) => r.candidate === CHOSEN) ?? runs[0];
  const chosenReport = report(photos, chosen);
  const maxImpostor = chosenReport.sets.pooled.maxImpostor;
  const approveAbove = impliedLine(maxImpostor);
  return {
    machine: { cpu: os.cpus()[0]?.model ?? 'unknown', cores: os.availableParallelism(), node: process.version, load: os.loadavg() },
    candidates: runs.map((r) => report(photos, r)),
    fusion: fusion(photos, chosen, approveAbove),
    pose: poseRows(photos, chosen),
    line: { candidate: chosen.candidate, maxImpostor, margin: APPROVE_MARGIN, approveAbove },
  };
}

const f3 = (x: number) => x.toFixed(3);

export function printFaceReport(report: FaceBenchReport): void {
  const { machine } = report;
  console.log(`face matchers on ${machine.cpu}, ${machine.cores} cores, node ${machine.node} (one thread; load ${machine.load.map((l) => l.toFixed(1)).join(' ')})`);
  console.log(`shipped lines (${FACE_MATCH.model}): approve above ${FACE_MATCH.approveAbove}, reject below ${FACE_MATCH.rejectBelow}`);
  for (const c of report.candidates) {
    console.log(`\n${c.candidate.trim()}  (${c.cpuMsPerPhoto.toFixed(0)} CPU ms / ${c.msPerPhoto.toFixed(0)} wall ms per photo)`);
    console.log('  set                people photos noFace genuine (lost) impostor  TAR@FAR0  TAR@FAR1%   EER    minGen  maxImp | at line: TAR  imp>line  FMR<=(95%) by pairs / by people  gen<reject | own line: TAR');
    for (const [set, r] of Object.entries(c.sets)) {
      console.log(
        ' ', set.padEnd(18), String(r.people).padStart(6), String(r.photos).padStart(6), String(r.photosWithoutFace).padStart(6),
        String(r.genuinePairs).padStart(7), `(${r.lostGenuinePairs})`.padStart(6), String(r.impostorPairs).padStart(8), f3(r.tarAtFar0).padStart(9), f3(r.tarAtFar1).padStart(10),
        f3(r.eer).padStart(6), f3(r.minGenuine).padStart(7), f3(r.maxImpostor).padStart(7), '|', f3(r.tarAtLine).padStart(11),
        String(r.impostorsAboveLine).padStart(9), f3(r.fmrUpper95).padStart(11), `/ ${f3(r.fmrUpper95People)} (${r.personPairs})`.padStart(14),
        String(r.genuineBelowReject).padStart(11), '|', `${r.ownLine.toFixed(2)}: ${f3(r.tarAtOwnLine)}`.padStart(15),
      );
    }
  }
  console.log(`\nsessions composed of the pooled photos (${report.line.candidate}): what each fusion rule buys`);
  console.log(`  rule                                           genuine impostor  TAR@FAR0   EER    minGen  maxImp | above ${FACE_MATCH.approveAbove}: genuine  impostor`
    + (report.line.approveAbove !== FACE_MATCH.approveAbove ? ` | above ${report.line.approveAbove}: genuine  impostor` : ''));
  for (const f of report.fusion) {
    console.log(' ', f.rule.padEnd(46), String(f.genuineSessions).padStart(7), String(f.impostorSessions).padStart(8), f3(f.tarAtFar0).padStart(9),
      f3(f.eer).padStart(6), f3(f.minGenuine).padStart(7), f3(f.maxImpostor).padStart(7), '|', String(f.genuineApproved).padStart(17), String(f.impostorsApproved).padStart(9),
      ...(report.line.approveAbove !== FACE_MATCH.approveAbove ? ['|', String(f.genuineApprovedImplied).padStart(17), String(f.impostorsApprovedImplied).padStart(9)] : []));
  }
  if (report.pose.length) {
    console.log(`\ngenuine pairs by head turn (the larger |yaw| of the two faces), at approve above ${FACE_MATCH.approveAbove}`);
    console.log('  |yaw| deg  pairs  minGen  TAR at line');
    for (const p of report.pose) {
      console.log(`  ${`${p.from}-${p.to}`.padEnd(9)} ${String(p.genuinePairs).padStart(6)} ${Number.isNaN(p.minGenuine) ? '      -' : f3(p.minGenuine).padStart(7)} ${f3(p.tarAtLine).padStart(12)}`);
    }
  }
  const { line } = report;
  console.log(`\nline implied: highest pooled impostor ${f3(line.maxImpostor)} + margin ${line.margin} -> approve above ${line.approveAbove.toFixed(2)} (shipped: ${FACE_MATCH.approveAbove})`);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  if (process.argv[2] === '--candidate') {
    console.log(REPORT_PREFIX + JSON.stringify(await runCandidateHere(process.argv[3])));
  } else {
    const args = process.argv.slice(2);
    printFaceReport(await benchFaceMatchers({ all: args.includes('--all'), only: args.find((a) => !a.startsWith('--')) }));
  }
}
