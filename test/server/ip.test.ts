/// <reference types="node" />
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { cidrContains, ipScope, isPublicIp, normalizeIp, parseCidr, parseIp } from '../../src/server/ip.js';

describe('normalizeIp (strict parser + canonical form)', () => {
  const valid: Array<[string, string]> = [
    ['8.8.8.8', '8.8.8.8'],
    ['0.0.0.0', '0.0.0.0'],
    ['255.255.255.255', '255.255.255.255'],
    ['::', '::'],
    ['::1', '::1'],
    ['2001:DB8::1', '2001:db8::1'],
    ['2001:0db8:0000:0000:0000:0000:0000:0001', '2001:db8::1'],
    ['2001:db8:0:0:1:0:0:1', '2001:db8::1:0:0:1'], // first of two equal runs
    ['2001:0:0:1:0:0:0:1', '2001:0:0:1::1'], // longest run wins
    ['2001:db8:0:1:1:1:1:1', '2001:db8:0:1:1:1:1:1'], // a single zero group is not compressed
    ['1:2:3:4:5:6:7::', '1:2:3:4:5:6:7:0'],
    ['::2:3:4:5:6:7:8', '0:2:3:4:5:6:7:8'],
    ['::ffff:1.2.3.4', '1.2.3.4'], // IPv4-mapped → IPv4
    ['::FFFF:0102:0304', '1.2.3.4'],
    ['0:0:0:0:0:ffff:100.166.99.123', '100.166.99.123'],
    ['::1.2.3.4', '::102:304'], // IPv4-compatible (deprecated) stays IPv6
    ['64:ff9b::8.8.8.8', '64:ff9b::808:808'],
    ['fe80::1', 'fe80::1'],
  ];
  for (const [input, expected] of valid) {
    it(`${input} → ${expected}`, () => assert.equal(normalizeIp(input), expected));
  }

  const invalid: unknown[] = [
    '',
    ' 8.8.8.8',
    '8.8.8.8 ',
    '8.8.8.8\r\n',
    '8.8.8.8\0',
    '8.8.8',
    '8.8.8.8.8',
    '08.8.8.8', // leading zero (octal in some parsers)
    '1.2.3.256',
    '1.2.3.-1',
    '1..3.4',
    '0x8.8.8.8',
    '8.8.8.8:80',
    '[::1]',
    '::1%eth0',
    'fe80::1%25eth0',
    ':::',
    '1:::2',
    '1::2::3',
    ':1::2',
    '1::2:',
    '1:2:3:4:5:6:7:8:9',
    '1:2:3:4:5:6:7',
    '1:2:3:4:5:6:7:8::',
    '1::2:3:4:5:6:7:8',
    '12345::1',
    'g::1',
    '::1.2.3',
    '::1.2.3.4:5',
    '1.2.3.4::',
    '::ffff:01.2.3.4',
    '１.２.３.４', // full-width digits
    'unknown',
    '_hidden',
    'a'.repeat(100_000),
    8,
    null,
    undefined,
    ['8.8.8.8'],
    { toString: () => '8.8.8.8' },
    Symbol('x'),
  ];
  for (const input of invalid) {
    it(`rejects ${typeof input === 'string' ? JSON.stringify(input.slice(0, 30)) : String(typeof input)}`, () => {
      assert.equal(normalizeIp(input), null);
    });
  }
});

describe('isPublicIp', () => {
  const publicAddresses = [
    '8.8.8.8',
    '1.1.1.1',
    '100.64.0.0', // CGNAT start: public on purpose
    '100.166.99.123', // WePay's own documentation example
    '100.127.255.255',
    '11.0.0.0',
    '172.15.255.255',
    '172.32.0.0',
    '192.167.255.255',
    '192.169.0.0',
    '223.255.255.255',
    '::ffff:8.8.8.8',
    '2606:4700:4700::1111',
    '2a00:1450:4001:80b::200e',
    '2002:808:808::1', // 6to4 of a public IPv4
    '64:ff9b::1.1.1.1', // NAT64 of a public IPv4
  ];
  const nonPublic = [
    '0.0.0.0',
    '0.1.2.3',
    '10.0.0.1',
    '10.255.255.255',
    '127.0.0.1',
    '127.255.255.254',
    '169.254.1.1',
    '172.16.0.1',
    '172.31.255.255',
    '192.0.0.8',
    '192.0.2.1',
    '192.88.99.1',
    '192.168.0.1',
    '198.18.0.1',
    '198.19.255.255',
    '198.51.100.7',
    '203.0.113.9',
    '224.0.0.1',
    '239.255.255.250',
    '240.0.0.1',
    '255.255.255.255',
    '::',
    '::1',
    '::ffff:127.0.0.1',
    '::ffff:10.1.2.3',
    'fe80::1',
    'febf:ffff::1',
    'fc00::1',
    'fd12:3456:789a::1',
    'fec0::1',
    'ff02::1',
    '2001:db8::1',
    '2001::1', // Teredo
    '2001:2::1', // benchmarking
    '3fff::1', // documentation (RFC 9637)
    '2002:a00:1::', // 6to4 of 10.0.0.1
    '64:ff9b::10.0.0.1', // NAT64 of a private IPv4
    '100::1', // discard-only
    '::1.2.3.4', // IPv4-compatible (deprecated)
    '4000::1', // outside 2000::/3
    'not an ip',
  ];
  for (const address of publicAddresses) it(`${address} is public`, () => assert.equal(isPublicIp(address), true));
  for (const address of nonPublic) it(`${address} is not public`, () => assert.equal(isPublicIp(address), false));
  it('100.63.255.255 (just below CGNAT) is public', () => assert.equal(isPublicIp('100.63.255.255'), true));
  it('100.128.0.0 (just above CGNAT) is public', () => assert.equal(isPublicIp('100.128.0.0'), true));

  it('scopes: unspecified, multicast and broadcast can never be a client', () => {
    for (const address of ['0.0.0.0', '224.0.0.1', '255.255.255.255', '::', 'ff02::1', '::ffff:0.0.0.0']) {
      assert.equal(ipScope(parseIp(address)!), 'never', address);
    }
    for (const address of ['127.0.0.1', '10.0.0.1', 'fe80::1', '::1', '192.0.2.1']) {
      assert.equal(ipScope(parseIp(address)!), 'private', address);
    }
  });
});

describe('parseCidr / cidrContains', () => {
  const cases: Array<[string, string, boolean]> = [
    ['10.0.0.0/8', '10.255.1.2', true],
    ['10.0.0.0/8', '11.0.0.0', false],
    ['10.1.2.3/8', '10.9.9.9', true], // host bits are cleared
    ['172.16.0.0/12', '172.31.255.255', true],
    ['172.16.0.0/12', '172.32.0.0', false],
    ['192.168.1.7', '192.168.1.7', true], // bare address = /32
    ['192.168.1.7', '192.168.1.8', false],
    ['0.0.0.0/0', '8.8.8.8', true],
    ['0.0.0.0/0', '2001:db8::1', false], // versions never mix
    ['::/0', '8.8.8.8', false],
    ['::/0', '2001:db8::1', true],
    ['2001:db8::/32', '2001:db8:ffff::1', true],
    ['2001:db8::/32', '2001:db9::1', false],
    ['2001:db8::/33', '2001:db8:8000::', false],
    ['2001:db8::/33', '2001:db8:7fff::', true],
    ['fe80::/10', 'febf::1', true],
    ['fe80::/10', 'fec0::1', false],
    ['::ffff:10.0.0.0/104', '10.2.3.4', true], // mapped block = IPv4 block
    ['::ffff:10.0.0.0/104', '::ffff:10.2.3.4', true],
    ['10.0.0.0/8', '::ffff:10.2.3.4', true], // mapped address = IPv4 address
    ['1.2.3.4/31', '1.2.3.5', true],
    ['1.2.3.4/31', '1.2.3.6', false],
    ['::1/128', '::1', true],
  ];
  for (const [cidr, address, expected] of cases) {
    it(`${cidr} ${expected ? 'contains' : 'does not contain'} ${address}`, () => {
      const block = parseCidr(cidr);
      assert.ok(block, cidr);
      assert.equal(cidrContains(block, parseIp(address)!), expected);
    });
  }
  for (const bad of [
    '10.0.0.0/33',
    '::/129',
    '10.0.0.0/',
    '10.0.0.0/08',
    '10.0.0.0/-1',
    '10.0.0.0/8/8',
    'x/8',
    '/8',
    ' 10.0.0.0/8',
    5,
    null,
  ]) {
    it(`rejects ${String(bad)}`, () => assert.equal(parseCidr(bad), null));
  }
});
