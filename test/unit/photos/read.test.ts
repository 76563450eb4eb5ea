// Reading an upload body under a byte limit, with or without Content-Length.
import { describe, expect, it } from 'vitest';
import { Problem } from '../../../src/problem/index.js';
import { readLimited } from '../../../src/photos/index.js';

const CHUNK = 64 * 1024;

/** A body that would go on for `chunks` chunks, counting how many were actually pulled. */
function countingBody(chunks: number) {
  const seen = { pulled: 0, cancelled: false };
  const body = new ReadableStream<Uint8Array>(
    {
      pull(controller) {
        if (seen.pulled === chunks) return controller.close();
        seen.pulled++;
        controller.enqueue(new Uint8Array(CHUNK).fill(seen.pulled & 0xff));
      },
      cancel() {
        seen.cancelled = true;
      },
    },
    { highWaterMark: 0 },
  );
  return { body, seen };
}

async function refusal(work: Promise<unknown>): Promise<[string, number]> {
  try {
    await work;
  } catch (err) {
    if (err instanceof Problem) return [err.type, err.status];
    throw err;
  }
  throw new Error('the body was accepted');
}

describe('readLimited', () => {
  it('stops as soon as a body passes the limit, without pulling the rest', async () => {
    const { body, seen } = countingBody(1024); // 64 MiB on offer
    expect(await refusal(readLimited(body, 1024 * 1024))).toEqual(['photo.too_large', 413]);
    expect(seen.pulled).toBe(17); // 16 chunks fill the limit exactly; the 17th passes it
    expect(seen.cancelled).toBe(true);
  });

  it('cuts off a chunked request body that has no Content-Length', async () => {
    const { body, seen } = countingBody(1024);
    const request = new Request('http://capture.test/upload', { method: 'POST', body, duplex: 'half' } as RequestInit);
    expect(request.headers.get('content-length')).toBeNull();
    expect(await refusal(readLimited(request.body, 10 * CHUNK))).toEqual(['photo.too_large', 413]);
    expect(seen.pulled).toBeLessThan(20);
  });

  it('returns a body of exactly the limit, byte for byte', async () => {
    const { body } = countingBody(4);
    const bytes = await readLimited(body, 4 * CHUNK);
    expect(bytes.length).toBe(4 * CHUNK);
    expect([bytes[0], bytes[CHUNK], bytes[2 * CHUNK], bytes[4 * CHUNK - 1]]).toEqual([1, 2, 3, 4]);
  });

  it('refuses a missing or empty body', async () => {
    expect(await refusal(readLimited(null, 100))).toEqual(['photo.empty', 400]);
    expect(await refusal(readLimited(countingBody(0).body, 100))).toEqual(['photo.empty', 400]);
  });
});
