// API throughput on real PostgreSQL: the whole Node service (API only, no pipeline workers) under
// autocannon at 50 connections against session creation and the capture page's steps.
// Run: npm run bench:api   (benchApi() is also called by the main bench).
// TEST_DATABASE_URL names the PostgreSQL server (default: the local one); a scratch database is
// created and dropped. BENCH_SECONDS and BENCH_CONNECTIONS override the defaults.
import os from 'node:os';
import { mkdtemp, rm } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import autocannon from 'autocannon';
import type { Logger } from '../../src/log/index.js';

process.env.TEST_DATABASE_URL ??= 'postgres://postgres@127.0.0.1:5432/test';

export interface ApiRunFigures {
  name: string;
  method: string;
  path: string;
  seconds: number;
  connections: number;
  requests: number;
  reqPerSec: number;
  latencyMs: { p50: number; p90: number; p99: number; max: number };
  errors: number;
  timeouts: number;
  non2xx: number;
  /** whether this run meets the target (≥ 1,500 req/s, p99 ≤ 50 ms, no failures) */
  meetsTarget: boolean;
}

export interface ApiBenchReport {
  machine: { cpu: string; cores: number; node: string; os: string; loadAverage1m: number };
  target: { reqPerSec: number; p99Ms: number };
  database: string;
  runs: ApiRunFigures[];
}

export const TARGET = { reqPerSec: 1500, p99Ms: 50 };

const SESSION = {
  externalSellerId: 'bench-seller',
  locale: 'en',
  declared: { fullName: 'Specimen Person', documentType: 'cn_resident_id', documentNumber: '11010519491231002X', region: 'CN-ZJ' },
};

interface Options {
  seconds?: number;
  connections?: number;
  /** sessions whose capture tokens the steps run cycles through */
  captureSessions?: number;
  log?: (line: string) => void;
}

/** The service's own log, errors only, with the driver's underlying cause (the default log keeps only the message). */
function serverErrors(log: (line: string) => void): Logger {
  const write = (level: string) => (msg: string, fields?: Record<string, unknown>) => {
    const err = fields?.err as (Error & { cause?: unknown }) | undefined;
    log(`service ${level}: ${msg}${err ? ` — ${err.message.split('\n')[0]}${err.cause ? ` (cause: ${String(err.cause)})` : ''}` : ''}`);
  };
  const logger: Logger = { debug() {}, info() {}, warn: write('warn'), error: write('error'), child: () => logger };
  return logger;
}

async function run(name: string, url: string, opts: Omit<autocannon.Options, 'url'>, seconds: number, connections: number): Promise<ApiRunFigures> {
  // The load generator runs in its own thread so it does not share the service's event loop.
  const r = await autocannon({ ...opts, url, connections, duration: seconds, workers: 1 });
  // Requests the load generator gave up on at the end are still running on the server; let them
  // finish so they neither count against the next run nor meet a closed database pool.
  await new Promise((resolve) => setTimeout(resolve, 2000));
  const figures = {
    name, method: opts.method ?? 'GET', path: new URL(url).pathname, seconds, connections,
    requests: r.requests.total,
    reqPerSec: Math.round(r.requests.total / r.duration),
    latencyMs: { p50: r.latency.p50, p90: r.latency.p90, p99: r.latency.p99, max: r.latency.max },
    errors: r.errors, timeouts: r.timeouts, non2xx: r.non2xx,
  };
  return {
    ...figures,
    meetsTarget: figures.reqPerSec >= TARGET.reqPerSec && figures.latencyMs.p99 <= TARGET.p99Ms && r.errors + r.non2xx === 0,
  };
}

export async function benchApi(options: Options = {}): Promise<ApiBenchReport> {
  const seconds = options.seconds ?? Number(process.env.BENCH_SECONDS ?? 10);
  const connections = options.connections ?? Number(process.env.BENCH_CONNECTIONS ?? 50);
  const poolSize = options.captureSessions ?? 200;
  const log = options.log ?? ((line: string) => console.error(`${new Date().toISOString()} ${line}`));

  // Imported here so that TEST_DATABASE_URL above is set before the support module reads it.
  const { freshPostgresUrl } = await import('../support/postgres.js');
  const { loadConfig } = await import('../../src/config/index.js');
  const { startService } = await import('../../src/service.js');
  const { createTenant } = await import('../../src/flows/tenants.js');
  const { activeGestures, rotateGestures } = await import('../../src/flows/gestures.js');

  const dir = await mkdtemp(path.join(os.tmpdir(), 'realperson-bench-'));
  const pg = await freshPostgresUrl();
  log(`database ${new URL(pg.url).pathname.slice(1)} (pid ${process.pid})`);
  const config = loadConfig({
    PORT: '0', HOST: '127.0.0.1', DATA_DIR: dir, LOG_LEVEL: 'error', PIPELINE_WORKERS: '0', DATABASE_URL: pg.url,
    ...(process.env.DATABASE_POOL ? { DATABASE_POOL: process.env.DATABASE_POOL } : {}),
  });
  const service = await startService(config, { log: serverErrors(log) });
  try {
    const db = service.database.db;
    const { apiKey } = await createTenant(db, 'bench platform', new Date());
    if ((await activeGestures(db)).length < 2) await rotateGestures(db, 8, 'bench', new Date());
    const base = service.url;

    // Capture tokens for the steps run. Each session's challenge is drawn on its first GET; that
    // first draw is done here, so the run measures the steady state (an already drawn challenge).
    log(`preparing ${poolSize} sessions with drawn challenges…`);
    const tokens: string[] = [];
    for (let i = 0; i < poolSize; i++) {
      const res = await fetch(`${base}/v1/sessions`, {
        method: 'POST', headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' },
        body: JSON.stringify({ ...SESSION, externalSellerId: `bench-${i}` }),
      });
      if (res.status !== 201) throw new Error(`creating a session failed: ${res.status} ${await res.text()}`);
      const token = new URL((await res.json() as { captureUrl: string }).captureUrl).hash.replace(/^#token=/, '');
      const steps = await fetch(`${base}/capture/v1/steps`, { headers: { authorization: `Bearer ${token}` } });
      if (steps.status !== 200) throw new Error(`drawing a challenge failed: ${steps.status} ${await steps.text()}`);
      await steps.arrayBuffer();
      tokens.push(token);
    }

    const runs: ApiRunFigures[] = [];
    log(`POST /v1/sessions: ${connections} connections, ${seconds} s…`);
    runs.push(await run('create session', `${base}/v1/sessions`, {
      method: 'POST', body: JSON.stringify(SESSION),
      headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' },
    }, seconds, connections));
    log(`GET /capture/v1/steps: ${connections} connections, ${seconds} s, ${tokens.length} sessions…`);
    runs.push(await run('capture steps (challenge already drawn)', `${base}/capture/v1/steps`, {
      // Each connection walks the token list, so requests spread over all the sessions.
      requests: tokens.map((t) => ({ method: 'GET' as const, headers: { authorization: `Bearer ${t}` } })),
    }, seconds, connections));

    log('runs done');
    const cpus = os.cpus();
    return {
      machine: { cpu: cpus[0]?.model ?? 'unknown', cores: cpus.length, node: process.version, os: `${os.type()} ${os.release()}`, loadAverage1m: Math.round(os.loadavg()[0] * 10) / 10 },
      target: TARGET,
      database: `PostgreSQL (${new URL(pg.url).host}), pool ${config.DATABASE_POOL}`,
      runs,
    };
  } finally {
    await service.close();
    await pg.drop();
    await rm(dir, { recursive: true, force: true });
  }
}

export function formatApiReport(r: ApiBenchReport): string {
  const lines = [
    `machine: ${r.machine.cpu}, ${r.machine.cores} cores, node ${r.machine.node}, ${r.machine.os}, load ${r.machine.loadAverage1m} (1 min)`,
    `database: ${r.database}; target ≥ ${r.target.reqPerSec} req/s, p99 ≤ ${r.target.p99Ms} ms`,
  ];
  for (const x of r.runs) {
    lines.push(`${x.method} ${x.path} — ${x.name}: ${x.reqPerSec} req/s, p50 ${x.latencyMs.p50} ms, p90 ${x.latencyMs.p90} ms, p99 ${x.latencyMs.p99} ms, max ${x.latencyMs.max} ms; ` +
      `${x.requests} requests, ${x.errors} errors, ${x.timeouts} timeouts, ${x.non2xx} non-2xx — ${x.meetsTarget ? 'meets target' : 'below target'}`);
  }
  return lines.join('\n');
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const report = await benchApi();
  console.log(formatApiReport(report));
  if (process.argv.includes('--json')) console.log(JSON.stringify(report));
}
