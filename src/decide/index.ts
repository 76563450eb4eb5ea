// Decide: evidence + policy → approved, rejected or review, with reasons and scores. Pure, no I/O.
export type {
  StepKind, ConditionResult, GestureEvidence, FaceMatchEvidence, SameFaceEvidence, NewspaperEvidence,
  DocumentEvidence, DocumentSeen, SpoofSignal, Evidence, Outcome, Reason, Decision,
} from './evidence.js';
export { decide } from './decide.js';
export { REASON_CODES, type ReasonCode, type ReasonOutcome } from './reasons.js';
export { SPOOF_SIGNAL_CAPS } from './checks/spoof.js';
export { MRZ_MAX_REPAIRS } from './checks/document.js';
export { bandForFaceWidth, FACE_SIZE_RULES, MIN_FACE_COMPARISONS, MIN_FACE_PX, SMALL_FACE_APPROVE_ABOVE, SMALL_FACE_PX } from './checks/faces.js';
export {
  DEFAULT_POLICY, POLICY_LIMITS, FACE_MATCH_BAND, FACE_MATCHER_MODEL, policySchema, resolvePolicy, PolicyError, type Policy, type Band,
} from './policy.js';
