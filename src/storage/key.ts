// Blob keys are the one piece of a storage call that may carry outside influence (a tenant id, a
// hash), so both stores accept only a narrow, portable shape: it cannot climb out of the fs root,
// means the same thing on S3 and on disk, and never collides with the fs store's temp files.
import { Problem } from '../problem/index.js';

/** Longest key both S3 (1024 bytes) and common filesystems (path limits) accept comfortably. */
export const MAX_KEY_LENGTH = 512;

// A segment never starts with '.': that rules out '.', '..' and hidden names at once, and leaves
// dot-names free for the fs store's in-flight temp files, which must never surface as keys.
const SEGMENT = /^[A-Za-z0-9_-][A-Za-z0-9._=-]*$/;
// Prefixes may stop part-way through a segment ("photos/t1/ab"), but the same characters apply.
const PREFIX = /^[A-Za-z0-9._=\/-]*$/;

export function assertKey(key: string): void {
  if (typeof key !== 'string' || key.length === 0 || key.length > MAX_KEY_LENGTH) {
    throw invalidKey(`a blob key is 1 to ${MAX_KEY_LENGTH} characters`);
  }
  for (const segment of key.split('/')) {
    if (!SEGMENT.test(segment)) {
      throw invalidKey('a blob key is "/"-separated names of letters, digits, "_", "-", "=" and ".", none starting with "."');
    }
  }
}

export function assertPrefix(prefix: string): void {
  if (typeof prefix !== 'string' || prefix.length > MAX_KEY_LENGTH || !PREFIX.test(prefix)) {
    throw invalidKey('a blob key prefix uses the characters of a key');
  }
  if (prefix.startsWith('/') || prefix.split('/').some((segment, i, all) => segment.startsWith('.') || (segment === '' && i < all.length - 1))) {
    throw invalidKey('a blob key prefix is relative and has no empty or dot-led segments');
  }
}

export function invalidKey(detail: string): Problem {
  return new Problem('storage.invalid_key', 400, detail);
}

/** Wraps a failure of the backing store so callers see one stable type, with the cause kept. */
export function storageUnavailable(operation: string, cause: unknown): Problem {
  const failure = new Problem('storage.unavailable', 503, `blob storage failed to ${operation}`);
  failure.cause = cause;
  return failure;
}
