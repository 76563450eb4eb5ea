// What Human's antispoof ("real") and liveness ("live") scores are worth: measured on the genuine
// fixture photos and on the screens and prints rendered from them. Runs the models: by default every
// genuine photo and the attacks made from every third one; REALPERSON_SPOOF_HUMAN=1 attacks every photo
// (about five minutes on two busy cores), which gives the figures cited in src/spoof/liveness.ts.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ANTISPOOF_REVIEW_BELOW, LIVENESS_REVIEW_BELOW, REPORT_BELOW } from '../../../src/spoof/index.js';
import { fixture, haveFixtures } from '../../support/fixtures.js';
import { closeUp, printAttack, screenAttack, seeded } from './attacks.js';
import { genuinePhotos, rate } from './photos.js';

const ATTACK_STRIDE = process.env.REALPERSON_SPOOF_HUMAN === '1' ? 1 : 3;

describe.skipIf(!haveFixtures)("Human's antispoof and liveness scores", () => {
  const scores: { genuine: boolean; real: number; live: number }[] = [];
  let close: (() => Promise<void>) | null = null;

  beforeAll(async () => {
    const { createVision } = await import('../../../src/vision/index.js');
    const vision = await createVision({ workers: 1 });
    close = () => vision.close();
    const photos = genuinePhotos();
    const rng = seeded(7); // the same attacks as attacks.test.ts renders with REALPERSON_SPOOF_STRIDE=1
    const score = async (image: Uint8Array, genuine: boolean) => {
      const face = (await vision.analyze(image, { face: true, liveness: true, maxFaces: 1 })).faces[0];
      if (face?.real !== undefined && face.live !== undefined) scores.push({ genuine, real: face.real, live: face.live });
    };
    for (let i = 0; i < photos.length; i++) {
      const photo = readFileSync(fixture(photos[i]));
      const backdrop = readFileSync(fixture(photos[(i + 5) % photos.length]));
      const screen = await screenAttack(photo, backdrop, rng);
      const print = await printAttack(photo, backdrop, rng);
      await score(photo, true);
      if (i % ATTACK_STRIDE !== 0) continue;
      for (const attack of [screen, await closeUp(screen), print, await closeUp(print)]) await score(attack, false);
    }
    for (const genuine of [true, false]) {
      const of = scores.filter((s) => s.genuine === genuine);
      const n = (pred: (s: { real: number; live: number }) => boolean) => rate(of.filter(pred).length, of.length);
      console.log(`[human] ${genuine ? 'genuine' : 'attacks'} with a face: real < ${REPORT_BELOW} ${n((s) => s.real < REPORT_BELOW)}, live < ${REPORT_BELOW} ${n((s) => s.live < REPORT_BELOW)}; ` +
        `lowest real ${Math.min(...of.map((s) => s.real)).toFixed(3)}, lowest live ${Math.min(...of.map((s) => s.live)).toFixed(3)}`);
    }
  }, 600_000);

  afterAll(async () => { await close?.(); });

  it('no genuine face reaches review through these scores', () => {
    const genuine = scores.filter((s) => s.genuine);
    expect(genuine.length).toBeGreaterThan(20);
    expect(genuine.filter((s) => s.real < ANTISPOOF_REVIEW_BELOW || s.live < LIVENESS_REVIEW_BELOW)).toEqual([]);
  });

  it('they do not separate attacks from genuine photos, so they stay weak signals', () => {
    const share = (genuine: boolean) => {
      const of = scores.filter((s) => s.genuine === genuine);
      return of.filter((s) => s.real < REPORT_BELOW).length / of.length;
    };
    // If this ever fails, the models have learnt to see prints and screens: revisit their weight.
    expect(share(false)).toBeLessThan(share(true) + 0.3);
  });
});
