// Callback URLs may not aim the service's requests inside the operator's network.
import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { blockedAddress, callbackUrlProblem } from '../../../src/webhooks/destination.js';
import { BlockedDestinationError, postWebhook } from '../../../src/webhooks/send.js';

describe('which addresses are private', () => {
  it.each([
    ['127.0.0.1', 'loopback'], ['127.255.255.254', 'loopback'], ['10.1.2.3', 'private'], ['172.16.0.1', 'private'],
    ['172.31.255.255', 'private'], ['192.168.1.1', 'private'], ['169.254.169.254', 'link-local (cloud metadata)'],
    ['100.64.0.1', 'carrier-grade NAT'], ['0.0.0.0', 'this network'], ['224.0.0.1', 'multicast'], ['255.255.255.255', 'reserved'],
    ['::1', 'loopback'], ['::', 'unspecified'], ['fd00::1', 'unique local (private)'], ['fe80::1%eth0', 'link-local'],
    ['::ffff:127.0.0.1', 'loopback'], ['::ffff:7f00:1', 'loopback'], ['::ffff:a9fe:a9fe', 'link-local (cloud metadata)'],
    ['64:ff9b::10.0.0.1', 'private'], ['ff02::1', 'multicast'],
    // tunnels and translations that carry an IPv4 address inside: 6to4, Teredo, IPv4-compatible, local NAT64
    ['2002:7f00:1::', 'loopback'], ['2002:a9fe:a9fe::1', 'link-local (cloud metadata)'], ['2002:c0a8:101::', 'private'],
    ['2001::1', 'Teredo tunnel'], ['2001:0:4136:e378:8000:63bf:3fff:fdd2', 'Teredo tunnel'],
    ['::7f00:1', 'loopback'], ['::127.0.0.1', 'loopback'], ['64:ff9b:1::a9fe:a9fe', 'link-local (cloud metadata)'],
  ])('%s is %s', (ip, what) => {
    expect(blockedAddress(ip)).toBe(what);
  });

  it.each(['8.8.8.8', '172.32.0.1', '172.15.255.255', '100.128.0.1', '193.0.0.1', '2606:4700::1111', '::ffff:8.8.8.8', '64:ff9b::8.8.8.8', '2002:808:808::1', '2001:4860:4860::8888'])('%s is public', (ip) => {
    expect(blockedAddress(ip)).toBeNull();
  });
});

describe('callback URLs', () => {
  it.each([
    ['http://127.0.0.1:8080/hook', /loopback/],
    ['http://0x7f.1/hook', /loopback/], // URL parsing turns every IPv4 spelling into dotted decimal
    ['http://2130706433/hook', /loopback/],
    ['http://[::ffff:127.0.0.1]/hook', /loopback/],
    ['http://169.254.169.254/latest/meta-data', /link-local/],
    ['http://localhost:3000/hook', /localhost/],
    ['http://api.localhost/hook', /localhost/],
    ['http://localhost./h', /localhost/], // a trailing dot names the same host
    ['http://LOCALHOST../h', /localhost/],
    ['http://api.localhost./h', /localhost/],
    ['http://[2002:7f00:1::]/h', /loopback/], // 6to4 of 127.0.0.1
    ['http://[2001::7f00:1]/h', /Teredo/],
    ['http://metadata.google.internal/h', /internal/],
    ['http://metadata.google.internal./computeMetadata/v1/', /internal/],
    ['http://metadata/h', /metadata/],
    ['http://db/h', /single-label/], // resolved through the search domains of the service's own network
    ['http://instance-data/latest/meta-data', /metadata/],
    ['http://metadata.goog/h', /metadata/],
    ['http://instance-data.ec2.internal/h', /internal/],
    ['http://printer.local/h', /local/],
    ['http://router.home.arpa/h', /home\.arpa/],
    ['https://user:secret@platform.example/hook', /credentials/],
    ['ftp://platform.example/hook', /http\(s\)/],
  ])('%s is refused', (url, why) => {
    expect(callbackUrlProblem(url, false)).toMatch(why);
  });

  it('accepts public names and addresses, and private ones where the operator allows them', () => {
    expect(callbackUrlProblem('https://platform.example/hooks/realperson', false)).toBeNull();
    expect(callbackUrlProblem('https://93.184.215.14/hook', false)).toBeNull();
    expect(callbackUrlProblem('https://platform.example./hooks', false)).toBeNull();
    expect(callbackUrlProblem('https://internal.platform.example/hooks', false)).toBeNull();
    expect(callbackUrlProblem('https://[2606:4700::1111]/hooks', false)).toBeNull();
    expect(callbackUrlProblem('http://metadata.google.internal/h', true)).toBeNull();
    expect(callbackUrlProblem('http://127.0.0.1:8080/hook', true)).toBeNull();
    expect(callbackUrlProblem('https://user:secret@platform.example/hook', true)).toMatch(/credentials/);
  });
});

describe('delivery', () => {
  let server: Server;
  let port = 0;
  const seen: string[] = [];
  beforeAll(async () => {
    server = createServer((req, res) => {
      let body = '';
      req.on('data', (c) => { body += c; });
      req.on('end', () => {
        seen.push(`${req.method} ${req.url} ${body}`);
        if (req.url === '/moved') res.writeHead(302, { location: '/elsewhere' }).end();
        else res.writeHead(204).end();
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    port = (server.address() as { port: number }).port;
  });
  afterAll(() => { server.close(); });

  it('posts the body and reports the status, following no redirect', async () => {
    expect(await postWebhook(`http://127.0.0.1:${port}/hook`, { 'content-type': 'application/json' }, '{"a":1}', { allowPrivate: true, timeoutMs: 5000 })).toBe(204);
    expect(await postWebhook(`http://127.0.0.1:${port}/moved`, {}, '{}', { allowPrivate: true, timeoutMs: 5000 })).toBe(302);
    expect(seen).toEqual(['POST /hook {"a":1}', 'POST /moved {}']);
  });

  it('refuses a private literal address before connecting', async () => {
    await expect(postWebhook(`http://127.0.0.1:${port}/hook`, {}, '{}', { allowPrivate: false, timeoutMs: 5000 })).rejects.toBeInstanceOf(BlockedDestinationError);
  });

  it('refuses a public-looking name when it resolves inside, at connection time', async () => {
    const before = seen.length;
    const rebound = async () => [{ address: '127.0.0.1', family: 4 }];
    const attempt = postWebhook(`http://hooks.platform.example:${port}/hook`, {}, '{}', { allowPrivate: false, timeoutMs: 5000, lookupAll: rebound });
    await expect(attempt).rejects.toThrow(/hooks\.platform\.example resolves to a loopback address \(127\.0\.0\.1\)/);
    await expect(attempt).rejects.toBeInstanceOf(BlockedDestinationError);
    expect(seen.length).toBe(before);
    // the same name is delivered to when the operator allows private destinations
    expect(await postWebhook(`http://hooks.platform.example:${port}/hook`, {}, '{}', { allowPrivate: true, timeoutMs: 5000, lookupAll: rebound })).toBe(204);
  });
});
