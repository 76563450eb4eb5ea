// `npx realperson …` beside a running service on the embedded PGlite: the command is run by the service.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { startTestServer, type TestServer } from '../support/server.js';
import { tables } from '../../src/db/index.js';

const exec = promisify(execFile);

async function cli(t: TestServer, ...args: string[]) {
  try {
    const { stdout, stderr } = await exec(process.execPath, ['bin/realperson.js', ...args], { env: { ...process.env, DATA_DIR: t.service.config.DATA_DIR } });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe('the realperson command while the service holds the embedded database', () => {
  let t: TestServer;
  beforeAll(async () => { t = await startTestServer(); });
  afterAll(async () => { await t?.close(); });

  it('tenant create prints one JSON line and the key works', async () => {
    const r = await cli(t, 'tenant', 'create', '--name', 'Acme');
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout.trim()) as { tenantId: string; apiKey: string };
    const [row] = await t.service.database.db.select().from(tables.tenants).where(eq(tables.tenants.id, out.tenantId));
    expect(row.name).toBe('Acme');
    expect((await t.api('/v1/sessions', { key: out.apiKey })).status).toBe(200);
  });

  it('gestures list, retire and a refused re-activation', async () => {
    const list = (await cli(t, 'gestures', 'list')).stdout.trim().split('\n').map((l) => JSON.parse(l) as { id: string; status: string });
    expect(list.length).toBeGreaterThanOrEqual(24);
    const active = list.find((g) => g.status === 'active')!;
    const retired = await cli(t, 'gestures', 'retire', active.id);
    expect(JSON.parse(retired.stdout)).toMatchObject({ id: active.id, status: 'retired' });
    const again = await cli(t, 'gestures', 'activate', active.id);
    expect(again.code).not.toBe(0);
    expect(again.stderr.trim().split('\n')).toHaveLength(1);
    expect(again.stderr).toMatch(/retired/);
  });

  it('a bad command line exits 2 with a one-line reason', async () => {
    const r = await cli(t, 'tenant', 'create');
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toBe('realperson: tenant create needs --name NAME');
    expect((await cli(t, 'audit', 'verify')).stdout).toContain('"ok":true');
  });
});
