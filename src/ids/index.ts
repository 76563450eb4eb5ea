// Random identifiers (no sequences in URLs): a type prefix and 128 bits from the CSPRNG in base32.
const ALPHABET = 'abcdefghijklmnopqrstuvwxyz234567';

export function newId(prefix: string, bytes = 16): string {
  const b = crypto.getRandomValues(new Uint8Array(bytes));
  let out = '', acc = 0, bits = 0;
  for (const x of b) {
    acc = (acc << 8) | x; bits += 8;
    while (bits >= 5) { out += ALPHABET[(acc >>> (bits - 5)) & 31]; bits -= 5; }
  }
  if (bits > 0) out += ALPHABET[(acc << (5 - bits)) & 31];
  return `${prefix}_${out}`;
}

/** Uniform integer in [0, n) from the CSPRNG, without modulo bias. */
export function randomInt(n: number): number {
  if (!Number.isInteger(n) || n <= 0 || n > 2 ** 32) throw new RangeError('n out of range');
  const limit = Math.floor(2 ** 32 / n) * n;
  const buf = new Uint32Array(1);
  for (;;) {
    crypto.getRandomValues(buf);
    if (buf[0] < limit) return buf[0] % n;
  }
}

export async function sha256Hex(data: Uint8Array | string): Promise<string> {
  const bytes = typeof data === 'string' ? new TextEncoder().encode(data) : data;
  const d = await crypto.subtle.digest('SHA-256', bytes as BufferSource);
  return Buffer.from(d).toString('hex');
}
