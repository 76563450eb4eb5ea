// Photographed screens and prints of genuine fixture photos are caught: a frame around the picture
// (bezel, paper margin) and periodic peaks (pixel-grid moiré, halftone dots). The attacks are
// rendered here from the fixtures (see attacks.ts); every third photo by default, every photo with
// REALPERSON_SPOOF_STRIDE=1.
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { measureBorder, measureMoire, screenOrPrintFromMeasures } from '../../../src/spoof/index.js';
import { fixture, haveFixtures } from '../../support/fixtures.js';
import { closeUp, printAttack, screenAttack, seeded } from './attacks.js';
import { genuinePhotos, rate } from './photos.js';

const STRIDE = Math.max(1, Number(process.env.REALPERSON_SPOOF_STRIDE ?? 3));
type Kind = 'screen' | 'screen close-up' | 'print' | 'print close-up';

describe.skipIf(!haveFixtures)('photographed screens and prints', () => {
  const results: { kind: Kind; photo: string; codes: string[] }[] = [];

  beforeAll(async () => {
    const photos = genuinePhotos();
    const rng = seeded(7);
    for (let i = 0; i < photos.length; i += STRIDE) {
      const photo = readFileSync(fixture(photos[i]));
      const backdrop = readFileSync(fixture(photos[(i + 5) % photos.length]));
      const screen = await screenAttack(photo, backdrop, rng);
      const print = await printAttack(photo, backdrop, rng);
      const attacks: [Kind, Buffer][] = [
        ['screen', screen], ['screen close-up', await closeUp(screen)], ['print', print], ['print close-up', await closeUp(print)],
      ];
      for (const [kind, image] of attacks) {
        const [border, moire] = await Promise.all([measureBorder(image), measureMoire(image)]);
        results.push({ kind, photo: photos[i], codes: screenOrPrintFromMeasures(border, moire, 's').map((s) => s.code) });
      }
    }
    for (const kind of ['screen', 'screen close-up', 'print', 'print close-up'] as Kind[]) {
      const of = results.filter((r) => r.kind === kind);
      const n = (pred: (codes: string[]) => boolean) => rate(of.filter((r) => pred(r.codes)).length, of.length);
      console.log(`[spoof] ${kind}: any signal ${n((c) => c.length > 0)}, moire ${n((c) => c.includes('moire'))}, screen_border ${n((c) => c.includes('screen_border'))}`);
    }
  }, STRIDE >= 3 ? 175_000 : 900_000);

  const share = (kind: Kind, pred: (codes: string[]) => boolean) => {
    const of = results.filter((r) => r.kind === kind);
    return of.filter((r) => pred(r.codes)).length / of.length;
  };

  it('a photographed screen with its bezel in view is flagged', () => {
    expect(share('screen', (c) => c.length > 0)).toBeGreaterThanOrEqual(0.9);
    expect(share('screen', (c) => c.includes('screen_border'))).toBeGreaterThanOrEqual(0.7);
  });

  it('a photographed print with its paper margin in view is flagged', () => {
    expect(share('print', (c) => c.length > 0)).toBeGreaterThanOrEqual(0.95);
    expect(share('print', (c) => c.includes('screen_border'))).toBeGreaterThanOrEqual(0.9);
  });

  it('a close-up that hides the frame is still caught by its moiré or halftone', () => {
    expect(share('screen close-up', (c) => c.includes('moire'))).toBeGreaterThanOrEqual(0.8);
    expect(share('print close-up', (c) => c.includes('moire'))).toBeGreaterThanOrEqual(0.8);
  });
});
