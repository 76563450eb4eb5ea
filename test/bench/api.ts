// API throughput on real PostgreSQL: the whole Node service (API only, no pipeline workers) under
// autocannon at 50 connections against session creation and the capture page's steps.
// Run: npm run bench:api   (benchApi() is also called by the main bench).
// TEST_DATABASE_URL names the PostgreSQL server (default: the local one); a scratch database is
// created and dropped. BENCH_SECONDS, BENCH_CONNECTIONS, BENCH_RUNS (create,steps) and DATABASE_POOL
// override the defaults. Each run also reports CPU time per request and what the database backends
// were waiting on, so a figure below target says whether a lock, the disk or the CPU set it.
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import type autocannon from 'autocannon';
import { sql } from 'drizzle-orm';
import type { Db } from '../../src/db/index.js';
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
  /** share of busy database backends per wait event during the run (see sampleWaits) */
  databaseWaits: Record<string, number>;
  /**
   * CPU time per request: the service process, the PostgreSQL backends serving it (null when /proc
   * is not readable) and the load generator; capacity is what the cores would serve without other load.
   */
  cpuMsPerRequest: { service: number; postgres: number | null; loadGenerator: number; capacityReqPerSec: number; benchCapacityReqPerSec: number };
  /** whether this run meets the target (≥ 1,500 req/s, p99 ≤ 50 ms, no failures) */
  meetsTarget: boolean;
}

export interface ApiBenchReport {
  /** loadAverage1m is taken before the service starts: other work on the machine during the bench */
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

type RunName = 'create' | 'steps';

interface Options {
  /** which runs (default both; BENCH_RUNS=create,steps) */
  runs?: RunName[];
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

// The load generator runs in its own process, so the service's CPU time is its own and the two do
// not share an event loop. It gets its options as JSON and prints autocannon's result as JSON.
const LOAD_SCRIPT = `
const autocannon = require(process.argv[1]);
const opts = JSON.parse(process.argv[2]);
autocannon(opts, (err, result) => {
  if (err) { console.error(err); process.exit(1); }
  const ru = process.resourceUsage();
  process.stdout.write(JSON.stringify({ result, cpuMs: (ru.userCPUTime + ru.systemCPUTime) / 1000 }));
});
`;

async function loadInChild(opts: autocannon.Options): Promise<{ result: autocannon.Result; cpuMs: number }> {
  const autocannonPath = createRequire(import.meta.url).resolve('autocannon');
  const { stdout } = await promisify(execFile)(process.execPath, ['-e', LOAD_SCRIPT, autocannonPath, JSON.stringify(opts)], {
    maxBuffer: 64 * 1024 * 1024, timeout: ((opts.duration as number) + 60) * 1000,
  });
  return JSON.parse(stdout);
}

/** CPU time (ms) of the PostgreSQL backends serving one database, read from /proc; null where unreadable. */
async function postgresCpuMs(db: Db, database: string): Promise<Map<number, number> | null> {
  const rows = await db.execute(sql`select pid from pg_stat_activity where datname = ${database}`) as unknown as { pid: number }[];
  const ticks = new Map<number, number>();
  for (const { pid } of rows) {
    try {
      // Fields after the command name: utime and stime are the 12th and 13th, in clock ticks (100 Hz).
      const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      ticks.set(pid, (Number(f[11]) + Number(f[12])) * 10);
    } catch {
      return null; // another host, or not allowed to read its processes: no PostgreSQL figure
    }
  }
  return ticks;
}

function cpuDelta(before: Map<number, number> | null, after: Map<number, number> | null): number | null {
  if (!before || !after) return null;
  let ms = 0;
  for (const [pid, t] of after) ms += t - (before.get(pid) ?? 0);
  return ms;
}

interface RunContext { db: Db; database: string; url: string }

/**
 * What the database's backends are doing while a run goes on, sampled every 50 ms on a connection of
 * its own: share of busy samples per wait (e.g. Lock:advisory, IO:WALSync, Client:ClientRead, or
 * "running" for on-CPU). Tells a lock or a WAL flush from plain CPU.
 */
function sampleWaits(url: string, database: string): { stop(): Promise<Record<string, number>> } {
  let stopped = false;
  const counts = new Map<string, number>();
  let total = 0;
  const loop = (async () => {
    const { default: postgres } = await import('postgres');
    const sample = postgres(url, { max: 1, onnotice: () => {} });
    try {
      while (!stopped) {
        const rows = await sample<{ wait: string }[]>`
          select coalesce(wait_event_type || ':' || wait_event, 'running') as wait from pg_stat_activity
          where datname = ${database} and pid <> pg_backend_pid() and state <> 'idle'`;
        for (const { wait } of rows) counts.set(wait, (counts.get(wait) ?? 0) + 1);
        total += rows.length;
        await new Promise((r) => setTimeout(r, 50));
      }
    } finally {
      await sample.end();
    }
  })();
  return {
    async stop() {
      stopped = true;
      await loop;
      return Object.fromEntries([...counts].sort((a, b) => b[1] - a[1]).slice(0, 6).map(([k, v]) => [k, Math.round((v / Math.max(1, total)) * 100) / 100]));
    },
  };
}

async function run(ctx: RunContext, name: string, url: string, opts: Omit<autocannon.Options, 'url'>, seconds: number, connections: number): Promise<ApiRunFigures> {
  const pgBefore = await postgresCpuMs(ctx.db, ctx.database);
  const cpuBefore = process.cpuUsage();
  const waits = sampleWaits(ctx.url, ctx.database);
  const { result: r, cpuMs: loadCpuMs } = await loadInChild({ ...opts, url, connections, duration: seconds });
  const databaseWaits = await waits.stop();
  // Requests the load generator gave up on at the end are still running on the server; let them
  // finish so they neither count against the next run nor meet a closed database pool.
  await new Promise((resolve) => setTimeout(resolve, 1000));
  const cpu = process.cpuUsage(cpuBefore);
  const pgMs = cpuDelta(pgBefore, await postgresCpuMs(ctx.db, ctx.database));
  const perRequest = (ms: number) => Math.round((ms / Math.max(1, r.requests.total)) * 1000) / 1000;
  const serviceMs = perRequest((cpu.user + cpu.system) / 1000);
  const postgresMs = pgMs === null ? null : perRequest(pgMs);
  const loadMs = perRequest(loadCpuMs);
  const figures = {
    name, method: opts.method ?? 'GET', path: new URL(url).pathname, seconds, connections,
    requests: r.requests.total,
    reqPerSec: Math.round(r.requests.total / r.duration),
    latencyMs: { p50: r.latency.p50, p90: r.latency.p90, p99: r.latency.p99, max: r.latency.max },
    errors: r.errors, timeouts: r.timeouts, non2xx: r.non2xx, databaseWaits,
    cpuMsPerRequest: {
      service: serviceMs, postgres: postgresMs, loadGenerator: loadMs,
      // What the machine's cores could serve if this run had them to itself: service + database, and
      // with the load generator also on the machine, as in this bench.
      capacityReqPerSec: Math.round((os.cpus().length * 1000) / (serviceMs + (postgresMs ?? 0))),
      benchCapacityReqPerSec: Math.round((os.cpus().length * 1000) / (serviceMs + (postgresMs ?? 0) + loadMs)),
    },
  };
  return {
    ...figures,
    meetsTarget: figures.reqPerSec >= TARGET.reqPerSec && figures.latencyMs.p99 <= TARGET.p99Ms && r.errors + r.non2xx === 0,
  };
}

export async function benchApi(options: Options = {}): Promise<ApiBenchReport> {
  const seconds = options.seconds ?? Number(process.env.BENCH_SECONDS ?? 10);
  const connections = options.connections ?? Number(process.env.BENCH_CONNECTIONS ?? 50);
  const which = new Set(options.runs ?? (process.env.BENCH_RUNS?.split(',') as RunName[] | undefined) ?? ['create', 'steps']);
  const poolSize = which.has('steps') ? options.captureSessions ?? 200 : 0;
  const log = options.log ?? ((line: string) => console.error(`${new Date().toISOString()} ${line}`));

  // Imported here so that TEST_DATABASE_URL above is set before the support module reads it.
  const { freshPostgresUrl } = await import('../support/postgres.js');
  const { loadConfig } = await import('../../src/config/index.js');
  const { startService } = await import('../../src/service.js');
  const { createTenant } = await import('../../src/flows/tenants.js');
  const { activeGestures, rotateGestures } = await import('../../src/flows/gestures.js');

  const loadBefore = os.loadavg()[0];
  const dir = await mkdtemp(path.join(os.tmpdir(), 'realperson-bench-'));
  const pg = await freshPostgresUrl();
  const database = new URL(pg.url).pathname.slice(1);
  // Diagnosis only: BENCH_SYNCHRONOUS_COMMIT=off shows how much of a run waits on WAL flushes.
  const syncCommit = process.env.BENCH_SYNCHRONOUS_COMMIT === 'off' ? 'off' : 'on';
  if (syncCommit === 'off') {
    const { default: postgres } = await import('postgres');
    const admin = postgres(pg.url, { max: 1, onnotice: () => {} });
    await admin.unsafe(`alter database ${database} set synchronous_commit = off`);
    await admin.end();
  }
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
    if (poolSize) log(`preparing ${poolSize} sessions with drawn challenges…`);
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
    const ctx = { db, database, url: pg.url };
    if (which.has('create')) log(`POST /v1/sessions: ${connections} connections, ${seconds} s…`);
    if (which.has('create')) runs.push(await run(ctx, 'create session', `${base}/v1/sessions`, {
      method: 'POST', body: JSON.stringify(SESSION),
      headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' },
    }, seconds, connections));
    if (which.has('steps')) log(`GET /capture/v1/steps: ${connections} connections, ${seconds} s, ${tokens.length} sessions…`);
    if (which.has('steps')) runs.push(await run(ctx, 'capture steps (challenge already drawn)', `${base}/capture/v1/steps`, {
      // Each connection walks the token list, so requests spread over all the sessions.
      requests: tokens.map((t) => ({ method: 'GET' as const, headers: { authorization: `Bearer ${t}` } })),
    }, seconds, connections));

    log('runs done');
    const cpus = os.cpus();
    return {
      machine: { cpu: cpus[0]?.model ?? 'unknown', cores: cpus.length, node: process.version, os: `${os.type()} ${os.release()}`, loadAverage1m: Math.round(loadBefore * 10) / 10 },
      target: TARGET,
      database: `PostgreSQL (${new URL(pg.url).host}), pool ${config.DATABASE_POOL}, synchronous_commit ${syncCommit}`,
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
    `machine: ${r.machine.cpu}, ${r.machine.cores} cores, node ${r.machine.node}, ${r.machine.os}, load average ${r.machine.loadAverage1m} before the bench`,
    `database: ${r.database}; target ≥ ${r.target.reqPerSec} req/s, p99 ≤ ${r.target.p99Ms} ms`,
  ];
  for (const x of r.runs) {
    lines.push(`${x.method} ${x.path} — ${x.name}: ${x.reqPerSec} req/s, p50 ${x.latencyMs.p50} ms, p90 ${x.latencyMs.p90} ms, p99 ${x.latencyMs.p99} ms, max ${x.latencyMs.max} ms; ` +
      `${x.requests} requests, ${x.errors} errors, ${x.timeouts} timeouts, ${x.non2xx} non-2xx — ${x.meetsTarget ? 'meets target' : 'below target'}`);
    const c = x.cpuMsPerRequest;
    lines.push(`    database backends busy on: ${Object.entries(x.databaseWaits).map(([k, v]) => `${k} ${Math.round(v * 100)}%`).join(', ') || 'nothing sampled'}`);
    lines.push(`    CPU per request: service ${c.service} ms, PostgreSQL ${c.postgres ?? 'n/a'} ms, load generator ${c.loadGenerator} ms → CPU-bound ceiling on ${r.machine.cores} idle cores ~${c.capacityReqPerSec} req/s (service + database), ~${c.benchCapacityReqPerSec} req/s with the load generator`);
  }
  return lines.join('\n');
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const report = await benchApi();
  console.log(formatApiReport(report));
  if (process.argv.includes('--json')) console.log(JSON.stringify(report));
}
