// A real S3-API server (s3rver) on a random loopback port and a temp folder, so the storage suites
// and the integration tests talk S3 over HTTP without any outside service.
//
// It runs in a child process because s3rver signs ListObjectsV2 continuation tokens with DES,
// which Node 17+ (OpenSSL 3) only offers behind --openssl-legacy-provider; in-process, every
// listing longer than one page fails with a 500. The flag stays confined to the test server.
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';

export interface S3Server {
  endpoint: string;
  bucket: string;
  accessKeyId: string;
  secretAccessKey: string;
  close(): Promise<void>;
}

// Runs in the child: start s3rver with one bucket, print the port, stop when the parent goes away
// (its stdin closes), so a crashed test run leaves no server behind.
const SERVER_SCRIPT = `
const S3rver = require(process.argv[1]);
const [directory, bucket] = process.argv.slice(2);
const server = new S3rver({
  address: '127.0.0.1', port: 0, silent: true, directory,
  configureBuckets: [{ name: bucket }],
  vhostBuckets: false,
});
server.run().then((address) => process.stdout.write(JSON.stringify({ port: address.port }) + '\\n'));
process.stdin.on('end', () => process.exit(0));
process.stdin.resume();
process.on('SIGTERM', () => server.close().finally(() => process.exit(0)));
`;

export async function startS3Server(opts: { bucket?: string } = {}): Promise<S3Server> {
  const s3rverPath = createRequire(import.meta.url).resolve('s3rver');
  const bucket = opts.bucket ?? 'realperson-test';
  const directory = await mkdtemp(path.join(os.tmpdir(), 'realperson-s3-'));
  const child = spawn(process.execPath, ['--openssl-legacy-provider', '-e', SERVER_SCRIPT, s3rverPath, directory, bucket], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));

  const port = await new Promise<number>((resolve, reject) => {
    let out = '';
    child.once('error', reject);
    child.once('exit', (code, signal) => reject(new Error(`the S3 test server stopped before listening (${signal ?? code})`)));
    child.stdout!.setEncoding('utf8');
    child.stdout!.on('data', (chunk: string) => {
      out += chunk;
      const line = out.split('\n')[0];
      if (out.includes('\n')) resolve((JSON.parse(line) as { port: number }).port);
    });
  }).catch(async (err) => {
    child.kill('SIGKILL');
    await rm(directory, { recursive: true, force: true });
    throw err;
  });

  return {
    // Path-style addressing only: virtual-host buckets would need DNS names for 127.0.0.1.
    endpoint: `http://127.0.0.1:${port}`,
    bucket,
    // s3rver's built-in account; it knows no other access key id.
    accessKeyId: 'S3RVER',
    secretAccessKey: 'S3RVER',
    async close() {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        await exited;
      }
      await rm(directory, { recursive: true, force: true });
    },
  };
}
