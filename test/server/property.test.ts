/// <reference types="node" />
/**
 * Property-based tests: hostile and random input at every exported function, output-safety invariants,
 * spoof resistance over random proxy chains, and round trips checked against independent oracles
 * (a hand-written IPv4 range table, the WHATWG URL IPv6 serialiser, node:net's isIP, BigInt CIDR maths).
 */
import assert from 'node:assert/strict';
import net from 'node:net';
import { describe, it } from 'node:test';

import fc from 'fast-check';

import {
  clientIpFrom,
  compileTrust,
  isPublicIp,
  isRiskToken,
  RiskHeaderError,
  riskHeaders,
  riskTokenFrom,
  type ClientIpOptions,
  type IncomingMessageLike,
} from '../../src/server/index.js';
import { cidrContains, normalizeIp, parseCidr, parseIp } from '../../src/server/ip.js';

const RUNS = { numRuns: 1000 };
const TOKEN_VALUE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const IP_VALUE = /^[0-9a-f:.]{2,39}$/;

// ---------------------------------------------------------------------------------------------------------
// Arbitraries

// Throws on every string-keyed access. Symbol keys and `in` are left alone: fast-check itself probes
// values with them (clone / toString hooks), and the library under test never uses them.
const throwingProxy = new Proxy(
  {},
  {
    get(_target, key) {
      if (typeof key === 'symbol') return undefined;
      throw new Error('get trap');
    },
    getOwnPropertyDescriptor(_target, key) {
      if (typeof key === 'symbol') return undefined;
      throw new Error('getOwnPropertyDescriptor trap');
    },
    ownKeys() {
      throw new Error('ownKeys trap');
    },
    getPrototypeOf() {
      throw new Error('getPrototypeOf trap');
    },
  },
);
const hostileObjects = fc.constantFrom<unknown>(
  throwingProxy,
  {
    toString() {
      throw new Error('toString');
    },
    valueOf() {
      throw new Error('valueOf');
    },
  },
  { [Symbol.toPrimitive]: () => '8.8.8.8\r\nX-Evil: 1' },
  {
    get token() {
      throw new Error('getter');
    },
    get clientIp() {
      throw new Error('getter');
    },
    get headers() {
      throw new Error('getter');
    },
  },
  { getAll: () => ['123e4567-e89b-12d3-a456-426655440000', 'x'] },
  { getAll: 5 },
  { headers: { get: () => ({ toString: () => '8.8.8.8' }) } },
  JSON.parse('{"__proto__": {"token": "123e4567-e89b-12d3-a456-426655440000", "clientIp": "8.8.8.8"}}'),
  Object.create(null),
  Symbol('s'),
  () => '8.8.8.8',
  10n,
  new String('8.8.8.8'),
);
const anything = fc.oneof(
  fc.anything({
    withBoxedValues: true,
    withMap: true,
    withSet: true,
    withNullPrototype: true,
    withObjectString: true,
    withBigInt: true,
    withDate: true,
    withTypedArray: true,
    withSparseArray: true,
  }),
  hostileObjects,
);

const CONTROL = ['\r', '\n', '\r\n', '\0', '\t', ' ', '\u2028', '\u0085', '\x7f', ',', ';', '"', '%eth0'];
const ipText = fc.oneof(
  fc.ipV4(),
  fc.ipV6(),
  fc.ipV4().map((v4) => `::ffff:${v4}`),
  fc.ipV6().map((v6) => v6.toUpperCase()),
);
/** A valid value with a CR/LF/NUL/space/… spliced in somewhere. */
const injected = (valid: fc.Arbitrary<string>) =>
  fc
    .tuple(valid, fc.constantFrom(...CONTROL), fc.nat())
    .map(([v, c, at]) => `${v.slice(0, at % (v.length + 1))}${c}${v.slice(at % (v.length + 1))}`);
const huge = fc
  .tuple(fc.constantFrom('1', 'a', ':', '.', '8.8.8.8, ', '\n', 'f'), fc.integer({ min: 1_000, max: 200_000 }))
  .map(([unit, n]) => unit.repeat(Math.ceil(n / unit.length)));
const hostileStrings = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 80 }),
  fc.string({ unit: fc.constantFrom(...'0123456789abcdefABCDEF:.[]%-, '), maxLength: 50 }),
  injected(ipText),
  injected(fc.uuid()),
);

const chainEntry = fc.oneof(
  { weight: 4, arbitrary: ipText },
  { weight: 1, arbitrary: fc.ipV4().chain((v4) => fc.nat(65535).map((p) => `${v4}:${p}`)) },
  { weight: 1, arbitrary: fc.ipV6().chain((v6) => fc.nat(65535).map((p) => `[${v6}]:${p}`)) },
  { weight: 1, arbitrary: fc.constantFrom('unknown', '_hidden', '', ' ', 'garbage', '8.8.8.8:99999') },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 20 }) },
);
const xffValue = fc.array(chainEntry, { maxLength: 6 }).map((entries) => entries.join(', '));
const forwardedValue = fc
  .array(
    fc.oneof(
      chainEntry.map((node) => `for=${node}`),
      chainEntry.map((node) => `for="${node}";proto=https`),
      fc.string({ unit: 'binary', maxLength: 20 }),
    ),
    { maxLength: 5 },
  )
  .map((elements) => elements.join(', '));
const headerValue = fc.oneof(
  xffValue,
  forwardedValue,
  fc.array(fc.oneof(xffValue, forwardedValue), { maxLength: 3 }),
  anything,
);

const trustEntry = fc.oneof(
  fc.ipV4(),
  fc.ipV6(),
  fc.ipV4().map((v) => `${v}/8`),
  fc.constantFrom('loopback', 'uniquelocal', '10.0.0.0/8'),
);
const validTrustProxy = fc.oneof(
  fc.constant(false),
  fc.integer({ min: 0, max: 6 }),
  fc.array(trustEntry, { maxLength: 4 }),
  fc.array(trustEntry, { maxLength: 4 }).map((entries) => entries.join(', ')),
);
/**
 * Valid settings, and a programmer's mistakes: values that compileTrust refuses. (Not objects whose own
 * traps throw: an exception from the programmer's own code passes through.)
 */
const plainValues = fc.anything({
  withBoxedValues: true,
  withMap: true,
  withSet: true,
  withNullPrototype: true,
  withBigInt: true,
  withSparseArray: true,
});
const anyTrustProxy = fc.oneof(
  validTrustProxy,
  fc.constantFrom(true, -1, 1.5, '::/0', 'nope', ['10.0.0.0/255.0.0.0'], ['10.0.0.0/08'], ['0.0.0.0/0']),
  fc.array(fc.oneof(trustEntry, hostileStrings, plainValues), { maxLength: 4 }),
  plainValues,
);
const validHeader = fc.constantFrom('x-forwarded-for', 'forwarded', 'X-Forwarded-For');
/** What a programmer configures correctly; `remoteAddress` comes from the connection, so any string goes there. */
const validOptions = fc.oneof(
  fc.record(
    {
      trustProxy: validTrustProxy,
      header: validHeader,
      remoteAddress: fc.oneof(ipText, hostileStrings, fc.constantFrom(undefined, null)),
    },
    { requiredKeys: [] },
  ),
  fc.constantFrom(undefined, null),
);
const anyOptions = fc.oneof(
  fc.record(
    { trustProxy: anyTrustProxy, header: fc.oneof(validHeader, hostileStrings, plainValues) },
    { requiredKeys: [] },
  ),
  validOptions,
);
const nodeRequest = fc.record({
  socket: fc.oneof(fc.record({ remoteAddress: fc.oneof(ipText, hostileStrings, anything) }), anything),
  headers: fc.oneof(
    fc.record(
      { 'x-forwarded-for': headerValue, forwarded: headerValue, get: fc.oneof(fc.string(), anything) },
      { requiredKeys: [] },
    ),
    anything.filter((value) => typeof value === 'object' && value !== null),
  ),
});
const fetchLikeRequest = fc
  .record({ xff: fc.option(headerValue), fwd: fc.option(headerValue) })
  .map(({ xff, fwd }) => ({
    headers: {
      get: (name: string) => (name === 'x-forwarded-for' ? xff : name === 'forwarded' ? fwd : null),
    },
  }));
/** A request, whatever it holds: the shopper decides its headers, the runtime that it is a request. */
const anyRequest = fc.oneof(nodeRequest, fetchLikeRequest, fc.constant(throwingProxy));
/** What a programmer might pass instead of a request: its headers, its address, nothing. */
const notARequest = fc.oneof(
  anything.filter((value) => typeof value !== 'object' || value === null),
  fc.record({ 'x-forwarded-for': headerValue }),
  fc.record({ headers: fc.oneof(fc.string(), fc.constantFrom(undefined, null, 42)) }),
);

// ---------------------------------------------------------------------------------------------------------
// Helpers

function assertSafeHeaders(headers: unknown, allowPrivateIp: boolean): void {
  assert.ok(typeof headers === 'object' && headers !== null, 'a plain object');
  assert.equal(Object.getPrototypeOf(headers), Object.prototype);
  const record = headers as Record<string, unknown>;
  for (const key of Object.keys(record)) assert.ok(key === 'WePay-Risk-Token' || key === 'Client-IP', key);
  if ('WePay-Risk-Token' in record) {
    assert.match(record['WePay-Risk-Token'] as string, TOKEN_VALUE);
  }
  if ('Client-IP' in record) {
    const ip = record['Client-IP'] as string;
    assert.match(ip, IP_VALUE);
    assert.equal(normalizeIp(ip), ip, 'canonical');
    if (!allowPrivateIp) assert.equal(isPublicIp(ip), true);
  }
}

/**
 * Whether `value` has the shape an options or input object must have: absent, or an object whose own keys
 * are among `keys` and whose `booleans` are booleans when set. A Proxy whose traps throw passes.
 */
function wellShaped(value: unknown, keys: readonly string[], booleans: readonly string[] = []): boolean {
  if (value === undefined || value === null) return true;
  if (typeof value !== 'object' || Array.isArray(value)) return false;
  try {
    if (!Object.keys(value).every((key) => keys.includes(key))) return false;
  } catch {
    return true;
  }
  return booleans.every((key) => {
    try {
      const own = Object.prototype.hasOwnProperty.call(value, key)
        ? (value as Record<string, unknown>)[key]
        : undefined;
      return own === undefined || typeof own === 'boolean';
    } catch {
      return true;
    }
  });
}

/** Whether `object` has an own property `key` that is exactly `true` (a throwing object has none). */
function ownTrue(object: unknown, key: string): boolean {
  try {
    return (
      typeof object === 'object' &&
      object !== null &&
      Object.prototype.hasOwnProperty.call(object, key) &&
      (object as Record<string, unknown>)[key] === true
    );
  } catch {
    return false;
  }
}

function assertCanonicalOrNull(value: unknown): void {
  if (value === null) return;
  assert.equal(typeof value, 'string');
  assert.match(value as string, IP_VALUE);
  assert.equal(normalizeIp(value), value);
}

const ipv4ToInt = (text: string): number => text.split('.').reduce((acc, octet) => acc * 256 + Number(octet), 0);
const intToIpv4 = (n: number): string => [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');

/** Independent table of non-public IPv4 ranges, as first/last addresses (CGNAT deliberately absent). */
const NON_PUBLIC_V4: Array<[number, number]> = (
  [
    ['0.0.0.0', '0.255.255.255'],
    ['10.0.0.0', '10.255.255.255'],
    ['127.0.0.0', '127.255.255.255'],
    ['169.254.0.0', '169.254.255.255'],
    ['172.16.0.0', '172.31.255.255'],
    ['192.0.0.0', '192.0.0.255'],
    ['192.0.2.0', '192.0.2.255'],
    ['192.88.99.0', '192.88.99.255'],
    ['192.168.0.0', '192.168.255.255'],
    ['198.18.0.0', '198.19.255.255'],
    ['198.51.100.0', '198.51.100.255'],
    ['203.0.113.0', '203.0.113.255'],
    ['224.0.0.0', '255.255.255.255'], // multicast, reserved, broadcast
  ] as const
).map(([first, last]) => [ipv4ToInt(first), ipv4ToInt(last)]);
const tablePublic = (text: string): boolean => {
  const n = ipv4ToInt(text);
  return !NON_PUBLIC_V4.some(([first, last]) => n >= first && n <= last);
};
/** IPv4 addresses near every range edge (and CGNAT's), where classification bugs live. */
const edgeIpv4 = fc
  .tuple(
    fc.constantFrom(...NON_PUBLIC_V4.flat(), ipv4ToInt('100.64.0.0'), ipv4ToInt('100.127.255.255')),
    fc.integer({ min: -2, max: 2 }),
  )
  .map(([edge, delta]) => intToIpv4(Math.min(0xffffffff, Math.max(0, edge + delta))));

/** The WHATWG URL parser's canonical IPv6 serialisation (RFC 5952 compatible), as an oracle. */
const whatwgIpv6 = (text: string): string => new URL(`http://[${text}]/`).hostname.slice(1, -1);

function toBigInt(text: string): { version: 4 | 6; value: bigint } {
  const ip = parseIp(text);
  assert.ok(ip);
  return { version: ip.version, value: ip.bytes.reduce((acc, b) => (acc << 8n) | BigInt(b), 0n) };
}

// ---------------------------------------------------------------------------------------------------------

describe('properties: totality on hostile input', () => {
  it('isPublicIp / isRiskToken never throw and return booleans', () => {
    fc.assert(
      fc.property(fc.oneof(anything, hostileStrings, huge), (value) => {
        assert.equal(typeof isPublicIp(value), 'boolean');
        assert.equal(typeof isRiskToken(value), 'boolean');
      }),
      RUNS,
    );
  });

  it('riskTokenFrom never throws because of the body; returns null or a lower-case UUID', () => {
    const body = fc.oneof(anything, fc.dictionary(fc.string(), anything));
    const field = fc
      .string({ minLength: 1, maxLength: 256 })
      .filter((name) => !['__proto__', 'constructor', 'prototype'].includes(name));
    fc.assert(
      fc.property(body, fc.oneof(field, fc.record({ field }, { requiredKeys: [] })), (body, options) => {
        const token = riskTokenFrom(body, options);
        if (token !== null) assert.match(token, TOKEN_VALUE);
      }),
      RUNS,
    );
    fc.assert(
      fc.property(fc.oneof(anything, hostileStrings, huge, fc.array(fc.uuid())), (value) => {
        for (const body of [
          { wepay_risk_token: value },
          new URLSearchParams([['wepay_risk_token', String(typeof value === 'string' ? value : '')]]),
        ]) {
          const token = riskTokenFrom(body);
          if (token !== null) assert.match(token, TOKEN_VALUE);
        }
      }),
      RUNS,
    );
  });

  it('riskTokenFrom throws for a wrong second argument alone, the same whatever the body', () => {
    const outcome = (run: () => unknown): string => {
      try {
        run();
        return 'ok';
      } catch (error) {
        assert.ok(
          error instanceof TypeError || error instanceof RangeError || error instanceof RiskHeaderError,
          String(error),
        );
        return `${error.name}: ${error.message}`;
      }
    };
    const body = fc.oneof(anything, fc.dictionary(fc.string(), anything));
    const options = fc.oneof(
      fc.string({ maxLength: 300 }),
      fc.record({ field: fc.oneof(fc.string(), plainValues), strict: fc.constant(false) }, { requiredKeys: [] }),
      plainValues,
    );
    fc.assert(
      fc.property(body, body, options, (first, second, option) => {
        const one = outcome(() => riskTokenFrom(first, option as string));
        assert.equal(
          outcome(() => riskTokenFrom(second, option as string)),
          one,
        );
        assert.ok(!one.startsWith('RiskHeaderError'), 'strict is off');
      }),
      RUNS,
    );
  });

  it('riskHeaders: TypeError exactly for a wrong shape, RiskHeaderError only in strict mode; every value is header-safe', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.record(
            {
              token: fc.oneof(fc.uuid(), hostileStrings, anything),
              clientIp: fc.oneof(ipText, hostileStrings, anything),
            },
            { requiredKeys: [] },
          ),
          anything,
        ),
        fc.oneof(
          fc.record(
            { strict: fc.oneof(fc.boolean(), anything), allowPrivateIp: fc.oneof(fc.boolean(), anything) },
            { requiredKeys: [] },
          ),
          anything,
        ),
        (input, options) => {
          const strict = ownTrue(options, 'strict');
          const allowPrivateIp = ownTrue(options, 'allowPrivateIp');
          const shapeOk =
            wellShaped(input, ['token', 'clientIp']) &&
            wellShaped(options, ['strict', 'allowPrivateIp'], ['strict', 'allowPrivateIp']);
          let headers: unknown;
          try {
            headers = riskHeaders(input as never, options as never);
          } catch (error) {
            if (error instanceof TypeError) {
              assert.ok(!shapeOk, `a TypeError for a right shape: ${error.message}`);
              return;
            }
            assert.ok(shapeOk, 'a wrong shape did not throw a TypeError');
            assert.ok(error instanceof RiskHeaderError, `unexpected ${String(error)}`);
            assert.ok(strict, 'threw outside strict mode');
            assert.ok(error.field === 'token' || error.field === 'clientIp');
            assert.match(error.message, /^[\x20-\x7e]+$/);
            return;
          }
          assert.ok(shapeOk, 'a wrong shape did not throw');
          assertSafeHeaders(headers, allowPrivateIp);
        },
      ),
      RUNS,
    );
  });

  it('riskHeaders drops any value with CR/LF/NUL/whitespace spliced in, and huge strings', () => {
    fc.assert(
      fc.property(injected(fc.uuid()), fc.oneof(injected(ipText), huge), (token, clientIp) => {
        assert.deepEqual(riskHeaders({ token, clientIp }, { allowPrivateIp: true }), {});
        assert.throws(() => riskHeaders({ token, clientIp }, { strict: true }), RiskHeaderError);
      }),
      RUNS,
    );
  });

  it('clientIpFrom throws a TypeError for anything that is not a request, whatever the options', () => {
    fc.assert(
      fc.property(notARequest, validOptions, (request, options) => {
        assert.throws(
          () => clientIpFrom(request as IncomingMessageLike, options as ClientIpOptions),
          (error: unknown) =>
            error instanceof TypeError && /^clientIpFrom: expected a Node request/.test(error.message),
        );
      }),
      RUNS,
    );
  });

  it('clientIpFrom, set up correctly, never throws whatever the request holds; returns null or a canonical address', () => {
    fc.assert(
      fc.property(anyRequest, validOptions, (request, options) => {
        assertCanonicalOrNull(clientIpFrom(request as IncomingMessageLike, options as ClientIpOptions));
      }),
      { numRuns: 2000 },
    );
  });

  it('clientIpFrom throws only TypeError / RangeError, for the options alone: the same whatever the request', () => {
    const outcome = (run: () => unknown): string => {
      try {
        run();
        return 'ok';
      } catch (error) {
        assert.ok(error instanceof TypeError || error instanceof RangeError, String(error));
        return `${error.name}: ${error.message}`;
      }
    };
    fc.assert(
      fc.property(anyRequest, anyRequest, anyOptions, (request, other, options) => {
        const first = outcome(() => clientIpFrom(request as IncomingMessageLike, options as ClientIpOptions));
        const second = outcome(() => clientIpFrom(other as IncomingMessageLike, options as ClientIpOptions));
        assert.equal(first, second);
        if (first !== 'ok') return;
        const trustProxy = (options as ClientIpOptions | null | undefined)?.trustProxy;
        if (trustProxy !== undefined) assert.doesNotThrow(() => compileTrust(trustProxy));
      }),
      { numRuns: 2000 },
    );
  });
});

describe('properties: spoof resistance over random proxy chains', () => {
  const forgedPrefix = fc.array(fc.oneof(chainEntry, fc.string({ unit: 'binary', maxLength: 30 })), { maxLength: 5 });
  const privateProxy = fc.tuple(fc.nat(255), fc.nat(255), fc.nat(255)).map(([a, b, c]) => `10.${a}.${b}.${c}`);
  const client = fc.oneof(fc.ipV4(), fc.ipV6()).filter((ip) => !cidrContains(parseCidr('10.0.0.0/8')!, parseIp(ip)!));
  const UNIQUE_LOCAL = ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', 'fc00::/7'].map((text) => parseCidr(text)!);

  it('X-Forwarded-For, N trusted hops: always the address the first trusted proxy saw', () => {
    fc.assert(
      fc.property(
        forgedPrefix,
        client,
        fc.array(privateProxy, { minLength: 1, maxLength: 4 }),
        fc.boolean(),
        (forged, shopper, proxies, asLines) => {
          // proxies[0] received the shopper's connection and appended `shopper`; each next proxy appends its
          // predecessor; the origin's socket peer is the last proxy.
          const appended = [shopper, ...proxies.slice(0, -1)];
          const header = asLines ? [...forged, ...appended] : [...forged, ...appended].join(', ');
          const request = {
            socket: { remoteAddress: proxies[proxies.length - 1] },
            headers: { 'x-forwarded-for': header },
          };
          const expected = normalizeIp(shopper);
          assert.equal(clientIpFrom(request, { trustProxy: proxies.length }), expected);
          assert.equal(clientIpFrom(request, { trustProxy: ['10.0.0.0/8'] }), expected);
          // Named ranges: holds whenever the shopper is not itself inside them.
          const shopperIp = parseIp(shopper)!;
          if (!UNIQUE_LOCAL.some((block) => cidrContains(block, shopperIp))) {
            assert.equal(clientIpFrom(request, { trustProxy: 'uniquelocal' }), expected);
          }
          assert.equal(clientIpFrom(request), normalizeIp(proxies[proxies.length - 1]));
        },
      ),
      RUNS,
    );
  });

  it('Forwarded: the real client, or null when the forged part breaks the syntax — never anything else', () => {
    const forgedElements = fc.array(
      fc.oneof(
        chainEntry.map((node) => `for="${node.replace(/["\\]/g, '')}"`),
        fc.string({ unit: 'binary', maxLength: 30 }), // may be syntactically broken
      ),
      { maxLength: 4 },
    );
    fc.assert(
      fc.property(
        forgedElements,
        client,
        fc.array(privateProxy, { minLength: 1, maxLength: 3 }),
        (forged, shopper, proxies) => {
          const node = (ip: string) => (ip.includes(':') ? `"[${ip}]:4711"` : ip);
          const appended = [shopper, ...proxies.slice(0, -1)].map((ip) => `for=${node(ip)};proto=https`);
          const forwarded = [...forged, ...appended].join(', ');
          const request = { headers: { get: (name: string) => (name === 'forwarded' ? forwarded : null) } };
          const expected = normalizeIp(shopper);
          const byHops = clientIpFrom(request, { header: 'forwarded', trustProxy: proxies.length });
          const byList = clientIpFrom(request, {
            header: 'forwarded',
            trustProxy: ['10.0.0.0/8'],
            remoteAddress: proxies[proxies.length - 1] ?? null,
          });
          assert.ok(byHops === expected || byHops === null, `hops gave ${byHops}`);
          assert.ok(byList === expected || byList === null, `list gave ${byList}`);
          // A quoted-string without control characters: the forged values RFC 7239 lets through.
          // eslint-disable-next-line no-control-regex
          if (forged.every((f) => /^for="[^"\\\x00-\x1f\x7f]*"$/.test(f))) {
            assert.equal(byHops, expected);
            assert.equal(byList, expected);
          }
        },
      ),
      RUNS,
    );
  });

  it('a garbage entry inside the trusted part of the chain gives null', () => {
    fc.assert(
      fc.property(
        forgedPrefix,
        client,
        fc.array(privateProxy, { minLength: 2, maxLength: 4 }),
        fc.nat(),
        fc.constantFrom('unknown', 'x', '10.0.0.256', '_h', '[::1'),
        (forged, shopper, proxies, at, junk) => {
          const appended = [shopper, ...proxies.slice(0, -1)];
          // Replace one trusted proxy's entry (not the shopper's) with junk.
          const index = 1 + (at % (appended.length - 1));
          appended[index] = junk;
          const request = {
            socket: { remoteAddress: proxies[proxies.length - 1] },
            headers: { 'x-forwarded-for': [...forged, ...appended].join(', ') },
          };
          assert.equal(clientIpFrom(request, { trustProxy: proxies.length }), null);
          assert.equal(clientIpFrom(request, { trustProxy: ['10.0.0.0/8'] }), null);
        },
      ),
      RUNS,
    );
  });
});

describe('properties: round trips against independent oracles', () => {
  it('any UUID, upper-cased, is accepted and lower-cased everywhere', () => {
    fc.assert(
      fc.property(fc.uuid(), fc.boolean(), (uuid, upper) => {
        const text = upper ? uuid.toUpperCase() : uuid;
        const lower = uuid.toLowerCase();
        assert.equal(isRiskToken(text), true);
        assert.deepEqual(riskHeaders({ token: text }, { strict: true }), { 'WePay-Risk-Token': lower });
        assert.equal(riskTokenFrom(new URLSearchParams({ wepay_risk_token: text })), lower);
        const form = new FormData();
        form.set('wepay_risk_token', text);
        assert.equal(riskTokenFrom(form), lower);
        assert.equal(riskTokenFrom({ wepay_risk_token: text }), lower);
      }),
      RUNS,
    );
  });

  it('a repeated field gives its token exactly when every value is that token, in any case', () => {
    const caseOf = (uuid: string) =>
      fc
        .array(fc.boolean(), { minLength: 36, maxLength: 36 })
        .map((upper) => [...uuid].map((c, i) => (upper[i] ? c.toUpperCase() : c)).join(''));
    const repeated = fc
      .uuid()
      .chain((uuid) =>
        fc.tuple(
          fc.constant(uuid),
          fc.array(caseOf(uuid), { minLength: 2, maxLength: 5 }),
          fc.option(fc.oneof(fc.uuid(), hostileStrings)),
          fc.nat(),
        ),
      );
    fc.assert(
      fc.property(repeated, ([uuid, values, intruder, at]) => {
        const posted = [...values];
        if (intruder !== null) posted.splice(at % (posted.length + 1), 0, intruder);
        const expected = intruder === null || intruder.toLowerCase() === uuid ? uuid : null;
        const params = new URLSearchParams();
        for (const value of posted) params.append('wepay_risk_token', value);
        assert.equal(riskTokenFrom(params), expected);
        assert.equal(riskTokenFrom({ wepay_risk_token: posted }), expected);
      }),
      RUNS,
    );
  });

  it('IPv4 public classification agrees with an independent range table', () => {
    fc.assert(
      fc.property(fc.oneof(fc.ipV4(), edgeIpv4), (ip) => {
        assert.equal(isPublicIp(ip), tablePublic(ip), ip);
        assert.equal(isPublicIp(`::ffff:${ip}`), tablePublic(ip), `::ffff:${ip}`);
        assert.deepEqual(riskHeaders({ clientIp: ip }), tablePublic(ip) ? { 'Client-IP': ip } : {});
      }),
      { numRuns: 2000 },
    );
  });

  it('IPv6 canonical form agrees with the WHATWG URL serialiser', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.ipV6(),
          fc.ipV4().map((v4) => `::ffff:${v4}`),
        ),
        fc.boolean(),
        (ip, upper) => {
          const text = upper ? ip.toUpperCase() : ip;
          const ours = normalizeIp(text);
          assert.ok(ours !== null, text);
          const oracle = whatwgIpv6(text);
          if (ours.includes('.')) {
            // IPv4-mapped: we unmap; the URL serialiser prints ::ffff:hhhh:hhhh.
            assert.equal(whatwgIpv6(`::ffff:${ours}`), oracle);
          } else {
            assert.equal(ours, oracle);
          }
          assert.equal(normalizeIp(ours), ours, 'idempotent');
        },
      ),
      RUNS,
    );
  });

  it('validity agrees with node:net isIP on mutated addresses (zone ids aside)', () => {
    const alphabet = fc.constantFrom(...'0123456789abcdefgABCDEF:.:.'.split(''), '::', '');
    const mutated = fc
      .tuple(fc.oneof(fc.ipV4(), fc.ipV6()), fc.array(fc.tuple(fc.nat(), fc.nat(2), alphabet), { maxLength: 3 }))
      .map(([ip, edits]) =>
        edits.reduce((s, [at, kind, ch]) => {
          const i = at % (s.length + 1);
          if (kind === 0) return s.slice(0, i) + ch + s.slice(i); // insert
          if (kind === 1) return s.slice(0, i) + s.slice(i + 1); // delete
          return s.slice(0, i) + ch + s.slice(i + 1); // replace
        }, ip),
      );
    fc.assert(
      fc.property(
        fc.oneof(mutated, fc.string({ unit: fc.constantFrom(...'0123456789abcdef:.'), maxLength: 45 })),
        (text) => {
          assert.equal(parseIp(text) !== null, net.isIP(text) !== 0, JSON.stringify(text));
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('CIDR membership agrees with BigInt prefix arithmetic', () => {
    const pair = fc.oneof(
      fc.tuple(fc.ipV4(), fc.ipV4(), fc.integer({ min: 0, max: 32 })),
      fc.tuple(fc.ipV6(), fc.ipV6(), fc.integer({ min: 0, max: 128 })),
      // Same network, nearby addresses, so matches are common too.
      fc.tuple(fc.ipV4(), fc.nat(0xffff), fc.integer({ min: 0, max: 32 })).map(([base, delta, prefix]) => {
        const near = intToIpv4((ipv4ToInt(base) ^ delta) >>> 0);
        return [base, near, prefix] as [string, string, number];
      }),
    );
    fc.assert(
      fc.property(pair, ([base, address, prefix]) => {
        const cidr = parseCidr(`${base}/${prefix}`);
        const ip = parseIp(address);
        assert.ok(cidr && ip);
        // IPv4-mapped IPv6 is IPv4 everywhere (covered by unit tests); keep the oracle simple.
        fc.pre(
          !/^::ffff:/i.test(normalizeIp(base.includes(':') ? base : '::') ?? '') &&
            cidr.version === (base.includes(':') ? 6 : 4),
        );
        fc.pre(ip.version === (address.includes(':') ? 6 : 4));
        const a = toBigInt(base);
        const b = toBigInt(address);
        const width = a.version === 4 ? 32n : 128n;
        const shift = width - BigInt(prefix);
        const expected = a.version === b.version && a.value >> shift === b.value >> shift;
        // Mapped IPv6 parses to IPv4 on both sides, so versions line up with parseIp.
        assert.equal(cidrContains(cidr, ip), expected, `${base}/${prefix} ∋ ${address}`);
        assert.equal(cidrContains(cidr, parseIp(base)!), true);
      }),
      { numRuns: 2000 },
    );
  });
});
