// Evidence of a session in which every check passed with margin: the baseline each test breaks in
// one way. Scores sit just inside the default policy's bands, so the tests follow the benchmark.
import { DEFAULT_POLICY, FACE_MATCHER_MODEL, type Band, type Evidence, type GestureEvidence } from '../../../src/decide/index.js';

const P = DEFAULT_POLICY;
export const above = (b: Band) => Math.min(1, b.approveAbove + (1 - b.approveAbove) / 2);
export const between = (b: Band) => (b.approveAbove + b.rejectBelow) / 2;
export const below = (b: Band) => Math.max(0, b.rejectBelow - 0.05);

export function gesture(stepId: string, over: Partial<GestureEvidence> = {}): GestureEvidence {
  return {
    stepId,
    gestureId: stepId === 'g1' ? 'thumbs-up-right' : 'two-fingers-left',
    gestureVersion: 1,
    passed: true,
    score: 0.9,
    conditions: [{ condition: 'index extended', held: true, measured: { angle: 171.2 } }],
    ...over,
  };
}

/** A session in which every check passed with margin: the baseline each case breaks in one way. */
export function passingEvidence(): Evidence {
  return {
    steps: [
      { stepId: 'id', kind: 'id_front', photo: true },
      { stepId: 'selfie', kind: 'selfie_with_id', photo: true },
      { stepId: 'g1', kind: 'gesture', photo: true },
      { stepId: 'g2', kind: 'gesture', photo: true },
      { stepId: 'paper', kind: 'newspaper', photo: true },
    ],
    faceMatch: { score: above(P.faceMatch), smallestFacePx: 160, comparisons: 4, idPortraitFound: true, liveFaceFound: true, heldCardScore: above(P.faceMatch), heldCardPortraitPx: 120, model: FACE_MATCHER_MODEL },
    sameFace: { minScore: above(P.sameFace), smallestFacePx: 180, stepsWithoutFace: [], stepsWithExtraFaces: [] },
    gestures: [gesture('g1'), gesture('g2')],
    newspaper: {
      stepId: 'paper',
      expectedName: 'People’s Daily',
      mastheadFound: true,
      dateRead: '2026-11-22',
      dateText: '2026年11月22日',
      window: { from: '2026-11-21', to: '2026-11-22' },
      requestedDate: '2026-11-22',
      timeZone: 'Asia/Shanghai',
      faceInPhoto: true,
      ocrConfidence: 0.91,
    },
    document: {
      documentType: 'cn_resident_id',
      numberRead: '11010519491231002X',
      checksumValid: true,
      consistent: true,
      nameRead: '张三',
      declaredNumber: '11010519491231002X',
      declaredName: '张三',
      numberMatches: true,
      nameMatches: true,
      failedChecks: [],
      seen: { kind: 'cn_resident_id', by: 'id_number' },
      mrzRepairs: null,
    },
    spoof: [],
    missing: [],
  };
}

