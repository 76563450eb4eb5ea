// Where a webhook may be sent. A platform names its callback URL, and the service then makes requests
// to it from inside the operator's network: without a screen, a tenant could aim those requests at
// the metadata endpoint, the database or anything else only the service can reach. By default a
// callback must be a public address, checked twice: the URL when the session is created (literal IPs,
// localhost, metadata and private-network names), and every address the host name resolves to, inside each delivery's own
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
  // IPv4-compatible (::a.b.c.d, deprecated but still parsed by stacks that route it)
  if (g.slice(0, 6).every((x) => x === 0)) return blockedV4(v4);
  if (g[0] === 0x64 && g[1] === 0xff9b && g.slice(2, 6).every((x) => x === 0)) return blockedV4(v4);
  // the local-use NAT64 prefix 64:ff9b:1::/48 (RFC 8215) translates to the IPv4 address in its last 32 bits
  if (g[0] === 0x64 && g[1] === 0xff9b && g[2] === 1) return blockedV4(v4);
  // 6to4 (2002:a.b.c.d::/48) is routed through a relay to the IPv4 address in groups 1-2: 2002:7f00:1:: is 127.0.0.1
  if (g[0] === 0x2002) return blockedV4(`${g[1] >> 8}.${g[1] & 0xff}.${g[2] >> 8}.${g[2] & 0xff}`);
  // Teredo (2001:0::/32) tunnels to an IPv4 server and an obfuscated client address: none is a platform's endpoint
  if (g[0] === 0x2001 && g[1] === 0) return 'Teredo tunnel';
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
  // A trailing dot names the same host (the DNS root): "localhost." is localhost.
  const host = url.hostname.replace(/^\[|\]$/g, '').toLowerCase().replace(/\.+$/, '');
  const allow = '; set WEBHOOK_ALLOW_PRIVATE=true to allow private destinations';
  if (isIP(host)) {
    const why = blockedAddress(host);
    return why ? `points at a ${why} address${allow}` : null;
  }
  const why = privateName(host);
  return why ? `${why}${allow}` : null;
}

/** Names that only ever mean something inside the operator's own network. */
const METADATA_NAMES = new Set(['metadata.google.internal', 'metadata.goog', 'metadata', 'instance-data', 'instance-data.ec2.internal', 'metadata.azure.internal']);

/** Why a host name can only reach inside the operator's network, or null. */
function privateName(host: string): string | null {
  if (host === 'localhost' || host.endsWith('.localhost')) return 'points at this machine (localhost)';
  if (METADATA_NAMES.has(host)) return `names a cloud metadata service (${host})`;
  // A single label ("metadata", "db") is completed from the search domains of the service's own network.
  if (!host.includes('.')) return `is a single-label name (${host}), which resolves inside the service's own network`;
  // Suffixes reserved for private networks: .internal (ICANN, where clouds name metadata and hosts),
  // .local (mDNS, RFC 6762), .home.arpa (RFC 8375).
  for (const suffix of ['internal', 'local', 'home.arpa']) {
    if (host === suffix || host.endsWith(`.${suffix}`)) return `names a host under .${suffix}, which exists only inside private networks`;
  }
  return null;
}
