// A real service for tests: PGlite (or PostgreSQL when TEST_DATABASE_URL is set) in a temp folder, a
// random port, a fresh tenant. Pipeline workers are off unless asked for, so API-only suites stay fast.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadConfig } from '../../src/config/index.js';
import { createTenant } from '../../src/flows/tenants.js';
import { activeGestures, rotateGestures } from '../../src/flows/gestures.js';
import { startService, type Service, type ServiceOptions } from '../../src/service.js';
import { expect } from 'vitest';
import { fixture } from './fixtures.js';
import { freshPostgresUrl } from './postgres.js';

export interface TestServer {
  url: string;
  apiKey: string;
  tenantId: string;
  service: Service;
  /** another tenant, for cross-tenant checks */
  newTenant(): Promise<{ tenantId: string; apiKey: string }>;
  createSession(body?: Record<string, unknown>): Promise<{ id: string; captureUrl: string; token: string }>;
  api(pathname: string, init?: RequestInit & { key?: string }): Promise<Response>;
  close(): Promise<void>;
}

export const DEFAULT_SESSION = {
  externalSellerId: 'seller-1',
  locale: 'en',
  declared: { fullName: 'Specimen Person', documentType: 'cn_resident_id', documentNumber: '11010519491231002X', region: 'CN-ZJ' },
};

export async function startTestServer(opts: ServiceOptions & { env?: Record<string, string>; postgres?: boolean } = {}): Promise<TestServer> {
  const dir = await mkdtemp(path.join(tmpdir(), 'realperson-test-'));
  const pg = opts.postgres ? await freshPostgresUrl() : null;
  const config = loadConfig({
    PORT: '0', HOST: '127.0.0.1', DATA_DIR: dir, LOG_LEVEL: 'error', PIPELINE_WORKERS: '0',
    // the tests' webhook receivers listen on 127.0.0.1
    WEBHOOK_ALLOW_PRIVATE: 'true',
    ...(pg ? { DATABASE_URL: pg.url } : {}),
    ...opts.env,
  });
  const service = await startService(config, opts);
  // The capture URL is built from PUBLIC_URL; tests reach the random port instead.
  const { tenantId, apiKey } = await createTenant(service.database.db, 'test platform', new Date());
  // Security staff's job on a real install: make sure a challenge can be drawn whatever the shipped statuses.
  if ((await activeGestures(service.database.db)).length < 2) await rotateGestures(service.database.db, 8, 'test-setup', new Date());
  const api = (pathname: string, init: RequestInit & { key?: string } = {}) => fetch(service.url + pathname, {
    ...init,
    headers: { authorization: `Bearer ${init.key ?? apiKey}`, ...(init.body && typeof init.body === 'string' ? { 'content-type': 'application/json' } : {}), ...(init.headers as Record<string, string>) },
  });
  return {
    url: service.url, apiKey, tenantId, service, api,
    newTenant: () => createTenant(service.database.db, 'other platform', new Date()),
    async createSession(body = {}) {
      const res = await api('/v1/sessions', { method: 'POST', body: JSON.stringify({ ...DEFAULT_SESSION, ...body }) });
      if (res.status !== 201) throw new Error(`create session: ${res.status} ${await res.text()}`);
      const created = await res.json() as { id: string; captureUrl: string };
      const token = new URL(created.captureUrl).hash.replace(/^#token=/, '');
      return { id: created.id, captureUrl: `${service.url}/capture#token=${token}`, token };
    },
    async close() {
      await service.close();
      await pg?.drop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** A session with one face photo on every step, submitted through the capture API: its job is queued. */
export async function submittedSession(t: TestServer, callbackUrl: string): Promise<string> {
  const s = await t.createSession({ callbackUrl });
  const auth = { authorization: `Bearer ${s.token}` };
  const steps = await (await fetch(`${t.url}/capture/v1/steps`, { headers: auth })).json() as { steps: { id: string }[] };
  const face = await readFile(fixture('faces/human/stock-emotions-a-1.jpg'));
  for (const step of steps.steps) {
    const res = await fetch(`${t.url}/capture/v1/steps/${step.id}/photo`, { method: 'PUT', body: face, headers: { ...auth, 'content-type': 'image/jpeg' } });
    expect(res.status).toBe(201);
  }
  expect((await fetch(`${t.url}/capture/v1/submit`, { method: 'POST', headers: auth })).status).toBe(202);
  return s.id;
}
