/// <reference types="node" />
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import fc from 'fast-check';

import { clientIpFrom, compileTrust, type TrustProxy } from '../../src/server/index.js';
import { cidrContains, parseCidr, parseIp } from '../../src/server/ip.js';

/** Asserts that `trustProxy` is refused with `type`, by compileTrust and by clientIpFrom, with `message`. */
function assertRefused(trustProxy: unknown, type: typeof TypeError | typeof RangeError, message: RegExp): void {
  const expected = (error: unknown) => error instanceof type && message.test((error as Error).message);
  assert.throws(() => compileTrust(trustProxy as TrustProxy), expected, `compileTrust(${String(trustProxy)})`);
  const request = { socket: { remoteAddress: '10.0.0.2' }, headers: { 'x-forwarded-for': '8.8.8.8' } };
  assert.throws(() => clientIpFrom(request, { trustProxy: trustProxy as TrustProxy }), expected);
  // At configuration time: whatever the request, even none at all.
  assert.throws(() => clientIpFrom(null as never, { trustProxy: trustProxy as TrustProxy }), expected);
}

describe('compileTrust', () => {
  it('accepts hop counts, lists, comma-separated strings and named ranges', () => {
    const settings: TrustProxy[] = [
      false,
      0,
      1,
      Number.MAX_SAFE_INTEGER,
      [],
      '',
      ['10.0.0.0/8', '2001:db8::/32', '192.0.2.7', 'loopback'],
      'loopback, linklocal,uniquelocal',
      ' 10.1.2.3/8 ',
    ];
    for (const trustProxy of settings) {
      assert.doesNotThrow(() => compileTrust(trustProxy), String(trustProxy));
    }
  });

  it('netmask notation is refused, with the prefix to write instead', () => {
    for (const trustProxy of [['10.0.0.0/255.0.0.0'], '10.0.0.0/255.0.0.0']) {
      assertRefused(
        trustProxy,
        RangeError,
        /"10\.0\.0\.0\/255\.0\.0\.0".*netmask notation is not supported: write 10\.0\.0\.0\/8/,
      );
    }
    assertRefused(['172.16.0.0/255.240.0.0'], RangeError, /write 172\.16\.0\.0\/12/);
    assertRefused(['10.0.0.0/255.0.255.0'], RangeError, /"10\.0\.0\.0\/255\.0\.255\.0" is not valid/);
  });

  it('a prefix length with a leading zero is refused', () => {
    assertRefused(['10.0.0.0/08'], RangeError, /"10\.0\.0\.0\/08".*without leading zeros: 10\.0\.0\.0\/8/);
    assertRefused('loopback, 2001:db8::/032', RangeError, /item 2 .*"2001:db8::\/032"/);
  });

  it('anything else that is not an address, a CIDR block or a named range is refused, naming the entry', () => {
    for (const bad of [
      '10.0.0.0/33',
      '2001:db8::/129',
      '10.0.0.0/',
      '/8',
      'nonsense',
      '010.0.0.1',
      '10.0.0.0/8/8',
      'fe80::1%eth0',
      'localhost',
      '10.0.0.0 /8',
    ]) {
      assertRefused(
        ['127.0.0.1', bad],
        RangeError,
        new RegExp(`^trustProxy\\[1\\]: ${JSON.stringify(bad).replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')} is not valid`),
      );
    }
  });

  it('trusting every address is refused: 0.0.0.0/0, ::/0 and the IPv4-mapped ::ffff:0:0/96', () => {
    assertRefused(
      ['10.0.0.0/8', '0.0.0.0/0'],
      RangeError,
      /trustProxy\[1\]: "0\.0\.0\.0\/0" covers every IPv4 address.*not offered/,
    );
    assertRefused('::/0', RangeError, /"::\/0" covers every IPv6 address/);
    assertRefused(['::ffff:0.0.0.0/96'], RangeError, /covers every IPv4 address/);
    assertRefused(['8.8.8.8/0'], RangeError, /covers every IPv4 address \(0\.0\.0\.0\/0\)/);
  });

  it('true (trust every hop) is a TypeError, as is any value of another type', () => {
    assertRefused(true, TypeError, /^trustProxy: true would trust every hop/);
    for (const bad of [null, {}, new Set(['10.0.0.0/8']), () => 1, Symbol('t'), 1n]) {
      assertRefused(bad, TypeError, /^trustProxy: expected false, a number of proxies/);
    }
  });

  it('a hop count that is not a whole number, 0 or more, is a RangeError', () => {
    for (const bad of [-1, 1.5, Number.NaN, Number.POSITIVE_INFINITY, 2 ** 53]) {
      assertRefused(bad, RangeError, /is not a number of proxies/);
    }
  });

  it('a hop count or boolean written as a string (an environment variable) is a TypeError saying to pass the number', () => {
    for (const bad of ['1', ' 2 ', '0', 'false', 'TRUE']) {
      assertRefused(
        bad,
        TypeError,
        /^trustProxy: ".*" is a string, as environment variables are; pass the number of proxies as a number, e\.g\. trustProxy: Number\(process\.env\.TRUST_PROXY\)/,
      );
    }
  });

  it('NaN, as Number() makes of an unset variable, says to give the variable a default', () => {
    assertRefused(
      Number(undefined),
      RangeError,
      /^trustProxy: NaN is not a number of proxies; .*unset.*Number\(process\.env\.TRUST_PROXY \?\? 0\)/,
    );
  });

  it('a list entry that is not a string is a TypeError naming its index; a hole is an entry too', () => {
    assertRefused(
      ['10.0.0.0/8', 5],
      TypeError,
      /^trustProxy\[1\]: expected an address or CIDR block string, got a number/,
    );
    assertRefused([null], TypeError, /^trustProxy\[0\]: .* got null/);
    const holey = ['10.0.0.0/8'];
    holey[2] = '127.0.0.1';
    assertRefused(holey, TypeError, /^trustProxy\[1\]: .* got undefined/);
  });

  it('caps a list at 1,000 entries, as an array or as a string', () => {
    const hosts = (n: number) => Array.from({ length: n }, (_, i) => `10.${(i >> 8) & 255}.${i & 255}.1`);
    assert.doesNotThrow(() => compileTrust(hosts(1000)));
    assert.doesNotThrow(() => compileTrust(hosts(1000).join(', ')));
    assertRefused(hosts(1001), RangeError, /^trustProxy: 1001 entries; at most 1000/);
    assertRefused(hosts(1001).join(','), RangeError, /^trustProxy: 1001 entries; at most 1000/);
    // Empty items of a string are not entries.
    assert.doesNotThrow(() => compileTrust(`${hosts(1000).join(', ')}, , ,`));
  });

  it('a compiled setting gives the same answers as the raw one, and compiles to itself', () => {
    const request = {
      socket: { remoteAddress: '127.0.0.1' },
      headers: { 'x-forwarded-for': '1.2.3.4, 8.8.8.8, 10.9.9.9' },
    };
    for (const raw of [1, 2, 3, 4, ['loopback', '10.0.0.0/8'], 'loopback'] as TrustProxy[]) {
      const compiled = compileTrust(raw);
      assert.equal(
        clientIpFrom(request, { trustProxy: compiled }),
        clientIpFrom(request, { trustProxy: raw }),
        String(raw),
      );
      assert.equal(compileTrust(compiled), compiled);
    }
    assert.ok(Object.isFrozen(compileTrust(['10.0.0.0/8'])));
  });

  it('membership agrees with a plain scan of the listed blocks', () => {
    const block = fc.oneof(
      fc.tuple(fc.ipV4(), fc.integer({ min: 1, max: 32 })).map(([ip, prefix]) => `${ip}/${prefix}`),
      fc.tuple(fc.ipV6(), fc.integer({ min: 1, max: 128 })).map(([ip, prefix]) => `${ip}/${prefix}`),
      fc.ipV4(),
    );
    const address = fc.oneof(fc.ipV4(), fc.ipV6());
    fc.assert(
      fc.property(
        fc.array(block, { maxLength: 20 }),
        fc.array(address, { minLength: 1, maxLength: 10 }),
        (list, addresses) => {
          const blocks = list.map((text) => parseCidr(text)!);
          // Also probe addresses inside the listed blocks, so matches are common.
          const probes = [
            ...addresses.map((text) => parseIp(text)!),
            ...blocks.map(({ version, bytes }) => ({ version, bytes })),
          ];
          const trust = compileTrust(list);
          for (const ip of probes) {
            assert.equal(
              trust.contains(ip),
              blocks.some((b) => cidrContains(b, ip)),
              `${list.join(',')} ∋ ${ip.bytes.join('.')}`,
            );
          }
        },
      ),
      { numRuns: 500 },
    );
  });
});

describe('the trusted-list walk', () => {
  /** Counts the set look-ups (membership checks) made while `run` runs. */
  function countLookups(run: () => void): number {
    const has = Set.prototype.has;
    let count = 0;
    Set.prototype.has = function (this: Set<unknown>, value: unknown) {
      count++;
      return has.call(this, value);
    };
    try {
      run();
    } finally {
      Set.prototype.has = has;
    }
    return count;
  }

  // A 1 MB header of trusted hops: the walk visits every one of them.
  const HOP = '10.0.0.1';
  const header = Array.from({ length: Math.ceil(1_000_000 / (HOP.length + 2)) }, () => HOP).join(', ');
  const hops = header.split(', ').length;
  const request = { socket: { remoteAddress: '10.0.0.2' }, headers: { 'x-forwarded-for': `8.8.8.8, ${header}` } };
  // 1,000 entries with four distinct prefix lengths: /8, /16, /24 and single hosts.
  const bigList = [
    '10.0.0.0/8',
    '172.16.0.0/16',
    '192.168.1.0/24',
    ...Array.from({ length: 997 }, (_, i) => `198.51.${i >> 8}.${i & 255}`),
  ];

  it('costs at most one membership check per distinct prefix length per hop, however long the list', () => {
    const lookups = countLookups(() => assert.equal(clientIpFrom(request, { trustProxy: bigList }), '8.8.8.8'));
    // Every hop is checked (the socket, each trusted entry, and the shopper's address that ends the walk)…
    assert.ok(lookups >= hops + 2, `${lookups} look-ups for ${hops + 2} addresses`);
    // …with at most one look-up per distinct prefix length (4 here), not one per list entry (1,000).
    assert.ok(lookups <= (hops + 2) * 4, `${lookups} look-ups for ${hops + 2} addresses`);
  });

  it('does the same work for a 4-entry list as for a 1,000-entry list with the same prefix lengths', () => {
    const small = ['10.0.0.0/8', '172.16.0.0/16', '192.168.1.0/24', '198.51.0.0'];
    const compiledSmall = compileTrust(small);
    const compiledBig = compileTrust(bigList);
    const withSmall = countLookups(() => clientIpFrom(request, { trustProxy: compiledSmall }));
    const withBig = countLookups(() => clientIpFrom(request, { trustProxy: compiledBig }));
    assert.equal(withBig, withSmall);
  });
});
