// The gesture library as security staff run it: files in gestures/ are synced into the database on
// start (new ids and versions only; the status staff set in the database wins afterwards), challenges
// draw from the active set, and every change is audited.
import { and, eq, sql } from 'drizzle-orm';
import { tables, type Db } from '../db/index.js';
import { newId, randomInt } from '../ids/index.js';
import { problem } from '../problem/index.js';
import { appendAudit } from '../audit/index.js';

export interface GestureDefinition {
  id: string;
  version: number;
  status: 'draft' | 'active' | 'retired';
  family: string;
  instructions: { en: string; 'zh-CN': string };
  [more: string]: unknown;
}

export interface GestureRow {
  id: string;
  version: number;
  status: 'draft' | 'active' | 'retired';
  definition: GestureDefinition;
}

export async function syncGestureLibrary(db: Db, library: GestureDefinition[], now: Date): Promise<{ added: number }> {
  let added = 0;
  await db.transaction(async (tx) => {
    for (const g of library) {
      const inserted = await tx.insert(tables.gestures).values({ id: g.id, version: g.version, status: g.status, definition: g as never, updatedAt: now })
        .onConflictDoNothing().returning({ id: tables.gestures.id });
      if (inserted.length === 0) continue;
      added++;
      // A newer version of an active gesture takes over; the older one is retired so it is never drawn again.
      if (g.status === 'active') {
        await tx.update(tables.gestures).set({ status: 'retired', updatedAt: now })
          .where(and(eq(tables.gestures.id, g.id), sql`${tables.gestures.version} < ${g.version}`, eq(tables.gestures.status, 'active')));
      }
    }
    if (added > 0) await appendAudit(tx, { actor: 'system', action: 'gestures.synced', data: { added } }, now);
  });
  return { added };
}

/** The newest version of every gesture (what staff see and act on). */
export async function listGestures(db: Db): Promise<GestureRow[]> {
  const rows = await db.select().from(tables.gestures).orderBy(tables.gestures.id, sql`${tables.gestures.version} desc`);
  const latest = new Map<string, GestureRow>();
  for (const r of rows) if (!latest.has(r.id)) latest.set(r.id, r as unknown as GestureRow);
  return [...latest.values()];
}

export async function activeGestures(db: Db): Promise<GestureRow[]> {
  return (await db.select().from(tables.gestures).where(eq(tables.gestures.status, 'active'))) as unknown as GestureRow[];
}

export async function setGestureStatus(db: Db, id: string, status: 'active' | 'retired', actor: string, now: Date): Promise<GestureRow> {
  return db.transaction(async (tx) => {
    const [row] = await tx.select().from(tables.gestures).where(eq(tables.gestures.id, id)).orderBy(sql`${tables.gestures.version} desc`).limit(1);
    if (!row) throw problem.notFound('gesture');
    if (row.status === 'retired' && status === 'active') {
      // Retired means retired: a gesture that was gamed comes back only as a new version.
      throw problem.conflict('gesture.retired', `gesture ${id} v${row.version} is retired and is never drawn again; ship a new version instead`);
    }
    await tx.update(tables.gestures).set({ status, updatedAt: now }).where(and(eq(tables.gestures.id, id), eq(tables.gestures.version, row.version)));
    await appendAudit(tx, { actor, action: `gesture.${status === 'active' ? 'activated' : 'retired'}`, subject: `${id}@${row.version}` }, now);
    return { ...(row as unknown as GestureRow), status };
  });
}

/** Replaces the active set with a fresh CSPRNG draw of `count` from the non-retired library. */
export async function rotateGestures(db: Db, count: number, actor: string, now: Date): Promise<{ rotationId: string; active: string[] }> {
  return db.transaction(async (tx) => {
    const all = (await listGestures(tx as unknown as Db)).filter((g) => g.status !== 'retired');
    if (count < 2 || count > all.length) {
      throw problem.unprocessable('gesture.rotation_count', `count must be between 2 and ${all.length} (the non-retired gestures)`);
    }
    const pool = [...all];
    const chosen: GestureRow[] = [];
    while (chosen.length < count) chosen.push(pool.splice(randomInt(pool.length), 1)[0]);
    const chosenKeys = new Set(chosen.map((g) => `${g.id}@${g.version}`));
    for (const g of all) {
      const status = chosenKeys.has(`${g.id}@${g.version}`) ? 'active' : 'draft';
      if (status !== g.status) await tx.update(tables.gestures).set({ status, updatedAt: now }).where(and(eq(tables.gestures.id, g.id), eq(tables.gestures.version, g.version)));
    }
    const rotationId = newId('rot');
    const active = chosen.map((g) => g.id).sort();
    await tx.insert(tables.gestureRotations).values({ id: rotationId, requestedBy: actor, count, scheduledFor: now, appliedAt: now, activeSet: active, createdAt: now });
    await appendAudit(tx, { actor, action: 'gestures.rotated', subject: rotationId, data: { active } }, now);
    return { rotationId, active };
  });
}

/** Two different gestures from the active set, drawn with the CSPRNG, that make a sensible pair. */
export function drawGesturePair(active: GestureRow[], compatible: (a: GestureDefinition, b: GestureDefinition) => boolean): [GestureRow, GestureRow] {
  if (active.length < 2) throw problem.conflict('gesture.library_too_small', 'fewer than two gestures are active; ask security staff to activate or rotate the library');
  const pairs: [GestureRow, GestureRow][] = [];
  for (let i = 0; i < active.length; i++) {
    for (let j = 0; j < active.length; j++) {
      if (i !== j && compatible(active[i].definition, active[j].definition)) pairs.push([active[i], active[j]]);
    }
  }
  if (pairs.length === 0) throw problem.conflict('gesture.library_too_small', 'no two active gestures can be combined into one challenge');
  return pairs[randomInt(pairs.length)];
}

export const differentFamilies = (a: GestureDefinition, b: GestureDefinition) => a.family !== b.family;
