// Database access: the same drizzle schema and migrations on the embedded PGlite (default) and on
// PostgreSQL (DATABASE_URL). Queries are written with drizzle's typed SQL against `Db`.
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import * as schema from './schema.js';

export * as tables from './schema.js';
export type { ChallengeNewspaper, Declared, SessionStatus, StepKind } from './schema.js';

export type Db = PgDatabase<PgQueryResultHKT, typeof schema>;
export type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];

export interface Database {
  db: Db;
  kind: 'pglite' | 'postgres';
  close(): Promise<void>;
}

export interface OpenOptions {
  /** postgres:// URL; absent means PGlite */
  url?: string;
  /** PGlite data directory; absent (with no url) means in-memory */
  dir?: string;
  pool?: number;
  /** folder of drizzle-kit migrations; absent skips migrating (e.g. Workers, where Node runs them) */
  migrationsFolder?: string;
}

export async function openDatabase(opts: OpenOptions): Promise<Database> {
  if (opts.url) {
    const { default: postgres } = await import('postgres');
    const { drizzle } = await import('drizzle-orm/postgres-js');
    if (opts.migrationsFolder) {
      // Several processes may start at once against one PostgreSQL: a session advisory lock on a
      // dedicated single connection lets exactly one of them migrate while the others wait.
      const { migrate } = await import('drizzle-orm/postgres-js/migrator');
      const one = postgres(opts.url, { max: 1, onnotice: () => {} });
      try {
        await one`select pg_advisory_lock(727301)`;
        await migrate(drizzle(one, { schema }), { migrationsFolder: opts.migrationsFolder });
        await one`select pg_advisory_unlock(727301)`;
      } finally {
        await one.end({ timeout: 5 });
      }
    }
    const client = postgres(opts.url, { max: opts.pool ?? 10, onnotice: () => {} });
    const db = drizzle(client, { schema }) as unknown as Db;
    return { db, kind: 'postgres', close: () => client.end({ timeout: 5 }) };
  }
  const { PGlite } = await import('@electric-sql/pglite');
  const { drizzle } = await import('drizzle-orm/pglite');
  const client = opts.dir ? new PGlite(opts.dir) : new PGlite();
  await client.waitReady;
  const db = drizzle(client, { schema }) as unknown as Db;
  if (opts.migrationsFolder) {
    const { migrate } = await import('drizzle-orm/pglite/migrator');
    await migrate(db as never, { migrationsFolder: opts.migrationsFolder });
  }
  return { db, kind: 'pglite', close: () => client.close() };
}
