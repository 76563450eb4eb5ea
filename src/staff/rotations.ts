// Gesture rotations scheduled for later. A rotation asked for "now" is applied at once by
// rotateGestures; one with a later time is stored in gesture_rotations and applied by a timer every
// service process runs (and again, lazily, whenever staff read the library). A timer rather than only
// lazy application: challenges are drawn by the capture flow, which must see the new active set at the
// scheduled time even when no staff member is looking. Many processes may run the timer: a due row is
// taken with FOR UPDATE SKIP LOCKED, so each rotation is applied exactly once.
import { and, asc, eq, isNull, lte, sql } from 'drizzle-orm';
import { appendAudit } from '../audit/index.js';
import { tables, type Database, type Db } from '../db/index.js';
import type { Clock } from '../flows/deps.js';
import { listGestures, rotateGestures } from '../flows/gestures.js';
import { newId } from '../ids/index.js';
import type { Logger } from '../log/index.js';
import { Problem, problem } from '../problem/index.js';

export interface RotationRow {
  id: string;
  requestedBy: string;
  count: number;
  scheduledFor: string;
  appliedAt: string | null;
  /** the gesture ids made active; null while pending, and null with appliedAt set when it could not be applied */
  activeSet: string[] | null;
}

const toRow = (r: typeof tables.gestureRotations.$inferSelect): RotationRow => ({
  id: r.id, requestedBy: r.requestedBy, count: r.count, scheduledFor: r.scheduledFor.toISOString(),
  appliedAt: r.appliedAt?.toISOString() ?? null, activeSet: r.activeSet ?? null,
});

export async function scheduleRotation(db: Db, count: number, at: Date, actor: string, now: Date): Promise<RotationRow> {
  const eligible = (await listGestures(db)).filter((g) => g.status !== 'retired').length;
  // Checked now as well as when due, so staff hear of an impossible count at once.
  if (count < 2 || count > eligible) {
    throw problem.unprocessable('gesture.rotation_count', `count must be between 2 and ${eligible} (the non-retired gestures)`);
  }
  return db.transaction(async (tx) => {
    const [row] = await tx.insert(tables.gestureRotations).values({ id: newId('rot'), requestedBy: actor, count, scheduledFor: at, appliedAt: null, activeSet: null, createdAt: now }).returning();
    await appendAudit(tx, { actor, action: 'gestures.rotation_scheduled', subject: row.id, data: { count, at: at.toISOString() } }, now);
    return toRow(row);
  });
}

export async function cancelRotation(db: Db, id: string, actor: string, now: Date): Promise<void> {
  await db.transaction(async (tx) => {
    const gone = await tx.delete(tables.gestureRotations)
      .where(and(eq(tables.gestureRotations.id, id), isNull(tables.gestureRotations.appliedAt))).returning();
    if (gone.length === 0) throw problem.notFound('pending rotation');
    await appendAudit(tx, { actor, action: 'gestures.rotation_cancelled', subject: id }, now);
  });
}

export async function listRotations(db: Db, limit = 20): Promise<RotationRow[]> {
  const rows = await db.select().from(tables.gestureRotations)
    .orderBy(sql`${tables.gestureRotations.appliedAt} is not null`, sql`${tables.gestureRotations.scheduledFor} desc`).limit(limit);
  return rows.map(toRow);
}

/** Applies every rotation due by `now`, oldest first; returns how many were applied. */
export async function applyDueRotations(db: Db, now: Date): Promise<number> {
  let applied = 0;
  for (;;) {
    const done = await db.transaction(async (tx) => {
      const [due] = await tx.select().from(tables.gestureRotations)
        .where(and(isNull(tables.gestureRotations.appliedAt), lte(tables.gestureRotations.scheduledFor, now)))
        .orderBy(asc(tables.gestureRotations.scheduledFor)).limit(1).for('update', { skipLocked: true });
      if (!due) return false;
      const actor = `${due.requestedBy} (scheduled ${due.id})`;
      try {
        // A savepoint inside this transaction: the rotation and the mark below commit together.
        const r = await rotateGestures(tx as unknown as Db, due.count, actor, now);
        await tx.update(tables.gestureRotations).set({ appliedAt: now, activeSet: r.active }).where(eq(tables.gestureRotations.id, due.id));
      } catch (err) {
        if (!(err instanceof Problem)) throw err;
        // The library changed since it was scheduled (too many retired): record that it could not run, once.
        await tx.update(tables.gestureRotations).set({ appliedAt: now, activeSet: null }).where(eq(tables.gestureRotations.id, due.id));
        await appendAudit(tx, { actor: 'system', action: 'gestures.rotation_failed', subject: due.id, data: { reason: err.detail } }, now);
      }
      return true;
    });
    if (!done) return applied;
    applied++;
  }
}

export const ROTATION_TICK_MS = 10_000;

/**
 * Runs applyDueRotations every ROTATION_TICK_MS for as long as the database is open. The service
 * closes its database last, so the timer stops (and waits for a tick in flight) just before that.
 */
export function startRotationTimer(database: Database, clock: Clock, log: Logger, everyMs = ROTATION_TICK_MS): void {
  let running: Promise<void> | null = null;
  const tick = () => {
    if (running) return;
    running = applyDueRotations(database.db, clock.now())
      .then((n) => { if (n > 0) log.info('scheduled gesture rotations applied', { count: n }); })
      .catch((err) => log.error('applying scheduled gesture rotations failed', { err }))
      .finally(() => { running = null; });
  };
  const timer = setInterval(tick, everyMs);
  timer.unref();
  const close = database.close.bind(database);
  database.close = async () => {
    clearInterval(timer);
    await running;
    await close();
  };
}
