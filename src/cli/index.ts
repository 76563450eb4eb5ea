// `npx realperson <command>`: same configuration (env) as the server. With PostgreSQL the command opens
// the database itself. The embedded PGlite allows one process at a time, so when a service holds it the
// command is sent to that service (over loopback, with the token in DATA_DIR/service.json) and runs there.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { ConfigError, loadConfig } from '../config/index.js';
import { systemClock } from '../flows/deps.js';
import { loadGestures, openServiceDatabase, openStorage } from '../service.js';
import { syncGestureLibrary, type GestureDefinition } from '../flows/gestures.js';
import { describeError, runCommand, UsageError, USAGE } from './commands.js';

export interface ServiceFile {
  pid: number;
  url: string;
  token: string;
}

export const serviceFile = (dataDir: string) => path.resolve(dataDir, 'service.json');

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

export async function main(argv: string[]): Promise<number> {
  if (argv.length === 0 || argv[0] === '--help' || argv[0] === 'help') {
    console.log(USAGE);
    return argv.length === 0 ? 2 : 0;
  }
  let config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) { console.error(err.lines.join('\n')); return 2; }
    throw err;
  }
  if (!config.DATABASE_URL) {
    const running = await readFile(serviceFile(config.DATA_DIR), 'utf8').then((t) => JSON.parse(t) as ServiceFile, () => null);
    if (running && alive(running.pid)) {
      try {
        const res = await fetch(`${running.url}/admin/v1/cli`, {
          method: 'POST', headers: { authorization: `Bearer ${running.token}`, 'content-type': 'application/json' }, body: JSON.stringify({ argv }),
        });
        const body = await res.json() as { lines?: string[]; exitCode?: number; error?: string };
        if (body.error) { console.error(`realperson: ${body.error}`); return body.exitCode ?? 1; }
        for (const l of body.lines ?? []) console.log(l);
        return body.exitCode ?? 0;
      } catch (err) {
        console.error(`realperson: the service (pid ${running.pid}) holds the embedded database but did not answer at ${running.url}: ${(err as Error).message}. Stop it, or use DATABASE_URL (PostgreSQL) to run commands beside it.`);
        return 1;
      }
    }
  }
  const database = await openServiceDatabase(config);
  try {
    const store = await openStorage(config);
    await syncGestureLibrary(database.db, await loadGestures() as unknown as GestureDefinition[], systemClock.now());
    const { lines, exitCode } = await runCommand(argv, { db: database.db, store, config, clock: systemClock });
    for (const l of lines) console.log(l);
    return exitCode;
  } catch (err) {
    console.error(`realperson: ${describeError(err)}`);
    // 2: the command line was wrong (as the loopback path answers); 1: the command failed
    return err instanceof UsageError ? 2 : 1;
  } finally {
    await database.close();
  }
}
