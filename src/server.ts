// Node entry: `npm start`. Everything in one process: API, web pages, pipeline workers, webhooks.
import { ConfigError, loadConfig } from './config/index.js';
import { startService } from './service.js';

let config;
try {
  config = loadConfig();
} catch (err) {
  if (err instanceof ConfigError) {
    for (const line of err.lines) console.error(line);
    process.exit(2);
  }
  throw err;
}

const service = await startService(config);
console.log(`realperson listening on ${service.url} (public URL ${config.PUBLIC_URL}; data in ${config.DATA_DIR}; database ${service.database.kind})`);

let stopping = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (stopping) process.exit(1);
    stopping = true;
    console.log(`${signal}: finishing running jobs and shutting down`);
    service.close().then(() => process.exit(0), (err) => { console.error(err); process.exit(1); });
  });
}
