// Blob store on a local folder: the default on a fresh machine (./data/blobs).
import { randomBytes } from 'node:crypto';
import { mkdir, open, readFile, readdir, rename, stat, unlink } from 'node:fs/promises';
import path from 'node:path';
import { assertKey, assertPrefix, invalidKey, storageUnavailable } from './key.js';
import type { BlobStore } from './types.js';

export const DEFAULT_BLOB_DIR = './data/blobs';

export function createFsStore(dir: string = DEFAULT_BLOB_DIR): BlobStore {
  const root = path.resolve(dir);

  // Keys are validated already; resolving and re-checking the containment is a second wall in
  // case the key rules are ever loosened.
  function pathOf(key: string): string {
    assertKey(key);
    const file = path.resolve(root, ...key.split('/'));
    if (!file.startsWith(root + path.sep)) throw invalidKey('a blob key stays inside the blob folder');
    return file;
  }

  return {
    // The content type is not kept: every reader of a blob knows what it stored (photos are
    // always re-encoded JPEG), and a sidecar file would break the one-file-per-blob atomicity.
    async put(key, bytes, _contentType) {
      const file = pathOf(key);
      const folder = path.dirname(file);
      // Written beside its final place (same filesystem, so rename is atomic), flushed, then
      // renamed: a crash leaves at most a dot-named temp file, which keys can never name.
      const temp = path.join(folder, `.${path.basename(file)}.${randomBytes(6).toString('hex')}.tmp`);
      try {
        await mkdir(folder, { recursive: true });
        const handle = await open(temp, 'wx', 0o600);
        try {
          await handle.writeFile(bytes);
          await handle.sync();
        } finally {
          await handle.close();
        }
        await rename(temp, file);
      } catch (err) {
        // Best effort: the write's own failure is what the caller needs to see.
        await unlink(temp).catch(() => undefined);
        throw storageUnavailable('write a blob', err);
      }
    },

    async get(key) {
      const file = pathOf(key);
      try {
        return new Uint8Array(await readFile(file));
      } catch (err) {
        // A key that names a folder of other keys is not a blob either.
        if (isCode(err, 'ENOENT') || isCode(err, 'EISDIR') || isCode(err, 'ENOTDIR')) return null;
        throw storageUnavailable('read a blob', err);
      }
    },

    async delete(key) {
      const file = pathOf(key);
      try {
        await unlink(file);
      } catch (err) {
        if (!isCode(err, 'ENOENT') && !isCode(err, 'ENOTDIR')) throw storageUnavailable('delete a blob', err);
      }
      // A process killed inside put() leaves the photo in a temp file beside its key (an upload
      // records its key's deletion before writing): deleting the key deletes those too.
      const folder = path.dirname(file);
      const stem = `.${path.basename(file)}.`;
      let names: string[];
      try {
        names = await readdir(folder);
      } catch (err) {
        if (isCode(err, 'ENOENT') || isCode(err, 'ENOTDIR')) return;
        throw storageUnavailable('delete a blob', err);
      }
      for (const name of names) {
        if (!name.startsWith(stem) || !name.endsWith('.tmp')) continue;
        await unlink(path.join(folder, name)).catch((err) => {
          if (!isCode(err, 'ENOENT')) throw storageUnavailable('delete a blob', err);
        });
      }
    },

    async exists(key) {
      const file = pathOf(key);
      try {
        return (await stat(file)).isFile();
      } catch (err) {
        if (isCode(err, 'ENOENT') || isCode(err, 'ENOTDIR')) return false;
        throw storageUnavailable('look up a blob', err);
      }
    },

    list(prefix) {
      assertPrefix(prefix);
      return walk(root, prefix);
    },
  };
}

// Only the folder named by the prefix's complete segments is walked, so listing one tenant's
// photos does not read every other tenant's folder.
async function* walk(root: string, prefix: string): AsyncGenerator<string> {
  const cut = prefix.lastIndexOf('/');
  const base = cut < 0 ? '' : prefix.slice(0, cut + 1);
  const pending = [base];
  while (pending.length > 0) {
    const folderKey = pending.pop()!;
    let entries;
    try {
      entries = await readdir(path.join(root, ...folderKey.split('/').filter(Boolean)), { withFileTypes: true });
    } catch (err) {
      if (isCode(err, 'ENOENT') || isCode(err, 'ENOTDIR')) continue;
      throw storageUnavailable('list blobs', err);
    }
    for (const entry of entries) {
      if (entry.name.startsWith('.')) continue; // in-flight or abandoned temp files
      const key = folderKey + entry.name;
      if (entry.isDirectory()) {
        if ((key + '/').startsWith(prefix)) pending.push(key + '/');
      } else if (entry.isFile() && key.startsWith(prefix)) {
        yield key;
      }
    }
  }
}

function isCode(err: unknown, code: string): boolean {
  return typeof err === 'object' && err !== null && (err as { code?: unknown }).code === code;
}
