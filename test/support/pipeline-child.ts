// A pipeline-only service process (no HTTP), for tests that kill a worker mid-job.
// Prints "ready" once its models are loaded, and "claimed <jobId>" is visible in the jobs table.
import { loadConfig } from '../../src/config/index.js';
import { startService } from '../../src/service.js';

const service = await startService(loadConfig({ ...process.env, PIPELINE_WORKERS: '1', PORT: '0', LOG_LEVEL: process.env.LOG_LEVEL ?? 'error' }), { listen: false });
await service.ready;
process.stdout.write('ready\n');
process.on('SIGTERM', () => { service.close().then(() => process.exit(0)); });
