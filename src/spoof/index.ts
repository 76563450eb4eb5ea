// Spoof signals from the photos themselves: replays (same or near-identical photos), screens and
// prints (frame, moiré, halftone), and Human's antispoof/liveness scores as weak signals. Signals
// only: decide() weighs them.
export { perceptualHash, hammingDistance } from './phash.js';
export { findDuplicates, duplicateScore, NEAR_DUPLICATE_MAX_BITS, type HashedPhoto, type OtherSessionPhoto } from './duplicates.js';
export { screenOrPrintSignals, screenOrPrintFromMeasures, SCREEN_CHECK_STEP_KINDS, BORDER_EDGE_COVERAGE, BORDER_MIN_SIDES, MOIRE_PEAK } from './screen.js';
export { measureBorder, type BorderMeasure } from './border.js';
export { measureMoire, type MoireMeasure } from './moire.js';
export { livenessSignals, weakSignalScore, REPORT_BELOW, ANTISPOOF_REVIEW_BELOW, LIVENESS_REVIEW_BELOW } from './liveness.js';
