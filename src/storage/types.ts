// The contract every blob store keeps; photos are written once under their SHA-256 and read by the
// pipeline, and retention purges walk keys by prefix.

export interface BlobStore {
  /** Atomic: a reader sees the old blob, the new one, or none; never a half-written one. */
  put(key: string, bytes: Uint8Array, contentType: string): Promise<void>;
  /** The blob's bytes, or null when there is no blob under this key. */
  get(key: string): Promise<Uint8Array | null>;
  /** Idempotent: deleting a missing key is not an error. */
  delete(key: string): Promise<void>;
  exists(key: string): Promise<boolean>;
  /** Every key starting with `prefix` ('' for all), in no promised order. */
  list(prefix: string): AsyncIterable<string>;
}
