import { isIP } from 'node:net';

/**
 * Which IP addresses an outbound request to a user-supplied host must never reach. A connection URL is typed by
 * a user (or an API client), so without this guard Skybridge could be aimed at its own loopback services, the
 * cloud metadata endpoint (169.254.169.254, which hands out credentials) or anything on the private network.
 */

export const BLOCK_REASONS = [
  'unspecified',
  'loopback',
  'private',
  'link-local',
  'metadata',
  'cgnat',
  'multicast',
  'reserved',
  'broadcast',
  'not-an-ip',
] as const;
export type BlockReason = (typeof BLOCK_REASONS)[number];

interface Range {
  bytes: number[];
  prefix: number;
  reason: BlockReason;
}

function v4(cidr: string, reason: BlockReason): Range {
  const [addr = '', prefix = '32'] = cidr.split('/');
  return { bytes: addr.split('.').map(Number), prefix: Number(prefix), reason };
}

// Order matters: the first match names the reason, so the metadata address comes before link-local.
const V4_RANGES: readonly Range[] = [
  v4('169.254.169.254/32', 'metadata'),
  v4('0.0.0.0/8', 'unspecified'),
  v4('10.0.0.0/8', 'private'),
  v4('100.64.0.0/10', 'cgnat'),
  v4('127.0.0.0/8', 'loopback'),
  v4('169.254.0.0/16', 'link-local'),
  v4('172.16.0.0/12', 'private'),
  v4('192.0.0.0/24', 'reserved'),
  v4('192.168.0.0/16', 'private'),
  v4('198.18.0.0/15', 'reserved'),
  v4('224.0.0.0/4', 'multicast'),
  v4('255.255.255.255/32', 'broadcast'),
  v4('240.0.0.0/4', 'reserved'),
];

function matches(bytes: readonly number[], range: Range): boolean {
  let bits = range.prefix;
  for (let i = 0; bits > 0; i++, bits -= 8) {
    const mask = bits >= 8 ? 0xff : (0xff << (8 - bits)) & 0xff;
    if (((bytes[i] ?? 0) & mask) !== ((range.bytes[i] ?? 0) & mask)) return false;
  }
  return true;
}

/** Parses an IPv6 literal (no brackets, no zone) into 16 bytes; handles `::` and an embedded dotted IPv4 tail. */
function parseV6(ip: string): number[] | undefined {
  let text = ip;
  let tail: number[] = [];
  const lastColon = text.lastIndexOf(':');
  const maybeV4 = text.slice(lastColon + 1);
  if (maybeV4.includes('.')) {
    if (isIP(maybeV4) !== 4) return undefined;
    tail = maybeV4.split('.').map(Number);
    text = `${text.slice(0, lastColon + 1)}0:0`;
  }
  const halves = text.split('::');
  if (halves.length > 2) return undefined;
  const groups = (part: string | undefined) => (part ? part.split(':') : []);
  const head = groups(halves[0]);
  const rest = groups(halves[1]);
  const fill = halves.length === 2 ? 8 - head.length - rest.length : 0;
  const all = [...head, ...Array<string>(Math.max(0, fill)).fill('0'), ...rest];
  if (all.length !== 8) return undefined;
  const bytes: number[] = [];
  for (const g of all) {
    const n = Number.parseInt(g, 16);
    if (!/^[0-9a-f]{1,4}$/i.test(g) || Number.isNaN(n)) return undefined;
    bytes.push(n >> 8, n & 0xff);
  }
  if (tail.length === 4) bytes.splice(12, 4, ...tail);
  return bytes;
}

function classifyV4(bytes: readonly number[]): BlockReason | undefined {
  for (const range of V4_RANGES) if (matches(bytes, range)) return range.reason;
  return undefined;
}

function classifyV6(bytes: readonly number[]): BlockReason | undefined {
  const first10 = bytes.slice(0, 10);
  const zeros10 = first10.every((b) => b === 0);
  // IPv4-mapped (::ffff:a.b.c.d) and IPv4-compatible (::a.b.c.d) addresses reach the IPv4 host: judge that.
  if (zeros10 && bytes[10] === 0xff && bytes[11] === 0xff) return classifyV4(bytes.slice(12));
  if (bytes.every((b) => b === 0)) return 'unspecified';
  if (bytes.slice(0, 15).every((b) => b === 0) && bytes[15] === 1) return 'loopback';
  if (zeros10 && bytes[10] === 0 && bytes[11] === 0) return classifyV4(bytes.slice(12)) ?? 'reserved';
  // NAT64 (64:ff9b::/96) also embeds an IPv4 address.
  if (
    bytes[0] === 0x00 &&
    bytes[1] === 0x64 &&
    bytes[2] === 0xff &&
    bytes[3] === 0x9b &&
    bytes.slice(4, 12).every((b) => b === 0)
  ) {
    return classifyV4(bytes.slice(12));
  }
  const b0 = bytes[0] ?? 0;
  const b1 = bytes[1] ?? 0;
  if ((b0 & 0xfe) === 0xfc) return 'private'; // fc00::/7 unique local
  if (b0 === 0xfe && (b1 & 0xc0) === 0x80) return 'link-local'; // fe80::/10
  if (b0 === 0xfe && (b1 & 0xc0) === 0xc0) return 'private'; // fec0::/10, deprecated site-local
  if (b0 === 0xff) return 'multicast'; // ff00::/8
  return undefined;
}

/**
 * Why `address` must not be connected to, or undefined when it is a public unicast address. Accepts IPv4 and IPv6
 * literals (brackets and a `%zone` are tolerated); anything that is not an IP literal is refused as `not-an-ip`.
 */
export function classifyAddress(address: string): BlockReason | undefined {
  const ip = address.replace(/^\[|\]$/g, '').replace(/%.*$/, '');
  const family = isIP(ip);
  if (family === 4) return classifyV4(ip.split('.').map(Number));
  if (family === 6) {
    const bytes = parseV6(ip);
    return bytes ? classifyV6(bytes) : 'not-an-ip';
  }
  return 'not-an-ip';
}

/** Human words for a reason, for error details that must not reveal the resolved address itself. */
export function describeBlockReason(reason: BlockReason): string {
  switch (reason) {
    case 'unspecified':
      return 'an unspecified address';
    case 'loopback':
      return 'a loopback address';
    case 'private':
      return 'a private-network address';
    case 'link-local':
      return 'a link-local address';
    case 'metadata':
      return 'the cloud metadata address';
    case 'cgnat':
      return 'a carrier-grade NAT address (100.64.0.0/10)';
    case 'multicast':
      return 'a multicast address';
    case 'reserved':
      return 'a reserved address';
    case 'broadcast':
      return 'the broadcast address';
    case 'not-an-ip':
      return 'something that is not an IP address';
  }
}
