// The shipped gesture rules judged on hands and faces drawn from numbers: each finger state, thumb
// direction, which hand, places relative to the face, head angles, and borderline cases to review.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { evaluateGesture, handFeatures, loadGestureLibrary, type Gesture } from '../../../src/gestures/index.js';
import { face, hand, observations, type HandSpec, type Shape } from './synthetic.js';

const LIBRARY = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../gestures');
let library: Map<string, Gesture>;
beforeAll(async () => {
  library = new Map((await loadGestureLibrary(LIBRARY)).map((g) => [g.id, g]));
});
const gesture = (id: string): Gesture => {
  const g = library.get(id);
  if (!g) throw new Error(`no gesture ${id} in the library`);
  return g;
};
const judge = (id: string, spec: HandSpec, extra: Parameters<typeof observations>[0] = {}) =>
  evaluateGesture(gesture(id), observations({ hands: [hand(spec)], ...extra }));

const FOLDED = { index: 'folded', middle: 'folded', ring: 'folded', pinky: 'folded' } as const;
const fingers = (i: Shape, m: Shape, r: Shape, p: Shape) => ({ index: i, middle: m, ring: r, pinky: p });

describe('finger states from joint geometry', () => {
  it.each([
    ['extended', 'extended'],
    ['folded', 'folded'],
    ['half', 'between'],
  ] as const)('a %s finger reads as %s, for each finger', (shape, state) => {
    for (const f of ['index', 'middle', 'ring', 'pinky'] as const) {
      const features = handFeatures(hand({ fingers: { [f]: shape } }));
      expect(features.fingers[f].state, f).toBe(state);
    }
  });

  it('a held-out thumb is extended and a tucked one folded', () => {
    expect(handFeatures(hand({ thumb: 'out' })).fingers.thumb.state).toBe('extended');
    expect(handFeatures(hand({ thumb: 'tucked' })).fingers.thumb.state).toBe('folded');
  });

  it('reports the joint angles it decided on', () => {
    const f = handFeatures(hand({ fingers: { index: 'folded' } })).fingers.index;
    expect(f.bend).toBeGreaterThan(150);
    expect(f.angles.middle).toBeLessThan(150);
    expect(f.reach).toBeLessThan(1);
  });
});

describe('hand shapes of the library', () => {
  // [gesture, hand that shows it]
  const genuine: [string, HandSpec][] = [
    ['one-index-right', { thumb: 'tucked', fingers: fingers('extended', 'folded', 'folded', 'folded') }],
    ['one-index-left', { which: 'left', thumb: 'tucked', fingers: fingers('extended', 'folded', 'folded', 'folded') }],
    ['one-pinky', { thumb: 'tucked', fingers: fingers('folded', 'folded', 'folded', 'extended') }],
    ['victory-right', { thumb: 'tucked', fingers: fingers('extended', 'extended', 'folded', 'folded') }],
    ['victory-left', { which: 'left', thumb: 'tucked', fingers: fingers('extended', 'extended', 'folded', 'folded') }],
    ['six-thumb-pinky', { thumb: 'out', fingers: fingers('folded', 'folded', 'folded', 'extended') }],
    ['eight-thumb-index', { thumb: 'out', thumbDeg: 80, fingers: fingers('extended', 'folded', 'folded', 'folded') }],
    ['three-middle-fingers', { thumb: 'tucked', fingers: fingers('extended', 'extended', 'extended', 'folded') }],
    ['three-thumb-index-middle', { thumb: 'out', fingers: fingers('extended', 'extended', 'folded', 'folded') }],
    ['four-fingers', { thumb: 'tucked' }],
    ['open-palm-right', { thumb: 'out' }],
    ['open-palm-left', { which: 'left', thumb: 'out' }],
    ['thumb-up', { thumb: 'out', thumbDeg: 90, rotate: -90, fingers: FOLDED }],
    ['thumb-down', { thumb: 'out', thumbDeg: 90, rotate: 90, fingers: FOLDED }],
    ['ok-circle', { okCircle: true }],
    ['i-love-you', { thumb: 'out', fingers: fingers('extended', 'folded', 'folded', 'extended') }],
  ];

  it.each(genuine)('%s passes on the hand that shows it', (id, spec) => {
    const v = judge(id, spec);
    expect(v.conditions.filter((c) => !c.held)).toEqual([]);
    expect(v.passed).toBe(true);
    expect(v.score).toBeGreaterThan(0.7);
  });

  it('no hand shape passes for another shape of the library', () => {
    const accepted: string[] = [];
    for (const [shown, spec] of genuine) {
      for (const [asked] of genuine) {
        if (asked === shown) continue;
        const v = judge(asked, spec);
        // the same shape with either hand, or left/right variants drawn face-on, may coincide only by design:
        const sameShape = asked.replace(/-(left|right)$/, '') === shown.replace(/-(left|right)$/, '');
        const coincides = (asked === 'three-thumb-index-middle' && shown.startsWith('victory')) || sameShape;
        if (v.passed === true && !coincides) accepted.push(`${shown} accepted as ${asked}`);
      }
    }
    expect(accepted).toEqual([]);
  });

  it('thumbs up is not thumbs down, and neither is a sideways thumb', () => {
    const up = { thumb: 'out', thumbDeg: 90, rotate: -90, fingers: FOLDED } as const;
    const down = { ...up, rotate: 90 };
    const side = { ...up, rotate: 0 };
    expect(judge('thumb-up', up).passed).toBe(true);
    expect(judge('thumb-up', down).passed).toBe(false);
    expect(judge('thumb-down', up).passed).toBe(false);
    expect(judge('thumb-up', side).passed).toBe(false);
    expect(judge('thumb-down', side).passed).toBe(false);
  });

  it('an OK circle needs the fingertips to touch', () => {
    expect(judge('ok-circle', { okCircle: true }).passed).toBe(true);
    expect(judge('ok-circle', { thumb: 'out' }).passed).toBe(false);
    expect(judge('ok-circle', { okCircle: true }).conditions.find((c) => c.condition === 'thumb touches index')?.measured.distanceOverPalm).toBeLessThan(0.1);
  });

  it('a thumb 35° off vertical is borderline, not a pass', () => {
    // the thumb's direction is read half along its own bones, half from the fist to its tip: this
    // drawn thumb leans away from the fist, so it reads about 50° from up
    const v = judge('thumb-up', { thumb: 'out', thumbDeg: 90, rotate: -90 + 35, fingers: FOLDED });
    expect(v.passed).toBeNull();
    expect(v.conditions.find((c) => c.condition === 'thumb points up')?.measured.borderline).toBe(true);
  });

  it('shapes survive in-plane rotation and scale', () => {
    for (const rotate of [-25, -10, 10, 25]) {
      for (const size of [40, 100, 300]) {
        expect(judge('victory-right', { rotate, size, thumb: 'tucked', fingers: fingers('extended', 'extended', 'folded', 'folded') }).passed, `${rotate}° ${size}px`).toBe(true);
      }
    }
  });

  it('fingers pointing sideways are not a raised hand', () => {
    expect(judge('open-palm-right', { rotate: 90, thumb: 'out' }).passed).toBe(false);
  });

  it('a half-bent finger sends the photo to review', () => {
    const v = judge('victory-right', { thumb: 'tucked', fingers: fingers('extended', 'half', 'folded', 'folded') });
    expect(v.passed).toBeNull();
    expect(v.score).toBeLessThan(0.75);
  });
});

describe('which hand', () => {
  it('tells the right palm from the left one in an unmirrored frame', () => {
    expect(judge('open-palm-right', { which: 'right' }).passed).toBe(true);
    expect(judge('open-palm-right', { which: 'left' }).passed).toBe(false);
    expect(judge('open-palm-left', { which: 'left' }).passed).toBe(true);
    expect(judge('open-palm-left', { which: 'right' }).passed).toBe(false);
  });

  it('swaps left and right when the frame is mirrored like a selfie preview', () => {
    const obs = observations({ hands: [hand({ which: 'right' })] });
    expect(evaluateGesture(gesture('open-palm-right'), obs, { mirrored: true }).passed).toBe(false);
    expect(evaluateGesture(gesture('open-palm-left'), obs, { mirrored: true }).passed).toBe(true);
  });

  it('names the hand only when its side is seen: an edge-on hand is borderline', () => {
    const v = judge('open-palm-right', { squeeze: 0.15 });
    expect(v.passed).not.toBe(true);
    expect(v.conditions.find((c) => c.condition === 'right hand')?.measured).toMatchObject({ borderline: true });
    expect(handFeatures(hand({ squeeze: 0.15 })).whichIfPalm).toBeNull();
    expect(handFeatures(hand({ which: 'left' })).whichIfPalm).toBe('left');
  });

  it('a shape asked of either hand accepts both', () => {
    const spec = { thumb: 'out', fingers: fingers('extended', 'folded', 'folded', 'extended') } as const;
    expect(judge('i-love-you', { ...spec, which: 'right' }).passed).toBe(true);
    expect(judge('i-love-you', { ...spec, which: 'left' }).passed).toBe(true);
  });
});

describe('hand position relative to the face', () => {
  // face box 140 px wide centred at x = 320; the subject's right is the image's left
  const theFace = face({ box: { x: 250, y: 150, width: 140, height: 160 } });
  const fist = { thumb: 'tucked', fingers: FOLDED, size: 60 } as const;
  const withFace = { faces: [theFace] };

  it('a fist beside the right cheek is on the image left of the face', () => {
    const spec = { ...fist, at: { x: 170, y: 290 } };
    expect(judge('fist-beside-right-cheek', spec, withFace).passed).toBe(true);
    expect(judge('fist-beside-left-cheek', spec, withFace).passed).toBe(false);
    const mirrored = { ...fist, at: { x: 470, y: 290 } };
    expect(judge('fist-beside-left-cheek', mirrored, withFace).passed).toBe(true);
  });

  it('a thumbs-up held beside the cheek is no fist there: the fist rule asks for the thumb folded', () => {
    const thumbUp = { thumb: 'out', thumbDeg: 90, rotate: -90, fingers: FOLDED, size: 60, at: { x: 170, y: 290 } } as const;
    expect(judge('thumb-up', thumbUp).passed).toBe(true);
    const v = judge('fist-beside-right-cheek', thumbUp, withFace);
    expect(v.passed).toBe(false);
    expect(v.conditions.find((c) => c.condition === 'thumb folded')?.held).toBe(false);
  });

  it('a fist in front of the face or far from it is not beside the cheek', () => {
    expect(judge('fist-beside-right-cheek', { ...fist, at: { x: 320, y: 290 } }, withFace).passed).toBe(false);
    expect(judge('fist-beside-right-cheek', { ...fist, at: { x: 20, y: 290 } }, withFace).passed).toBe(false);
  });

  it('a fist just past the edge of the region is borderline', () => {
    // palm centre 0.6 face widths out is inside; the region starts at 0.55, borderline down to 0.4
    const v = judge('fist-beside-right-cheek', { ...fist, at: { x: 320 - 0.47 * 140, y: 290 } }, withFace);
    expect(v.passed).toBeNull();
  });

  it('an index fingertip on the nose or the chin', () => {
    // nose tip estimated at (320, 150 + 0.62·160 ≈ 249); the chin at (320, 310)
    const pointer = { thumb: 'tucked', fingers: fingers('extended', 'folded', 'folded', 'folded'), size: 70 } as const;
    const tipAt = (x: number, y: number) => ({ ...pointer, at: { x: x - 0.32 * 70 - 0.1 * 70, y: y + 1.8 * 70 } });
    const nose = judge('finger-on-nose', tipAt(320, 249), withFace);
    expect(nose.passed).toBe(true);
    expect(judge('finger-on-chin', tipAt(320, 249), withFace).passed).toBe(false);
    expect(judge('finger-on-chin', tipAt(320, 312), withFace).passed).toBe(true);
    expect(judge('finger-on-nose', tipAt(470, 249), withFace).passed).toBe(false);
    expect(nose.conditions.find((c) => c.condition === 'hand at nose')?.measured.indexTipToNose).toBeLessThan(0.2);
  });

  it('a flat hand with its index tip on the chin or nose is no finger pointing there', () => {
    const flat = { thumb: 'out', size: 70 } as const;
    const tipAt = (x: number, y: number) => ({ ...flat, at: { x: x - 0.32 * 70 - 0.1 * 70, y: y + 1.8 * 70 } });
    for (const [id, y] of [['finger-on-chin', 312], ['finger-on-nose', 249]] as const) {
      const v = judge(id, tipAt(320, y), withFace);
      expect(v.passed, id).toBe(false);
      expect(v.conditions.filter((c) => !c.held).map((c) => c.condition), id).toEqual(['middle folded', 'ring folded', 'pinky folded']);
    }
  });

  it('an open palm raised beside the face passes, one held in front of the face does not', () => {
    // palm centre 1.2 face widths to the image left, level with the eyes: raised beside the face
    const palm = { thumb: 'out', size: 90 } as const;
    expect(judge('open-palm-right', { ...palm, at: { x: 320 - 1.2 * 140, y: 230 + 0.5 * 90 } }, withFace).passed).toBe(true);
    // the palm over the mouth and chin
    const atMouth = judge('open-palm-right', { ...palm, at: { x: 320, y: 290 + 0.5 * 90 } }, withFace);
    expect(atMouth.passed).toBe(false);
    expect(atMouth.conditions.find((c) => c.condition === 'hand clear of the face')?.held).toBe(false);
    // no face in the photo: nothing is covered (the step goes to review for the missing face)
    expect(judge('open-palm-right', { ...palm, at: { x: 320, y: 290 + 0.5 * 90 } }).passed).toBe(true);
  });

  it('a palm over the subject\'s right eye covers the image-left eye', () => {
    // image-left eye estimated at (250 + 0.3·140, 150 + 0.4·160) = (292, 214)
    const palm = { thumb: 'out', size: 90 } as const;
    const centredOn = (x: number, y: number) => ({ ...palm, at: { x: x - 0.06 * 90, y: y + 0.75 * 90 } });
    expect(judge('palm-over-right-eye', centredOn(292, 214), withFace).passed).toBe(true);
    expect(judge('palm-over-left-eye', centredOn(292, 214), withFace).passed).toBe(false);
    expect(judge('palm-over-left-eye', centredOn(348, 214), withFace).passed).toBe(true);
  });

  it('a flat hand on top of the head, fingers sideways', () => {
    const flat = { thumb: 'out', rotate: 90, size: 90, at: { x: 260, y: 110 } } as const;
    expect(judge('hand-on-head', flat, withFace).passed).toBe(true);
    expect(judge('hand-on-head', { ...flat, at: { x: 260, y: 300 } }, withFace).passed).toBe(false);
  });

  it('names the places a hand is in', () => {
    const at = (x: number, y: number) => handFeatures(hand({ ...fist, at: { x, y } }), theFace).placement?.places;
    expect(at(320, 470)).toContain('below_chin');
    expect(at(320, -20)).toContain('above_head');
    expect(at(170, 290)).toEqual(['beside_face']);
    expect(handFeatures(hand({ ...fist, at: { x: 170, y: 290 } }), theFace).placement?.side).toBe('right');
  });

  it('in a mirrored frame the subject\'s right cheek is on the image right', () => {
    const obs = observations({ hands: [hand({ ...fist, at: { x: 470, y: 290 } })], faces: [theFace] });
    expect(evaluateGesture(gesture('fist-beside-right-cheek'), obs, { mirrored: true }).passed).toBe(true);
    expect(evaluateGesture(gesture('fist-beside-right-cheek'), obs).passed).toBe(false);
  });

  it('cannot tell a position without a face', () => {
    const v = judge('fist-beside-right-cheek', { ...fist, at: { x: 170, y: 290 } });
    expect(v.passed).toBeNull();
    expect(v.conditions.find((c) => c.condition === 'face found')?.held).toBe(false);
  });

  it('measures positions from the mesh when it ran', () => {
    const mesh = Array.from({ length: 468 }, () => ({ x: 320, y: 230 }));
    mesh[1] = { x: 300, y: 240 }; // nose tip off the box estimate
    const meshed = { ...theFace, mesh };
    const f = handFeatures(hand({ ...fist, at: { x: 300, y: 300 } }), meshed);
    const g = handFeatures(hand({ ...fist, at: { x: 300, y: 300 } }), theFace);
    expect(f.placement?.indexTipToNose).not.toBe(g.placement?.indexTipToNose);
  });
});

describe('face actions', () => {
  const judgeFace = (id: string, spec: Parameters<typeof face>[0]) => evaluateGesture(gesture(id), observations({ faces: [face(spec)] }));

  it.each([
    ['head-turn-left', { yaw: 35 }, true],
    ['head-turn-left', { yaw: -35 }, false],
    ['head-turn-left', { yaw: 17 }, null],
    ['head-turn-left', { yaw: 0 }, false],
    ['head-turn-right', { yaw: -35 }, true],
    ['head-turn-right', { yaw: 35 }, false],
    ['head-tilt-left', { roll: 20 }, true],
    ['head-tilt-left', { roll: -20 }, false],
    ['head-tilt-left', { roll: 20, yaw: 40 }, false],
    ['head-tilt-right', { roll: -20 }, true],
    ['chin-up', { pitch: 25 }, true],
    ['chin-up', { pitch: -10 }, false],
    ['eyes-closed', { eyesOpen: 0.3 }, true],
    ['eyes-closed', { eyesOpen: 1 }, false],
    ['eyes-closed', { eyesOpen: 0.75 }, null],
    ['eyes-closed', {}, null],
    ['mouth-open', { mouthOpen: 0.35, mouthStretch: 0.55 }, true],
    ['mouth-open', { mouthOpen: 0.05, mouthStretch: 0.55 }, false],
    ['mouth-open', { mouthOpen: 0.16, mouthStretch: 0.55 }, null],
    // lips parted over the teeth in a broad smile: not the open mouth asked for, but not clearly
    // closed either (review); a laugh with the jaw dropped is open
    ['mouth-open', { mouthOpen: 0.25, mouthStretch: 0.8 }, null],
    ['mouth-open', { mouthOpen: 0.4, mouthStretch: 0.8 }, true],
    ['mouth-open', { mouthOpen: 0.05, mouthStretch: 0.8 }, false],
    ['mouth-open', { mouthOpen: 0.25, mouthStretch: 0.72 }, null],
    ['mouth-open', { mouthOpen: 0.25 }, null],
    ['mouth-open', { mouthOpen: 0.4 }, true],
  ] as const)('%s with %j → %s', (id, spec, expected) => {
    expect(judgeFace(id, spec).passed).toBe(expected);
  });

  it('no face found means the photo goes to review', () => {
    const v = evaluateGesture(gesture('head-turn-left'), observations({}));
    expect(v.passed).toBeNull();
  });
});

describe('a verdict explains itself', () => {
  it('lists every condition with what was measured', () => {
    const v = judge('victory-right', { thumb: 'tucked', fingers: fingers('extended', 'extended', 'extended', 'folded') });
    expect(v).toMatchObject({ gestureId: 'victory-right', gestureVersion: 1, passed: false });
    const ring = v.conditions.find((c) => c.condition === 'ring folded');
    expect(ring).toMatchObject({ held: false, measured: { state: 'extended' } });
    expect(typeof ring?.measured.bend).toBe('number');
    expect(v.conditions.map((c) => c.condition)).toEqual(expect.arrayContaining(['hand found', 'thumb folded', 'index extended', 'right hand', 'fingers point up']));
  });

  it('no hand in the photo: cannot tell', () => {
    const v = evaluateGesture(gesture('thumb-up'), observations({}));
    expect(v.passed).toBeNull();
    expect(v.conditions).toEqual([{ condition: 'hand found', held: false, measured: { hands: 0, borderline: true } }]);
  });

  it('a low-confidence hand is not judged, and a doubtful one can neither pass nor fail', () => {
    expect(judge('open-palm-right', { score: 0.2 }).passed).toBeNull();
    expect(judge('open-palm-right', { score: 0.52 }).passed).toBeNull();
    // the wrong hand on a doubtful skeleton: the failed condition is shown, the verdict left to review
    const doubtful = judge('open-palm-right', { score: 0.52, which: 'left' });
    expect(doubtful.passed).toBeNull();
    expect(doubtful.conditions.some((c) => !c.held && c.condition !== 'hand found')).toBe(true);
    // the same hand drawn with confidence is refused
    expect(judge('open-palm-right', { score: 0.97, which: 'left' }).passed).toBe(false);
  });

  it('with two hands, the one showing the gesture is judged', () => {
    const obs = observations({ hands: [hand({ thumb: 'tucked', fingers: FOLDED }), hand({ thumb: 'out', at: { x: 500, y: 400 } })] });
    expect(evaluateGesture(gesture('open-palm-right'), obs).passed).toBe(true);
  });
});
