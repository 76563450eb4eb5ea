// Failed sign-ins per client address. The account lock stops guessing one account's password; this
// stops one address from spraying guesses across many accounts, and from making the server spend a
// scrypt on each. Only failures count (a person who types right is never slowed), in a fixed window
// per address kept in the process's memory: each process counts on its own; the account lock in the
// database is the shared limit.
import { Problem } from '../problem/index.js';

/** Failed sign-ins one address may make per window before it must wait: far above a person's typos. */
export const FAILED_LOGINS_PER_ADDRESS = 20;
export const LOGIN_WINDOW_SECONDS = 60;
/** Addresses remembered at most: beyond it the oldest windows are dropped first. */
const MAX_TRACKED = 10_000;

export interface LoginThrottle {
  /** Before checking a password: throws a 429 Problem while `address` has used up its window. */
  admit(address: string, now: Date): void;
  /** After a failed sign-in from `address`. */
  failed(address: string, now: Date): void;
}

export function createLoginThrottle(limit = FAILED_LOGINS_PER_ADDRESS, windowSeconds = LOGIN_WINDOW_SECONDS): LoginThrottle {
  const windows = new Map<string, { start: number; count: number }>();
  const current = (address: string, t: number) => {
    const w = windows.get(address);
    if (w && t - w.start < windowSeconds * 1000) return w;
    windows.delete(address);
    return null;
  };
  return {
    admit(address, now) {
      const t = now.getTime();
      const w = current(address, t);
      if (w && w.count >= limit) {
        const retryAfterSeconds = (w.start + windowSeconds * 1000 - t) / 1000;
        throw new Problem('auth.too_many_attempts', 429,
          `too many failed sign-ins from this address (${limit} in ${windowSeconds} s); try again in ${Math.ceil(retryAfterSeconds)} s`,
          { retryAfterSeconds });
      }
    },
    failed(address, now) {
      const t = now.getTime();
      const w = current(address, t);
      if (w) {
        w.count += 1;
        return;
      }
      if (windows.size >= MAX_TRACKED) windows.delete(windows.keys().next().value!);
      windows.set(address, { start: t, count: 1 });
    },
  };
}
