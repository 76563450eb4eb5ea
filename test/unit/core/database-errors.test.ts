// Which failures mean "the database cannot be reached" (503, try again) and which are a fault in a
// query (500): real errors from PGlite and, when TEST_DATABASE_URL is set, from PostgreSQL.
import { createServer } from 'node:net';
import { sql } from 'drizzle-orm';
import postgres from 'postgres';
import { describe, expect, it } from 'vitest';
import { isDatabaseUnavailable, loggableError, openDatabase } from '../../../src/db/index.js';
import { TEST_DATABASE_URL } from '../../support/postgres.js';

const failure = (p: Promise<unknown>) => p.then(() => { throw new Error('expected the query to fail'); }, (err: unknown) => err);

describe('database unavailable or query at fault', () => {
  it('a closed PGlite is unavailable; a syntax error or a broken constraint in a live one is not', async () => {
    const database = await openDatabase({});
    expect(isDatabaseUnavailable(await failure(database.db.execute(sql`selec 1`)))).toBe(false);
    await database.db.execute(sql`create table t (id int primary key)`);
    await database.db.execute(sql`insert into t values (1)`);
    expect(isDatabaseUnavailable(await failure(database.db.execute(sql`insert into t values (1)`)))).toBe(false);
    await database.close();
    expect(isDatabaseUnavailable(await failure(database.db.execute(sql`select 1`)))).toBe(true);
    await database.close(); // closing twice is harmless
  });

  it('a PostgreSQL that refuses the connection is unavailable', async () => {
    const probe = createServer();
    await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
    const { port } = probe.address() as { port: number };
    await new Promise((r) => probe.close(r));
    const database = await openDatabase({ url: `postgres://postgres@127.0.0.1:${port}/none`, pool: 1 });
    try {
      const err = await failure(database.db.execute(sql`select ${'11010519491231002X'}::text`));
      expect(isDatabaseUnavailable(err)).toBe(true);
      // what is logged names the failure and the statement, never the parameters
      expect(JSON.stringify(loggableError(err))).toMatch(/ECONNREFUSED/);
      expect(JSON.stringify(loggableError(err))).not.toContain('11010519491231002X');
    } finally {
      await database.close();
    }
  });

  it.skipIf(!TEST_DATABASE_URL)('on PostgreSQL: a terminated connection and "too many connections" are unavailable, a query error is not', async () => {
    const database = await openDatabase({ url: TEST_DATABASE_URL, pool: 1 });
    const admin = postgres(TEST_DATABASE_URL!, { max: 1, onnotice: () => {} });
    const role = `rp_full_${process.pid}_${Math.random().toString(36).slice(2, 6)}`;
    try {
      expect(isDatabaseUnavailable(await failure(database.db.execute(sql`select * from no_such_table`)))).toBe(false);
      expect(isDatabaseUnavailable(await failure(database.db.execute(sql`select pg_terminate_backend(pg_backend_pid())`)))).toBe(true);
      // a role allowed no connections meets the server's "too many connections" (SQLSTATE 53300)
      await admin.unsafe(`create role ${role} login connection limit 0`);
      const url = new URL(TEST_DATABASE_URL!);
      url.username = role;
      const full = await openDatabase({ url: url.toString(), pool: 1 });
      try {
        const err = await failure(full.db.execute(sql`select 1`));
        expect((err as { cause?: { code?: string } }).cause?.code).toBe('53300');
        expect(isDatabaseUnavailable(err)).toBe(true);
      } finally {
        await full.close();
      }
    } finally {
      await admin.unsafe(`drop role if exists ${role}`);
      await admin.end();
      await database.close();
    }
  });
});
