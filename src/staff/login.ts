// Staff sign-in: one answer for an unknown email, a wrong password and a locked account, about the
// same time for each (a scrypt always runs), and a lock after repeated failures. Every attempt is audited.
import { randomBytes } from 'node:crypto';
import { eq, sql } from 'drizzle-orm';
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
  const passwordOk = await verifyPassword(password, user?.passwordHash ?? await decoy());
  const attempted = email.toLowerCase().slice(0, 200);

  if (!user) {
    await db.transaction((tx) => appendAudit(tx, { actor: 'anonymous', action: 'staff.login_failed', data: { email: attempted, reason: 'unknown_email' } }, now));
    throw failed();
  }
  const locked = user.lockedUntil !== null && user.lockedUntil > now;
  if (locked || user.disabled || !passwordOk) {
    const reason = locked ? 'locked' : user.disabled ? 'disabled' : 'wrong_password';
    await db.transaction(async (tx) => {
      await appendAudit(tx, { actor: `staff:${user.id}`, action: 'staff.login_failed', subject: user.id, data: { email: attempted, reason } }, now);
      if (reason !== 'wrong_password') return;
      // Counted in SQL so that parallel guesses cannot each read the same old count.
      const [row] = await tx.update(tables.staffUsers).set({ failedLogins: sql`${tables.staffUsers.failedLogins} + 1` })
        .where(eq(tables.staffUsers.id, user.id)).returning({ failedLogins: tables.staffUsers.failedLogins });
      if (row.failedLogins >= MAX_FAILED_LOGINS) {
        const until = new Date(now.getTime() + LOCK_SECONDS * 1000);
        await tx.update(tables.staffUsers).set({ failedLogins: 0, lockedUntil: until }).where(eq(tables.staffUsers.id, user.id));
        await appendAudit(tx, { actor: 'system', action: 'staff.locked', subject: user.id, data: { until: until.toISOString(), failures: row.failedLogins } }, now);
      }
    });
    throw failed();
  }

  const csrfToken = randomBytes(32).toString('base64url');
  const token = await issueStaffToken(deps.keys, { userId: user.id, role: user.role, csrf: csrfToken, epoch: user.sessionEpoch }, STAFF_TOKEN_SECONDS, now);
  await db.transaction(async (tx) => {
    await tx.update(tables.staffUsers).set({ failedLogins: 0, lockedUntil: null }).where(eq(tables.staffUsers.id, user.id));
    await appendAudit(tx, { actor: `staff:${user.id}`, action: 'staff.login', subject: user.id, data: { role: user.role } }, now);
  });
  return { userId: user.id, role: user.role, email: user.email, csrfToken, token, expiresAt: new Date(now.getTime() + STAFF_TOKEN_SECONDS * 1000) };
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
