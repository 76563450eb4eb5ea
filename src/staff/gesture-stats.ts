// Per-gesture numbers for security staff over a period: how often each gesture version was issued, how
// its photos were judged, what became of the sessions that used it, and how often its photo raised a
// spoof signal. A gesture that is being gamed shows up as many passes with many spoof flags, or as a
// sudden change in its pass rate.
import { sql } from 'drizzle-orm';
import type { Db } from '../db/index.js';

export interface GestureStats {
  /** challenge steps that asked for this gesture version (by the challenge's creation time) */
  issued: number;
  /** the evaluator's verdicts on those steps' photos: passed, could not tell (review), clearly not shown */
  passed: number;
  review: number;
  rejected: number;
  /** the gesture photo carried at least one spoof signal (replay, screen, duplicate, antispoof) */
  spoofFlags: number;
  /** final outcome of the sessions whose submitted challenge used it */
  sessions: { approved: number; review: number; rejected: number };
}

export const emptyStats = (): GestureStats => ({ issued: 0, passed: 0, review: 0, rejected: 0, spoofFlags: 0, sessions: { approved: 0, review: 0, rejected: 0 } });

const key = (id: string, version: number) => `${id}@${version}`;

/** Stats keyed by `id@version` for challenges created in [from, to). */
export async function gestureStats(db: Db, from: Date, to: Date): Promise<Map<string, GestureStats>> {
  const out = new Map<string, GestureStats>();
  const at = (id: string, version: number) => {
    let s = out.get(key(id, version));
    if (!s) out.set(key(id, version), (s = emptyStats()));
    return s;
  };
  const rows = <T>(r: unknown) => ((r as { rows?: T[] }).rows ?? (r as T[]));

  const issued = rows<{ id: string; version: number; n: number }>(await db.execute(sql`
    select cs.gesture_id as id, cs.gesture_version as version, count(*)::int as n
    from challenge_steps cs join challenges c on c.id = cs.challenge_id
    where cs.gesture_id is not null and c.created_at >= ${from.toISOString()}::timestamptz and c.created_at < ${to.toISOString()}::timestamptz
    group by 1, 2`));
  for (const r of issued) at(r.id, Number(r.version)).issued = Number(r.n);

  // Verdicts live in the evidence as a JSON array; each names its step, which dates it.
  const verdicts = rows<{ id: string; version: number; passed: number; review: number; rejected: number; spoof: number }>(await db.execute(sql`
    with v as (
      select e.data as data, g.value as verdict
      from evidence e
      cross join lateral jsonb_array_elements(case when jsonb_typeof(e.data->'gestures') = 'array' then e.data->'gestures' else '[]'::jsonb end) g(value)
    )
    select cs.gesture_id as id, cs.gesture_version as version,
      count(*) filter (where v.verdict->'passed' = 'true'::jsonb)::int as passed,
      count(*) filter (where v.verdict->'passed' is null or v.verdict->'passed' = 'null'::jsonb)::int as review,
      count(*) filter (where v.verdict->'passed' = 'false'::jsonb)::int as rejected,
      count(*) filter (where exists (
        select 1 from jsonb_array_elements(case when jsonb_typeof(v.data->'spoof') = 'array' then v.data->'spoof' else '[]'::jsonb end) sp(value)
        where sp.value->>'stepId' = cs.id))::int as spoof
    from v
    join challenge_steps cs on cs.id = v.verdict->>'stepId'
    join challenges c on c.id = cs.challenge_id
    where cs.gesture_id is not null and c.created_at >= ${from.toISOString()}::timestamptz and c.created_at < ${to.toISOString()}::timestamptz
    group by 1, 2`));
  for (const r of verdicts) {
    const s = at(r.id, Number(r.version));
    s.passed = Number(r.passed);
    s.review = Number(r.review);
    s.rejected = Number(r.rejected);
    s.spoofFlags = Number(r.spoof);
  }

  const outcomes = rows<{ id: string; version: number; outcome: 'approved' | 'review' | 'rejected'; n: number }>(await db.execute(sql`
    select cs.gesture_id as id, cs.gesture_version as version, d.outcome as outcome, count(distinct d.session_id)::int as n
    from challenge_steps cs
    join challenges c on c.id = cs.challenge_id and c.status = 'used'
    join decisions d on d.session_id = c.session_id
    where cs.gesture_id is not null and c.created_at >= ${from.toISOString()}::timestamptz and c.created_at < ${to.toISOString()}::timestamptz
    group by 1, 2, 3`));
  for (const r of outcomes) {
    const s = at(r.id, Number(r.version));
    if (r.outcome in s.sessions) s.sessions[r.outcome] = Number(r.n);
  }
  return out;
}

export const statsKey = key;
