// Jobs in the same PostgreSQL as everything else. A worker claims a job with a lease
// (FOR UPDATE SKIP LOCKED); a worker that dies leaves the lease to run out and the job is claimed again.
// Exactly-once *decisions* are guaranteed by the decisions table's primary key, not by the queue.
import { and, eq, sql } from 'drizzle-orm';
import { tables, type Db, type Tx } from '../db/index.js';
import { newId } from '../ids/index.js';

export type Job = typeof tables.jobs.$inferSelect;
export const VERIFY = 'verify_session';
/** a job is run at most this many times; the claim after that gives it up and its session goes to review */
export const MAX_JOB_ATTEMPTS = 5;

export async function enqueue(tx: Tx | Db, job: { kind: string; tenantId: string; sessionId: string }, now: Date): Promise<void> {
  await tx.insert(tables.jobs).values({ id: newId('job'), ...job, status: 'queued', runAfter: now, createdAt: now, updatedAt: now })
    .onConflictDoNothing();
}

export async function claim(db: Db, workerId: string, now: Date, leaseSeconds: number): Promise<Job | null> {
  const lease = new Date(now.getTime() + leaseSeconds * 1000);
  const rows = await db.execute<Record<string, unknown>>(sql`
    update jobs set status = 'running', attempts = attempts + 1, locked_by = ${workerId},
      lease_until = ${lease.toISOString()}, updated_at = ${now.toISOString()}
    where id = (
      select id from jobs
      where (status = 'queued' and run_after <= ${now.toISOString()})
         or (status = 'running' and lease_until < ${now.toISOString()})
      order by created_at
      for update skip locked
      limit 1)
    returning id`);
  const id = (rowsOf(rows)[0] as { id?: string } | undefined)?.id;
  if (!id) return null;
  const [job] = await db.select().from(tables.jobs).where(eq(tables.jobs.id, id));
  return job ?? null;
}

/** Extends the lease while a long job runs; false means the lease was lost to another worker. */
export async function heartbeat(db: Db, job: Job, workerId: string, now: Date, leaseSeconds: number): Promise<boolean> {
  const rows = await db.update(tables.jobs).set({ leaseUntil: new Date(now.getTime() + leaseSeconds * 1000), updatedAt: now })
    .where(and(eq(tables.jobs.id, job.id), eq(tables.jobs.lockedBy, workerId), eq(tables.jobs.status, 'running'))).returning({ id: tables.jobs.id });
  return rows.length === 1;
}

export async function complete(tx: Tx | Db, job: Job, now: Date): Promise<void> {
  await tx.update(tables.jobs).set({ status: 'done', leaseUntil: null, updatedAt: now }).where(eq(tables.jobs.id, job.id));
}

/** A failed attempt goes back to the queue with backoff (the caller gives up once attempts are used up). */
export async function retryLater(db: Db, job: Job, error: string, now: Date): Promise<void> {
  const delay = Math.min(2 ** job.attempts * 5_000, 10 * 60_000);
  await db.update(tables.jobs).set({
    status: 'queued', lastError: error.slice(0, 500), leaseUntil: null, lockedBy: null,
    runAfter: new Date(now.getTime() + delay), updatedAt: now,
  }).where(and(eq(tables.jobs.id, job.id), eq(tables.jobs.lockedBy, job.lockedBy ?? '')));
}

/** A job given up: it is never claimed again. */
export async function failJob(tx: Tx | Db, job: Job, error: string, now: Date): Promise<void> {
  await tx.update(tables.jobs).set({ status: 'failed', lastError: error.slice(0, 500), leaseUntil: null, updatedAt: now })
    .where(and(eq(tables.jobs.id, job.id), eq(tables.jobs.lockedBy, job.lockedBy ?? '')));
}

/** Graceful shutdown: hand this worker's unfinished jobs back at once instead of waiting for the lease. */
export async function releaseAll(db: Db, workerId: string, now: Date): Promise<number> {
  const rows = await db.update(tables.jobs).set({ status: 'queued', lockedBy: null, leaseUntil: null, runAfter: now, updatedAt: now })
    .where(and(eq(tables.jobs.lockedBy, workerId), eq(tables.jobs.status, 'running'))).returning({ id: tables.jobs.id });
  return rows.length;
}

export async function queueDepth(db: Db): Promise<{ status: string; count: number }[]> {
  const rows = await db.select({ status: tables.jobs.status, count: sql<number>`count(*)::int` }).from(tables.jobs).groupBy(tables.jobs.status);
  return rows.map((r) => ({ status: r.status, count: Number(r.count) }));
}

/** postgres-js returns an array; PGlite returns { rows }. */
export function rowsOf(result: unknown): unknown[] {
  return Array.isArray(result) ? result : ((result as { rows?: unknown[] }).rows ?? []);
}
