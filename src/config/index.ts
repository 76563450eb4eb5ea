// Configuration from the environment, validated once at start. Each mistake is reported as one line
// naming the variable, so an operator can fix all of them in one go.
import { z } from 'zod';

const bool = z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1');
const int = (min: number, max: number) => z.coerce.number().int().min(min).max(max);

export const configSchema = z.object({
  /** 0 picks a free port */
  PORT: int(0, 65535).default(8787),
  HOST: z.string().min(1).default('0.0.0.0'),
  /** Origin sellers reach the service at; capture URLs are built from it. Default http://localhost:PORT */
  PUBLIC_URL: z.string().url().optional(),
  DATA_DIR: z.string().min(1).default('./data'),
  /** postgres://… for PostgreSQL; unset means the embedded PGlite in DATA_DIR/db */
  DATABASE_URL: z.string().regex(/^postgres(ql)?:\/\//, 'must start with postgres:// or postgresql://').optional(),
  DATABASE_POOL: int(1, 100).default(10),
  S3_BUCKET: z.string().min(3).optional(),
  S3_ENDPOINT: z.string().url().optional(),
  S3_REGION: z.string().default('auto'),
  S3_ACCESS_KEY_ID: z.string().optional(),
  S3_SECRET_ACCESS_KEY: z.string().optional(),
  S3_FORCE_PATH_STYLE: bool.default(true),
  S3_PREFIX: z.string().default(''),
  /** 32 bytes, base64: encrypts face embeddings at rest. Unset: generated once into DATA_DIR/keys */
  EMBEDDING_KEY: z.string().refine((v) => Buffer.from(v, 'base64').length === 32, 'must be 32 bytes, base64-encoded').optional(),
  /** Private signing JWK (JSON) for tokens and webhooks. Unset: generated once into DATA_DIR/keys */
  SIGNING_JWK: z.string().optional(),
  CHALLENGE_TTL_MINUTES: int(1, 24 * 60).default(15),
  SESSION_TTL_HOURS: int(1, 24 * 30).default(24),
  MAX_ATTEMPTS: int(1, 10).default(3),
  MAX_PHOTO_BYTES: int(10_000, 50 * 1024 * 1024).default(10 * 1024 * 1024),
  RETENTION_DAYS: int(1, 3650).default(30),
  /** Verification jobs this process runs at once; 0 runs the API only */
  PIPELINE_WORKERS: int(0, 64).default(1),
  /** vision worker threads (one model set each, about 330 MB resident); default: the machine's cores */
  VISION_THREADS: int(1, 64).optional(),
  JOB_LEASE_SECONDS: int(5, 3600).default(120),
  WEBHOOK_MAX_ATTEMPTS: int(1, 30).default(8),
  /** Callback URLs may point at private, loopback and link-local addresses (refused by default) */
  WEBHOOK_ALLOW_PRIVATE: bool.default(false),
  /** Behind a reverse proxy: take the client's address from the last X-Forwarded-For entry */
  TRUST_PROXY: bool.default(false),
  LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error', 'silent']).default('info'),
}).superRefine((c, ctx) => {
  if (c.S3_ENDPOINT && !c.S3_BUCKET) {
    ctx.addIssue({ code: 'custom', path: ['S3_BUCKET'], message: 'is required when S3_ENDPOINT is set' });
  }
});

export type Config = z.infer<typeof configSchema> & { PUBLIC_URL: string };

export class ConfigError extends Error {
  constructor(readonly lines: string[]) {
    super(lines.join('\n'));
  }
}

/** Parses the environment; throws ConfigError with one line per mistake. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const present = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = configSchema.safeParse(present);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((i) => {
      const name = i.path.join('.') || '(environment)';
      const given = typeof present[name] === 'string' ? ` (got "${present[name]}")` : '';
      return `config: ${name} ${i.message}${given}`;
    }));
  }
  const c = parsed.data;
  return { ...c, PUBLIC_URL: (c.PUBLIC_URL ?? `http://localhost:${c.PORT}`).replace(/\/$/, '') };
}
