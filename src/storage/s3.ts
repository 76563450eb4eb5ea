// Blob store on any S3 API (AWS S3, Cloudflare R2, MinIO). Also bundled into the Workers build, so
// it imports nothing from node: beyond what the SDK itself brings.
import {
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { assertKey, assertPrefix, storageUnavailable } from './key.js';
import type { BlobStore } from './types.js';

export interface S3StoreOptions {
  bucket: string;
  /** For R2, MinIO and other S3 APIs; omitted for AWS itself. */
  endpoint?: string;
  region?: string;
  accessKeyId?: string;
  secretAccessKey?: string;
  /** Defaults to true when an endpoint is given: MinIO and most self-hosted servers need it. */
  forcePathStyle?: boolean;
  /** Folder inside the bucket, so one bucket can hold several deployments. */
  prefix?: string;
  /** Keys per listing page (S3 caps it at 1000). */
  listPageSize?: number;
}

export function createS3Store(opts: S3StoreOptions): BlobStore {
  const client = new S3Client({
    endpoint: opts.endpoint,
    // R2 takes 'auto' but also accepts us-east-1, which AWS and MinIO understand too.
    region: opts.region ?? 'us-east-1',
    forcePathStyle: opts.forcePathStyle ?? opts.endpoint !== undefined,
    credentials:
      opts.accessKeyId && opts.secretAccessKey
        ? { accessKeyId: opts.accessKeyId, secretAccessKey: opts.secretAccessKey }
        : undefined,
    // The SDK's default CRC checksums on every request are not understood by every S3-compatible
    // server yet; photos carry their own SHA-256, so send checksums only where the API requires them.
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
  const Bucket = opts.bucket;
  const root = normalizePrefix(opts.prefix);
  const objectKey = (key: string) => {
    assertKey(key);
    return root + key;
  };

  return {
    async put(key, bytes, contentType) {
      const Key = objectKey(key);
      try {
        await client.send(new PutObjectCommand({ Bucket, Key, Body: bytes, ContentType: contentType, ContentLength: bytes.byteLength }));
      } catch (err) {
        throw storageUnavailable('write a blob', err);
      }
    },

    async get(key) {
      const Key = objectKey(key);
      try {
        const object = await client.send(new GetObjectCommand({ Bucket, Key }));
        if (!object.Body) return new Uint8Array(0);
        return await object.Body.transformToByteArray();
      } catch (err) {
        if (isNotFound(err)) return null;
        throw storageUnavailable('read a blob', err);
      }
    },

    async delete(key) {
      const Key = objectKey(key);
      try {
        // S3 answers 204 for a missing key as well, which is the idempotence we promise.
        await client.send(new DeleteObjectCommand({ Bucket, Key }));
      } catch (err) {
        if (isNotFound(err)) return;
        throw storageUnavailable('delete a blob', err);
      }
    },

    async exists(key) {
      const Key = objectKey(key);
      try {
        await client.send(new HeadObjectCommand({ Bucket, Key }));
        return true;
      } catch (err) {
        if (isNotFound(err)) return false;
        throw storageUnavailable('look up a blob', err);
      }
    },

    list(prefix) {
      assertPrefix(prefix);
      return listKeys(client, Bucket, root, prefix, opts.listPageSize);
    },
  };
}

async function* listKeys(client: S3Client, Bucket: string, root: string, prefix: string, MaxKeys?: number): AsyncGenerator<string> {
  let ContinuationToken: string | undefined;
  do {
    let page;
    try {
      page = await client.send(new ListObjectsV2Command({ Bucket, Prefix: root + prefix, ContinuationToken, MaxKeys }));
    } catch (err) {
      throw storageUnavailable('list blobs', err);
    }
    for (const object of page.Contents ?? []) {
      if (object.Key?.startsWith(root)) yield object.Key.slice(root.length);
    }
    ContinuationToken = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (ContinuationToken);
}

function normalizePrefix(prefix: string | undefined): string {
  const trimmed = (prefix ?? '').replace(/^\/+|\/+$/g, '');
  if (trimmed === '') return '';
  assertPrefix(trimmed);
  return trimmed + '/';
}

// GET reports NoSuchKey; HEAD answers carry no body, so the SDK names a bare 404 NotFound. A
// missing bucket is a deployment mistake and must not read as an empty store.
function isNotFound(err: unknown): boolean {
  if (typeof err !== 'object' || err === null) return false;
  const { name, $metadata } = err as { name?: string; $metadata?: { httpStatusCode?: number } };
  if (name === 'NoSuchBucket') return false;
  return name === 'NoSuchKey' || name === 'NotFound' || $metadata?.httpStatusCode === 404;
}
