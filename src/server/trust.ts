/**
 * Which reverse proxies are trusted: the `trustProxy` setting, checked and compiled once.
 * @module
 */

import { describeType, quote } from './arguments.js';
import { formatIp, NAMED_RANGES, parseCidr, parseIpExact, type IpAddress, type IpCidr } from './ip.js';

/** At most this many entries in a `trustProxy` list (a named range counts as one). */
export const MAX_TRUSTED_ENTRIES = 1000;

/**
 * A `trustProxy` setting, checked once by {@link compileTrust}: reuse it for every request. Opaque: only
 * `compileTrust` makes one.
 */
export class CompiledTrust {
  /** `0`: trust no proxy; `n > 0`: exactly `n` hops; `null`: the listed addresses (see {@link contains}). */
  readonly hops: number | null;
  /** Per IP version, per prefix length, the set of network keys in the list. */
  readonly #networks: ReadonlyMap<4 | 6, ReadonlyMap<number, ReadonlySet<string>>>;

  /** @internal use {@link compileTrust} */
  constructor(hops: number | null, blocks: readonly IpCidr[]) {
    this.hops = hops;
    const networks = new Map<4 | 6, Map<number, Set<string>>>([
      [4, new Map()],
      [6, new Map()],
    ]);
    for (const block of blocks) {
      const byPrefix = networks.get(block.version) as Map<number, Set<string>>;
      let keys = byPrefix.get(block.prefix);
      if (keys === undefined) byPrefix.set(block.prefix, (keys = new Set()));
      keys.add(networkKey(block.bytes, block.prefix));
    }
    this.#networks = networks;
    Object.freeze(this);
  }

  /**
   * Whether `ip` lies in one of the listed blocks. One set look-up per distinct prefix length in the
   * list (at most 32 for IPv4, 128 for IPv6), however long the list: a walk over a long chain stays linear.
   */
  contains(ip: IpAddress): boolean {
    const byPrefix = this.#networks.get(ip.version);
    if (byPrefix === undefined) return false;
    for (const [prefix, keys] of byPrefix) if (keys.has(networkKey(ip.bytes, prefix))) return true;
    return false;
  }
}

/** The first `prefix` bits of `bytes`, as a string key (host bits cleared). */
function networkKey(bytes: readonly number[], prefix: number): string {
  let key = '';
  for (let i = 0, bits = prefix; bits > 0; i++, bits -= 8) {
    const mask = bits >= 8 ? 0xff : (0xff << (8 - bits)) & 0xff;
    key += `${(bytes[i] as number) & mask}.`;
  }
  return key;
}

/**
 * Which reverse proxies in front of this server are trusted to append the address they received a
 * request from:
 * - `false` / `0` (default): none — the answer is the TCP peer (socket) address, headers are ignored.
 * - a number `n`: exactly `n` proxies are always in front of the server, each appending the address it
 *   received the request from (one load balancer → `1`; a CDN plus a load balancer → `2`). The answer is
 *   the `n`-th entry of the forwarded chain counting from its end (`1`: the last entry). When the chain has
 *   fewer than `n` entries, or one of its last `n` is not an address, the answer is `null`: the entry
 *   that would name the shopper is missing, and the socket peer is one of your proxies. The socket
 *   address is never read, so this also works where the runtime does not expose it (e.g. a Fetch handler
 *   on a platform whose edge sets `X-Forwarded-For`). Counting more hops than really exist lets the
 *   shopper choose the answer, so count exactly.
 * - a list of addresses / CIDR blocks (IPv4 and IPv6, e.g. `['10.0.0.0/8', '2001:db8::/32']`, also the
 *   names `'loopback'`, `'linklocal'`, `'uniquelocal'`), or one comma-separated string of them, at most
 *   {@link MAX_TRUSTED_ENTRIES} entries: walking from the socket address leftwards, every address inside
 *   the list is a proxy and skipped; the first one outside it is the answer. Needs the socket address.
 * - the result of {@link compileTrust} for any of these.
 *
 * Anything else is a configuration error and throws (see {@link compileTrust}). "Trust every hop" (`true`,
 * `'0.0.0.0/0'`, `'::/0'`) would let the shopper choose their own address, so it is deliberately refused.
 */
export type TrustProxy = false | number | string | readonly string[] | CompiledTrust;

/** The prefix length a contiguous IPv4 netmask stands for, or -1. */
function netmaskPrefix(mask: IpAddress | null): number {
  if (mask === null || mask.version !== 4) return -1;
  const bits = mask.bytes.map((byte) => byte.toString(2).padStart(8, '0')).join('');
  const ones = /^1*/.exec(bits)?.[0].length ?? 0;
  return /^0*$/.test(bits.slice(ones)) ? ones : -1;
}

/** Why `text` is not an address or CIDR block, as the end of an error message. */
function cidrProblem(text: string): string {
  const slash = text.indexOf('/');
  if (slash !== -1) {
    const address = text.slice(0, slash);
    const suffix = text.slice(slash + 1);
    const prefix = netmaskPrefix(parseIpExact(suffix));
    if (parseIpExact(address) !== null && prefix !== -1) {
      return `netmask notation is not supported: write ${address}/${prefix}`;
    }
    if (/^0[0-9]+$/.test(suffix)) return `write the prefix length without leading zeros: ${address}/${Number(suffix)}`;
  }
  return 'expected an IPv4/IPv6 address, a CIDR block (address/prefix, 0–32 for IPv4, 0–128 for IPv6) or loopback, linklocal, uniquelocal';
}

function compileEntries(items: readonly unknown[], listed: (index: number) => string): IpCidr[] {
  const blocks: IpCidr[] = [];
  // A plain loop, not forEach: a hole in a sparse array is an entry too (and an error).
  for (let index = 0; index < items.length; index++) {
    const item = items[index];
    if (typeof item !== 'string') {
      throw new TypeError(`${listed(index)}: expected an address or CIDR block string, got ${describeType(item)}`);
    }
    const text = item.trim();
    if (text === 'loopback' || text === 'linklocal' || text === 'uniquelocal') {
      blocks.push(...NAMED_RANGES[text]);
      continue;
    }
    const cidr = parseCidr(text);
    if (cidr === null) throw new RangeError(`${listed(index)}: ${quote(text)} is not valid: ${cidrProblem(text)}`);
    if (cidr.prefix === 0) {
      throw new RangeError(
        `${listed(index)}: ${quote(text)} covers every ${cidr.version === 4 ? 'IPv4' : 'IPv6'} address (${formatIp(cidr)}/0), ` +
          'so the shopper could choose their own; trusting every hop is not offered',
      );
    }
    blocks.push(cidr);
  }
  return blocks;
}

/** A hop count or a boolean written as text, as `process.env` holds them: never an address list. */
const ENVIRONMENT_STRING = /^\s*(?:[0-9]+|true|false)\s*$/i;

/**
 * Checks a `trustProxy` setting (see {@link TrustProxy}) and compiles it for fast matching. Call it once at
 * start-up and pass the result as `trustProxy` to every `clientIpFrom` call; `clientIpFrom` given an
 * uncompiled setting compiles it on each call and throws the same errors.
 *
 * A bad setting is a programmer's error, so it fails loudly, naming the bad entry:
 * - `TypeError`: `true` (trust every hop), a value of another type, a list entry that is not a string, a
 *   number or boolean written as a string (`'1'`, `'false'`, as from an environment variable).
 * - `RangeError`: a negative, fractional or `NaN` hop count; a list entry that is not an address, a CIDR block or a
 *   named range — netmask notation (`10.0.0.0/255.0.0.0`), a prefix with a leading zero (`/08`) or out of
 *   range; a block that covers every address (`0.0.0.0/0`, `::/0`); more than {@link MAX_TRUSTED_ENTRIES}
 *   entries.
 *
 * Empty items in a comma-separated string (`'loopback, '`) are ignored; an empty list trusts no proxy.
 *
 * @example const trustProxy = compileTrust(['loopback', '10.0.0.0/8']); // once, at start-up
 */
export function compileTrust(trustProxy: TrustProxy): CompiledTrust {
  const value: unknown = trustProxy;
  if (value instanceof CompiledTrust) return value;
  if (value === false) return new CompiledTrust(0, []);
  if (value === true) {
    throw new TypeError(
      'trustProxy: true would trust every hop, so the shopper could choose their own address; pass the ' +
        'number of proxies in front of this server, or their addresses',
    );
  }
  if (typeof value === 'number') {
    if (Number.isNaN(value)) {
      throw new RangeError(
        'trustProxy: NaN is not a number of proxies; Number(process.env.TRUST_PROXY) is NaN when the variable ' +
          'is unset or not a number: give it a default, e.g. Number(process.env.TRUST_PROXY ?? 0)',
      );
    }
    if (!Number.isSafeInteger(value) || value < 0) {
      throw new RangeError(`trustProxy: ${value} is not a number of proxies (a whole number, 0 or more)`);
    }
    return new CompiledTrust(value, []);
  }
  if (typeof value === 'string') {
    if (ENVIRONMENT_STRING.test(value)) {
      throw new TypeError(
        `trustProxy: ${quote(value)} is a string, as environment variables are; pass the number of proxies ` +
          `as a number, e.g. trustProxy: Number(process.env.TRUST_PROXY), or false`,
      );
    }
    const items = value.split(',').filter((item) => item.trim() !== '');
    checkLength(items.length);
    return new CompiledTrust(
      null,
      compileEntries(items, (index) => `trustProxy item ${index + 1} of the list`),
    );
  }
  if (Array.isArray(value)) {
    checkLength(value.length);
    return new CompiledTrust(
      null,
      compileEntries(value, (index) => `trustProxy[${index}]`),
    );
  }
  throw new TypeError(
    `trustProxy: expected false, a number of proxies, a list of addresses / CIDR blocks or compileTrust(…)'s ` +
      `result, got ${describeType(value)}`,
  );
}

function checkLength(length: number): void {
  if (length > MAX_TRUSTED_ENTRIES) {
    throw new RangeError(`trustProxy: ${length} entries; at most ${MAX_TRUSTED_ENTRIES} are accepted`);
  }
}
