// Node-only: keys generated on first start into DATA_DIR/keys (0600), or taken from the environment.
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { JWK } from 'jose';
import { importKeys, newEmbeddingKey, newSigningJwk, type Keys } from './index.js';

export async function loadOrCreateKeys(dir: string, env: { SIGNING_JWK?: string; EMBEDDING_KEY?: string }): Promise<Keys> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const signing: JWK = env.SIGNING_JWK
    ? JSON.parse(env.SIGNING_JWK)
    : JSON.parse(await readOrCreate(path.join(dir, 'signing.jwk.json'), async () => JSON.stringify(await newSigningJwk())));
  const embedding = env.EMBEDDING_KEY ?? (await readOrCreate(path.join(dir, 'embedding.key'), async () => newEmbeddingKey())).trim();
  return importKeys(signing, embedding);
}

async function readOrCreate(file: string, make: () => Promise<string>): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    const value = await make();
    // 'wx' fails if another process created it meanwhile; then theirs wins and we read it.
    try {
      await writeFile(file, value, { mode: 0o600, flag: 'wx' });
      return value;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'EEXIST') return readFile(file, 'utf8');
      throw e;
    }
  }
}
