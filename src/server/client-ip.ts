/**
 * Finding the shopper's IP address behind a known number or set of trusted reverse proxies.
 * @module
 */

import { checkObjectShape, describeType } from './arguments.js';
import { formatIp, parseIp, MAX_IP_TEXT_LENGTH, type IpAddress } from './ip.js';
import { compileTrust, type CompiledTrust, type TrustProxy } from './trust.js';

/**
 * The header the trusted proxies write. Only that one is read; the other is ignored, because a proxy
 * that appends to one header passes the other through untouched from the shopper.
 */
export type ForwardedHeader = 'x-forwarded-for' | 'forwarded';

/** Options for {@link clientIpFrom}. */
export interface ClientIpOptions {
  /** Which proxies to trust; see {@link TrustProxy}. Default `false`. Compile a list once with {@link compileTrust}. */
  trustProxy?: TrustProxy;
  /**
   * `'x-forwarded-for'` (default; what nginx, AWS ALB, Google/Azure load balancers, Heroku, Cloudflare,
   * Vercel and Express use) or `'forwarded'` (RFC 7239 `for=` parameters). Exactly one header is read —
   * never both, never a fallback from one to the other. Case-insensitive; anything else throws.
   */
  header?: ForwardedHeader;
  /**
   * The TCP peer address. Required for a Fetch `Request` (which does not carry it — e.g. Deno's
   * `info.remoteAddr.hostname`, Bun's `server.requestIP(req)?.address`, Hono's `getConnInfo(c).remote.address`)
   * unless `trustProxy` is a number of hops; for a Node request it overrides `request.socket.remoteAddress`.
   */
  remoteAddress?: string | null;
}

/** The parts of a Node `http.IncomingMessage` (Express `req`, Fastify `request.raw`) that are read. */
export interface IncomingMessageLike {
  readonly socket?: { readonly remoteAddress?: string | undefined } | null | undefined;
  readonly headers: { readonly [name: string]: string | readonly string[] | undefined };
}

/** The parts of a Fetch API `Request` that are read. */
export interface FetchRequestLike {
  readonly headers: { get(name: string): string | null };
}

/** An entry of the forwarded chain: an address, or `null` for anything unusable (garbage, `unknown`, `_hidden`). */
type ChainEntry = IpAddress | null;

const hasOwn = (object: object, key: string): boolean => Object.prototype.hasOwnProperty.call(object, key);

function own(object: unknown, key: string): unknown {
  if ((typeof object !== 'object' && typeof object !== 'function') || object === null) return undefined;
  return hasOwn(object, key) ? (object as Record<string, unknown>)[key] : undefined;
}

const ZONE_ID = /^[0-9A-Za-z._-]{1,64}$/;

/**
 * An address as a socket or a proxy reports it: bare, possibly with an IPv6 zone id (`fe80::1%eth0`),
 * which is dropped — it names an interface of the machine that wrote it, not part of the address.
 */
function parseZonedIp(text: string): IpAddress | null {
  const percent = text.indexOf('%');
  if (percent === -1) return parseIp(text);
  if (!ZONE_ID.test(text.slice(percent + 1))) return null;
  const address = parseIp(text.slice(0, percent));
  return address !== null && address.version === 6 ? address : null;
}

/** Longest chain node worth parsing: an IPv6 address with a zone id, brackets and a port. */
const MAX_NODE_LENGTH = MAX_IP_TEXT_LENGTH + 64 + 16;

function parseSocketAddress(value: unknown): IpAddress | null {
  return typeof value === 'string' && value.length <= MAX_NODE_LENGTH ? parseZonedIp(value) : null;
}

function isPort(text: string): boolean {
  return /^[0-9]{1,5}$/.test(text) && Number(text) <= 65535;
}

/**
 * One node of a chain: `a.b.c.d`, `a.b.c.d:port`, bare IPv6, `[IPv6]`, `[IPv6]:port`, IPv6 with a zone id. With
 * `obfuscatedPort` (RFC 7239), `_name` ports are allowed too. Anything else → `null`.
 */
function parseNode(text: string, obfuscatedPort: boolean): ChainEntry {
  if (text.length === 0 || text.length > MAX_NODE_LENGTH) return null;
  const portOk = (port: string): boolean => isPort(port) || (obfuscatedPort && /^_[0-9A-Za-z._-]+$/.test(port));
  if (text.charCodeAt(0) === 91 /* [ */) {
    const close = text.indexOf(']');
    if (close === -1) return null;
    const rest = text.slice(close + 1);
    if (rest !== '' && !(rest.charCodeAt(0) === 58 /* : */ && portOk(rest.slice(1)))) return null;
    const inner = text.slice(1, close);
    return inner.includes(':') ? parseZonedIp(inner) : null;
  }
  const colon = text.indexOf(':');
  if (colon !== -1 && text.indexOf(':', colon + 1) === -1) {
    // Exactly one colon: IPv4 with a port.
    const host = text.slice(0, colon);
    return !host.includes(':') && host.includes('.') && portOk(text.slice(colon + 1)) ? parseIp(host) : null;
  }
  return parseZonedIp(text);
}

const isOws = (code: number): boolean => code === 32 || code === 9;

function trimOws(text: string): string {
  let start = 0;
  let end = text.length;
  while (start < end && isOws(text.charCodeAt(start))) start++;
  while (end > start && isOws(text.charCodeAt(end - 1))) end--;
  return text.slice(start, end);
}

/**
 * `X-Forwarded-For: client, proxy1, proxy2` — one header line. Empty elements (`a, ,b`, a trailing comma)
 * are not hops: RFC 7230 §7 says a list's empty elements are ignored.
 */
function parseXForwardedFor(line: string, out: ChainEntry[]): void {
  for (const part of line.split(',')) {
    const node = trimOws(part);
    if (node !== '') out.push(parseNode(node, false));
  }
}

const TCHAR = /^[!#$%&'*+.^_`|~0-9A-Za-z-]$/;

/**
 * RFC 7239 `Forwarded: for=192.0.2.60;proto=http, for="[2001:db8::1]:4711"` — one header line. Each
 * element gives one chain entry: its `for=` node, or `null` when it has no `for=`, more than one, or an
 * `unknown` / obfuscated / malformed one. Empty elements (nothing but whitespace between commas) are
 * ignored, as RFC 7230 §7 says. If the line is not syntactically valid (an unterminated quote,
 * stray characters), element boundaries cannot be trusted and the whole line becomes one `null` entry.
 */
function parseForwarded(line: string, out: ChainEntry[]): void {
  const entries: ChainEntry[] = [];
  const n = line.length;
  let i = 0;
  const skipOws = (): void => {
    while (i < n && isOws(line.charCodeAt(i))) i++;
  };
  for (;;) {
    skipOws();
    if (i >= n) break;
    if (line[i] === ',') {
      i++;
      continue;
    }
    // One element: pairs separated by ';', ended by ',' or the end of the line.
    let forValue: string | null = null;
    let forCount = 0;
    for (;;) {
      skipOws();
      if (i >= n || line[i] === ',' || line[i] === ';') {
        // Empty pair (RFC 7239 allows "for=a;;proto=b"); an entirely empty element is handled below.
      } else {
        const nameStart = i;
        while (i < n && TCHAR.test(line[i] as string)) i++;
        const name = line.slice(nameStart, i).toLowerCase();
        if (name === '' || line[i] !== '=') return void out.push(null);
        i++;
        let value: string;
        if (line[i] === '"') {
          i++;
          value = '';
          for (;;) {
            if (i >= n) return void out.push(null); // unterminated quoted-string
            const ch = line[i] as string;
            const code = line.charCodeAt(i);
            if (ch === '"') {
              i++;
              break;
            }
            if (ch === '\\') {
              if (i + 1 >= n) return void out.push(null);
              const escaped = line.charCodeAt(i + 1);
              if (escaped !== 9 && (escaped < 32 || escaped === 127)) return void out.push(null);
              value += line[i + 1];
              i += 2;
              continue;
            }
            if (code !== 9 && (code < 32 || code === 127)) return void out.push(null);
            value += ch;
            i++;
          }
        } else {
          // A token. RFC 7239 requires quoting IPv6 and ports; accept them unquoted too.
          const valueStart = i;
          while (i < n && (TCHAR.test(line[i] as string) || line[i] === ':' || line[i] === '[' || line[i] === ']')) i++;
          value = line.slice(valueStart, i);
          if (value === '') return void out.push(null);
        }
        if (name === 'for') {
          forCount++;
          forValue = value;
        }
        skipOws();
      }
      if (i >= n || line[i] === ',') break;
      if (line[i] !== ';') return void out.push(null); // stray characters after a value
      i++;
    }
    entries.push(forCount === 1 && forValue !== null ? parseNode(forValue, true) : null);
    if (i >= n) break;
    i++; // ','
  }
  out.push(...entries);
}

function readHeaderLines(request: unknown, name: string, isFetch: boolean): unknown[] {
  const headers = (request as { headers?: unknown }).headers;
  if (isFetch) {
    const value = (headers as { get(name: string): unknown }).get(name);
    return value === null || value === undefined ? [] : [value];
  }
  if ((typeof headers !== 'object' && typeof headers !== 'function') || headers === null) return [];
  const value = own(headers, name);
  if (value === undefined || value === null) return [];
  return Array.isArray(value) ? value.slice() : [value];
}

function chainFrom(lines: unknown[], header: ForwardedHeader): ChainEntry[] {
  const chain: ChainEntry[] = [];
  for (const line of lines) {
    if (typeof line !== 'string') chain.push(null);
    else if (header === 'forwarded') parseForwarded(line, chain);
    else parseXForwardedFor(line, chain);
  }
  return chain;
}

function isFetchRequest(request: unknown): boolean {
  const headers = (request as { headers?: unknown }).headers;
  return typeof headers === 'object' && headers !== null && typeof (headers as { get?: unknown }).get === 'function';
}

/** The options, checked: a bad `trustProxy` or `header` throws here, before any request is read. */
interface Settings {
  readonly trust: CompiledTrust;
  readonly header: ForwardedHeader;
  readonly remoteAddress: string | null | undefined;
}

function settingsFrom(options: unknown): Settings {
  checkObjectShape(options, ['trustProxy', 'header', 'remoteAddress'], 'clientIpFrom: options');
  const trustProxy = own(options, 'trustProxy');
  const remoteAddress = own(options, 'remoteAddress');
  if (remoteAddress !== undefined && remoteAddress !== null && typeof remoteAddress !== 'string') {
    throw new TypeError(
      `clientIpFrom: options.remoteAddress must be the peer's address as a string (Deno: ` +
        `info.remoteAddr.hostname; Bun: server.requestIP(request)?.address), got ${describeType(remoteAddress)}`,
    );
  }
  return {
    trust: compileTrust(trustProxy === undefined ? false : (trustProxy as TrustProxy)),
    header: headerFrom(own(options, 'header')),
    remoteAddress: remoteAddress as string | null | undefined,
  };
}

/**
 * Checks that `request` is a request: an object with `headers`. What the headers hold is the shopper's
 * business and never throws; a request object whose `headers` cannot even be read gives `null` later.
 */
function checkRequest(request: unknown): void {
  const shape = "a Node request (Express's req, Fastify's request.raw) or a Fetch Request (Hono's c.req.raw)";
  if (typeof request !== 'object' || request === null) {
    throw new TypeError(`clientIpFrom: expected ${shape}, got ${describeType(request)}`);
  }
  let headers: unknown;
  try {
    headers = (request as { headers?: unknown }).headers;
  } catch {
    return;
  }
  if (typeof headers !== 'object' || headers === null) {
    throw new TypeError(`clientIpFrom: expected ${shape}, got an object whose headers are ${describeType(headers)}`);
  }
}

function headerFrom(value: unknown): ForwardedHeader {
  if (value === undefined) return 'x-forwarded-for';
  const name = typeof value === 'string' ? value.toLowerCase() : value;
  if (name === 'x-forwarded-for' || name === 'forwarded') return name;
  const got = typeof value === 'string' ? JSON.stringify(value.slice(0, 60)) : `a ${typeof value}`;
  throw new (typeof value === 'string' ? RangeError : TypeError)(
    `clientIpFrom: header must be 'x-forwarded-for' or 'forwarded', got ${got}`,
  );
}

function resolve(request: object, settings: Settings): string | null {
  const { trust, header } = settings;
  const isFetch = isFetchRequest(request);

  let remote: unknown = settings.remoteAddress;
  if (remote === undefined && !isFetch) {
    const socket = (request as { socket?: unknown }).socket;
    if (typeof socket === 'object' && socket !== null) remote = (socket as { remoteAddress?: unknown }).remoteAddress;
  }
  const socketAddress = parseSocketAddress(remote);

  if (trust.hops === 0) return socketAddress === null ? null : formatIp(socketAddress);
  const chain = chainFrom(readHeaderLines(request, header, isFetch), header);

  if (trust.hops !== null) {
    // [...chain, socket]: the socket slot is the first trusted hop, then hops - 1 chain entries, each of
    // which must be a real address (an unknown hop means the count can no longer be relied on).
    const answerIndex = chain.length - trust.hops;
    if (answerIndex < 0) return null;
    for (let i = chain.length - 1; i >= answerIndex; i--) if (chain[i] === null) return null;
    return formatIp(chain[answerIndex] as IpAddress);
  }

  // Trusted list: walk from the socket leftwards while the address is a trusted proxy.
  let current = socketAddress;
  if (current === null) return null;
  for (let i = chain.length - 1; trust.contains(current) && i >= 0; i--) {
    const next: ChainEntry = chain[i] as ChainEntry;
    // A trusted proxy handed us something that is not an address: we cannot know who is behind it, and
    // the entries further left are shopper-controlled. Returning the proxy's own address would be wrong.
    if (next === null) return null;
    current = next;
  }
  // Either the first untrusted address, or — when every hop is trusted — the leftmost one (a request
  // made by a trusted machine itself, e.g. a health check).
  return formatIp(current);
}

/**
 * The shopper's IP address for a request, in canonical form (IPv4-mapped IPv6 becomes IPv4), or `null`
 * when it cannot be determined safely. It may be private (e.g. `127.0.0.1` in development):
 * `riskHeaders` decides whether to send it.
 *
 * `request` is a Node `IncomingMessage` (plain `http`, Express `req`, Fastify `request.raw`, …: the
 * socket address and `request.headers` are used) or a Fetch `Request` (headers via `headers.get`; pass the
 * peer address as `options.remoteAddress`). The kind is detected by shape.
 *
 * Only proxies you trust (see {@link TrustProxy}) are skipped, from the right of the
 * `X-Forwarded-For` (or, with `header: 'forwarded'`, RFC 7239 `Forwarded`) chain followed by the socket
 * address, so addresses a shopper puts in those headers themselves never win. Multiple header lines are
 * read in order as one chain; empty list elements (`a, ,b`) are ignored (RFC 7230 §7). Ports, brackets
 * and IPv6 zone ids (`fe80::1%eth0`) are stripped. Garbage, `unknown` or obfuscated (`_hidden`) entries
 * end the chain: if the walk reaches one, the answer is `null` (the entries left of it cannot be trusted,
 * and the proxy right of it is not the shopper).
 *
 * Never throws because of what a shopper sent. A wrong call is a programmer's error and throws at once,
 * on every call: see {@link compileTrust} for `trustProxy`; `header` other than the two names is a
 * `RangeError` (a `TypeError` if not a string); an unknown option key, a `remoteAddress` that is not a
 * string, or a `request` that is not an object with `headers` (`req.headers`, `req.ip`, Hono's `c.req`)
 * is a `TypeError`.
 *
 * @param request a Node `IncomingMessage`-like or Fetch `Request`-like object
 * @param options `trustProxy`, `header`, `remoteAddress`
 * @throws {TypeError | RangeError} for a wrong call, never for anything in the request's headers
 *
 * @example clientIpFrom(req, { trustProxy: 1 }) // behind one load balancer
 * @example clientIpFrom(request, { remoteAddress: info.remoteAddr.hostname }) // Deno.serve
 */
export function clientIpFrom(
  request: IncomingMessageLike | FetchRequestLike,
  options?: ClientIpOptions,
): string | null {
  const settings = settingsFrom(options);
  checkRequest(request);
  try {
    return resolve(request as object, settings);
  } catch {
    return null;
  }
}
