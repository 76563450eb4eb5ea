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
    // A server that does not answer fails the query after connect_timeout (instead of postgres.js's 30 s),
    // and the request gets its 503 while the caller is still waiting for it.
    const client = postgres(opts.url, { max: opts.pool ?? 10, onnotice: () => {}, connect_timeout: CONNECT_TIMEOUT_SECONDS });
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
  return { db, kind: 'pglite', close: async () => { if (!client.closed) await client.close(); } };
}

/** How long a new PostgreSQL connection may take before the query fails as unavailable. */
export const CONNECT_TIMEOUT_SECONDS = 10;

// postgres.js's own codes for a connection that is gone or never came.
const LOST_CONNECTION = new Set(['CONNECTION_CLOSED', 'CONNECTION_DESTROYED', 'CONNECTION_ENDED', 'CONNECT_TIMEOUT']);
// Socket errors: the database's only when they come from a query (a client's upload cut short is an
// ECONNRESET too, and is no database's fault).
const SOCKET_FAILURE = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN']);

/**
 * PostgreSQL SQLSTATEs that say the server cannot serve us now, not that our SQL is wrong:
 * class 08's connection exceptions (not 08P01, a protocol violation: our own mistake), 53300 too many connections, 57P01-57P03 (terminated by the
 * administrator, crash shutdown, starting up or shutting down).
 */
function unavailableState(code: string): boolean {
  return (code.startsWith('08') && code !== '08P01') || code === '53300' || code === '57P01' || code === '57P02' || code === '57P03';
}

/**
 * True when an error (or one it wraps: drizzle puts the driver's error in `cause`) means the database
 * cannot be reached: the caller should hear 503 and try again, the operator should look at the
 * database, not at the service. A closed or crashed embedded PGlite counts too. An error in a query
 * itself (a syntax error, a constraint) is not unavailability.
 */
export function isDatabaseUnavailable(err: unknown): boolean {
  let fromQuery = false;
  for (let e = err, depth = 0; e && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    if (typeof e !== 'object') return false;
    // drizzle's query error, or postgres.js's error with its query attached
    if ('query' in e) fromQuery = true;
    const { code, message } = e as { code?: unknown; message?: unknown };
    if (typeof code === 'string' && (LOST_CONNECTION.has(code) || (fromQuery && SOCKET_FAILURE.has(code)) || unavailableState(code))) return true;
    if (typeof message === 'string' && message === 'PGlite is closed') return true;
    if (e instanceof WebAssembly.RuntimeError) return true; // PGlite's engine aborted: nothing more will run in it
  }
  return false;
}

/**
 * An error as the log may show it: drizzle's query errors carry the query's parameters in their
 * message (declared names and document numbers can be among them), so only the driver's error and
 * the statement are kept.
 */
export function loggableError(err: unknown): unknown {
  if (!err || typeof err !== 'object' || !('query' in err) || !('params' in err)) return err;
  const cause = (err as { cause?: unknown }).cause as { name?: string; message?: string; code?: string } | undefined;
  return { name: cause?.name ?? 'DatabaseError', message: cause?.message ?? 'query failed', code: cause?.code, query: String((err as { query: unknown }).query).slice(0, 300) };
}
