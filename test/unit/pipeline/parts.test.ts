// Which face in a photo is which, and how the live faces of a session are compared. No models run here.
import { describe, expect, it } from 'vitest';
import type { FaceObservation, Observations } from '../../../src/vision/index.js';
import { classifyFaces, lowestPairSimilarity, pickCardPortrait } from '../../../src/pipeline/faces.js';

function face(width: number, embedding: number[]): FaceObservation {
  return {
    box: { x: 0, y: 0, width, height: width }, score: 0.9, sizeRatio: 0.1, angles: { yaw: 0, pitch: 0, roll: 0 },
    embedding, embeddingModel: 'test',
  };
}
const obs = (...faces: FaceObservation[]): Observations => ({ width: 1000, height: 1000, faces, hands: [], models: [], ms: 0 });

describe('which face is which', () => {
  it('takes the largest face as the live one, a much smaller one as printed, a similar-sized one as another person', () => {
    const live = face(400, [1, 0]);
    const card = face(90, [0, 1]);
    const bystander = face(250, [1, 1]);
    const faces = classifyFaces(obs(live, bystander, card));
    expect(faces.live).toBe(live);
    expect(faces.extra).toEqual([bystander]);
    expect(faces.printed).toEqual([card]);
    expect(classifyFaces(obs()).live).toBeNull();
  });

  it('picks the printed portrait closest to the ID photo as the held card', () => {
    const id = face(200, [1, 0, 0]);
    const poster = face(80, [0, 1, 0]);
    const card = face(60, [0.9, 0.1, 0]);
    expect(pickCardPortrait([poster, card], id)).toBe(card);
    expect(pickCardPortrait([poster, card], null)).toBe(poster);
    expect(pickCardPortrait([], id)).toBeNull();
  });

  it('reports the lowest similarity over every pair of live faces', () => {
    const a = face(100, [1, 0]);
    const b = face(100, [0.8, 0.6]);
    const c = face(100, [0, 1]);
    expect(lowestPairSimilarity([a, b])).toBeCloseTo(0.8, 6);
    expect(lowestPairSimilarity([a, b, c])).toBeCloseTo(0, 6);
    expect(lowestPairSimilarity([a])).toBeNull();
  });
});
