// How far the face match can be trusted on a small portrait (the card held in the selfie shows its
// portrait a few dozen pixels wide). Each labelled photo is reduced so its face is S pixels wide and
// brought back to its size (the detail a portrait S pixels wide carries, at a size the detector
// finds), then compared with every other photo at full resolution. Per S: genuine pairs the reject
// line would refuse, impostors the approve line would pass. Below the smallest S with neither, a
// held-card comparison is no evidence either way, and up to the width from which no impostor passes
// the full-size line, decide() applies a higher approve line (src/decide/checks/faces.ts); the last
// columns count the pairs that line approves.
// Run: npx tsx test/bench/face-size.ts   (also `npm run bench face-size`).
import { readFile } from 'node:fs/promises';
import { pathToFileURL } from 'node:url';
import sharp from 'sharp';
import { fixture } from '../support/fixtures.js';
import { createEngine, type Engine } from '../../src/vision/engine.js';
import { FACE_MATCH, faceSimilarity } from '../../src/vision/match.js';
import { bandForFaceWidth, MIN_FACE_PX } from '../../src/decide/index.js';
import { labelledPhotos } from './face.js';

/** Face widths (face box, pixels) the bench reduces every photo to. */
export const PORTRAIT_WIDTHS = [16, 24, 32, 48, 64, 80, 96, 128, 160];

/** The approve line decide() applies to a face this wide (none below MIN_FACE_PX: no score counts). */
const appliedApproveLine = (px: number): number | null =>
  px < MIN_FACE_PX ? null : bandForFaceWidth(FACE_MATCH, px).approveAbove;

export interface SizeRow {
  faceWidthPx: number;
  /** photos whose reduced face was not found or not described (review: no face), left out of the pairs */
  lost: number;
  genuinePairs: number;
  impostorPairs: number;
  minGenuine: number;
  maxImpostor: number;
  genuineBelowReject: number;
  impostorsAboveApprove: number;
  /** the approve line decide() applies at this width, null where no score counts */
  appliedApproveAbove: number | null;
  /** genuine pairs approved and impostors passed at that line */
  genuineApproved: number;
  impostorsApproved: number;
}

export interface FaceSizeReport {
  rows: SizeRow[];
  /** smallest width from which no genuine pair is rejected and no impostor approved, at every larger width too */
  smallestReliablePx: number | null;
}

async function describeAt(engine: Engine, image: Buffer, faceWidth: number | null, target: number | null) {
  let input = image;
  if (target !== null && faceWidth !== null && target < faceWidth) {
    const meta = await sharp(image).rotate().metadata();
    const turned = (meta.orientation ?? 1) >= 5;
    const width = (turned ? meta.height : meta.width) ?? 0;
    const height = (turned ? meta.width : meta.height) ?? 0;
    const k = target / faceWidth;
    const small = await sharp(image).rotate().resize(Math.max(1, Math.round(width * k)), Math.max(1, Math.round(height * k)), { fit: 'fill' }).png().toBuffer();
    input = await sharp(small).resize(width, height, { fit: 'fill', kernel: 'cubic' }).png().toBuffer();
  }
  const face = (await engine.analyze(input, { face: true, embed: true })).faces[0];
  return face?.embedding ? { embedding: face.embedding, width: face.box.width } : null;
}

export async function benchFaceSizes(widths = PORTRAIT_WIDTHS): Promise<FaceSizeReport> {
  const engine = await createEngine();
  await engine.warmup();
  const photos = await labelledPhotos();
  const images = await Promise.all(photos.map((p) => readFile(fixture(p.file))));
  const full: ({ embedding: number[]; width: number } | null)[] = [];
  for (const image of images) full.push(await describeAt(engine, image, null, null));
  const rows: SizeRow[] = [];
  for (const target of widths) {
    const reduced: ({ embedding: number[]; width: number } | null)[] = [];
    for (let i = 0; i < images.length; i++) reduced.push(full[i] ? await describeAt(engine, images[i], full[i]!.width, target) : null);
    const genuine: number[] = [];
    const impostor: number[] = [];
    for (let i = 0; i < photos.length; i++) {
      for (let j = 0; j < photos.length; j++) {
        if (i === j || !full[j]) continue;
        const same = photos[i].identity === photos[j].identity;
        if (same && photos[i].source && photos[i].source === photos[j].source) continue;
        // a reduced face that was lost goes to review (no face found): counted in `lost`, not scored
        if (!reduced[i]) continue;
        (same ? genuine : impostor).push(faceSimilarity(reduced[i]!.embedding, full[j]!.embedding));
      }
    }
    const line = appliedApproveLine(target);
    rows.push({
      faceWidthPx: target,
      lost: reduced.filter((r, i) => full[i] && !r).length,
      genuinePairs: genuine.length,
      impostorPairs: impostor.length,
      minGenuine: Math.min(...genuine),
      maxImpostor: Math.max(...impostor),
      genuineBelowReject: genuine.filter((s) => s < FACE_MATCH.rejectBelow).length,
      impostorsAboveApprove: impostor.filter((s) => s > FACE_MATCH.approveAbove).length,
      appliedApproveAbove: line,
      genuineApproved: line === null ? 0 : genuine.filter((s) => s > line).length,
      impostorsApproved: line === null ? 0 : impostor.filter((s) => s > line).length,
    });
  }
  let smallestReliablePx: number | null = null;
  for (const row of [...rows].sort((a, b) => b.faceWidthPx - a.faceWidthPx)) {
    if (row.genuineBelowReject > 0 || row.impostorsAboveApprove > 0) break;
    smallestReliablePx = row.faceWidthPx;
  }
  return { rows, smallestReliablePx };
}

export function printFaceSizeReport(r: FaceSizeReport): void {
  console.log(`face match on reduced portraits (${FACE_MATCH.model}; approve above ${FACE_MATCH.approveAbove}, reject below ${FACE_MATCH.rejectBelow})`);
  console.log('face px  lost  genuine  minGen  rejected  impostor  maxImp  approved  | decide: line  genuine approved  impostors approved');
  for (const row of r.rows) {
    console.log(
      String(row.faceWidthPx).padStart(7),
      String(row.lost).padStart(5),
      String(row.genuinePairs).padStart(8),
      row.minGenuine.toFixed(3).padStart(7),
      String(row.genuineBelowReject).padStart(9),
      String(row.impostorPairs).padStart(9),
      row.maxImpostor.toFixed(3).padStart(7),
      String(row.impostorsAboveApprove).padStart(9),
      '  |',
      (row.appliedApproveAbove === null ? 'none' : row.appliedApproveAbove.toFixed(2)).padStart(12),
      String(row.genuineApproved).padStart(17),
      String(row.impostorsApproved).padStart(19),
    );
  }
  console.log(`smallest portrait width with no genuine rejected and no impostor approved: ${r.smallestReliablePx ?? 'none'} px`);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const widths = process.argv.slice(2).map(Number).filter((n) => n > 0);
  printFaceSizeReport(await benchFaceSizes(widths.length ? widths : undefined));
  process.exit(0);
}
