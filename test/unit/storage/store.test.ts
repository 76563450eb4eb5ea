// One set of promises, kept by every blob store: the local folder and a real S3 API over HTTP.
import { spawn } from 'node:child_process';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { Problem } from '../../../src/problem/index.js';
import { createFsStore, createS3Store, type BlobStore } from '../../../src/storage/index.js';
import { startS3Server, type S3Server } from '../../support/s3.js';

const here = path.dirname(fileURLToPath(import.meta.url));

function bytesOf(text: string): Uint8Array {
  return new TextEncoder().encode(text);
}

async function collect(keys: AsyncIterable<string>): Promise<string[]> {
  const out: string[] = [];
  for await (const key of keys) out.push(key);
  return out.sort();
}

async function problemOf(work: () => unknown): Promise<Problem> {
  try {
    await work();
  } catch (err) {
    if (err instanceof Problem) return err;
    throw err;
  }
  throw new Error('expected a Problem');
}

const BAD_KEYS = ['', '../escape', 'photos/../../etc/passwd', '/etc/passwd', 'photos//x', 'photos/./x', '.hidden', 'photos/', 'back\\slash', 'nul\0byte', 'spa ce', 'x'.repeat(513)];

function behavesLikeABlobStore(makeStore: () => BlobStore) {
  let store: BlobStore;
  beforeEach(() => {
    store = makeStore();
  });

  it('returns exactly the bytes that were put', async () => {
    const bytes = new Uint8Array(70_000).map((_, i) => (i * 31) & 0xff);
    await store.put('photos/t1/abc.jpg', bytes, 'image/jpeg');
    expect(await store.get('photos/t1/abc.jpg')).toEqual(bytes);
    expect(await store.exists('photos/t1/abc.jpg')).toBe(true);
  });

  it('replaces a blob put again under the same key', async () => {
    await store.put('k', bytesOf('first'), 'text/plain');
    await store.put('k', bytesOf('second'), 'text/plain');
    expect(await store.get('k')).toEqual(bytesOf('second'));
  });

  it('answers null and false for a key never written', async () => {
    expect(await store.get('photos/none.jpg')).toBeNull();
    expect(await store.exists('photos/none.jpg')).toBe(false);
  });

  it('does not treat a folder of keys as a blob', async () => {
    await store.put('photos/t1/a.jpg', bytesOf('a'), 'image/jpeg');
    expect(await store.get('photos/t1')).toBeNull();
    expect(await store.exists('photos/t1')).toBe(false);
  });

  it('deletes, and deleting again or deleting a missing key is fine', async () => {
    await store.put('photos/t1/gone.jpg', bytesOf('x'), 'image/jpeg');
    await store.delete('photos/t1/gone.jpg');
    expect(await store.get('photos/t1/gone.jpg')).toBeNull();
    expect(await store.exists('photos/t1/gone.jpg')).toBe(false);
    await expect(store.delete('photos/t1/gone.jpg')).resolves.toBeUndefined();
    await expect(store.delete('never/was.jpg')).resolves.toBeUndefined();
  });

  it('lists the keys under a prefix, and only those', async () => {
    const keys = ['photos/t1/aa.jpg', 'photos/t1/ab.jpg', 'photos/t1/s/deep.jpg', 'photos/t2/aa.jpg', 'photos-old/x.jpg', 'other.bin'];
    for (const key of keys) await store.put(key, bytesOf(key), 'application/octet-stream');
    expect(await collect(store.list(''))).toEqual([...keys].sort());
    expect(await collect(store.list('photos/t1/'))).toEqual(['photos/t1/aa.jpg', 'photos/t1/ab.jpg', 'photos/t1/s/deep.jpg']);
    expect(await collect(store.list('photos/t1/a'))).toEqual(['photos/t1/aa.jpg', 'photos/t1/ab.jpg']);
    expect(await collect(store.list('photos'))).toEqual(['photos-old/x.jpg', 'photos/t1/aa.jpg', 'photos/t1/ab.jpg', 'photos/t1/s/deep.jpg', 'photos/t2/aa.jpg']);
    expect(await collect(store.list('nothing/here/'))).toEqual([]);
    await store.delete('photos/t1/ab.jpg');
    expect(await collect(store.list('photos/t1/'))).toEqual(['photos/t1/aa.jpg', 'photos/t1/s/deep.jpg']);
  });

  it('rejects keys that could escape or mean different things on disk and on S3', async () => {
    for (const key of BAD_KEYS) {
      for (const call of [() => store.put(key, bytesOf('x'), 'text/plain'), () => store.get(key), () => store.exists(key), () => store.delete(key)]) {
        const failure = await problemOf(call);
        expect([key, failure.type, failure.status]).toEqual([key, 'storage.invalid_key', 400]);
      }
    }
    for (const prefix of ['../', '/abs', 'a//b', 'photos/../x', '.tmp']) {
      const failure = await problemOf(() => collect(store.list(prefix)));
      expect([prefix, failure.type]).toEqual([prefix, 'storage.invalid_key']);
    }
  });
}

describe('local folder blob store', () => {
  const dirs: string[] = [];
  let dir = '';
  beforeEach(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'realperson-blobs-'));
    dirs.push(dir);
  });
  afterAll(async () => {
    for (const d of dirs) await rm(d, { recursive: true, force: true });
  });

  behavesLikeABlobStore(() => createFsStore(dir));

  it('keeps every blob inside its folder', async () => {
    const store = createFsStore(path.join(dir, 'root'));
    await store.put('a/b.jpg', bytesOf('x'), 'image/jpeg');
    expect(await readdir(dir)).toEqual(['root']);
    expect(await readdir(path.join(dir, 'root', 'a'))).toEqual(['b.jpg']);
  });

  it('deleting a key deletes the partial file a writer killed inside put() left beside it', async () => {
    const store = createFsStore(dir);
    await store.put('photos/t/s/other.jpg', bytesOf('keep'), 'image/jpeg');
    // What put() leaves when its process dies before the rename: the photo under a temp name.
    await writeFile(path.join(dir, 'photos', 't', 's', '.p1.jpg.a1b2c3.tmp'), 'face');
    expect(await store.exists('photos/t/s/p1.jpg')).toBe(false);
    await store.delete('photos/t/s/p1.jpg');
    expect(await readdir(path.join(dir, 'photos', 't', 's'))).toEqual(['other.jpg']);
  });

  // A writer killed part-way through rewriting a large blob, again and again: whatever moment the
  // kill lands, the blob read afterwards is one complete version, and no temp file is listed.
  // Several rounds, each killed at a random moment, so a torn write could not slip through by luck.
  it('a writer killed mid-write leaves a whole blob, never a torn one', async () => {
    const size = 8 * 1024 * 1024;
    const store = createFsStore(dir);
    for (let round = 0; round < 4; round++) {
      const child = spawn(process.execPath, ['--import', 'tsx', path.join(here, 'rewrite-blob.ts'), dir, 'big/blob.bin', String(size)], {
        stdio: ['ignore', 'pipe', 'inherit'],
      });
      const exited = new Promise((r) => child.once('exit', r));
      await new Promise<void>((resolve, reject) => {
        child.once('error', reject);
        child.stdout!.once('data', () => resolve());
      });
      await new Promise((r) => setTimeout(r, 20 + Math.random() * 200));
      child.kill('SIGKILL');
      await exited;

      const blob = await store.get('big/blob.bin');
      expect(blob?.length).toBe(size);
      const version = blob![0];
      expect(blob!.every((b) => b === version)).toBe(true);
      expect(await collect(store.list(''))).toEqual(['big/blob.bin']);
    }
  });
});

describe('S3 blob store (s3rver over HTTP)', () => {
  let server: S3Server;
  let n = 0;
  beforeAll(async () => {
    server = await startS3Server();
  });
  afterAll(async () => {
    await server?.close();
  });

  // Each case gets its own folder in the bucket, which also exercises the prefix option.
  const makeStore = (extra: { listPageSize?: number } = {}) =>
    createS3Store({
      bucket: server.bucket,
      endpoint: server.endpoint,
      accessKeyId: server.accessKeyId,
      secretAccessKey: server.secretAccessKey,
      prefix: `case-${++n}`,
      ...extra,
    });

  behavesLikeABlobStore(() => makeStore());

  it('lists past the first page', async () => {
    const store = makeStore({ listPageSize: 2 });
    const keys = ['p/1', 'p/2', 'p/3', 'p/4', 'p/5', 'p/6', 'p/7'];
    for (const key of keys) await store.put(key, bytesOf(key), 'text/plain');
    expect(await collect(store.list('p/'))).toEqual(keys);
  });

  it('keeps stores with different prefixes apart', async () => {
    const a = makeStore();
    const b = makeStore();
    await a.put('same/key', bytesOf('a'), 'text/plain');
    expect(await b.get('same/key')).toBeNull();
    expect(await collect(b.list(''))).toEqual([]);
  });

  it('reports a missing bucket as a storage failure, not as an empty store', async () => {
    const store = createS3Store({ bucket: 'no-such-bucket', endpoint: server.endpoint, accessKeyId: server.accessKeyId, secretAccessKey: server.secretAccessKey });
    const failure = await problemOf(() => store.get('k'));
    expect([failure.type, failure.status]).toEqual(['storage.unavailable', 503]);
  });

  it('reports refused credentials as a storage failure', async () => {
    const store = createS3Store({ bucket: server.bucket, endpoint: server.endpoint, accessKeyId: 'UNKNOWN', secretAccessKey: 'S3RVER' });
    const failure = await problemOf(() => store.put('k', bytesOf('x'), 'text/plain'));
    expect(failure.type).toBe('storage.unavailable');
  });
});

describe('the S3 store module', () => {
  // It is bundled into the Workers build, where node: modules are missing; walk its own imports.
  it('imports nothing from node:, directly or through project files', async () => {
    const { readFile } = await import('node:fs/promises');
    const seen = new Set<string>();
    const outside = new Set<string>();
    const pending = [path.resolve(here, '../../../src/storage/s3.ts')];
    while (pending.length > 0) {
      const file = pending.pop()!;
      if (seen.has(file)) continue;
      seen.add(file);
      const source = await readFile(file, 'utf8');
      for (const [, spec] of source.matchAll(/^\s*(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]/gm)) {
        if (spec.startsWith('.')) pending.push(path.resolve(path.dirname(file), spec.replace(/\.js$/, '.ts')));
        else outside.add(spec);
      }
    }
    expect([...seen].map((f) => path.basename(f)).sort()).toContain('key.ts');
    expect([...outside]).toEqual(['@aws-sdk/client-s3']);
  });
});
