// Screen and print signals from the pixels of one photo: a frame around the picture, and periodic
// peaks in its spectrum (moiré of a pixel grid, halftone dots of a print).
import type { SpoofSignal, StepKind } from '../decide/evidence.js';
import { measureBorder, type BorderMeasure, type Side } from './border.js';
import { measureMoire, type MoireMeasure } from './moire.js';

// Figures below: the 49 face and gesture fixture photos as genuine (each also re-encoded at 75% size,
// JPEG 80: 98 photos; test/unit/spoof/screen.test.ts) against screens and prints rendered from them
// (test/unit/spoof/attacks.test.ts with REALPERSON_SPOOF_STRIDE=1: 49 of each kind).
//   genuine                 moire 0 of 98,  screen_border 0 of 98
//   screen, bezel in view   moire 45 of 49, screen_border 39 of 49, either 47 of 49 (95.9%)
//   screen close-up         moire 48 of 49 (98.0%)
//   print, margin in view   moire 47 of 49, screen_border 49 of 49 (100%)
//   print close-up          moire 44 of 49 (89.8%)

/**
 * A side is framed when one straight line beside it (within 35% of the photo, tilted at most 6°)
 * has at least this share of its points on an edge of one sign. Genuine photos frame at most two
 * sides (a letterboxed video still: black bars above and below) and their third side never exceeds
 * 0.55. At 0.6, 84% of photographed screens framed three sides; at 0.7 (kept, for margin) 80%.
 */
export const BORDER_EDGE_COVERAGE = 0.7;
/** Sides that must be framed: three or four. Two (letterboxing, a door frame) are common in life. */
export const BORDER_MIN_SIDES = 3;
/**
 * Sharpest periodic peak (median over 9 tiles, natural-log power above the median of its ring of
 * neighbours) above which moiré or halftone is reported. Genuine photos peak at 3.47 at most
 * (person-vlado5), photographed screens and prints mostly at 4.5 to 9.
 */
export const MOIRE_PEAK = 4.0;

/**
 * The steps whose photo should show a live scene only. An ID photo is a card framed by its own
 * edges, and a newspaper is a print full of halftone and ruled text: on the fixture ID card and
 * newspaper pages the frame measure fires on 3 of 4 photos and moiré on both front pages
 * (test/unit/spoof/screen.test.ts), so the check means nothing there.
 */
export const SCREEN_CHECK_STEP_KINDS: readonly StepKind[] = Object.freeze(['selfie_with_id', 'gesture']);

/** Screen and print signals of one photo; call it for the step kinds in SCREEN_CHECK_STEP_KINDS. */
export async function screenOrPrintSignals(image: Uint8Array, stepId: string): Promise<SpoofSignal[]> {
  const [border, moire] = await Promise.all([measureBorder(image), measureMoire(image)]);
  return screenOrPrintFromMeasures(border, moire, stepId);
}

/** The signals the two measures of one photo amount to. */
export function screenOrPrintFromMeasures(border: BorderMeasure, moire: MoireMeasure, stepId: string): SpoofSignal[] {
  const signals: SpoofSignal[] = [];

  const framed = (Object.entries(border.coverage) as [Side, number][]).filter(([, c]) => c >= BORDER_EDGE_COVERAGE);
  if (framed.length >= BORDER_MIN_SIDES) {
    signals.push({
      code: 'screen_border', stepId,
      // Four framed sides is the whole bezel or paper margin in view.
      score: framed.length === 4 ? 0.9 : 0.7,
      detail: `straight frame edge beside ${framed.length} sides (${framed.map(([s, c]) => `${s} ${c.toFixed(2)}`).join(', ')}; framed at ${BORDER_EDGE_COVERAGE})`,
    });
  }
  if (moire.peak > MOIRE_PEAK) {
    signals.push({
      code: 'moire', stepId,
      score: Math.min(1, 0.6 + (moire.peak - MOIRE_PEAK) / 10),
      detail: `periodic peak ${moire.peak.toFixed(2)} above its surroundings (report above ${MOIRE_PEAK}), period ${moire.period?.toFixed(1) ?? '?'} px`,
    });
  }
  return signals;
}
