// The newspapers a challenge may ask for, by region: the data lives in newspapers.json so security
// staff can extend it without touching code; this file only looks it up.
import data from './newspapers.json' with { type: 'json' };
import { CN_PROVINCES } from './regions.js';

export interface Newspaper {
  id: string;
  name: { en: string; 'zh-CN': string };
  /** text printed in the title, in Chinese and Latin script where the paper prints both */
  mastheads: string[];
  /** ISO 3166-2 subdivisions (CN-ZJ) or ISO 3166-1 countries (CN, US) where it is sold */
  regions: string[];
}

const NEWSPAPERS: readonly Newspaper[] = data.newspapers;
const DEFAULT_IDS: readonly string[] = data.default;

/** Every newspaper in the list. */
export function allNewspapers(): readonly Newspaper[] {
  return NEWSPAPERS;
}

export function newspaperById(id: string): Newspaper | undefined {
  return NEWSPAPERS.find((n) => n.id === id);
}

/** Canonical form of a region code: upper case, and CN-33 style numeric codes mapped to CN-ZJ. */
function canonicalRegion(region: string): string {
  const code = region.trim().toUpperCase().replace('_', '-');
  const numeric = /^CN-(\d{2})$/.exec(code);
  if (numeric && CN_PROVINCES[numeric[1]]) return CN_PROVINCES[numeric[1]].iso;
  return code;
}

/**
 * The papers sold in a region: the subdivision's own papers, else its country's, else a
 * default list of widely distributed papers. Never empty, so a challenge can always be drawn.
 */
export function newspapersFor(region: string): Newspaper[] {
  const code = canonicalRegion(region);
  const inRegion = (r: string) => NEWSPAPERS.filter((n) => n.regions.includes(r));
  const own = inRegion(code);
  if (own.length > 0) return own;
  const country = code.split('-')[0];
  const national = inRegion(country);
  if (national.length > 0) return national;
  return DEFAULT_IDS.map((id) => newspaperById(id)).filter((n): n is Newspaper => n !== undefined);
}
