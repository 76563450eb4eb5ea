// The gesture library and its rule evaluator: gestures are data (gestures/*.json), judged by our own
// geometry over hand keypoints, head angles and the face mesh rather than a model's gesture labels.
export type { Gesture } from './library.js';
export { loadGestureLibrary, parseGesture, GestureFileError } from './library.js';
export type { GestureRule, HandRule, FaceRule, Finger, FingerRequirement, HandPlace } from './schema.js';
export { FINGERS, HAND_PLACES, gestureFileSchema } from './schema.js';
export type { GestureVerdict, EvaluateOptions } from './evaluate.js';
export { evaluateGesture } from './evaluate.js';
export type { HandFeatures, FingerFeatures, FingerState, HandPlacement, Direction } from './hand.js';
export { handFeatures } from './hand.js';
export { compatibleForChallenge } from './challenge.js';
