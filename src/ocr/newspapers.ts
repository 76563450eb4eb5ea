// The newspapers a challenge may ask for, by region: the data lives in newspapers.json so security
// staff can extend it without touching code; this file only looks it up.
import data from './newspapers.json' with { type: 'json' };
import { localDateTime, shiftDate } from './dates.js';
import { canonicalRegion, type RegionTimeZones } from './regions.js';

/** A morning paper is dated the day it is sold; an evening paper goes on sale in the afternoon. */
export type Edition = 'morning' | 'evening';

export interface Newspaper {
  id: string;
  name: { en: string; 'zh-CN': string };
  /** text printed in the title, in Chinese and Latin script where the paper prints both */
  mastheads: string[];
  /** ISO 3166-2 subdivisions (CN-ZJ) or ISO 3166-1 countries (CN, US) where it is sold */
  regions: string[];
  /** absent: a morning paper */
  edition?: Edition;
  /** on sale the afternoon before the date it prints */
  datedNextDay?: boolean;
}

const NEWSPAPERS: readonly Newspaper[] = data.newspapers as Newspaper[];
const DEFAULT_IDS: readonly string[] = data.default;
/** Local hour from which the day's edition is surely in the shops; newspapers.json says why. */
export const ON_SALE_HOUR: Readonly<Record<Edition, number>> = data.onSaleHour;

/** Every newspaper in the list. */
export function allNewspapers(): readonly Newspaper[] {
  return NEWSPAPERS;
}

export function newspaperById(id: string): Newspaper | undefined {
  return NEWSPAPERS.find((n) => n.id === id);
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

/** What the challenge asks a seller for: a paper, the date it must print, and how that date relates to the seller's day. */
export interface NewspaperRequest {
  newspaper: Newspaper;
  edition: Edition;
  /** the printed date asked for, yyyy-mm-dd */
  date: string;
  /** that date against the seller's local date: yesterday's edition before today's is on sale */
  day: 'yesterday' | 'today' | 'tomorrow';
  /** the zone `date` and `day` are reckoned in */
  timeZone: string;
  /** the latest date a paper on sale anywhere in the region can print now: a fresher paper than
   *  the one asked for is no reason to reject */
  latest: string;
}

/**
 * The newest edition of each of the region's papers a seller can hold at `now`, local to the
 * region: today's once it is on sale, yesterday's before. Only the freshest editions are offered
 * (an evening paper is skipped in the morning while a morning paper of today is on sale), since a
 * paper of the day proves the photo more recent than one bought yesterday evening; when every paper
 * has only yesterday's edition out (at night, or in a region with evening papers alone), that is
 * what is asked for, as no seller can hold more.
 */
export function newspaperRequests(region: string, now: Date, zones: RegionTimeZones, papers = newspapersFor(region)): NewspaperRequest[] {
  const local = localDateTime(now, zones.timeZone);
  const latestLocal = localDateTime(now, zones.latestTimeZone).date;
  const offered = papers.map((newspaper) => {
    const edition = newspaper.edition ?? 'morning';
    const saleDate = local.hour >= ON_SALE_HOUR[edition] ? local.date : shiftDate(local.date, -1);
    return { newspaper, edition, saleDate };
  });
  const freshest = offered.reduce((max, o) => (o.saleDate > max ? o.saleDate : max), offered[0].saleDate);
  return offered.filter((o) => o.saleDate === freshest).map(({ newspaper, edition, saleDate }) => {
    const date = newspaper.datedNextDay ? shiftDate(saleDate, 1) : saleDate;
    const day = date < local.date ? 'yesterday' : date > local.date ? 'tomorrow' : 'today';
    return { newspaper, edition, date, day, timeZone: zones.timeZone, latest: date > latestLocal ? date : latestLocal };
  });
}
