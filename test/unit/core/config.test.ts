import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../../src/config/index.js';

describe('configuration from the environment', () => {
  it('has working defaults', () => {
    const c = loadConfig({});
    expect(c.PORT).toBe(8787);
    expect(c.PUBLIC_URL).toBe('http://localhost:8787');
    expect(c.DATABASE_URL).toBeUndefined();
    expect(c.CHALLENGE_TTL_MINUTES).toBe(15);
    expect(c.MAX_ATTEMPTS).toBe(3);
  });

  it('reports every mistake on its own line, naming the variable', () => {
    let err: ConfigError | null = null;
    try {
      loadConfig({ PORT: 'eighty', DATABASE_URL: 'mysql://x', EMBEDDING_KEY: 'c2hvcnQ=', LOG_LEVEL: 'loud' });
    } catch (e) {
      err = e as ConfigError;
    }
    expect(err).toBeInstanceOf(ConfigError);
    const lines = err!.lines;
    for (const name of ['PORT', 'DATABASE_URL', 'EMBEDDING_KEY', 'LOG_LEVEL']) {
      expect(lines.some((l) => l.startsWith(`config: ${name} `))).toBe(true);
    }
    expect(lines.every((l) => !l.includes('\n'))).toBe(true);
  });

  it('asks for S3_BUCKET when S3_ENDPOINT is set', () => {
    expect(() => loadConfig({ S3_ENDPOINT: 'http://127.0.0.1:9000' })).toThrow(/config: S3_BUCKET is required when S3_ENDPOINT is set/);
  });

  it('strips a trailing slash from PUBLIC_URL', () => {
    expect(loadConfig({ PUBLIC_URL: 'https://verify.example/' }).PUBLIC_URL).toBe('https://verify.example');
  });
});
