// The database schema: the single source of truth for migrations (drizzle-kit generate) on both
// PGlite and PostgreSQL. Every row that belongs to a platform carries tenant_id, and every query filters by it.
import { sql } from 'drizzle-orm';
import {
  bigserial, boolean, customType, index, integer, jsonb, pgTable, primaryKey, text, timestamp, uniqueIndex,
} from 'drizzle-orm/pg-core';

const bytea = customType<{ data: Uint8Array; driverData: Uint8Array }>({ dataType: () => 'bytea' });
const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

export const tenants = pgTable('tenants', {
  id: text('id').primaryKey(),
  name: text('name').notNull(),
  /** per-tenant policy overrides, validated by decide's policySchema */
  policy: jsonb('policy').$type<Record<string, unknown>>().notNull().default({}),
  createdAt: ts('created_at').notNull().defaultNow(),
});

export const apiKeys = pgTable('api_keys', {
  id: text('id').primaryKey(),
  tenantId: text('tenant_id').notNull().references(() => tenants.id),
  /** SHA-256 of the key: keys are 256 random bits, so a fast hash is enough and lookups stay O(1) */
  hash: text('hash').notNull(),
  createdAt: ts('created_at').notNull().defaultNow(),
  revokedAt: ts('revoked_at'),
}, (t) => [uniqueIndex('api_keys_hash_idx').on(t.hash)]);

export const sessions = pgTable('sessions', {
  id: text('id').primaryKey(),
  tenantId: text('tenant_id').notNull().references(() => tenants.id),
  externalSellerId: text('external_seller_id').notNull(),
  locale: text('locale').notNull(),
  /** the seller's declared identity; null once erased on the platform's request */
  declared: jsonb('declared').$type<Declared | null>(),
  region: text('region').notNull(),
  callbackUrl: text('callback_url'),
  status: text('status').$type<SessionStatus>().notNull(),
  attempts: integer('attempts').notNull().default(0),
  createdAt: ts('created_at').notNull().defaultNow(),
  expiresAt: ts('expires_at').notNull(),
  submittedAt: ts('submitted_at'),
  dataErasedAt: ts('data_erased_at'),
  /** when retention deleted the session's whole blob folder, including blobs no row listed */
  blobsPurgedAt: ts('blobs_purged_at'),
}, (t) => [
  index('sessions_tenant_created_idx').on(t.tenantId, t.createdAt, t.id),
  index('sessions_status_idx').on(t.status),
  index('sessions_blobs_unpurged_idx').on(t.expiresAt).where(sql`${t.blobsPurgedAt} is null`),
]);

export const challenges = pgTable('challenges', {
  id: text('id').primaryKey(),
  sessionId: text('session_id').notNull().references(() => sessions.id),
  tenantId: text('tenant_id').notNull(),
  attempt: integer('attempt').notNull(),
  /** open → used (submitted) | superseded (a retry drew anew) | expired */
  status: text('status').$type<'open' | 'used' | 'superseded' | 'expired'>().notNull(),
  createdAt: ts('created_at').notNull().defaultNow(),
  expiresAt: ts('expires_at').notNull(),
}, (t) => [
  uniqueIndex('challenges_session_attempt_idx').on(t.sessionId, t.attempt),
]);

export const challengeSteps = pgTable('challenge_steps', {
  id: text('id').primaryKey(),
  challengeId: text('challenge_id').notNull().references(() => challenges.id),
  sessionId: text('session_id').notNull(),
  position: integer('position').notNull(),
  kind: text('kind').$type<StepKind>().notNull(),
  gestureId: text('gesture_id'),
  gestureVersion: integer('gesture_version'),
  newspaper: jsonb('newspaper').$type<ChallengeNewspaper | null>(),
  photoId: text('photo_id'),
}, (t) => [index('challenge_steps_challenge_idx').on(t.challengeId, t.position)]);

export const photos = pgTable('photos', {
  id: text('id').primaryKey(),
  tenantId: text('tenant_id').notNull(),
  sessionId: text('session_id').notNull().references(() => sessions.id),
  stepId: text('step_id').notNull(),
  sha256: text('sha256').notNull(),
  storageKey: text('storage_key').notNull(),
  size: integer('size').notNull(),
  width: integer('width').notNull(),
  height: integer('height').notNull(),
  phash: text('phash'),
  createdAt: ts('created_at').notNull().defaultNow(),
  deletedAt: ts('deleted_at'),
}, (t) => [
  index('photos_session_idx').on(t.sessionId),
  index('photos_created_idx').on(t.createdAt),
  index('photos_phash_idx').on(t.phash),
]);

/**
 * Blobs that must go, recorded in the transaction that decides so, and deleted from the store after
 * it commits: an erased session's folder, a purged or replaced photo, and an upload's photo until its
 * row commits. A crash between the commit and the deletes leaves the row here for the sweep, so no
 * photo outlives the decision to delete it.
 */
export const blobDeletions = pgTable('blob_deletions', {
  /** a blob key, or a folder ending in "/" whose every blob goes */
  key: text('key').primaryKey(),
  tenantId: text('tenant_id').notNull(),
  /** not swept before: an upload in flight owns its blob until then */
  dueAt: ts('due_at').notNull(),
  createdAt: ts('created_at').notNull().defaultNow(),
}, (t) => [index('blob_deletions_due_idx').on(t.dueAt)]);

export const jobs = pgTable('jobs', {
  id: text('id').primaryKey(),
  kind: text('kind').notNull(),
  tenantId: text('tenant_id').notNull(),
  sessionId: text('session_id').notNull(),
  status: text('status').$type<'queued' | 'running' | 'done' | 'failed'>().notNull(),
  attempts: integer('attempts').notNull().default(0),
  runAfter: ts('run_after').notNull().defaultNow(),
  leaseUntil: ts('lease_until'),
  lockedBy: text('locked_by'),
  lastError: text('last_error'),
  createdAt: ts('created_at').notNull().defaultNow(),
  updatedAt: ts('updated_at').notNull().defaultNow(),
}, (t) => [
  index('jobs_claim_idx').on(t.status, t.runAfter),
  // one verification job per session: submit twice and the second insert is a no-op
  uniqueIndex('jobs_kind_session_idx').on(t.kind, t.sessionId),
]);

export const evidence = pgTable('evidence', {
  sessionId: text('session_id').primaryKey().references(() => sessions.id),
  tenantId: text('tenant_id').notNull(),
  data: jsonb('data').$type<Record<string, unknown>>().notNull(),
  /** face embeddings, AES-256-GCM with the session id as associated data; null once erased */
  embeddings: bytea('embeddings'),
  createdAt: ts('created_at').notNull().defaultNow(),
});

export const decisions = pgTable('decisions', {
  // the primary key is what makes "decided exactly once" hold under any number of workers
  sessionId: text('session_id').primaryKey().references(() => sessions.id),
  tenantId: text('tenant_id').notNull(),
  outcome: text('outcome').$type<'approved' | 'rejected' | 'review'>().notNull(),
  reasons: jsonb('reasons').$type<{ code: string; detail: string }[]>().notNull(),
  scores: jsonb('scores').$type<Record<string, number | null>>().notNull(),
  decidedBy: text('decided_by').$type<'pipeline' | 'reviewer'>().notNull(),
  createdAt: ts('created_at').notNull().defaultNow(),
});

/** A reviewer's final word on a session the pipeline sent to review. */
export const reviewDecisions = pgTable('review_decisions', {
  sessionId: text('session_id').primaryKey().references(() => sessions.id),
  tenantId: text('tenant_id').notNull(),
  reviewerId: text('reviewer_id').notNull(),
  outcome: text('outcome').$type<'approved' | 'rejected'>().notNull(),
  note: text('note').notNull(),
  createdAt: ts('created_at').notNull().defaultNow(),
});

export const webhookDeliveries = pgTable('webhook_deliveries', {
  /** the event id the platform deduplicates on */
  id: text('id').primaryKey(),
  tenantId: text('tenant_id').notNull(),
  sessionId: text('session_id').notNull(),
  eventType: text('event_type').notNull(),
  url: text('url').notNull(),
  payload: jsonb('payload').$type<Record<string, unknown>>().notNull(),
  status: text('status').$type<'pending' | 'delivered' | 'failed'>().notNull(),
  attempts: integer('attempts').notNull().default(0),
  nextAttemptAt: ts('next_attempt_at').notNull().defaultNow(),
  leaseUntil: ts('lease_until'),
  lastStatus: integer('last_status'),
  lastError: text('last_error'),
  createdAt: ts('created_at').notNull().defaultNow(),
  deliveredAt: ts('delivered_at'),
}, (t) => [index('webhook_due_idx').on(t.status, t.nextAttemptAt)]);

export const idempotencyKeys = pgTable('idempotency_keys', {
  tenantId: text('tenant_id').notNull(),
  key: text('key').notNull(),
  requestHash: text('request_hash').notNull(),
  statusCode: integer('status_code').notNull(),
  response: jsonb('response').$type<Record<string, unknown>>().notNull(),
  createdAt: ts('created_at').notNull().defaultNow(),
}, (t) => [primaryKey({ columns: [t.tenantId, t.key] })]);

export const staffUsers = pgTable('staff_users', {
  id: text('id').primaryKey(),
  email: text('email').notNull(),
  role: text('role').$type<'reviewer' | 'security' | 'admin'>().notNull(),
  passwordHash: text('password_hash').notNull(),
  failedLogins: integer('failed_logins').notNull().default(0),
  lockedUntil: ts('locked_until'),
  createdAt: ts('created_at').notNull().defaultNow(),
  disabled: boolean('disabled').notNull().default(false),
  /** raised at every sign-out: staff tokens carry the value they were issued under, older ones stop working */
  sessionEpoch: integer('session_epoch').notNull().default(0),
}, (t) => [uniqueIndex('staff_users_email_idx').on(sql`lower(${t.email})`)]);

/**
 * Sign-in attempts per client address in a fixed window (src/staff/throttle.ts): kept in the database
 * so that every process counts against one limit and parallel attempts reserve their place atomically.
 */
export const loginThrottle = pgTable('login_throttle', {
  address: text('address').primaryKey(),
  windowStart: ts('window_start').notNull(),
  /** attempts reserved in the window and not given back by a successful sign-in; limit + 1 means full */
  attempts: integer('attempts').notNull(),
}, (t) => [index('login_throttle_window_idx').on(t.windowStart)]);

export const gestures = pgTable('gestures', {
  id: text('id').notNull(),
  version: integer('version').notNull(),
  status: text('status').$type<'draft' | 'active' | 'retired'>().notNull(),
  /** the gesture file as loaded: instructions, example, rule */
  definition: jsonb('definition').$type<Record<string, unknown>>().notNull(),
  updatedAt: ts('updated_at').notNull().defaultNow(),
}, (t) => [primaryKey({ columns: [t.id, t.version] })]);

export const gestureRotations = pgTable('gesture_rotations', {
  id: text('id').primaryKey(),
  requestedBy: text('requested_by').notNull(),
  count: integer('count').notNull(),
  scheduledFor: ts('scheduled_for').notNull(),
  appliedAt: ts('applied_at'),
  activeSet: jsonb('active_set').$type<string[] | null>(),
  createdAt: ts('created_at').notNull().defaultNow(),
});

/** Append-only and hash-chained: each entry carries the hash of the one before it. */
export const auditLog = pgTable('audit_log', {
  seq: bigserial('seq', { mode: 'number' }).primaryKey(),
  id: text('id').notNull(),
  at: ts('at').notNull(),
  actor: text('actor').notNull(),
  action: text('action').notNull(),
  tenantId: text('tenant_id'),
  subject: text('subject'),
  data: jsonb('data').$type<Record<string, unknown>>().notNull(),
  prevHash: text('prev_hash').notNull(),
  hash: text('hash').notNull(),
}, (t) => [uniqueIndex('audit_log_id_idx').on(t.id)]);

export type StepKind = 'id_front' | 'selfie_with_id' | 'gesture' | 'newspaper';
export type SessionStatus = 'awaiting_capture' | 'processing' | 'review' | 'decided' | 'expired' | 'cancelled';
/** The newspaper a challenge step asks for. Steps drawn before dates were reckoned in the seller's
 *  zone have no timeZone, edition or day: their date and window are UTC dates. */
export interface ChallengeNewspaper {
  id: string;
  name: string;
  /** the printed date asked for, local to the seller's region */
  date: string;
  /** printed dates accepted, inclusive: the policy's days before `date`, up to the latest date a
   *  paper on sale in the region can print */
  window: { from: string; to: string };
  /** the IANA zone `date` and `window` are reckoned in; null: the region had no zone on file, and
   *  the dates were widened to every zone on Earth */
  timeZone?: string | null;
  edition?: 'morning' | 'evening';
  /** `date` against the seller's local date when the challenge was drawn */
  day?: 'yesterday' | 'today' | 'tomorrow';
}

export interface Declared {
  fullName: string;
  documentType: 'cn_resident_id' | 'passport' | 'id_card';
  documentNumber: string;
  region: string;
}

/** A reviewer's hold on a case while deciding it; a stale claim (past expires_at) may be taken over. */
export const reviewClaims = pgTable('review_claims', {
  sessionId: text('session_id').primaryKey().references(() => sessions.id),
  reviewerId: text('reviewer_id').notNull(),
  claimedAt: ts('claimed_at').notNull(),
  expiresAt: ts('expires_at').notNull(),
});
