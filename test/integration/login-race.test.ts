// Staff sign-in under parallel guessing, over real HTTP on PGlite and (when TEST_DATABASE_URL is set,
// as in CI) PostgreSQL: the account lock and the address throttle reserve each attempt in the
// database before a password is checked, so guesses sent all at once are held to the same limits as
// guesses sent one by one.
import { and, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCommand } from '../../src/cli/commands.js';
import { tables } from '../../src/db/index.js';
import { LOCK_SECONDS, MAX_FAILED_LOGINS } from '../../src/staff/index.js';
import { FAILED_LOGINS_PER_ADDRESS } from '../../src/staff/throttle.js';
import { TEST_DATABASE_URL } from '../support/postgres.js';
import { startTestServer, type TestServer } from '../support/server.js';

const backends = [{ name: 'PGlite', postgres: false }, ...(TEST_DATABASE_URL ? [{ name: 'PostgreSQL', postgres: true }] : [])];
if (!TEST_DATABASE_URL) console.warn('[realperson tests] TEST_DATABASE_URL unset: sign-in race suite runs on PGlite only');

const PARALLEL = 40;

describe.each(backends)('parallel sign-in guessing on $name', ({ postgres }) => {
  let t: TestServer;
  let offset = 0;
  const clock = { now: () => new Date(Date.now() + offset) };

  // TRUST_PROXY: each request names its own client address, so the account lock is seen on its own.
  beforeAll(async () => { t = await startTestServer({ clock, postgres, env: { TRUST_PROXY: 'true' } }); }, 120_000);
  afterAll(async () => { await t?.close(); });

  async function staffUser() {
    const email = `guessed-${Math.random().toString(36).slice(2, 8)}@staff.example`;
    const { lines } = await runCommand(['staff', 'create', '--email', email, '--role', 'admin'], { db: t.service.database.db, store: t.service.store, config: t.service.config, clock });
    return { email, ...JSON.parse(lines[0]) as { userId: string; password: string } };
  }

  const login = (email: string, password: string, address: string) => fetch(`${t.url}/staff/v1/login`, {
    method: 'POST', body: JSON.stringify({ email, password }),
    headers: { 'content-type': 'application/json', 'x-forwarded-for': address },
  });

  const checkedGuesses = async (userId: string) => (await t.service.database.db.select({ n: sql<number>`count(*)::int` }).from(tables.auditLog)
    .where(and(eq(tables.auditLog.subject, userId), eq(tables.auditLog.action, 'staff.login_failed'), sql`${tables.auditLog.data}->>'reason' = 'wrong_password'`)))[0].n;

  it(`${PARALLEL} guesses at once, the right one among them after the fifth, never sign in`, async () => {
    const u = await staffUser();
    // every request is on the wire before the first answer; the right password goes last
    const answers = await Promise.all(Array.from({ length: PARALLEL }, (_, i) =>
      login(u.email, i === PARALLEL - 1 ? u.password : `guess-${i}`, `198.51.100.${i + 1}`)));
    const statuses = answers.map((r) => r.status);
    expect(statuses.filter((s) => s === 200)).toEqual([]);
    expect(statuses.every((s) => s === 401)).toBe(true);
    // at most five passwords were compared; the rest were refused as locked without a check
    expect(Number(await checkedGuesses(u.userId))).toBeLessThanOrEqual(MAX_FAILED_LOGINS);
    const [row] = await t.service.database.db.select().from(tables.staffUsers).where(eq(tables.staffUsers.id, u.userId));
    expect(row.lockedUntil!.getTime()).toBeGreaterThan(clock.now().getTime());

    offset += (LOCK_SECONDS + 60) * 1000;
    expect((await login(u.email, u.password, '198.51.100.200')).status).toBe(200);
  }, 60_000);

  it(`${PARALLEL} failed sign-ins at once from one address: only ${FAILED_LOGINS_PER_ADDRESS} are checked, the rest wait (429)`, async () => {
    offset += 2 * 60_000; // a fresh window
    const answers = await Promise.all(Array.from({ length: PARALLEL }, (_, i) =>
      login(`spray-${i}@staff.example`, 'Winter2026!', '203.0.113.7')));
    const statuses = answers.map((r) => r.status);
    expect(statuses.filter((s) => s === 401).length).toBeLessThanOrEqual(FAILED_LOGINS_PER_ADDRESS);
    expect(statuses.filter((s) => s === 429).length).toBeGreaterThanOrEqual(PARALLEL - FAILED_LOGINS_PER_ADDRESS);
    const held = answers.find((r) => r.status === 429)!;
    expect(Number(held.headers.get('retry-after'))).toBeGreaterThan(0);
    // another address is not held back by this one
    const u = await staffUser();
    expect((await login(u.email, u.password, '203.0.113.8')).status).toBe(200);
  }, 60_000);
});
