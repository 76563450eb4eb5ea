// Sign-in attempts per address, on an in-memory PGlite: reserved in a fixed window before the password
// is checked, given back when the sign-in succeeds, each address on its own.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../../../src/db/index.js';
import { Problem } from '../../../src/problem/index.js';
import { createLoginThrottle } from '../../../src/staff/throttle.js';

const at = (s: number) => new Date(Date.UTC(2026, 10, 23, 8, 0, 0) + s * 1000);
const migrationsFolder = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../migrations');

let database: Database;
beforeAll(async () => { database = await openDatabase({ migrationsFolder }); });
afterAll(async () => { await database?.close(); });

async function refusal(p: Promise<unknown>): Promise<Problem> {
  const err = await p.then(() => null, (e: unknown) => e);
  expect(err).toBeInstanceOf(Problem);
  return err as Problem;
}

describe('login throttle', () => {
  it('admits an address until its attempts fill the window, then says when to come back', async () => {
    const th = createLoginThrottle(3, 60);
    for (let i = 0; i < 3; i++) await th.reserve(database.db, '203.0.113.9', at(i));
    const refused = await refusal(th.reserve(database.db, '203.0.113.9', at(20)));
    expect(refused.status).toBe(429);
    expect(refused.retryAfterSeconds).toBe(40);
    // another address is not held for it
    await th.reserve(database.db, '198.51.100.7', at(20));
    // the window ends a minute after its first attempt
    await th.reserve(database.db, '203.0.113.9', at(60));
  });

  it('never holds an address for sign-ins that succeed', async () => {
    const th = createLoginThrottle(2, 60);
    for (let i = 0; i < 50; i++) await (await th.reserve(database.db, '203.0.113.10', at(i))).release();
    await th.reserve(database.db, '203.0.113.10', at(51)); // failed
    const second = await th.reserve(database.db, '203.0.113.10', at(52)); // failed
    await expect(th.reserve(database.db, '203.0.113.10', at(53))).rejects.toThrow(/too many failed sign-ins/);
    // a refused attempt takes no place: one success gives back exactly one
    await second.release();
    await th.reserve(database.db, '203.0.113.10', at(54));
    await expect(th.reserve(database.db, '203.0.113.10', at(55))).rejects.toThrow(/too many failed sign-ins/);
  });

  it('admits exactly the limit when attempts arrive all at once', async () => {
    const th = createLoginThrottle(5, 60);
    const results = await Promise.allSettled(Array.from({ length: 30 }, () => th.reserve(database.db, '203.0.113.11', at(0))));
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(5);
  });
});
