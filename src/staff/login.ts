// Staff sign-in: one answer for an unknown email, a wrong password and a locked account, about the
// same time for each (a scrypt always runs), and a lock after repeated failures. Every attempt is audited.
import { randomBytes } from 'node:crypto';
import { and, eq, isNull, lt, or, sql } from 'drizzle-orm';
import { appendAudit } from '../audit/index.js';
import { tables, type Db } from '../db/index.js';
import { issueStaffToken, type Keys, type StaffClaims } from '../keys/index.js';
import { Problem } from '../problem/index.js';
import { hashPassword, verifyPassword } from './passwords.js';

/** Failures in a row that lock an account, and for how long: slows guessing to 5 tries per 15 minutes. */
export const MAX_FAILED_LOGINS = 5;
export const LOCK_SECONDS = 15 * 60;
/** The staff JWT lives 15 minutes; signing out recalls it at once (see sessionEpoch). */
export const STAFF_TOKEN_SECONDS = 15 * 60;

export type StaffRole = StaffClaims['role'];

export interface SignedIn {
  userId: string;
  role: StaffRole;
  email: string;
  csrfToken: string;
  token: string;
  expiresAt: Date;
}

// Compared against when the email is unknown, so that case costs one scrypt like the others.
let decoyHash: Promise<string> | null = null;
const decoy = () => (decoyHash ??= hashPassword(randomBytes(18).toString('base64url')));

const failed = () => new Problem('auth.login_failed', 401,
  `the email or password is wrong, or the account is locked after ${MAX_FAILED_LOGINS} failed attempts (for ${LOCK_SECONDS / 60} minutes)`);

export async function signIn(deps: { db: Db; keys: Keys }, email: string, password: string, now: Date): Promise<SignedIn> {
  const { db } = deps;
  const [user] = await db.select().from(tables.staffUsers).where(sql`lower(${tables.staffUsers.email}) = lower(${email})`);
  const attempted = email.toLowerCase().slice(0, 200);

  if (!user) {
    await verifyPassword(password, await decoy());
    await db.transaction((tx) => appendAudit(tx, { actor: 'anonymous', action: 'staff.login_failed', data: { email: attempted, reason: 'unknown_email' } }, now));
    throw failed();
  }
  const attempt = await reserveAttempt(db, user.id, now);
  // A refused attempt still costs one scrypt, against the decoy: its answer takes as long as a checked one.
  const passwordOk = await verifyPassword(password, attempt ? user.passwordHash : await decoy());
  if (!attempt || user.disabled || !passwordOk) {
    const reason = !attempt ? 'locked' : user.disabled ? 'disabled' : 'wrong_password';
    await db.transaction(async (tx) => {
      await appendAudit(tx, { actor: `staff:${user.id}`, action: 'staff.login_failed', subject: user.id, data: { email: attempted, reason } }, now);
      if (attempt?.lockedUntil) {
        await appendAudit(tx, { actor: 'system', action: 'staff.locked', subject: user.id, data: { until: attempt.lockedUntil.toISOString(), failures: attempt.count } }, now);
      }
    });
    throw failed();
  }

  const csrfToken = randomBytes(32).toString('base64url');
  const token = await issueStaffToken(deps.keys, { userId: user.id, role: user.role, csrf: csrfToken, epoch: user.sessionEpoch }, STAFF_TOKEN_SECONDS, now);
  await db.transaction(async (tx) => {
    // Lift the count and the lock only if no attempt was reserved after this one: guesses sent in
    // parallel with the owner's sign-in keep the places they took, and the lock they set.
    const cleared = await tx.update(tables.staffUsers).set({ failedLogins: 0, lockedUntil: null })
      .where(and(eq(tables.staffUsers.id, user.id), eq(tables.staffUsers.failedLogins, attempt.count))).returning({ id: tables.staffUsers.id });
    if (cleared.length === 0) {
      await tx.update(tables.staffUsers).set({ failedLogins: sql`greatest(${tables.staffUsers.failedLogins} - 1, 0)` })
        .where(eq(tables.staffUsers.id, user.id));
    }
    await appendAudit(tx, { actor: `staff:${user.id}`, action: 'staff.login', subject: user.id, data: { role: user.role } }, now);
  });
  return { userId: user.id, role: user.role, email: user.email, csrfToken, token, expiresAt: new Date(now.getTime() + STAFF_TOKEN_SECONDS * 1000) };
}

/**
 * Reserves one password check for the account before the password is looked at, in one statement:
 * parallel attempts are counted one after another by the row lock, so however many arrive at once at
 * most MAX_FAILED_LOGINS are checked per lock window. The attempt that takes the last place also
 * starts the lock (a process that dies mid-check still leaves the account locked, for a while, not for
 * ever); a sign-in that succeeds lifts it. Null: the account is locked, or its places are all taken.
 */
async function reserveAttempt(db: Db, userId: string, now: Date): Promise<{ count: number; lockedUntil: Date | null } | null> {
  const u = tables.staffUsers;
  const until = new Date(now.getTime() + LOCK_SECONDS * 1000);
  const lockOver = sql`${u.lockedUntil} <= ${now.toISOString()}::timestamptz`;
  // after a lock has run out the count starts again
  const count = sql`case when ${lockOver} then 1 else ${u.failedLogins} + 1 end`;
  const rows = await db.update(u).set({
    failedLogins: count,
    lockedUntil: sql`case when ${count} >= ${MAX_FAILED_LOGINS} then ${until.toISOString()}::timestamptz else null end`,
  }).where(and(eq(u.id, userId), or(lockOver, and(isNull(u.lockedUntil), lt(u.failedLogins, MAX_FAILED_LOGINS)))))
    .returning({ count: u.failedLogins, lockedUntil: u.lockedUntil });
  return rows[0] ?? null;
}

/** Signs the user out everywhere: every staff token issued to them so far stops working. */
export async function recordSignOut(db: Db, userId: string, now: Date): Promise<void> {
  await db.transaction(async (tx) => {
    await tx.update(tables.staffUsers).set({ sessionEpoch: sql`${tables.staffUsers.sessionEpoch} + 1` }).where(eq(tables.staffUsers.id, userId));
    await appendAudit(tx, { actor: `staff:${userId}`, action: 'staff.logout', subject: userId }, now);
  });
}

/**
 * The signed-in user as the database has them now: a disabled or deleted account, a changed role, or
 * a sign-out since the token was issued (its epoch is behind the account's) takes effect at once.
 */
export async function currentStaff(db: Db, userId: string, tokenEpoch: number): Promise<{ id: string; email: string; role: StaffRole } | null> {
  const [u] = await db.select({
    id: tables.staffUsers.id, email: tables.staffUsers.email, role: tables.staffUsers.role, disabled: tables.staffUsers.disabled, epoch: tables.staffUsers.sessionEpoch,
  }).from(tables.staffUsers).where(eq(tables.staffUsers.id, userId));
  return u && !u.disabled && u.epoch === tokenEpoch ? { id: u.id, email: u.email, role: u.role } : null;
}
