// Runs verification jobs: claim a job, gather the evidence from the session's photos, decide, and store
// evidence + decision + webhook + audit in one transaction. A worker that dies mid-job decides nothing;
// its lease runs out and another worker does the job again, and the decisions key keeps it to one decision.
import { and, asc, eq, isNull } from 'drizzle-orm';
import { isDatabaseUnavailable, loggableError, tables, type Db } from '../db/index.js';
import { decide, resolvePolicy } from '../decide/index.js';
import type { Decision, Evidence } from '../decide/evidence.js';
import { recordDecision } from '../flows/decisions.js';
import { seal, type Keys } from '../keys/index.js';
import type { Logger } from '../log/index.js';
import type { Metrics } from '../metrics/index.js';
import { claim, complete, failJob, heartbeat, releaseAll, retryLater, MAX_JOB_ATTEMPTS, type Job } from '../queue/index.js';
import type { BlobStore } from '../storage/index.js';
import type { Clock } from '../flows/deps.js';
import type { ChallengeNewspaper, Declared, StepKind } from '../db/index.js';

export interface VerificationInput {
  sessionId: string;
  declared: Declared | null;
  steps: {
    stepId: string;
    kind: StepKind;
    gesture: { id: string; version: number; definition: Record<string, unknown> } | null;
    newspaper: ChallengeNewspaper | null;
    photo: { id: string; sha256: string; bytes: Uint8Array } | null;
  }[];
}

export interface VerificationOutput {
  evidence: Evidence;
  /** face embeddings by step, sealed before they are stored */
  embeddings: Record<string, number[]>;
  /** perceptual hash per photo id, stored for near-duplicate search across sessions */
  phashes: Record<string, string>;
}

/** Turns a session's photos into evidence. The vision/OCR-backed implementation lives in ./evidence.ts. */
export type GatherEvidence = (input: VerificationInput, db: Db) => Promise<VerificationOutput>;

export interface PipelineDeps {
  db: Db;
  store: BlobStore;
  keys: Keys;
  clock: Clock;
  log: Logger;
  metrics: Metrics;
  gather: GatherEvidence;
  leaseSeconds: number;
}

export async function loadInput(deps: PipelineDeps, job: Job): Promise<VerificationInput> {
  const [session] = await deps.db.select().from(tables.sessions).where(eq(tables.sessions.id, job.sessionId));
  const [challenge] = await deps.db.select().from(tables.challenges)
    .where(and(eq(tables.challenges.sessionId, job.sessionId), eq(tables.challenges.status, 'used')));
  if (!session || !challenge) throw new Error('session or its submitted challenge is missing');
  const rows = await deps.db.select().from(tables.challengeSteps)
    .leftJoin(tables.photos, and(eq(tables.photos.id, tables.challengeSteps.photoId), isNull(tables.photos.deletedAt)))
    .leftJoin(tables.gestures, and(eq(tables.gestures.id, tables.challengeSteps.gestureId), eq(tables.gestures.version, tables.challengeSteps.gestureVersion)))
    .where(eq(tables.challengeSteps.challengeId, challenge.id)).orderBy(asc(tables.challengeSteps.position));
  const steps: VerificationInput['steps'] = [];
  for (const r of rows) {
    const s = r.challenge_steps;
    const bytes = r.photos ? await deps.store.get(r.photos.storageKey) : null;
    steps.push({
      stepId: s.id, kind: s.kind, newspaper: s.newspaper,
      gesture: r.gestures ? { id: r.gestures.id, version: r.gestures.version, definition: r.gestures.definition } : null,
      photo: r.photos && bytes ? { id: r.photos.id, sha256: r.photos.sha256, bytes } : null,
    });
  }
  return { sessionId: session.id, declared: session.declared ?? null, steps };
}

/** One job, start to finish. Returns the decision made, or null when another worker had already decided. */
export async function processJob(deps: PipelineDeps, job: Job): Promise<Decision | null> {
  const started = performance.now();
  const input = await loadInput(deps, job);
  const out = await deps.gather(input, deps.db);
  const [tenant] = await deps.db.select({ policy: tables.tenants.policy }).from(tables.tenants).where(eq(tables.tenants.id, job.tenantId));
  const decision = decide(out.evidence, resolvePolicy(tenant?.policy ?? {}));
  const sealed = await seal(deps.keys, job.sessionId, new TextEncoder().encode(JSON.stringify(out.embeddings)));
  const now = deps.clock.now();
  const recorded = await deps.db.transaction(async (tx) => {
    await tx.insert(tables.evidence).values({ sessionId: job.sessionId, tenantId: job.tenantId, data: out.evidence as never, embeddings: sealed, createdAt: now })
      .onConflictDoNothing();
    for (const [photoId, phash] of Object.entries(out.phashes)) {
      await tx.update(tables.photos).set({ phash }).where(eq(tables.photos.id, photoId));
    }
    const made = await recordDecision(tx, job.sessionId, decision, now);
    await complete(tx, job, now);
    return made;
  });
  deps.metrics.observe('realperson_verification_seconds', 'Time to verify one session', {}, (performance.now() - started) / 1000, [1, 2, 5, 10, 20, 40, 80]);
  if (recorded) deps.metrics.inc('realperson_decisions_total', 'Decisions by outcome', { outcome: decision.outcome, by: 'pipeline' });
  return recorded ? decision : null;
}

/**
 * When a job has failed too often, the session still gets an answer: review, never approve. The job is
 * marked failed in the same transaction as the decision, so a worker that dies here leaves either
 * both or neither, and the decisions key keeps it to one decision, one audit entry and one webhook.
 */
async function giveUp(deps: Pick<PipelineDeps, 'db' | 'clock' | 'log' | 'metrics'>, job: Job, why: string): Promise<void> {
  const decision: Decision = {
    outcome: 'review',
    reasons: [{ code: 'pipeline.failed', detail: `verification could not complete after ${Math.min(job.attempts, MAX_JOB_ATTEMPTS)} attempts: ${why.slice(0, 200)}` }],
    scores: { faceMatch: null, sameFace: null },
  };
  const now = deps.clock.now();
  const recorded = await deps.db.transaction(async (tx) => {
    const made = await recordDecision(tx, job.sessionId, decision, now);
    await failJob(tx, job, why, now);
    return made;
  });
  deps.metrics.inc('realperson_jobs_given_up_total', 'Verification jobs given up (pipeline.failed → review)');
  if (recorded) deps.metrics.inc('realperson_decisions_total', 'Decisions by outcome', { outcome: 'review', by: 'pipeline' });
  deps.log.warn('job given up: session sent to review as pipeline.failed', { jobId: job.id, sessionId: job.sessionId, attempts: job.attempts, reason: why.slice(0, 200) });
}

/**
 * The next job this worker should run. A job claimed more than MAX_JOB_ATTEMPTS times is one whose
 * workers kept stopping while they ran it (killed, out of memory, crashed: nothing was left to count
 * the failure), so it is given up here, at the claim, instead of being run again and blocking the
 * queue behind it.
 */
export async function claimNext(deps: Pick<PipelineDeps, 'db' | 'clock' | 'log' | 'metrics' | 'leaseSeconds'>, workerId: string): Promise<Job | null> {
  for (;;) {
    const job = await claim(deps.db, workerId, deps.clock.now(), deps.leaseSeconds);
    if (!job || job.attempts <= MAX_JOB_ATTEMPTS) return job;
    const last = job.lastError ? `; last error: ${job.lastError}` : '';
    await giveUp(deps, job, `its worker stopped while running it (killed or crashed) ${job.attempts - 1} times${last}`);
  }
}

export interface WorkerHandle {
  /** stops claiming; a job in flight finishes (or is released when `hard` is set) */
  stop(opts?: { hard?: boolean }): Promise<void>;
}

export function startWorker(deps: PipelineDeps, workerId: string, pollMs = 500): WorkerHandle {
  let stopping = false;
  let current: Promise<void> | null = null;
  let wake: (() => void) | null = null;
  const loop = async () => {
    while (!stopping) {
      const job = await claimNext(deps, workerId).catch((err) => {
        if (isDatabaseUnavailable(err)) deps.log.warn('claim failed: database unavailable', { workerId, err: loggableError(err) });
        else deps.log.error('claim failed', { workerId, err: loggableError(err) });
        return null;
      });
      if (!job) {
        await new Promise<void>((r) => { wake = r; setTimeout(r, pollMs); });
        continue;
      }
      current = runOne(deps, job, workerId);
      await current;
      current = null;
    }
  };
  const done = loop();
  return {
    async stop(opts = {}) {
      stopping = true;
      wake?.();
      if (opts.hard) await releaseAll(deps.db, workerId, deps.clock.now());
      else await current;
      await done;
    },
  };
}

async function runOne(deps: PipelineDeps, job: Job, workerId: string) {
  const log = deps.log.child({ jobId: job.id, sessionId: job.sessionId, workerId, attempt: job.attempts });
  const beat = setInterval(() => {
    heartbeat(deps.db, job, workerId, deps.clock.now(), deps.leaseSeconds).catch((err) => log.warn('heartbeat failed', { err }));
  }, Math.max(1000, (deps.leaseSeconds * 1000) / 3));
  try {
    const decision = await processJob(deps, job);
    log.info('job done', { outcome: decision?.outcome ?? 'already decided' });
  } catch (err) {
    if (isDatabaseUnavailable(err)) {
      // Not the job's fault: its lease runs out and a worker takes it again once the database is
      // back. Writing a retry now would fail the same way, and throwing would end the loop.
      log.warn('job interrupted: database unavailable', { err: loggableError(err) });
      return;
    }
    const message = (err as Error).message;
    log.error('job failed', { err });
    deps.metrics.inc('realperson_jobs_failed_total', 'Verification attempts that failed');
    try {
      if (job.attempts >= MAX_JOB_ATTEMPTS) await giveUp(deps, job, message);
      else await retryLater(deps.db, job, message, deps.clock.now());
    } catch (recordErr) {
      // The failure could not be recorded: the lease runs out and the job is claimed again, and the
      // claim's cap still bounds its attempts.
      log.warn('job failure not recorded', { err: loggableError(recordErr) });
    }
  } finally {
    clearInterval(beat);
  }
}
