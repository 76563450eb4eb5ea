// A seller whose connection drops in the middle of a photo upload (a phone losing its signal) is not a
// fault of the service: the request is logged as aborted at info, and counts as no 5xx.
import { request } from 'node:http';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/log/index.js';
import { TEST_DATABASE_URL } from '../support/postgres.js';
import { startTestServer, type TestServer } from '../support/server.js';

const backends = [{ name: 'PGlite', postgres: false }, ...(TEST_DATABASE_URL ? [{ name: 'PostgreSQL', postgres: true }] : [])];

describe.each(backends)('an upload the client aborts, on $name', ({ postgres }) => {
  let t: TestServer;
  const lines: { level: string; msg: string; [k: string]: unknown }[] = [];
  beforeAll(async () => {
    t = await startTestServer({ postgres, log: createLogger('info', {}, (l) => lines.push(JSON.parse(l))) });
  }, 120_000);
  afterAll(async () => { await t?.close(); });

  /** Sends the headers and half of a 200 kB body, then drops the connection. */
  async function abortedUpload(stepId: string, token: string): Promise<void> {
    const url = new URL(`${t.url}/capture/v1/steps/${stepId}/photo`);
    await new Promise<void>((resolve) => {
      const req = request({
        host: url.hostname, port: url.port, path: url.pathname, method: 'PUT',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'image/jpeg', 'content-length': String(200_000) },
      });
      req.on('error', () => resolve());
      req.on('close', () => resolve());
      req.flushHeaders();
      req.write(Buffer.alloc(100_000, 0xff), () => setTimeout(() => req.destroy(), 200));
    });
  }

  it('is logged as aborted at info, not as an unhandled error, and counts as no 5xx', async () => {
    const s = await t.createSession();
    const steps = await (await fetch(`${t.url}/capture/v1/steps`, { headers: { authorization: `Bearer ${s.token}` } })).json() as { steps: { id: string }[] };
    await abortedUpload(steps.steps[0].id, s.token);
    const aborted = await (async () => {
      for (let i = 0; i < 50; i++) {
        const line = lines.find((l) => l.msg === 'request aborted by the client');
        if (line) return line;
        await new Promise((r) => setTimeout(r, 100));
      }
      return null;
    })();
    expect(aborted).toMatchObject({ level: 'info', route: '/capture/v1/steps/:stepId/photo' });
    expect(lines.filter((l) => l.level === 'error')).toEqual([]);
    const metrics = await t.service.metrics.render();
    expect(metrics).not.toMatch(/realperson_http_request_duration_seconds_count\{[^}]*status="5\d\d"/);
    // the seller sends the photo again and it is taken
    const jpeg = await sharp({ create: { width: 480, height: 360, channels: 3, background: { r: 40, g: 90, b: 150 } } }).jpeg().toBuffer();
    const again = await fetch(`${t.url}/capture/v1/steps/${steps.steps[0].id}/photo`, {
      method: 'PUT', body: new Uint8Array(jpeg), headers: { authorization: `Bearer ${s.token}`, 'content-type': 'image/jpeg' },
    });
    expect(again.status).toBe(201);
  }, 60_000);
});
