// What each check returns: reasons with a stable code and a plain-English detail carrying the
// measured values, plus the scores it contributes to the decision.
import type { ReasonCode } from '../reasons.js';

export interface Finding {
  code: ReasonCode;
  detail: string;
}

export interface CheckResult {
  findings: Finding[];
  scores: Record<string, number | null>;
}

/** A similarity or score as reviewers read it: three decimals, or "none". */
export function show(value: number | null | undefined): string {
  return typeof value === 'number' && Number.isFinite(value) ? value.toFixed(3) : 'none';
}

/** A score decide can compare: a finite number in 0..1. */
export function isUnitScore(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 && value <= 1;
}
