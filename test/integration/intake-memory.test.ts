// Very large photos do not leave their memory behind in the service: they are decoded one at a time
// in a process of the service's own, which exits when no upload comes, and whose death costs only
// the upload it was working on. The figures themselves come from `npm run bench intake-memory`.
import { runInNewContext } from 'node:vm';
import v8 from 'node:v8';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Problem } from '../../src/problem/index.js';
import { startIntakeProcess } from '../../src/photos/index.js';
import { renderLargePhoto } from '../support/large-photo.js';
import { startTestServer, type TestServer } from '../support/server.js';

v8.setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;
const rssMiB = async () => {
  for (let i = 0; i < 3; i++) {
    gc();
    await new Promise((r) => setTimeout(r, 300));
  }
  return process.memoryUsage().rss / 2 ** 20;
};
const small = () => sharp({ create: { width: 320, height: 240, channels: 3, background: '#8a6' } }).jpeg().toBuffer().then((b) => new Uint8Array(b));

describe('photo intake memory', { timeout: 240_000 }, () => {
  let t: TestServer;
  let photos: Uint8Array<ArrayBuffer>[];
  beforeAll(async () => {
    photos = [await renderLargePhoto(0), await renderLargePhoto(1), await renderLargePhoto(2), await renderLargePhoto(3)];
    t = await startTestServer({ deliverWebhooks: false, env: { MAX_PHOTO_BYTES: String(20 * 1024 * 1024) } });
  });
  afterAll(async () => { await t?.close(); });

  it('the service keeps no memory from 40-megapixel photos uploaded four at a time', async () => {
    const s = await t.createSession();
    const auth = { authorization: `Bearer ${s.token}` };
    const steps = (await (await fetch(`${t.url}/capture/v1/steps`, { headers: auth })).json() as { steps: { id: string }[] }).steps;
    const batch = () => Promise.all(photos.map((body, i) => fetch(`${t.url}/capture/v1/steps/${steps[i].id}/photo`, {
      method: 'PUT', body, headers: { ...auth, 'content-type': 'image/jpeg' },
    }).then((r) => r.status)));
    // One small photo first, so what the first upload loads once (code, pools) is in the baseline.
    expect((await fetch(`${t.url}/capture/v1/steps/${steps[4].id}/photo`, { method: 'PUT', body: await small(), headers: { ...auth, 'content-type': 'image/jpeg' } })).status).toBe(201);
    const before = await rssMiB();
    for (let i = 0; i < 3; i++) expect(await batch()).toEqual([201, 201, 201, 201]);
    const grown = (await rssMiB()) - before;
    // Decoded in the service, three batches kept 130-215 MiB; decoded apart, a few MiB (see the bench).
    expect(grown, `grew ${grown.toFixed(0)} MiB`).toBeLessThan(64);
  });

  it('the decoding process exits when no photo comes, and starts again for the next one', async () => {
    const intake = startIntakeProcess({ idleExitMs: 300 });
    try {
      expect((await intake.intake(await small(), {})).width).toBe(320);
      const pid = intake.pid()!;
      expect(pid).toBeGreaterThan(0);
      await new Promise((r) => setTimeout(r, 2000));
      expect(intake.pid()).toBeUndefined();
      expect(() => process.kill(pid, 0)).toThrow();
      expect((await intake.intake(await small(), {})).height).toBe(240);
    } finally {
      await intake.close();
    }
  });

  it('a decoding process that dies fails only the photo it was working on, with a 503', async () => {
    const intake = startIntakeProcess();
    try {
      await intake.intake(await small(), {});
      const working = intake.intake(photos[0], {});
      process.kill(intake.pid()!, 'SIGKILL');
      const failure = await working.then(() => null, (err: unknown) => err);
      expect(failure).toBeInstanceOf(Problem);
      expect([(failure as Problem).type, (failure as Problem).status]).toEqual(['photo.intake_interrupted', 503]);
      // The next photo, once the death has been seen, goes to a new process (one sent in the very
      // instant of the death is answered 503 too: the seller sends it again).
      for (let i = 0; i < 100 && intake.pid() !== undefined; i++) await new Promise((r) => setTimeout(r, 50));
      expect((await intake.intake(await small(), {})).width).toBe(320);
    } finally {
      await intake.close();
    }
  });

  it('a refused photo comes back as the same problem the intake raised', async () => {
    const intake = startIntakeProcess();
    try {
      const failure = await intake.intake(new TextEncoder().encode('not an image at all'), {}).then(() => null, (err: unknown) => err);
      expect(failure).toBeInstanceOf(Problem);
      expect([(failure as Problem).type, (failure as Problem).status]).toEqual(['photo.unsupported_type', 415]);
    } finally {
      await intake.close();
    }
  });
});
