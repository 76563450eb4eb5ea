// The gesture rules on real photos through the real vision models: the fixtures, variants made from
// their pixels and real hands composed beside and over real faces (the quick set of test/bench/gestures.ts).
// A photo must almost never pass for a gesture it does not show; genuine photos whose hand and face
// the models found should mostly pass, and the rest go to review rather than approval.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createVision, type Vision } from '../../../src/vision/index.js';
import { formatGestureFigures, measureGestures, type GestureBenchFigures } from '../../bench/gestures.js';
import { haveFixtures } from '../../support/fixtures.js';

describe.skipIf(!haveFixtures)('gesture rules on real photos', () => {
  let vision: Vision;
  let figures: GestureBenchFigures;
  beforeAll(async () => {
    vision = await createVision({ workers: 1 });
    figures = await measureGestures({ vision, quick: true });
    console.log(formatGestureFigures(figures));
  }, 240_000);
  afterAll(async () => {
    await vision?.close();
  });

  it('accepts at most 2% of photos for a gesture they do not show', () => {
    expect(figures.impostor.pairs).toBeGreaterThan(250);
    expect(figures.impostor.acceptRate).toBeLessThanOrEqual(0.02);
  });

  it('never accepts a thumbs-down as a thumbs-up or a fist as any hand shape', () => {
    const wrong = figures.falseAccepts.filter((c) =>
      (/thumbs?_down|Thumb_Down/i.test(c.sample) && c.gesture === 'thumb-up') || /Closed_Fist/.test(c.sample));
    expect(wrong).toEqual([]);
  });

  it('accepts at least 90% of genuine photos, found or not', () => {
    // the full bench (286 photos) measured 93.9% (201 of 214), 95.3% where the hand or face was found;
    // the thumbs down, which the detector finds only turned, count here too
    expect(figures.genuine.pairs).toBeGreaterThan(20);
    expect(figures.genuine.acceptRate).toBeGreaterThanOrEqual(0.9);
    expect(figures.cells.filter((c) => c.genuine && c.gesture === 'thumb-down' && c.passed === true).length).toBeGreaterThanOrEqual(1);
  });

  it('the active gestures pass where the models found the hand or face, and never for the wrong photo', () => {
    // full bench: 98.5% of the genuine active pairs where found, 2 of 2,252 impostor pairs accepted
    expect(figures.active.genuineFoundAcceptRate).toBeGreaterThanOrEqual(0.8);
    expect(figures.active.impostorPairs).toBeGreaterThan(100);
    expect(figures.active.impostorAcceptRate).toBeLessThanOrEqual(0.02);
  });

  it('never takes a broad smile for the open mouth it asks for', () => {
    const smiles = figures.cells.filter((c) => /obama/.test(c.sample) && c.gesture === 'mouth-open');
    expect(smiles.length).toBe(2);
    expect(smiles.filter((c) => c.passed === true)).toEqual([]);
    // while a genuinely open mouth still passes
    expect(figures.cells.some((c) => c.genuine && c.gesture === 'mouth-open' && c.passed === true)).toBe(true);
  });

  it('tells left from right on mirrored photos of the same hand', () => {
    const sided = figures.cells.filter((c) => /^(victory|open-palm|one-index)-(left|right)$/.test(c.gesture) && c.passed === true);
    expect(sided.length).toBeGreaterThanOrEqual(3);
    expect(sided.every((c) => c.genuine)).toBe(true);
  });

  it('never takes a real thumbs-up held beside the cheek for a fist there', () => {
    // the fist rule once left the thumb free: both of these passed for fist-beside-*-cheek
    const cheek = figures.cells.filter((c) => /thumbs-up beside/.test(c.sample) && c.gesture.startsWith('fist-beside'));
    expect(cheek.length).toBe(4);
    expect(cheek.filter((c) => c.passed === true)).toEqual([]);
    // while it is still a thumbs-up
    expect(figures.cells.filter((c) => /thumbs-up beside/.test(c.sample) && c.gesture === 'thumb-up' && c.passed === true).length).toBeGreaterThanOrEqual(1);
  });

  it('never takes a real flat hand at the mouth for a finger on the chin or nose, or for a raised open palm', () => {
    // before the rules asked for the other fingers folded and the palm clear of the face, these
    // passed for open-palm-left/right, finger-on-chin and finger-on-nose
    const flat = figures.cells.filter((c) => /(palm over|hand across) the mouth/.test(c.sample) && /^(finger-on-|open-palm-)/.test(c.gesture));
    expect(new Set(flat.map((c) => c.sample)).size).toBe(5);
    expect(flat.filter((c) => c.passed === true)).toEqual([]);
  });

  it('finds a real fist beside a real face on the side the seller was asked for', () => {
    const cheek = figures.cells.filter((c) => c.gesture.startsWith('fist-beside') && c.genuine);
    expect(cheek.length).toBeGreaterThanOrEqual(2);
    expect(cheek.filter((c) => c.passed === true).length).toBeGreaterThanOrEqual(cheek.length - 1);
  });
});
