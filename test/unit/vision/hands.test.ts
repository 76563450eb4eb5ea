// Hand finding on real photos beyond what Human's tracker finds alone: close-ups that fill the frame
// (the detector misses them), a thumb held sideways or down (the landmark model needs an upright
// crop), and no hand invented on a portrait without one.
import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { fixture, haveFixtures } from '../../support/fixtures.js';
import { useVision } from '../../support/vision.js';
import { HAND_JOINTS, type HandObservation } from '../../../src/vision/index.js';

const photo = async (rel: string) => new Uint8Array(await readFile(fixture(rel)));
const at = (h: HandObservation, j: (typeof HAND_JOINTS)[number]) => h.keypoints[HAND_JOINTS.indexOf(j)];

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

  it('invents no hand on a portrait that shows none', async () => {
    const obs = await vision.analyze(await photo('faces/human/stock-emotions-b-1.jpg'), { hands: true });
    expect(obs.hands).toEqual([]);
  });
});
