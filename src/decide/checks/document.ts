// The ID document: its number must be valid on its own terms and be the one the seller declared.
import type { Evidence } from '../evidence.js';
import type { CheckResult, Finding } from './finding.js';

/**
 * Characters of an MRZ's data lines a reading may have changed and still approve. The same number
 * as the OCR's MRZ_MAX_REPAIRS (src/ocr/mrz.ts, set by test/bench/ocr.ts), repeated because decide
 * imports nothing with I/O; test/unit/ocr/mrz.test.ts fails if they drift.
 */
export const MRZ_MAX_REPAIRS = 2;

export function checkDocument(evidence: Evidence): CheckResult {
  const findings: Finding[] = [];
  const doc = evidence.document;
  if (doc === null) {
    findings.push({ code: 'document_missing', detail: 'no ID document evidence' });
    return { findings, scores: {} };
  }
  const kind = doc.documentType;

  // A portrait only vouches for an identity when it is on a document: a headshot uploaded as the
  // ID front is a face, not an ID (its face match is still scored, for the reviewer).
  if (doc.seen == null) {
    findings.push({ code: 'document_not_found', detail: `no ${kind} seen in the ID photo: no machine-readable zone, ID number or card layout was read` });
  }

  if (doc.numberRead === null) {
    findings.push({ code: 'document_number_unreadable', detail: `no number read from the ${kind} (declared ${doc.declaredNumber})` });
  } else {
    const failedDigits = doc.failedChecks.filter((c) => /checkdigit$/i.test(c));
    if (doc.checksumValid === true && failedDigits.length > 0) {
      findings.push({ code: 'evidence_inconsistent', detail: `${kind} number ${doc.numberRead}: check digits reported valid, yet ${failedDigits.join(', ')} failed` });
    }
    if (doc.checksumValid === false) {
      findings.push({
        code: 'document_checksum_invalid',
        detail: `${kind} number ${doc.numberRead}: check digits fail${doc.failedChecks.length ? ` (${doc.failedChecks.join(', ')})` : ''}`,
      });
    } else if (doc.checksumValid === null) {
      findings.push({
        code: 'document_checksum_unknown',
        detail: `${kind} number ${doc.numberRead}: check digits not verified${doc.failedChecks.length ? ` (${doc.failedChecks.join(', ')} did not hold as read)` : ''}`,
      });
    } else if (doc.mrzRepairs !== null && doc.mrzRepairs > MRZ_MAX_REPAIRS) {
      // the pipeline never reports such a zone valid; evidence that does contradicts itself
      findings.push({ code: 'document_mrz_repaired', detail: `${kind} number ${doc.numberRead}: the zone's check digits held only after ${doc.mrzRepairs} characters were changed (at most ${MRZ_MAX_REPAIRS})` });
    }
    if (doc.numberMatches === false) {
      findings.push({ code: 'document_number_mismatch', detail: `${kind} number read ${doc.numberRead}, declared ${doc.declaredNumber}` });
    } else if (doc.numberMatches === null) {
      findings.push({ code: 'document_number_unverified', detail: `${kind} number read ${doc.numberRead} not compared with declared ${doc.declaredNumber}` });
    }
  }

  if (doc.consistent === false) {
    findings.push({ code: 'document_number_inconsistent', detail: `${kind} number ${doc.numberRead ?? '(unread)'}: birth date or region code impossible` });
  } else if (doc.consistent === null && kind === 'cn_resident_id' && doc.numberRead !== null) {
    // Only resident IDs encode a birth date and region; for MRZ documents null means "not applicable".
    findings.push({ code: 'document_consistency_unknown', detail: `resident ID number ${doc.numberRead}: birth date and region code not checked` });
  }

  if (doc.nameMatches === false) {
    findings.push({ code: 'document_name_mismatch', detail: `name read "${doc.nameRead ?? ''}", declared "${doc.declaredName}"` });
  } else if (doc.nameMatches === null) {
    findings.push({
      code: 'document_name_unverified',
      detail: doc.nameRead === null
        ? `no name read from the ${kind} (declared "${doc.declaredName}")`
        : `name read "${doc.nameRead}" not compared with declared "${doc.declaredName}"`,
    });
  }
  return { findings, scores: {} };
}
