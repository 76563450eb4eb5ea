import { describe, expect, it } from 'vitest';
import { importKeys, newEmbeddingKey, newSigningJwk, open, seal, issueCaptureToken, verifyCaptureToken } from '../../../src/keys/index.js';
import { newId, randomInt } from '../../../src/ids/index.js';

describe('keys', () => {
  it('sealed embeddings open only with the same key and session id', async () => {
    const keys = await importKeys(await newSigningJwk(), newEmbeddingKey());
    const plain = new TextEncoder().encode(JSON.stringify([0.1, 0.2, 0.3]));
    const sealed = await seal(keys, 'ses_a', plain);
    expect(new TextDecoder().decode(await open(keys, 'ses_a', sealed))).toBe('[0.1,0.2,0.3]');
    await expect(open(keys, 'ses_b', sealed)).rejects.toThrow();
    const other = await importKeys(await newSigningJwk(), newEmbeddingKey());
    await expect(open(other, 'ses_a', sealed)).rejects.toThrow();
    expect(Buffer.from(sealed).includes(Buffer.from(plain))).toBe(false);
  });

  it('capture tokens from another key are refused', async () => {
    const a = await importKeys(await newSigningJwk(), newEmbeddingKey());
    const b = await importKeys(await newSigningJwk(), newEmbeddingKey());
    const token = await issueCaptureToken(a, { sessionId: 'ses_x', tenantId: 'ten_y' }, new Date(Date.now() + 60_000));
    expect(await verifyCaptureToken(a, token, new Date())).toEqual({ sessionId: 'ses_x', tenantId: 'ten_y' });
    await expect(verifyCaptureToken(b, token, new Date())).rejects.toMatchObject({ status: 401 });
  });
});

describe('ids', () => {
  it('are random, prefixed and URL-safe', () => {
    const ids = new Set(Array.from({ length: 1000 }, () => newId('ses')));
    expect(ids.size).toBe(1000);
    for (const id of ids) expect(id).toMatch(/^ses_[a-z2-7]{26}$/);
  });

  it('randomInt is uniform enough and in range', () => {
    const counts = [0, 0, 0, 0, 0, 0];
    for (let i = 0; i < 6000; i++) counts[randomInt(6)]++;
    for (const c of counts) expect(c).toBeGreaterThan(850);
    expect(() => randomInt(0)).toThrow();
  });
});
