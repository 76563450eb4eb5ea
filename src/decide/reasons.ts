// The stable reason codes a decision can carry. Platforms and reviewers key on these strings: add
// codes freely, never rename or repurpose one. `outcome` is the least a reason forces.

export type ReasonOutcome = 'rejected' | 'review' | 'info';

export const REASON_CODES = {
  // Clear negative evidence: rejected.
  face_mismatch: { outcome: 'rejected', description: 'The live face is not the person on the ID document (similarity below the reject threshold).' },
  held_card_mismatch: { outcome: 'rejected', description: 'The ID card held in the selfie shows another person than the ID photo.' },
  different_person_across_photos: { outcome: 'rejected', description: 'The photos of the session show different people.' },
  gesture_not_shown: { outcome: 'rejected', description: 'A requested gesture is clearly not what the photo shows.' },
  document_checksum_invalid: { outcome: 'rejected', description: 'A check digit of the document number (MOD 11-2 or MRZ) is wrong.' },
  document_number_inconsistent: { outcome: 'rejected', description: 'The resident ID number contradicts itself (impossible birth date or unknown region code).' },
  document_number_mismatch: { outcome: 'rejected', description: 'The document number read is not the declared one.' },
  document_name_mismatch: { outcome: 'rejected', description: 'The name read from the document is not the declared one.' },
  newspaper_date_outside_window: { outcome: 'rejected', description: "The newspaper's printed date is outside the allowed window." },
  spoof_strong: { outcome: 'rejected', description: 'A strong spoof signal, e.g. the same photo uploaded for two steps.' },

  // Uncertain or incomplete: a reviewer decides.
  no_steps: { outcome: 'review', description: 'The evidence lists no capture steps; nothing can be approved.' },
  step_photo_missing: { outcome: 'review', description: 'A step of the challenge has no photo.' },
  evidence_inconsistent: { outcome: 'review', description: 'The evidence contradicts itself (unknown step, duplicate entry, malformed value).' },
  check_missing: { outcome: 'review', description: 'A check could not run (model or OCR failure).' },
  face_match_uncertain: { outcome: 'review', description: 'Live face vs ID portrait similarity (the mean over every live photo) is between the reject and approve thresholds, rests on fewer than two live photos, or one of the faces is too small (under 96 px) to compare.' },
  live_face_not_found: { outcome: 'review', description: 'No usable live face was found for the face match.' },
  id_portrait_not_found: { outcome: 'review', description: 'No portrait was found on the ID document.' },
  held_card_uncertain: { outcome: 'review', description: 'The portrait on the card held in the selfie matches the ID photo only weakly, or is too small (under 96 px) to compare.' },
  held_card_portrait_not_found: { outcome: 'review', description: 'No portrait was found on the card held in the selfie.' },
  same_face_uncertain: { outcome: 'review', description: 'The live face across the photos matches only weakly, or one of them is too small (under 96 px) to compare.' },
  same_face_unavailable: { outcome: 'review', description: 'The live face could not be compared across the photos.' },
  face_missing_in_step: { outcome: 'review', description: 'A photo that should show the live face has none.' },
  extra_faces_in_step: { outcome: 'review', description: 'A photo shows more live faces than expected.' },
  gesture_uncertain: { outcome: 'review', description: 'Whether a gesture was shown could not be told (no hand found, borderline).' },
  gesture_weak: { outcome: 'review', description: 'A gesture passed its rule but fits only weakly.' },
  gesture_evidence_missing: { outcome: 'review', description: 'A gesture step has no gesture verdict.' },
  newspaper_missing: { outcome: 'review', description: 'No newspaper evidence, though the challenge or policy requires it.' },
  newspaper_masthead_not_found: { outcome: 'review', description: "The requested newspaper's masthead was not found." },
  newspaper_date_unreadable: { outcome: 'review', description: 'No printed date could be read from the newspaper.' },
  newspaper_ocr_low_confidence: { outcome: 'review', description: 'The newspaper text was read with low or unknown confidence.' },
  newspaper_face_missing: { outcome: 'review', description: "The seller's face is not in the newspaper photo." },
  newspaper_date_zone_unknown: { outcome: 'review', description: "The newspaper's date window was not reckoned in the seller's time zone (a challenge drawn before zones were recorded, or a region without one)." },
  document_missing: { outcome: 'review', description: 'No ID document evidence.' },
  document_number_unreadable: { outcome: 'review', description: 'The document number could not be read.' },
  document_checksum_unknown: { outcome: 'review', description: 'The document check digits could not be verified.' },
  document_consistency_unknown: { outcome: 'review', description: "The resident ID number's birth date and region code could not be checked." },
  document_number_unverified: { outcome: 'review', description: 'The document number could not be compared with the declared one.' },
  document_name_unverified: { outcome: 'review', description: 'The name on the document could not be read or compared with the declared one.' },
  document_not_found: { outcome: 'review', description: 'No identity document was seen in the ID photo (no machine-readable zone, ID number or card layout read); its face is still compared, for the reviewer, but can neither reject nor approve.' },
  document_mrz_repaired: { outcome: 'review', description: "The MRZ's check digits held only after more characters were changed than a reading may need." },
  spoof_suspected: { outcome: 'review', description: 'A spoof signal (screen, print, duplicate, antispoof) above the review threshold.' },

  // For the record: never change the outcome.
  spoof_weak_signal: { outcome: 'info', description: 'A spoof signal below the review threshold.' },
  all_checks_passed: { outcome: 'info', description: 'Every required check passed with margin.' },
} as const satisfies Record<string, { outcome: ReasonOutcome; description: string }>;

export type ReasonCode = keyof typeof REASON_CODES;
