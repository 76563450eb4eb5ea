// Where a webhook may be sent. A platform names its callback URL, and the service then makes requests
// to it from inside the operator's network: without a screen, a tenant could aim those requests at
// the metadata endpoint, the database or anything else only the service can reach. By default a
// callback must be a public address, checked twice: the URL when the session is created (literal IPs
// and localhost names), and every address the host name resolves to, inside each delivery's own
// connection.
// WEBHOOK_ALLOW_PRIVATE=true lifts both, for installs whose platform lives on the same private network.
// Pure (no Node modules): the API checks URLs on Workers too; the delivery side is in send.ts.

/** 4 or 6 for an address in the canonical form URL parsing and DNS answers give, else 0. */
function isIP(s: string): 0 | 4 | 6 {
  if (/^\d{1,3}(\.\d{1,3}){3}$/.test(s)) return 4;
  return /^[0-9a-f:.]+(%.+)?$/i.test(s) && s.includes(':') ? 6 : 0;
}

/** Ranges no webhook may reach by default: [first address, prefix length, what it is]. */
const BLOCKED_V4: [string, number, string][] = [
  ['0.0.0.0', 8, 'this network'],
  ['10.0.0.0', 8, 'private'],
  ['100.64.0.0', 10, 'carrier-grade NAT'],
  ['127.0.0.0', 8, 'loopback'],
  ['169.254.0.0', 16, 'link-local (cloud metadata)'],
  ['172.16.0.0', 12, 'private'],
  ['192.0.0.0', 24, 'IETF protocol assignments'],
  ['192.0.2.0', 24, 'documentation'],
  ['192.168.0.0', 16, 'private'],
  ['198.18.0.0', 15, 'benchmarking'],
  ['198.51.100.0', 24, 'documentation'],
  ['203.0.113.0', 24, 'documentation'],
  ['224.0.0.0', 4, 'multicast'],
  ['240.0.0.0', 4, 'reserved'],
];

function v4ToInt(ip: string): number {
  return ip.split('.').reduce((n, part) => n * 256 + Number(part), 0);
}

function blockedV4(ip: string): string | null {
  const n = v4ToInt(ip);
  for (const [first, bits, what] of BLOCKED_V4) {
    const size = 2 ** (32 - bits);
    const start = v4ToInt(first);
    if (n >= start && n < start + size) return what;
  }
  return null;
}

/** The eight 16-bit groups of an IPv6 address (with an embedded IPv4 tail expanded). */
function v6Groups(ip: string): number[] {
  let s = ip.toLowerCase().split('%')[0];
  const v4Tail = /(\d+\.\d+\.\d+\.\d+)$/.exec(s);
  if (v4Tail) {
    const n = v4ToInt(v4Tail[1]);
    s = `${s.slice(0, -v4Tail[1].length)}${(n >>> 16).toString(16)}:${(n & 0xffff).toString(16)}`;
  }
  const [head, tail] = s.includes('::') ? s.split('::') : [s, null];
  const h = head ? head.split(':') : [];
  const t = tail ? tail.split(':') : [];
  const fill = tail === null ? [] : Array(8 - h.length - t.length).fill('0');
  return [...h, ...fill, ...t].map((g) => parseInt(g || '0', 16));
}

function blockedV6(ip: string): string | null {
  const g = v6Groups(ip);
  if (g.every((x) => x === 0)) return 'unspecified';
  if (g.slice(0, 7).every((x) => x === 0) && g[7] === 1) return 'loopback';
  // IPv4-mapped (::ffff:a.b.c.d) and the NAT64 prefix (64:ff9b::a.b.c.d) reach an IPv4 host
  const v4 = `${g[6] >> 8}.${g[6] & 0xff}.${g[7] >> 8}.${g[7] & 0xff}`;
  if (g.slice(0, 5).every((x) => x === 0) && g[5] === 0xffff) return blockedV4(v4);
  if (g[0] === 0x64 && g[1] === 0xff9b && g.slice(2, 6).every((x) => x === 0)) return blockedV4(v4);
  if ((g[0] & 0xfe00) === 0xfc00) return 'unique local (private)';
  if ((g[0] & 0xffc0) === 0xfe80) return 'link-local';
  if ((g[0] & 0xff00) === 0xff00) return 'multicast';
  if (g[0] === 0x2001 && g[1] === 0x0db8) return 'documentation';
  return null;
}

/** Why a literal IP address may not receive webhooks (e.g. "loopback"), or null when it is public. */
export function blockedAddress(ip: string): string | null {
  const family = isIP(ip);
  if (family === 4) return blockedV4(ip);
  if (family === 6) return blockedV6(ip);
  return 'not an IP address';
}

/**
 * What is wrong with a callback URL before anything is resolved, or null. Checks the scheme, the
 * absence of credentials, and that a literal IP or a localhost name is not private.
 */
export function callbackUrlProblem(raw: string, allowPrivate: boolean): string | null {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return 'is not a URL';
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return 'must be http(s)';
  if (url.username || url.password) return 'must not carry credentials (the signature authenticates the sender)';
  if (allowPrivate) return null;
  const host = url.hostname.replace(/^\[|\]$/g, '').toLowerCase();
  if (host === 'localhost' || host.endsWith('.localhost')) return 'points at this machine (localhost); set WEBHOOK_ALLOW_PRIVATE=true to allow private destinations';
  if (isIP(host)) {
    const why = blockedAddress(host);
    if (why) return `points at a ${why} address; set WEBHOOK_ALLOW_PRIVATE=true to allow private destinations`;
  }
  return null;
}
