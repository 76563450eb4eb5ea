// Reads an upload body under a byte limit, whether or not the client sent Content-Length: a
// client that lies about its length, or streams chunked without one, is cut off at the limit.
import { Problem } from '../problem/index.js';

export async function readLimited(body: ReadableStream<Uint8Array> | null, maxBytes: number): Promise<Uint8Array> {
  if (!body) throw emptyPhoto();
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      // Stop pulling at once; cancelling tells the source (the socket) the rest is not wanted.
      await reader.cancel('photo too large').catch(() => undefined);
      throw new Problem('photo.too_large', 413, `a photo is at most ${maxBytes} bytes`);
    }
    chunks.push(value);
  }
  if (total === 0) throw emptyPhoto();
  if (chunks.length === 1) return chunks[0];
  const bytes = new Uint8Array(total);
  let at = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, at);
    at += chunk.byteLength;
  }
  return bytes;
}

export function emptyPhoto(): Problem {
  return new Problem('photo.empty', 400, 'the request carried no photo');
}
