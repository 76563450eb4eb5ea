// The genuine photos the spoof measurements run on: every face and gesture fixture, and the selfie
// with a document. Listed from the folders so a new fixture joins the measurement.
import { readdirSync } from 'node:fs';
import { fixture, haveFixtures } from '../../support/fixtures.js';

export const GENUINE_FOLDERS = [
  'faces/face_recognition/images',
  'faces/human',
  'gestures/hand-gesture-recognition-system',
  'gestures/mediapipe-samples',
  'gestures/vision_ml',
  'selfie_with_document/webank-UserApp',
];

/** Relative paths of the genuine photos, sorted, or [] when the fixtures are absent. */
export function genuinePhotos(): string[] {
  if (!haveFixtures) return [];
  return GENUINE_FOLDERS.flatMap((d) =>
    readdirSync(fixture(d)).filter((f) => /\.(jpe?g|png)$/i.test(f)).sort().map((f) => `${d}/${f}`),
  );
}

/** "12 of 49 (24.5%)" */
export function rate(hits: number, total: number): string {
  return `${hits} of ${total} (${total ? ((100 * hits) / total).toFixed(1) : '0.0'}%)`;
}
