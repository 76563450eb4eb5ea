// The vision module's promises on real photos, through the worker pool the service uses.
import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import sharp from 'sharp';
import { fixture, haveFixtures } from '../../support/fixtures.js';
import { useVision } from '../../support/vision.js';
import { faceSimilarity, FACE_MATCH, HAND_JOINTS, VisionAnalysisError } from '../../../src/vision/index.js';

const photo = async (rel: string) => new Uint8Array(await readFile(fixture(rel)));

describe.skipIf(!haveFixtures)('vision on fixture photos', () => {
  const vision = useVision();

  it('finds one face with a box around the face of a portrait', async () => {
    const obs = await vision.analyze(await photo('faces/human/stock-emotions-a-1.jpg'), { face: true, mesh: true });
    expect(obs.faces).toHaveLength(1);
    const [face] = obs.faces;
    expect(face.score).toBeGreaterThan(0.8);
    // a close-up: the face fills a good part of the frame and lies inside it
    expect(face.sizeRatio).toBeGreaterThan(0.2);
    expect(face.box.x).toBeGreaterThanOrEqual(0);
    expect(face.box.x + face.box.width).toBeLessThanOrEqual(obs.width + 1);
    expect(face.mesh).toHaveLength(468);
    for (const p of face.mesh!) {
      expect(p.x).toBeGreaterThanOrEqual(face.box.x - face.box.width * 0.2);
      expect(p.x).toBeLessThanOrEqual(face.box.x + face.box.width * 1.2);
    }
    expect(face.eyesOpen!.left).toBeGreaterThan(0.6);
    expect(obs.hands).toEqual([]);
    expect(obs.models).not.toContain('handtrack');
  });

  it('fails only the call whose bytes are not an image', async () => {
    await expect(vision.analyze(new TextEncoder().encode('not a photo'), { face: true })).rejects.toBeInstanceOf(VisionAnalysisError);
    const obs = await vision.analyze(await photo('faces/human/stock-emotions-a-3.jpg'), { face: true });
    expect(obs.faces).toHaveLength(1);
  });

  it('applies the camera orientation tag before looking for faces', async () => {
    // pixels stored sideways with EXIF orientation 6 ("rotate 90 clockwise to view"), as phones do
    const upright = await sharp(await photo('faces/human/stock-emotions-a-3.jpg')).resize(480).jpeg().toBuffer();
    const sideways = await sharp(upright).rotate(-90).withMetadata({ orientation: 6 }).jpeg().toBuffer();
    const a = await vision.analyze(upright, { face: true });
    const b = await vision.analyze(sideways, { face: true });
    expect([b.width, b.height]).toEqual([a.width, a.height]);
    expect(b.faces).toHaveLength(1);
    expect(Math.abs(b.faces[0].box.x - a.faces[0].box.x)).toBeLessThan(a.faces[0].box.width * 0.1);
    expect(Math.abs(b.faces[0].angles.roll - a.faces[0].angles.roll)).toBeLessThan(5);
  });

  it('reports no face on a photo without one', async () => {
    const blank = await sharp({ create: { width: 400, height: 300, channels: 3, background: '#c8d0d8' } }).jpeg().toBuffer();
    const obs = await vision.analyze(blank, { face: true, embed: true });
    expect(obs.faces).toEqual([]);
  });

  it('scores the same person above approveAbove and different people below rejectBelow', async () => {
    const embed = async (rel: string) => {
      const obs = await vision.analyze(await photo(rel), { face: true, embed: true });
      expect(obs.faces[0]?.embeddingModel).toBe(FACE_MATCH.model);
      return obs.faces[0].embedding!;
    };
    const obama1 = await embed('faces/face_recognition/images/obama__train_obama.jpg');
    const obama2 = await embed('faces/face_recognition/images/obama__train_obama2.jpg');
    const biden = await embed('faces/face_recognition/images/biden__train_biden2.jpg');
    const rose = await embed('faces/face_recognition/images/rose_leslie__train_img1.jpg');
    // the ResNet's raw output, not rescaled to unit length (its length counts in the distance)
    expect(obama1).toHaveLength(128);
    expect(Math.abs(Math.hypot(...obama1) - 1)).toBeGreaterThan(0.01);
    expect(faceSimilarity(obama1, obama2)).toBeGreaterThan(FACE_MATCH.approveAbove);
    expect(faceSimilarity(obama1, biden)).toBeLessThan(FACE_MATCH.rejectBelow);
    expect(faceSimilarity(obama2, rose)).toBeLessThan(FACE_MATCH.rejectBelow);
  });

  it('finds the two faces of a two-person photo, largest first, each with its own descriptor, never taken for one person', async () => {
    const obs = await vision.analyze(await photo('faces/face_recognition/images/test_obama_and_biden.jpg'), {
      face: true, embed: true, maxFaces: 2,
    });
    expect(obs.faces).toHaveLength(2);
    const [a, b] = obs.faces;
    expect(a.box.width * a.box.height).toBeGreaterThanOrEqual(b.box.width * b.box.height);
    // two men of one press photo (about 0.71): below the approve line by far; the reject line lies
    // under every genuine pair of the pooled fixtures, so a pair this close goes to a reviewer
    expect(faceSimilarity(a.embedding!, b.embedding!)).toBeLessThan(FACE_MATCH.approveAbove - 0.1);
  });

  it('finds a hand with 21 keypoints in MediaPipe order on a gesture photo', async () => {
    const obs = await vision.analyze(await photo('gestures/vision_ml/Open_Palm.jpg'), { hands: true });
    expect(obs.hands.length).toBeGreaterThanOrEqual(1);
    const [hand] = obs.hands;
    expect(hand.keypoints).toHaveLength(HAND_JOINTS.length);
    // open palm held up: every fingertip lies above its own knuckle, the wrist lowest
    const at = (j: string) => hand.keypoints[HAND_JOINTS.indexOf(j as never)];
    for (const finger of ['index', 'middle', 'ring', 'pinky']) {
      expect(at(`${finger}Tip`).y).toBeLessThan(at(`${finger}MCP`).y);
    }
    expect(at('wrist').y).toBeGreaterThan(at('middleMCP').y);
    expect(obs.faces).toEqual([]);
  });

  it('reports head yaw with the sign of types.ts on a mirrored photo', async () => {
    const original = await photo('faces/human/stock-emotions-b-7.jpg');
    const mirrored = await sharp(original).flop().jpeg().toBuffer();
    const a = (await vision.analyze(original, { face: true })).faces[0].angles;
    const b = (await vision.analyze(mirrored, { face: true })).faces[0].angles;
    // this woman's nose points toward the image's left edge: yaw < 0; the mirror image turns the other way
    expect(a.yaw).toBeLessThan(-10);
    expect(b.yaw).toBeGreaterThan(10);
  });

  it('reports roll > 0 when the photo is turned clockwise', async () => {
    const original = await photo('faces/human/stock-emotions-a-1.jpg');
    const turned = await sharp(original).rotate(20, { background: '#000' }).jpeg().toBuffer();
    const roll = (await vision.analyze(turned, { face: true })).faces[0].angles.roll;
    expect(roll).toBeGreaterThan(12);
    expect(roll).toBeLessThan(28);
  });

  it('finds both portraits of an ID card: the main one and the small printed copy', async () => {
    const obs = await vision.analyze(await photo('id_documents/webank-UserApp/front-id.png'), {
      face: true, embed: true, maxFaces: 2, smallFaces: true,
    });
    expect(obs.faces).toHaveLength(2);
    const [main, ghost] = obs.faces;
    // the main portrait on the right half, the small copy in the lower-left corner of the card
    expect(main.box.x).toBeGreaterThan(obs.width / 2);
    expect(ghost.box.x + ghost.box.width).toBeLessThan(obs.width / 4);
    expect(ghost.box.y).toBeGreaterThan(obs.height / 2);
    expect(ghost.box.width).toBeLessThan(main.box.width / 3);
    expect(ghost.embedding).toHaveLength(main.embedding!.length);
  });

  it('a selfie holding an ID card yields the live face and the card portrait, matched to the ID photo', async () => {
    // composed from real pixels: the specimen card, shrunk to a hand-held size, beside a man's face
    const idPhoto = await photo('id_documents/webank-UserApp/front-id.png');
    const card = await sharp(idPhoto).resize(80).toBuffer();
    const selfie = await sharp(await photo('faces/human/person-vlado.jpg'))
      .composite([{ input: card, left: 120, top: 420 }])
      .jpeg({ quality: 90 })
      .toBuffer();
    const plain = await vision.analyze(selfie, { face: true, maxFaces: 2 });
    // the card's portrait is too small for the whole-photo pass alone
    expect(plain.faces).toHaveLength(1);
    const held = await vision.analyze(selfie, { face: true, embed: true, maxFaces: 2, smallFaces: true });
    expect(held.faces).toHaveLength(2);
    const [live, portrait] = held.faces;
    expect(portrait.box.x).toBeGreaterThan(120 + 40);
    expect(portrait.box.y).toBeGreaterThan(420);
    expect(live.box.x).toBeGreaterThan(400);
    const idPortrait = (await vision.analyze(idPhoto, { face: true, embed: true })).faces[0];
    // the card's portrait is the ID photo's portrait; the live man is someone else
    expect(faceSimilarity(portrait.embedding!, idPortrait.embedding!)).toBeGreaterThan(FACE_MATCH.approveAbove);
    expect(faceSimilarity(live.embedding!, idPortrait.embedding!)).toBeLessThan(FACE_MATCH.rejectBelow);
  });

  it('keeps the tensor count flat over 100 analyses', async () => {
    const small = await sharp(await photo('faces/face_recognition/images/test_obama_and_biden.jpg'))
      .resize(320).jpeg().toBuffer();
    const hand = await sharp(await photo('gestures/vision_ml/Victory.jpg')).resize(160).jpeg().toBuffer();
    await vision.analyze(small, { face: true, mesh: true, embed: true, hands: true, liveness: true, maxFaces: 2 });
    const before = (await vision.stats()).tensors;
    for (let i = 0; i < 100; i++) {
      // hands asked of the hand photo and of the portrait without one: every further look of
      // hands.ts (whole frame, turned crops, padded and turned photos) runs on the latter
      await vision.analyze(i % 4 ? small : hand, { face: true, mesh: i % 3 === 0, embed: i % 2 === 1, hands: i % 2 === 0, maxFaces: 2 });
    }
    expect((await vision.stats()).tensors).toEqual(before);
  }, 170_000);
});
