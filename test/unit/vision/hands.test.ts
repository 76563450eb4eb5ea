// Hand finding on real photos beyond what Human's tracker finds alone: close-ups that fill the frame
// (the detector misses them), a thumb held sideways or down (the landmark model needs an upright
// crop; the detector finds a thumb down only on the photo turned), and no hand invented on a
// portrait without one.
import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { fixture, haveFixtures } from '../../support/fixtures.js';
import { useVision } from '../../support/vision.js';
import { HAND_JOINTS, type HandObservation, type Vision } from '../../../src/vision/index.js';
import { turned } from '../../../src/vision/hands.js';
import { handFeatures } from '../../../src/gestures/index.js';
import { benchSamples } from '../../bench/gestures.js';

const photo = async (rel: string) => new Uint8Array(await readFile(fixture(rel)));
const at = (h: HandObservation, j: (typeof HAND_JOINTS)[number]) => h.keypoints[HAND_JOINTS.indexOf(j)];
/** A photo of the gesture bench, made from fixture pixels as the bench makes it. */
async function benchPhoto(vision: Vision, name: string): Promise<Uint8Array> {
  const sample = (await benchSamples()).find((s) => s.name === name);
  if (!sample) throw new Error(`no bench photo named ${name}`);
  return new Uint8Array(await sample.image(vision));
}

describe.skipIf(!haveFixtures)('hands on fixture photos', () => {
  const vision = useVision();

  it('finds a thumbs-up close-up that fills the frame, the thumb tip above every other joint', async () => {
    const obs = await vision.analyze(await photo('gestures/hand-gesture-recognition-system/thumbs_up.jpg'), { hands: true });
    expect(obs.hands.length).toBeGreaterThanOrEqual(1);
    const [hand] = obs.hands;
    expect(hand.score).toBeGreaterThan(0.9);
    expect(hand.keypoints).toHaveLength(21);
    const tip = at(hand, 'thumbTip');
    for (const p of hand.keypoints) if (p !== tip) expect(tip.y).toBeLessThan(p.y);
    // the hand fills much of the photo, and the keypoints lie on it
    expect(hand.box.height).toBeGreaterThan(obs.height * 0.25);
    for (const p of hand.keypoints) {
      expect(p.x).toBeGreaterThan(-obs.width * 0.05);
      expect(p.x).toBeLessThan(obs.width * 1.05);
    }
  });

  it('reads a thumbs-down with the thumb tip below the fist', async () => {
    const obs = await vision.analyze(await photo('gestures/hand-gesture-recognition-system/thumbs_down.jpg'), { hands: true });
    expect(obs.hands.length).toBeGreaterThanOrEqual(1);
    const [hand] = obs.hands;
    const tip = at(hand, 'thumbTip');
    for (const f of ['index', 'middle', 'ring', 'pinky'] as const) {
      expect(tip.y).toBeGreaterThan(at(hand, `${f}MCP`).y);
      expect(tip.y).toBeGreaterThan(at(hand, `${f}Tip`).y);
    }
  });

  it('finds a thumbs-down the detector misses upright, small in a larger photo, the right way up', async () => {
    // the vision_ml thumb down at half the frame over a blur of itself: no hand upright, found upside down
    const obs = await vision.analyze(await benchPhoto(vision, 'vision_ml/Thumb_Down.jpg (framed)'), { hands: true });
    expect(obs.hands.length).toBeGreaterThanOrEqual(1);
    const [hand] = obs.hands;
    expect(hand.score).toBeGreaterThan(0.9);
    // the keypoints are turned back onto the photo: on the hand in the middle, the thumb tip lowest
    expect(hand.box.x).toBeGreaterThan(obs.width * 0.2);
    expect(hand.box.x + hand.box.width).toBeLessThan(obs.width * 0.8);
    const tip = at(hand, 'thumbTip');
    for (const f of ['index', 'middle', 'ring', 'pinky'] as const) expect(tip.y).toBeGreaterThan(at(hand, `${f}MCP`).y);
  });

  it('reads the raised thumb of a fist held sideways beside a face, not a thumb folded into the fist', async () => {
    // Human's first keypoints turn this hand's crop the wrong way; framed again from its own keypoints
    // the landmark model finds the thumb
    const obs = await vision.analyze(await benchPhoto(vision, 'capture stock-emotions-a-3.jpg: Thumb_Up.jpg'), { face: true, mesh: true, hands: true });
    expect(obs.hands.length).toBeGreaterThanOrEqual(1);
    const f = handFeatures(obs.hands[0]);
    expect(f.fingers.thumb.state).toBe('extended');
    expect(f.thumbDirection.label).toBe('up');
    for (const finger of ['index', 'middle', 'ring', 'pinky'] as const) expect(f.fingers[finger].state).toBe('folded');
  });

  it('invents no hand on a portrait that shows none', async () => {
    const obs = await vision.analyze(await photo('faces/human/stock-emotions-b-1.jpg'), { hands: true });
    expect(obs.hands).toEqual([]);
  });

  it('reads a photo the same after a photo without hands, which took every further look: nothing carries over', async () => {
    const victory = await benchPhoto(vision, 'capture stock-emotions-a-5.jpg: Victory.jpg');
    const before = await vision.analyze(victory, { hands: true });
    expect(before.hands.length).toBeGreaterThanOrEqual(1);
    // no hand here: every look is taken, the detector's included
    expect((await vision.analyze(await photo('faces/human/stock-emotions-b-1.jpg'), { hands: true })).hands).toEqual([]);
    const after = await vision.analyze(victory, { hands: true });
    expect(after.hands).toEqual(before.hands);
  });
});

describe('a photo turned for the hand detector', () => {
  it('maps a point found on the turned photo back onto the same pixel of the photo', async () => {
    // one white pixel at (2, 1) of a 7 x 5 photo, looked for after each turn
    const [W, H] = [7, 5];
    const pixels = new Uint8Array(W * H * 3);
    pixels.fill(255, (1 * W + 2) * 3, (1 * W + 2) * 3 + 3);
    for (const deg of [90, 180, 270] as const) {
      const t = await turned({ pixels, width: W, height: H }, deg);
      expect([t.image.width, t.image.height]).toEqual(deg === 180 ? [W, H] : [H, W]);
      const at = t.image.pixels.findIndex((v, i) => i % 3 === 0 && v > 128) / 3;
      const [x, y] = [at % t.image.width, Math.floor(at / t.image.width)];
      // the pixel's centre, in a hand's keypoints, comes back to the centre of (2, 1)
      const back = t.back({ box: [0, 0, 0, 0], score: 1, keypoints: [[x + 0.5, y + 0.5, 0]] });
      expect(back.keypoints[0][0]).toBeCloseTo(2.5, 6);
      expect(back.keypoints[0][1]).toBeCloseTo(1.5, 6);
    }
  });
});
