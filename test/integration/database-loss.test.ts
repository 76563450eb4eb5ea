// When the database is lost the service says so: every route that needs it answers 503
// `service.unavailable` with Retry-After, /healthz answers 503, and once the database is back the
// service recovers by itself. On PostgreSQL the connection is really cut: the service reaches the
// server through a TCP proxy this test owns, which stops accepting and drops every open connection.
// On PGlite, which lives inside the process, a lost database is a closed instance.
import { createServer, connect, type Server, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshPostgresUrl, TEST_DATABASE_URL } from '../support/postgres.js';
import { DEFAULT_SESSION, startTestServer, type TestServer } from '../support/server.js';

if (!TEST_DATABASE_URL) console.warn('[realperson tests] TEST_DATABASE_URL unset: the PostgreSQL connection-cut test is skipped');

/** A TCP proxy in front of PostgreSQL that the test can cut and restore on the same port. */
async function startProxy(target: { host: string; port: number }) {
  const sockets = new Set<Socket>();
  let server: Server | null = null;
  let port = 0;
  const listen = () => new Promise<void>((resolve, reject) => {
    if (server) return resolve();
    server = createServer((client) => {
      const upstream = connect(target.port, target.host);
      sockets.add(client).add(upstream);
      const drop = () => { client.destroy(); upstream.destroy(); sockets.delete(client); sockets.delete(upstream); };
      client.on('error', drop).on('close', drop);
      upstream.on('error', drop).on('close', drop);
      client.pipe(upstream).pipe(client);
    });
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      port = (server!.address() as { port: number }).port;
      resolve();
    });
  });
  await listen();
  return {
    get port() { return port; },
    /** Refuses new connections and terminates the open ones, as a database that went away. */
    async cut() {
      const s = server!;
      server = null;
      const closed = new Promise<void>((r) => s.close(() => r()));
      for (const socket of sockets) socket.destroy();
      sockets.clear();
      await closed;
    },
    restore: listen,
    async close() { if (server) await this.cut(); },
  };
}

interface ProblemBody { type: string; status: number; detail: string }

async function expectUnavailable(res: Response) {
  expect(res.status).toBe(503);
  expect(res.headers.get('content-type')).toContain('application/problem+json');
  expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
  const body = await res.json() as ProblemBody;
  expect(body.type).toBe('service.unavailable');
  expect(body.detail).not.toMatch(/select|insert|params/i);
}

async function waitFor(what: string, probe: () => Promise<boolean>, ms = 30_000) {
  const until = Date.now() + ms;
  while (!(await probe())) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** What the platform, the seller's browser and staff call while the database is gone. */
function callsNeedingTheDatabase(t: TestServer) {
  return [
    () => t.api('/v1/sessions'),
    () => t.api('/v1/sessions', { method: 'POST', body: JSON.stringify(DEFAULT_SESSION) }),
    () => fetch(`${t.url}/staff/v1/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: 'a@staff.example', password: 'whatever-it-is' }) }),
  ];
}

describe.skipIf(!TEST_DATABASE_URL)('losing PostgreSQL', () => {
  let t: TestServer;
  let pg: Awaited<ReturnType<typeof freshPostgresUrl>>;
  let proxy: Awaited<ReturnType<typeof startProxy>>;

  beforeAll(async () => {
    pg = await freshPostgresUrl();
    const direct = new URL(pg.url);
    proxy = await startProxy({ host: direct.hostname, port: Number(direct.port || 5432) });
    const proxied = new URL(pg.url);
    proxied.hostname = '127.0.0.1';
    proxied.port = String(proxy.port);
    t = await startTestServer({ env: { DATABASE_URL: proxied.toString() } });
  }, 120_000);
  afterAll(async () => {
    await proxy?.restore();
    await t?.close();
    await proxy?.close();
    await pg?.drop();
  });

  it('answers 503 service.unavailable with Retry-After while the database is cut, /healthz too, and recovers by itself', async () => {
    expect((await fetch(`${t.url}/healthz`)).status).toBe(200);
    expect((await t.api('/v1/sessions')).status).toBe(200);

    await proxy.cut();
    for (const call of callsNeedingTheDatabase(t)) await expectUnavailable(await call());
    const started = Date.now();
    const health = await fetch(`${t.url}/healthz`);
    expect(health.status).toBe(503);
    expect(Number(health.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(await health.json()).toMatchObject({ status: 'database_unavailable' });
    expect(Date.now() - started).toBeLessThan(5_000);
    // a route that needs no database still answers
    expect((await fetch(`${t.url}/.well-known/jwks.json`)).status).toBe(200);

    await proxy.restore();
    await waitFor('/healthz to say ok again', async () => (await fetch(`${t.url}/healthz`)).status === 200);
    expect((await t.api('/v1/sessions')).status).toBe(200);
    expect((await t.api('/v1/sessions', { method: 'POST', body: JSON.stringify(DEFAULT_SESSION) })).status).toBe(201);
  }, 120_000);
});

describe('losing the embedded PGlite', () => {
  let t: TestServer;
  beforeAll(async () => { t = await startTestServer(); }, 120_000);
  afterAll(async () => { await t?.close(); });

  it('answers 503 service.unavailable with Retry-After once its database is closed, and /healthz says so', async () => {
    expect((await fetch(`${t.url}/healthz`)).status).toBe(200);
    await t.service.database.close();
    for (const call of callsNeedingTheDatabase(t)) await expectUnavailable(await call());
    const health = await fetch(`${t.url}/healthz`);
    expect(health.status).toBe(503);
    expect(await health.json()).toMatchObject({ status: 'database_unavailable' });
  }, 60_000);
});
