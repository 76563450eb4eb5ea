// The HTTP side of a webhook delivery (Node only): one POST whose connection refuses private
// addresses (see destination.ts for why), no redirects followed.
import dns, { type LookupAddress, type LookupOptions } from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import type { LookupFunction } from 'node:net';
import { blockedAddress, callbackUrlProblem } from './destination.js';

/** A delivery refused because its destination is private: final, no retry will change it. */
export class BlockedDestinationError extends Error {}

/**
 * DNS lookup for webhook connections that refuses private answers. It runs inside the connection
 * itself, so the address checked is the address connected to (a name cannot resolve to a public
 * address for a check and a private one for the request).
 */
function screenedLookup(allowPrivate: boolean, lookupAll: LookupAll): LookupFunction {
  return ((hostname: string, options: LookupOptions, callback: (err: Error | null, address?: string | LookupAddress[], family?: number) => void) => {
    lookupAll(hostname).then((addresses) => {
      if (addresses.length === 0) return callback(new Error(`${hostname} has no address`));
      if (!allowPrivate) {
        for (const { address } of addresses) {
          const why = blockedAddress(address);
          if (why) return callback(new BlockedDestinationError(`${hostname} resolves to a ${why} address (${address})`));
        }
      }
      if (options.all) return callback(null, addresses);
      callback(null, addresses[0].address, addresses[0].family);
    }, (err: Error) => callback(err));
  }) as LookupFunction;
}

/** Every address a host name resolves to; the system resolver unless a test gives its own. */
export type LookupAll = (hostname: string) => Promise<LookupAddress[]>;
const systemLookup: LookupAll = (hostname) => dns.promises.lookup(hostname, { all: true });

/**
 * POSTs a webhook body and resolves with the HTTP status. Redirects are not followed (a 3xx is a
 * failed delivery), the response body is discarded, and private destinations are refused with
 * BlockedDestinationError unless allowed.
 */
export function postWebhook(raw: string, headers: Record<string, string>, body: string, opts: { allowPrivate: boolean; timeoutMs: number; lookupAll?: LookupAll }): Promise<number> {
  const problem = callbackUrlProblem(raw, opts.allowPrivate);
  if (problem) return Promise.reject(new BlockedDestinationError(`callback URL ${problem}`));
  const url = new URL(raw);
  const send = url.protocol === 'https:' ? https.request : http.request;
  return new Promise((resolve, reject) => {
    const req = send(url, {
      method: 'POST',
      headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) },
      lookup: screenedLookup(opts.allowPrivate, opts.lookupAll ?? systemLookup),
      timeout: opts.timeoutMs,
    }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error(`no answer within ${opts.timeoutMs} ms`)));
    req.on('error', reject);
    req.end(body);
  });
}
