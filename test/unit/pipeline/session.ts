// A verification session built from fixture photos: the ID card carries one person's portrait, the
// selfie, gesture and newspaper photos show another (or the same) person, composed from real pixels
// by test/support/compose.ts.
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { loadGestureLibrary, type Gesture } from '../../../src/gestures/index.js';
import { cnResidentIdCheckChar } from '../../../src/ocr/index.js';
import type { VerificationInput } from '../../../src/pipeline/index.js';
import type { Vision } from '../../../src/vision/index.js';
import { fixture } from '../../support/fixtures.js';
import { cropPortrait, gesturePhoto, newspaperPhoto, photographCard, renderIdCard, selfieHoldingCard, type PageInput } from '../../support/compose.js';

export const TODAY = '2026-11-23';
export const WINDOW = { from: '2026-11-22', to: '2026-11-23' };
export const SPECIMEN_NAME = '李小红';
/** a specimen number: Hangzhou Xihu district, born 1992-03-15, checksum computed, not a real person's */
export const SPECIMEN_NUMBER = `33010619920315002${cnResidentIdCheckChar('33010619920315002')}`;

export const readFixture = (rel: string) => readFile(fixture(rel));

let library: Gesture[] | null = null;
export async function gestureById(id: string): Promise<Gesture> {
  library ??= await loadGestureLibrary(path.resolve(import.meta.dirname, '../../../gestures'));
  const g = library.find((x) => x.id === id);
  if (!g) throw new Error(`no gesture ${id} in gestures/`);
  return g;
}

/** The person's face box, so the props are placed beside it (the fixture photos differ in framing). */
export async function faceBox(vision: Vision, photo: Buffer) {
  const obs = await vision.analyze(photo, { face: true });
  if (!obs.faces[0]) throw new Error('fixture photo without a detectable face');
  return obs.faces[0].box;
}

export interface SessionPhotos {
  /** the rendered card itself, to compose other shots of it */
  card: Buffer;
  idFront: Buffer;
  selfie: Buffer;
  gestures: { gesture: Gesture; photo: Buffer }[];
  newspaper: Buffer;
}

/**
 * Photos of one session. `idPerson` is the photo whose face goes on the card; `live` are the seller's
 * own photos for the selfie, the gestures (one hand photo per requested gesture) and the newspaper.
 */
export async function composeSession(vision: Vision, opts: {
  idPerson: Buffer;
  live: { selfie: Buffer; gestures: Buffer[]; newspaper: Buffer };
  gestures: { id: string; hand: Buffer }[];
  /** the front page the challenge asked for; by default today's Zhejiang Daily of the unit tests */
  page?: PageInput;
}): Promise<SessionPhotos> {
  const portrait = await cropPortrait(opts.idPerson, await faceBox(vision, opts.idPerson));
  const card = await renderIdCard({ portrait, name: SPECIMEN_NAME, number: SPECIMEN_NUMBER });
  const selfie = await selfieHoldingCard(opts.live.selfie, card, { face: await faceBox(vision, opts.live.selfie) });
  const gestures = await Promise.all(opts.gestures.map(async (g, i) => {
    const person = opts.live.gestures[i % opts.live.gestures.length];
    return { gesture: await gestureById(g.id), photo: await gesturePhoto(person, g.hand, { face: await faceBox(vision, person), handHeight: 0.35 }) };
  }));
  const newspaper = await newspaperPhoto(opts.live.newspaper, opts.page ?? { masthead: '浙江日报', dateLine: '2026年11月23日 星期一', script: 'zh' },
    { face: await faceBox(vision, opts.live.newspaper) });
  return { card, idFront: await photographCard(card), selfie, gestures, newspaper };
}

function photo(stepId: string, bytes: Buffer) {
  return { id: `photo-${stepId}`, sha256: createHash('sha256').update(bytes).digest('hex'), bytes: new Uint8Array(bytes) };
}

/** The job input the pipeline's job runner would load for these photos. */
export function sessionInput(sessionId: string, photos: SessionPhotos, declared: VerificationInput['declared'] = {
  fullName: SPECIMEN_NAME, documentType: 'cn_resident_id', documentNumber: SPECIMEN_NUMBER, region: 'CN-ZJ',
}): VerificationInput {
  const none = { gesture: null, newspaper: null };
  return {
    sessionId,
    declared,
    steps: [
      { stepId: `${sessionId}-id`, kind: 'id_front', ...none, photo: photo(`${sessionId}-id`, photos.idFront) },
      { stepId: `${sessionId}-selfie`, kind: 'selfie_with_id', ...none, photo: photo(`${sessionId}-selfie`, photos.selfie) },
      ...photos.gestures.map((g, i) => ({
        stepId: `${sessionId}-g${i + 1}`,
        kind: 'gesture' as const,
        // stored as the library loaded it, derived `needs` included
        gesture: { id: g.gesture.id, version: g.gesture.version, definition: g.gesture as unknown as Record<string, unknown> },
        newspaper: null,
        photo: photo(`${sessionId}-g${i + 1}`, g.photo),
      })),
      {
        stepId: `${sessionId}-paper`, kind: 'newspaper', gesture: null,
        newspaper: { id: 'cn-zj-zhejiang-daily', name: 'Zhejiang Daily', date: TODAY, window: WINDOW, timeZone: 'Asia/Shanghai', edition: 'morning', day: 'today' },
        photo: photo(`${sessionId}-paper`, photos.newspaper),
      },
    ],
  };
}
