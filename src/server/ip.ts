/**
 * Strict IP address parsing, canonical formatting, public/non-public classification and CIDR matching.
 *
 * Written without `node:net` so the module runs unchanged on Node, Deno, Bun and edge runtimes, and so
 * that parsing, normalisation and CIDR matching all agree on one grammar:
 *
 * - IPv4: exactly four dot-separated decimal octets `0`–`255`, no leading zeros (`010.0.0.1` is
 *   rejected: some parsers read it as octal), no signs, no whitespace.
 * - IPv6: RFC 4291 text form — up to eight 1–4 digit hex groups, at most one `::`, optionally ending in
 *   an embedded dotted IPv4 address. Zone identifiers (`fe80::1%eth0`), brackets and ports are not part
 *   of an address and are rejected here (callers that receive them strip them explicitly).
 * - IPv4-mapped IPv6 addresses (`::ffff:a.b.c.d`) are turned into the IPv4 address they carry.
 * - Canonical output: dotted decimal for IPv4, RFC 5952 for IPv6 (lower case, no leading zeros, the
 *   first longest run of two or more zero groups compressed to `::`).
 *
 * @module
 */

/** A parsed address: 4 bytes for IPv4, 16 bytes for IPv6 (network order). */
export interface IpAddress {
  readonly version: 4 | 6;
  readonly bytes: readonly number[];
}

/** A parsed CIDR block: the network address (host bits cleared) and its prefix length. */
export interface IpCidr {
  readonly version: 4 | 6;
  readonly bytes: readonly number[];
  readonly prefix: number;
}

/**
 * How far an address may be forwarded to WePay as `Client-IP`:
 * - `public`: globally routable unicast — always forwarded.
 * - `private`: a real host address that is not public (RFC 1918, loopback, link-local, unique-local,
 *   documentation, benchmarking, …) — forwarded only with `allowPrivateIp` (local development).
 * - `never`: cannot be any client's address (unspecified, multicast, limited broadcast) — never forwarded.
 */
export type IpScope = 'public' | 'private' | 'never';

/** Longest possible IPv6 text form: `ffff:ffff:ffff:ffff:ffff:ffff:255.255.255.255` (45 characters). */
export const MAX_IP_TEXT_LENGTH = 45;

function parseIPv4Bytes(text: string): number[] | null {
  if (text.length < 7 || text.length > 15) return null;
  const out: number[] = [];
  let value = 0;
  let digits = 0;
  for (let i = 0; i <= text.length; i++) {
    const code = i < text.length ? text.charCodeAt(i) : 46; /* virtual trailing '.' */
    if (code === 46) {
      if (digits === 0 || out.length === 4) return null;
      out.push(value);
      value = 0;
      digits = 0;
    } else if (code >= 48 && code <= 57) {
      if (digits > 0 && value === 0) return null; // leading zero
      value = value * 10 + (code - 48);
      digits++;
      if (value > 255) return null;
    } else {
      return null;
    }
  }
  return out.length === 4 ? out : null;
}

function parseHexGroup(part: string): number {
  if (part.length < 1 || part.length > 4) return -1;
  let value = 0;
  for (let i = 0; i < part.length; i++) {
    const c = part.charCodeAt(i);
    let d: number;
    if (c >= 48 && c <= 57) d = c - 48;
    else if (c >= 97 && c <= 102) d = c - 87;
    else if (c >= 65 && c <= 70) d = c - 55;
    else return -1;
    value = value * 16 + d;
  }
  return value;
}

/** Parses the parts between colons; the last one may be a dotted IPv4 address (two groups). */
function parseGroups(parts: string[], allowTrailingIPv4: boolean): number[] | null {
  const groups: number[] = [];
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i] as string;
    if (allowTrailingIPv4 && i === parts.length - 1 && part.includes('.')) {
      const v4 = parseIPv4Bytes(part);
      if (v4 === null) return null;
      groups.push(((v4[0] as number) << 8) | (v4[1] as number), ((v4[2] as number) << 8) | (v4[3] as number));
    } else {
      const g = parseHexGroup(part);
      if (g < 0) return null;
      groups.push(g);
    }
  }
  return groups;
}

function parseIPv6Groups(text: string): number[] | null {
  if (text.length < 2 || text.length > MAX_IP_TEXT_LENGTH) return null;
  const gap = text.indexOf('::');
  if (gap === -1) {
    const groups = parseGroups(text.split(':'), true);
    return groups !== null && groups.length === 8 ? groups : null;
  }
  if (text.indexOf('::', gap + 1) !== -1) return null; // a second '::' (or ':::')
  const left = text.slice(0, gap);
  const right = text.slice(gap + 2);
  const head = left === '' ? [] : parseGroups(left.split(':'), false);
  const tail = right === '' ? [] : parseGroups(right.split(':'), true);
  if (head === null || tail === null) return null;
  // '::' stands for at least one zero group.
  if (head.length + tail.length > 7) return null;
  const zeros = new Array<number>(8 - head.length - tail.length).fill(0);
  return [...head, ...zeros, ...tail];
}

function groupsToBytes(groups: readonly number[]): number[] {
  const bytes: number[] = [];
  for (const g of groups) bytes.push(g >> 8, g & 0xff);
  return bytes;
}

function isMappedIPv4(bytes: readonly number[]): boolean {
  if (bytes.length !== 16) return false;
  for (let i = 0; i < 10; i++) if (bytes[i] !== 0) return false;
  return bytes[10] === 0xff && bytes[11] === 0xff;
}

/**
 * Parses an address exactly as written, without turning IPv4-mapped IPv6 into IPv4.
 * Returns `null` for anything that is not a string holding one strict IPv4 or IPv6 address.
 */
export function parseIpExact(text: unknown): IpAddress | null {
  if (typeof text !== 'string' || text.length === 0 || text.length > MAX_IP_TEXT_LENGTH) return null;
  if (text.includes(':')) {
    const groups = parseIPv6Groups(text);
    return groups === null ? null : { version: 6, bytes: groupsToBytes(groups) };
  }
  const v4 = parseIPv4Bytes(text);
  return v4 === null ? null : { version: 4, bytes: v4 };
}

/**
 * Parses a strict IPv4 or IPv6 address (see the module notes for the grammar). An IPv4-mapped IPv6
 * address (`::ffff:a.b.c.d`, `::ffff:0102:0304`) comes back as the IPv4 address it carries.
 * Never throws: anything else, including non-strings, gives `null`.
 */
export function parseIp(text: unknown): IpAddress | null {
  const ip = parseIpExact(text);
  if (ip !== null && isMappedIPv4(ip.bytes)) return { version: 4, bytes: ip.bytes.slice(12) };
  return ip;
}

/** Formats a parsed address canonically: dotted decimal, or RFC 5952 IPv6 text. */
export function formatIp(ip: IpAddress): string {
  const b = ip.bytes;
  if (ip.version === 4) return `${b[0]}.${b[1]}.${b[2]}.${b[3]}`;
  const groups: number[] = [];
  for (let i = 0; i < 16; i += 2) groups.push(((b[i] as number) << 8) | (b[i + 1] as number));
  // RFC 5952 4.2: compress the first longest run of two or more zero groups.
  let bestStart = -1;
  let bestLength = 1;
  for (let i = 0; i < 8;) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLength) {
      bestStart = i;
      bestLength = j - i;
    }
    i = j;
  }
  const hex = (gs: number[]): string => gs.map((g) => g.toString(16)).join(':');
  if (bestStart === -1) return hex(groups);
  return `${hex(groups.slice(0, bestStart))}::${hex(groups.slice(bestStart + bestLength))}`;
}

/**
 * Parses and canonicalises an address: `'::FFFF:8.8.8.8'` → `'8.8.8.8'`, `'2001:DB8:0:0:0::1'` →
 * `'2001:db8::1'`. Returns `null` when the value is not a strict IPv4/IPv6 address. Never throws.
 */
export function normalizeIp(text: unknown): string | null {
  const ip = parseIp(text);
  return ip === null ? null : formatIp(ip);
}

/**
 * Parses `address/prefix` (IPv4 `/0`–`/32`, IPv6 `/0`–`/128`) or a bare address (a single-host block).
 * Host bits after the prefix are cleared (`10.1.2.3/8` is `10.0.0.0/8`). An IPv4-mapped IPv6 block with a
 * prefix of 96 or more becomes the equivalent IPv4 block, because addresses are compared after unmapping.
 * Returns `null` for anything malformed. Never throws.
 */
export function parseCidr(text: unknown): IpCidr | null {
  if (typeof text !== 'string' || text.length === 0 || text.length > MAX_IP_TEXT_LENGTH + 4) return null;
  const slash = text.indexOf('/');
  const addressText = slash === -1 ? text : text.slice(0, slash);
  const ip = parseIpExact(addressText);
  if (ip === null) return null;
  const max = ip.version === 4 ? 32 : 128;
  let prefix = max;
  if (slash !== -1) {
    const prefixText = text.slice(slash + 1);
    if (!/^(?:0|[1-9][0-9]{0,2})$/.test(prefixText)) return null;
    prefix = Number(prefixText);
    if (prefix > max) return null;
  }
  let version = ip.version;
  let bytes = ip.bytes.slice();
  if (version === 6 && prefix >= 96 && isMappedIPv4(bytes)) {
    version = 4;
    bytes = bytes.slice(12);
    prefix -= 96;
  }
  for (let i = 0; i < bytes.length; i++) {
    const keep = Math.max(0, Math.min(8, prefix - i * 8));
    bytes[i] = (bytes[i] as number) & ((0xff << (8 - keep)) & 0xff);
  }
  return { version, bytes, prefix };
}

/** Whether `ip` lies inside `cidr` (IPv4 never matches an IPv6 block or the other way round). */
export function cidrContains(cidr: IpCidr, ip: IpAddress): boolean {
  if (cidr.version !== ip.version) return false;
  let bits = cidr.prefix;
  for (let i = 0; bits > 0; i++, bits -= 8) {
    const mask = bits >= 8 ? 0xff : (0xff << (8 - bits)) & 0xff;
    if (((ip.bytes[i] as number) & mask) !== cidr.bytes[i]) return false;
  }
  return true;
}

function blocks(list: readonly string[]): IpCidr[] {
  return list.map((text) => {
    const cidr = parseCidr(text);
    if (cidr === null) throw new Error(`bad built-in CIDR ${text}`);
    return cidr;
  });
}

/**
 * Named groups accepted in `trustProxy` lists, with the same meaning as in Express / proxy-addr.
 */
export const NAMED_RANGES: Readonly<Record<'loopback' | 'linklocal' | 'uniquelocal', readonly IpCidr[]>> = {
  loopback: blocks(['127.0.0.0/8', '::1/128']),
  linklocal: blocks(['169.254.0.0/16', 'fe80::/10']),
  uniquelocal: blocks(['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', 'fc00::/7']),
};

// IANA IPv4 Special-Purpose Address Registry, split by what it means for a client address.
const V4_NEVER = blocks([
  '0.0.0.0/8', // "this network"; 0.0.0.0 is the unspecified address
  '224.0.0.0/4', // multicast
  '255.255.255.255/32', // limited broadcast
]);
const V4_PRIVATE = blocks([
  '10.0.0.0/8', // RFC 1918
  '127.0.0.0/8', // loopback
  '169.254.0.0/16', // link-local
  '172.16.0.0/12', // RFC 1918
  '192.0.0.0/24', // IETF protocol assignments
  '192.0.2.0/24', // TEST-NET-1 (documentation)
  '192.88.99.0/24', // deprecated 6to4 relay anycast
  '192.168.0.0/16', // RFC 1918
  '198.18.0.0/15', // benchmarking
  '198.51.100.0/24', // TEST-NET-2 (documentation)
  '203.0.113.0/24', // TEST-NET-3 (documentation)
  '240.0.0.0/4', // reserved
  // NOT listed, on purpose: 100.64.0.0/10 (RFC 6598 shared address space / carrier-grade NAT).
  // WePay's own documentation uses 100.166.99.123 — inside that block — as its Client-IP example, and a
  // server can legitimately see CGNAT addresses (e.g. mobile carriers' proxies, Tailscale-style overlays),
  // so CGNAT is treated as public.
]);

const V6_NEVER = blocks(['::/128', 'ff00::/8']);
const V6_GLOBAL_UNICAST = blocks(['2000::/3'])[0] as IpCidr;
const V6_NOT_PUBLIC_IN_GLOBAL = blocks([
  '2001::/23', // IETF protocol assignments (incl. Teredo 2001::/32, ORCHID, benchmarking 2001:2::/48)
  '2001:db8::/32', // documentation
  '3fff::/20', // documentation (RFC 9637)
]);
const V6_6TO4 = blocks(['2002::/16'])[0] as IpCidr; // carries an IPv4 address in bytes 2–5
const V6_NAT64 = blocks(['64:ff9b::/96'])[0] as IpCidr; // carries an IPv4 address in bytes 12–15

function scopeOfV4(ip: IpAddress): IpScope {
  if (V4_NEVER.some((c) => cidrContains(c, ip))) return 'never';
  if (V4_PRIVATE.some((c) => cidrContains(c, ip))) return 'private';
  return 'public';
}

function embeddedV4IsPublic(bytes: readonly number[], offset: number): boolean {
  return scopeOfV4({ version: 4, bytes: bytes.slice(offset, offset + 4) }) === 'public';
}

/**
 * Classifies a parsed address (see {@link IpScope}). IPv6 is public only inside 2000::/3 global unicast,
 * outside the IETF-protocol and documentation blocks; 6to4 (2002::/16) and the NAT64 well-known prefix
 * (64:ff9b::/96) are public exactly when the IPv4 address they carry is. Everything else that is a valid
 * address — loopback, unique-local fc00::/7, link-local fe80::/10, site-local, discard-only, … — is
 * `private`, and ::/128 and multicast are `never`.
 */
export function ipScope(ip: IpAddress): IpScope {
  if (ip.version === 4) return scopeOfV4(ip);
  if (isMappedIPv4(ip.bytes)) return scopeOfV4({ version: 4, bytes: ip.bytes.slice(12) });
  if (V6_NEVER.some((c) => cidrContains(c, ip))) return 'never';
  if (cidrContains(V6_NAT64, ip)) return embeddedV4IsPublic(ip.bytes, 12) ? 'public' : 'private';
  if (!cidrContains(V6_GLOBAL_UNICAST, ip)) return 'private';
  if (V6_NOT_PUBLIC_IN_GLOBAL.some((c) => cidrContains(c, ip))) return 'private';
  if (cidrContains(V6_6TO4, ip)) return embeddedV4IsPublic(ip.bytes, 2) ? 'public' : 'private';
  return 'public';
}

/**
 * Whether `address` is a valid, publicly routable IPv4 or IPv6 address — the kind WePay expects in
 * `Client-IP`. False for private (RFC 1918, unique-local), loopback, link-local, unspecified, multicast,
 * broadcast, documentation, benchmarking and other reserved ranges, and for anything that is not a strict
 * address string. Carrier-grade NAT space 100.64.0.0/10 counts as public (WePay's own example
 * `100.166.99.123` is in it). IPv4-mapped IPv6 is judged by the IPv4 address it carries. Never throws.
 *
 * @example isPublicIp('8.8.8.8') // true
 * @example isPublicIp('192.168.1.10') // false
 * @example isPublicIp('::ffff:100.166.99.123') // true
 */
export function isPublicIp(address: unknown): boolean {
  const ip = parseIp(address);
  return ip !== null && ipScope(ip) === 'public';
}
