// Sign-in attempts per client address. The account lock stops guessing one account's password; this
// stops one address from spraying guesses across many accounts, and from making the server spend a
// scrypt on each. Each attempt reserves its place in the address's window in the database before any
// password is checked (one statement, so parallel attempts each see the others), and a sign-in that
// succeeds gives its place back: a person who types right is never slowed. Every process counts
// against the same rows.
import { and, eq, lt, sql } from 'drizzle-orm';
import { tables, type Db } from '../db/index.js';
import { Problem } from '../problem/index.js';

/** Failed sign-ins one address may make per window before it must wait: far above a person's typos. */
export const FAILED_LOGINS_PER_ADDRESS = 20;
export const LOGIN_WINDOW_SECONDS = 60;

/** A reserved attempt: give it back when the sign-in succeeds. */
export interface AddressAttempt {
  release(): Promise<void>;
}

export interface LoginThrottle {
  /** Before checking a password: reserves an attempt, or throws a 429 Problem while `address` has used up its window. */
  reserve(db: Db, address: string, now: Date): Promise<AddressAttempt>;
}

export function createLoginThrottle(limit = FAILED_LOGINS_PER_ADDRESS, windowSeconds = LOGIN_WINDOW_SECONDS): LoginThrottle {
  const t = tables.loginThrottle;
  return {
    async reserve(db, address, now) {
      const cutoff = new Date(now.getTime() - windowSeconds * 1000);
      // Windows that have ended hold nothing; dropping them keeps the table as small as the last minute's addresses.
      await db.delete(t).where(lt(t.windowStart, cutoff));
      const ended = sql`${t.windowStart} <= ${cutoff.toISOString()}::timestamptz`;
      // Counting stops at limit + 1 ("full"), so refused attempts do not pile up and a released place is a real one.
      const [row] = await db.insert(t).values({ address, windowStart: now, attempts: 1 })
        .onConflictDoUpdate({
          target: t.address,
          set: {
            windowStart: sql`case when ${ended} then excluded.window_start else ${t.windowStart} end`,
            attempts: sql`case when ${ended} then 1 else least(${t.attempts} + 1, ${limit + 1}) end`,
          },
        })
        .returning({ windowStart: t.windowStart, attempts: t.attempts });
      if (row.attempts > limit) {
        const retryAfterSeconds = (row.windowStart.getTime() + windowSeconds * 1000 - now.getTime()) / 1000;
        throw new Problem('auth.too_many_attempts', 429,
          `too many failed sign-ins from this address (${limit} in ${windowSeconds} s); try again in ${Math.ceil(retryAfterSeconds)} s`,
          { retryAfterSeconds });
      }
      return {
        async release() {
          // Only within the same window: a new window has already forgotten this attempt.
          await db.update(t).set({ attempts: sql`least(${t.attempts}, ${limit}) - 1` })
            .where(and(eq(t.address, address), eq(t.windowStart, row.windowStart)));
        },
      };
    },
  };
}
