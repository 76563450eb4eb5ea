// The evidence a verification job gathers, and the decision made from it. Plain data shared by the
// pipeline (which builds it), decide (which judges it), storage of results and the review console.

export type StepKind = 'id_front' | 'selfie_with_id' | 'gesture' | 'newspaper';

/** One condition of a gesture rule, as measured: reviewers see exactly why a verdict came out. */
export interface ConditionResult {
  /** e.g. "index extended", "hand beside face", "yaw in [20,60]" */
  condition: string;
  held: boolean;
  /** the measured value(s) behind it, e.g. { angle: 172.4 } */
  measured: Record<string, number | string | boolean | null>;
}

export interface GestureEvidence {
  stepId: string;
  gestureId: string;
  gestureVersion: number;
  /** true: every condition held with margin; false: clearly not shown; null: could not tell (no hand found, borderline) */
  passed: boolean | null;
  /** 0..1, how well the photo fits the rule */
  score: number;
  conditions: ConditionResult[];
}

export interface FaceMatchEvidence {
  /** every live face of the session vs the ID document's portrait, fused (the mean of their
   *  similarities); null when either side was not found */
  score: number | null;
  /** width in photo pixels of the smallest face compared (face box); null without a score */
  smallestFacePx: number | null;
  /** how many live faces `score` fuses; a face match fused from fewer than two never approves
   *  (absent: one, as evidence recorded before the fusion) */
  comparisons?: number;
  idPortraitFound: boolean;
  liveFaceFound: boolean;
  /** the portrait on the card held in the selfie vs the ID photo's portrait (same document?) */
  heldCardScore: number | null;
  /** width in photo pixels of the held card's portrait (face box); null when none was found */
  heldCardPortraitPx: number | null;
  model: string;
}

export interface SameFaceEvidence {
  /** lowest similarity of the live face across every photo of the session; null if fewer than two faces */
  minScore: number | null;
  /** width in photo pixels of the smallest live face compared (face box); null without a score */
  smallestFacePx: number | null;
  /** steps whose photo had no usable live face */
  stepsWithoutFace: string[];
  /** steps whose photo showed more than one live face (besides an ID portrait) */
  stepsWithExtraFaces: string[];
}

export interface NewspaperEvidence {
  stepId: string;
  expectedName: string;
  mastheadFound: boolean | null;
  /** the date read from the page, ISO yyyy-mm-dd, or null when unreadable */
  dateRead: string | null;
  /** the text the date was parsed from */
  dateText: string | null;
  /** window the date must fall in, inclusive, ISO dates */
  window: { from: string; to: string };
  /** the printed date the challenge asked for (the policy's age limit counts back from it); absent: `window.to` */
  requestedDate?: string;
  /** IANA zone the window was reckoned in, the seller's region's; null or absent: not known to be theirs */
  timeZone?: string | null;
  faceInPhoto: boolean;
  /** OCR confidence of the date's text, 0..1 (Tesseract's 0..100 divided by 100); null when not reported */
  ocrConfidence: number | null;
}

/** What showed the ID photo to be an identity document rather than, say, a plain headshot. */
export interface DocumentSeen {
  kind: 'cn_resident_id' | 'mrz_document';
  /** 'id_number': an 18-digit number whose check character holds; 'card_text': the card's printed
   *  labels; 'mrz': a machine-readable zone with at least two check digits holding */
  by: 'id_number' | 'card_text' | 'mrz';
}

export interface DocumentEvidence {
  documentType: 'cn_resident_id' | 'passport' | 'id_card';
  /** normalised number read from the document, or null when unreadable */
  numberRead: string | null;
  /** check digit(s) valid: ISO 7064 MOD 11-2 for CN resident IDs, every MRZ check digit for MRZ documents */
  checksumValid: boolean | null;
  /** CN resident ID: birth date and region code consistent */
  consistent: boolean | null;
  nameRead: string | null;
  /** declared values as compared (normalised), for reviewers */
  declaredNumber: string;
  declaredName: string;
  numberMatches: boolean | null;
  nameMatches: boolean | null;
  /** MRZ checks that failed, by field name */
  failedChecks: string[];
  /** null when nothing in the ID photo showed a document: its portrait then counts for nothing */
  seen: DocumentSeen | null;
  /** MRZ documents: characters of the zone's data lines changed from what OCR read (null otherwise);
   *  a zone that needed more than the limit is unreadable, whatever its check digits say */
  mrzRepairs: number | null;
}

export interface SpoofSignal {
  /** stable code: same_photo_twice, near_duplicate_in_session, near_duplicate_other_session, screen_border, moire, antispoof_low, liveness_low ... */
  code: string;
  stepId: string | null;
  /** 0..1 strength of the signal */
  score: number;
  detail: string;
}

/** What the models saw in one photo, kept for reviewers (boxes and keypoints; no embeddings, no mesh). */
export interface StepObservations {
  width: number;
  height: number;
  faces: { box: { x: number; y: number; width: number; height: number }; score: number; angles: { yaw: number; pitch: number; roll: number } }[];
  hands: { box: { x: number; y: number; width: number; height: number }; score: number; keypoints: { x: number; y: number }[] }[];
}

export interface Evidence {
  /** the steps the challenge asked for and whether each has a photo */
  steps: { stepId: string; kind: StepKind; photo: boolean }[];
  faceMatch: FaceMatchEvidence;
  sameFace: SameFaceEvidence;
  gestures: GestureEvidence[];
  newspaper: NewspaperEvidence | null;
  document: DocumentEvidence | null;
  spoof: SpoofSignal[];
  /** checks that could not run (model failure, OCR unavailable): each forces review */
  missing: string[];
  /** per step id, what the models saw; a record for reviewers that decide() does not judge */
  observations?: Record<string, StepObservations>;
}

export type Outcome = 'approved' | 'rejected' | 'review';

export interface Reason {
  /** stable machine-readable code, listed in the README */
  code: string;
  detail: string;
}

export interface Decision {
  outcome: Outcome;
  reasons: Reason[];
  /** faceMatch, sameFace, gesture:<stepId>, ... each 0..1 */
  scores: Record<string, number | null>;
}
