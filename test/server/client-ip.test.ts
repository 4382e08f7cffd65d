/// <reference types="node" />
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { clientIpFrom, type ClientIpOptions, type IncomingMessageLike } from '../../src/server/index.js';

/** A minimal IncomingMessage look-alike. */
function nodeRequest(
  remoteAddress: string | undefined,
  headers: Record<string, string | string[] | undefined> = {},
): IncomingMessageLike {
  return { socket: { remoteAddress }, headers };
}

const xff = (value: string | string[], remote = '10.0.0.2') => nodeRequest(remote, { 'x-forwarded-for': value });
const fwd = (value: string | string[], remote = '10.0.0.2') => nodeRequest(remote, { forwarded: value });
const FWD: ClientIpOptions = { header: 'forwarded' };

describe('clientIpFrom: trustProxy false (default)', () => {
  it('is the socket address, canonical', () => {
    assert.equal(clientIpFrom(nodeRequest('8.8.8.8')), '8.8.8.8');
    assert.equal(clientIpFrom(nodeRequest('::ffff:8.8.4.4')), '8.8.4.4');
    assert.equal(clientIpFrom(nodeRequest('2001:DB8:0::1')), '2001:db8::1');
    assert.equal(clientIpFrom(nodeRequest('fe80::1%eth0')), 'fe80::1');
  });
  it('ignores forwarding headers entirely', () => {
    assert.equal(clientIpFrom(xff('1.2.3.4', '8.8.8.8')), '8.8.8.8');
    assert.equal(clientIpFrom(xff('1.2.3.4', '8.8.8.8'), { trustProxy: false }), '8.8.8.8');
    assert.equal(clientIpFrom(xff('1.2.3.4', '8.8.8.8'), { trustProxy: 0 }), '8.8.8.8');
    assert.equal(clientIpFrom(fwd('for=1.2.3.4', '8.8.8.8'), FWD), '8.8.8.8');
  });
  it('no usable socket address → null', () => {
    assert.equal(clientIpFrom(nodeRequest(undefined)), null);
    assert.equal(clientIpFrom({ headers: {} }), null);
    assert.equal(clientIpFrom(nodeRequest('garbage')), null);
    assert.equal(clientIpFrom(nodeRequest('1.2.3.4\r\n')), null);
  });
  it('options.remoteAddress overrides the socket', () => {
    assert.equal(clientIpFrom(nodeRequest('10.0.0.1'), { remoteAddress: '8.8.8.8' }), '8.8.8.8');
    assert.equal(clientIpFrom(nodeRequest('10.0.0.1'), { remoteAddress: null }), null);
  });
});

describe('clientIpFrom: trustProxy as a number of hops', () => {
  it('1 hop: the last X-Forwarded-For entry', () => {
    assert.equal(clientIpFrom(xff('8.8.8.8'), { trustProxy: 1 }), '8.8.8.8');
    assert.equal(clientIpFrom(xff('1.2.3.4, 8.8.8.8'), { trustProxy: 1 }), '8.8.8.8'); // spoofed left entry
  });
  it('2 hops: the second entry from the right', () => {
    assert.equal(clientIpFrom(xff('1.2.3.4, 8.8.8.8, 10.0.0.1'), { trustProxy: 2 }), '8.8.8.8');
    assert.equal(clientIpFrom(xff('8.8.8.8, 10.0.0.1'), { trustProxy: 2 }), '8.8.8.8');
  });
  it('a chain shorter than the hop count → null (never the leftmost, shopper-written entry)', () => {
    assert.equal(clientIpFrom(xff('8.8.8.8'), { trustProxy: 2 }), null);
    assert.equal(clientIpFrom(nodeRequest('10.0.0.2'), { trustProxy: 1 }), null);
    assert.equal(clientIpFrom(xff(''), { trustProxy: 1 }), null);
  });
  it('garbage at or right of the answer → null; garbage left of it is irrelevant', () => {
    assert.equal(clientIpFrom(xff('8.8.8.8, unknown'), { trustProxy: 2 }), null);
    assert.equal(clientIpFrom(xff('8.8.8.8, _hidden'), { trustProxy: 1 }), null);
    assert.equal(clientIpFrom(xff('garbage'), { trustProxy: 1 }), null);
    assert.equal(clientIpFrom(xff('garbage, <script>, 8.8.8.8'), { trustProxy: 1 }), '8.8.8.8');
    assert.equal(clientIpFrom(xff('garbage\r\n, 8.8.8.8'), { trustProxy: 1 }), '8.8.8.8');
  });
  it('strips ports and brackets, unmaps IPv4-mapped, canonicalises IPv6', () => {
    assert.equal(clientIpFrom(xff('8.8.8.8:4711'), { trustProxy: 1 }), '8.8.8.8');
    assert.equal(clientIpFrom(xff('[2001:DB8::1]:4711'), { trustProxy: 1 }), '2001:db8::1');
    assert.equal(clientIpFrom(xff('[2001:db8::1]'), { trustProxy: 1 }), '2001:db8::1');
    assert.equal(clientIpFrom(xff('2001:0db8:0:0:0:0:0:1'), { trustProxy: 1 }), '2001:db8::1');
    assert.equal(clientIpFrom(xff('::ffff:8.8.8.8'), { trustProxy: 1 }), '8.8.8.8');
    assert.equal(clientIpFrom(xff('[::ffff:8.8.8.8]:80'), { trustProxy: 1 }), '8.8.8.8');
  });
  it('rejects malformed ports and brackets', () => {
    for (const bad of [
      '8.8.8.8:',
      '8.8.8.8:99999',
      '8.8.8.8:http',
      '[2001:db8::1',
      '[2001:db8::1]x',
      '[8.8.8.8]',
      '2001:db8::1:80:',
    ]) {
      assert.equal(clientIpFrom(xff(bad), { trustProxy: 1 }), null, bad);
    }
  });
  it('multiple header lines (Node arrays) form one chain, in order', () => {
    assert.equal(clientIpFrom(xff(['1.2.3.4', '8.8.8.8, 10.0.0.1']), { trustProxy: 2 }), '8.8.8.8');
    assert.equal(clientIpFrom(xff(['1.2.3.4, 8.8.8.8', '10.0.0.1']), { trustProxy: 2 }), '8.8.8.8');
    assert.equal(clientIpFrom(xff(['1.2.3.4', '8.8.8.8']), { trustProxy: 1 }), '8.8.8.8');
    assert.equal(clientIpFrom(xff(['8.8.8.8', '']), { trustProxy: 1 }), '8.8.8.8'); // an empty line adds nothing
  });
  it('the socket slot counts as the first hop even when its address is unknown', () => {
    const request = nodeRequest(undefined, { 'x-forwarded-for': '1.2.3.4, 8.8.8.8' });
    assert.equal(clientIpFrom(request, { trustProxy: 1 }), '8.8.8.8');
    assert.equal(clientIpFrom(request, { trustProxy: 0 }), null);
  });
  it('huge hop counts are fine', () => {
    assert.equal(clientIpFrom(xff('8.8.8.8'), { trustProxy: Number.MAX_SAFE_INTEGER }), null);
  });
});

describe('clientIpFrom: trustProxy as a list of addresses / CIDRs', () => {
  it('skips trusted proxies from the right', () => {
    const trustProxy = ['10.0.0.0/8'];
    assert.equal(clientIpFrom(xff('1.2.3.4, 8.8.8.8, 10.1.1.1'), { trustProxy }), '8.8.8.8');
    assert.equal(clientIpFrom(xff('1.2.3.4, 8.8.8.8'), { trustProxy }), '8.8.8.8');
  });
  it('an untrusted socket is the answer, whatever the headers say', () => {
    assert.equal(clientIpFrom(xff('1.2.3.4', '8.8.8.8'), { trustProxy: ['10.0.0.0/8'] }), '8.8.8.8');
  });
  it('a spoofed trusted-looking entry left of the real client does not matter', () => {
    assert.equal(clientIpFrom(xff('10.9.9.9, 8.8.8.8, 10.1.1.1'), { trustProxy: ['10.0.0.0/8'] }), '8.8.8.8');
  });
  it('garbage reached by the walk → null, not the adjacent proxy', () => {
    assert.equal(clientIpFrom(xff('1.2.3.4, nonsense, 10.1.1.1'), { trustProxy: ['10.0.0.0/8'] }), null);
    assert.equal(clientIpFrom(xff('1.2.3.4, 10.0.0.1:http, 10.1.1.1'), { trustProxy: ['10.0.0.0/8'] }), null);
  });
  it('all hops trusted → the leftmost (a trusted machine calling directly)', () => {
    assert.equal(clientIpFrom(xff('10.3.3.3, 10.1.1.1'), { trustProxy: ['10.0.0.0/8'] }), '10.3.3.3');
    assert.equal(clientIpFrom(nodeRequest('10.0.0.2'), { trustProxy: ['10.0.0.0/8'] }), '10.0.0.2');
  });
  it('IPv6 CIDRs, mapped sockets, single addresses and named ranges', () => {
    assert.equal(
      clientIpFrom(xff('2001:4860::1, 2001:db8::7', '2001:db8::1'), { trustProxy: ['2001:db8::/32'] }),
      '2001:4860::1',
    );
    assert.equal(clientIpFrom(xff('8.8.8.8', '::ffff:127.0.0.1'), { trustProxy: ['127.0.0.1'] }), '8.8.8.8');
    assert.equal(clientIpFrom(xff('8.8.8.8', '::ffff:127.0.0.1'), { trustProxy: ['loopback'] }), '8.8.8.8');
    assert.equal(clientIpFrom(xff('8.8.8.8', '::1'), { trustProxy: ['loopback'] }), '8.8.8.8');
    assert.equal(clientIpFrom(xff('8.8.8.8, 192.168.1.1', '172.16.0.1'), { trustProxy: ['uniquelocal'] }), '8.8.8.8');
    assert.equal(clientIpFrom(xff('8.8.8.8', 'fe80::1%eth0'), { trustProxy: ['linklocal'] }), '8.8.8.8');
    assert.equal(clientIpFrom(xff('8.8.8.8', '::ffff:10.0.0.1'), { trustProxy: ['::ffff:10.0.0.0/104'] }), '8.8.8.8');
  });
  it('a comma-separated string works like a list', () => {
    assert.equal(
      clientIpFrom(xff('8.8.8.8, 10.1.1.1', '127.0.0.1'), { trustProxy: 'loopback, 10.0.0.0/8' }),
      '8.8.8.8',
    );
  });
  it('an empty list trusts nothing', () => {
    assert.equal(clientIpFrom(xff('8.8.8.8', '10.0.0.2'), { trustProxy: [] }), '10.0.0.2');
    assert.equal(clientIpFrom(xff('8.8.8.8', '10.0.0.2'), { trustProxy: '' }), '10.0.0.2');
  });
  it('a malformed list throws on every call instead of trusting less (see trust.test.ts)', () => {
    assert.throws(() => clientIpFrom(xff('8.8.8.8', '10.0.0.2'), { trustProxy: ['10.0.0.0/255.0.0.0'] }), RangeError);
    assert.throws(
      () => clientIpFrom(xff('8.8.8.8', '10.0.0.2'), { trustProxy: ['10.0.0.0/8', 5] as unknown as string[] }),
      TypeError,
    );
  });
  it('needs a socket address', () => {
    const request = nodeRequest(undefined, { 'x-forwarded-for': '8.8.8.8' });
    assert.equal(clientIpFrom(request, { trustProxy: ['10.0.0.0/8'] }), null);
    assert.equal(clientIpFrom(request, { trustProxy: ['10.0.0.0/8'], remoteAddress: '10.0.0.1' }), '8.8.8.8');
  });
});

describe('clientIpFrom: RFC 7239 Forwarded', () => {
  it('reads for= from the right', () => {
    assert.equal(clientIpFrom(fwd('for=1.2.3.4, for=8.8.8.8'), { ...FWD, trustProxy: 1 }), '8.8.8.8');
    assert.equal(
      clientIpFrom(fwd('for=8.8.8.8;proto=https;by=10.0.0.2, for=10.0.0.1'), { ...FWD, trustProxy: 2 }),
      '8.8.8.8',
    );
    assert.equal(clientIpFrom(fwd('For="8.8.8.8:4711"'), { ...FWD, trustProxy: 1 }), '8.8.8.8');
    assert.equal(clientIpFrom(fwd('for="[2001:DB8:cafe::17]:4711"'), { ...FWD, trustProxy: 1 }), '2001:db8:cafe::17');
    assert.equal(clientIpFrom(fwd('for="[2001:db8::1]"'), { ...FWD, trustProxy: 1 }), '2001:db8::1');
    assert.equal(clientIpFrom(fwd('for="8.8.8.8:_abc"'), { ...FWD, trustProxy: 1 }), '8.8.8.8');
    assert.equal(clientIpFrom(fwd('proto=https;for=8.8.8.8;host=example.com'), { ...FWD, trustProxy: 1 }), '8.8.8.8');
    assert.equal(clientIpFrom(fwd('for = 8.8.8.8'), { ...FWD, trustProxy: 1 }), null); // no spaces around '='
    assert.equal(clientIpFrom(fwd('  for=8.8.8.8 ; proto=http  '), { ...FWD, trustProxy: 1 }), '8.8.8.8');
    assert.equal(clientIpFrom(fwd('for="8.8.\\8.8"'), { ...FWD, trustProxy: 1 }), '8.8.8.8'); // quoted-pair
  });
  it('quoted commas and semicolons do not split elements', () => {
    assert.equal(clientIpFrom(fwd('for=8.8.8.8;host="a,b;c", for=10.0.0.1'), { ...FWD, trustProxy: 2 }), '8.8.8.8');
  });
  it('unknown, obfuscated, missing or duplicated for= ends the chain', () => {
    for (const value of [
      'for=unknown',
      'for=_hidden',
      'for="_SEVKISEK"',
      'proto=https',
      'for=8.8.8.8;for=1.2.3.4',
      'for=',
      'for=""',
    ]) {
      assert.equal(clientIpFrom(fwd(`for=1.2.3.4, ${value}`), { ...FWD, trustProxy: 1 }), null, value);
      assert.equal(
        clientIpFrom(fwd(`for=8.8.8.8, ${value}, for=10.0.0.1`), { ...FWD, trustProxy: ['10.0.0.0/8'] }),
        null,
        value,
      );
    }
    // …but not when the walk stops before it.
    assert.equal(clientIpFrom(fwd('for=unknown, for=8.8.8.8'), { ...FWD, trustProxy: 1 }), '8.8.8.8');
  });
  it('a syntactically broken line yields nothing usable from that line', () => {
    for (const value of [
      'for="8.8.8.8',
      'for=8.8.8.8 x',
      'for="a\u0001"',
      'for="a\\',
      '=8.8.8.8',
      'for=8.8.8.8"',
      'for=8.8.8.8\r\n',
    ]) {
      assert.equal(clientIpFrom(fwd(value), { ...FWD, trustProxy: 1 }), null, value);
    }
    // A shopper's open quote swallows the proxy's appended element: null, never the shopper's choice.
    assert.equal(clientIpFrom(fwd('for="1.2.3.4, for=8.8.8.8'), { ...FWD, trustProxy: 1 }), null);
    // Separate lines (arrays) are parsed separately, so a broken shopper line stays contained.
    assert.equal(clientIpFrom(fwd(['for="1.2.3.4', 'for=8.8.8.8']), { ...FWD, trustProxy: 1 }), '8.8.8.8');
  });
  it('X-Forwarded-For is ignored in Forwarded mode, and the other way round', () => {
    const request = nodeRequest('10.0.0.2', { 'x-forwarded-for': '1.1.1.1', forwarded: 'for=8.8.8.8' });
    assert.equal(clientIpFrom(request, { trustProxy: 1 }), '1.1.1.1');
    assert.equal(clientIpFrom(request, { trustProxy: 1, header: 'x-forwarded-for' }), '1.1.1.1');
    assert.equal(clientIpFrom(request, { trustProxy: 1, header: 'forwarded' }), '8.8.8.8');
    assert.equal(clientIpFrom(nodeRequest('10.0.0.2', { forwarded: 'for=8.8.8.8' }), { trustProxy: 1 }), null);
  });
  it('the header option is case-insensitive', () => {
    const request = nodeRequest('10.0.0.2', { 'x-forwarded-for': '1.1.1.1', forwarded: 'for=8.8.8.8' });
    assert.equal(clientIpFrom(request, { trustProxy: 1, header: 'Forwarded' as 'forwarded' }), '8.8.8.8');
    assert.equal(clientIpFrom(request, { trustProxy: 1, header: 'X-Forwarded-For' as 'forwarded' }), '1.1.1.1');
  });
  it('an unknown header option throws, instead of reading X-Forwarded-For in its place', () => {
    const request = nodeRequest('10.0.0.2', { 'x-forwarded-for': '1.1.1.1', 'x-real-ip': '8.8.8.8' });
    assert.throws(() => clientIpFrom(request, { trustProxy: 1, header: 'x-real-ip' as 'forwarded' }), {
      name: 'RangeError',
      message: `clientIpFrom: header must be 'x-forwarded-for' or 'forwarded', got "x-real-ip"`,
    });
    assert.throws(() => clientIpFrom(request, { trustProxy: 1, header: 1 as unknown as 'forwarded' }), TypeError);
    assert.throws(() => clientIpFrom(null as never, { header: 'real-ip' as 'forwarded' }), RangeError);
  });
});

describe('clientIpFrom: IPv6 zone ids in the chain are stripped, as on the socket', () => {
  it('X-Forwarded-For: bare and bracketed, with or without a port', () => {
    assert.equal(clientIpFrom(xff('fe80::1%eth0'), { trustProxy: 1 }), 'fe80::1');
    assert.equal(clientIpFrom(xff('[fe80::1%eth0]:4711'), { trustProxy: 1 }), 'fe80::1');
    assert.equal(clientIpFrom(xff('[FE80::A%25en0]'), { trustProxy: 1 }), 'fe80::a');
    assert.equal(clientIpFrom(xff('8.8.8.8, fe80::7%2'), { trustProxy: ['linklocal', '10.0.0.0/8'] }), '8.8.8.8');
  });
  it('RFC 7239 Forwarded', () => {
    assert.equal(clientIpFrom(fwd('for="[fe80::1%eth0]:4711"'), { ...FWD, trustProxy: 1 }), 'fe80::1');
  });
  it('a zone id on IPv4, an empty zone or one with odd characters is garbage', () => {
    for (const bad of [
      '8.8.8.8%eth0',
      'fe80::1%',
      'fe80::1%eth0%1',
      'fe80::1%eth/0',
      '[fe80::1%]:80',
      `fe80::1%${'z'.repeat(65)}`,
    ]) {
      assert.equal(clientIpFrom(xff(bad), { trustProxy: 1 }), null, bad);
    }
  });
});

describe('clientIpFrom: empty list elements are not hops (RFC 7230 §7)', () => {
  it('X-Forwarded-For: between, before and after entries, with spaces or tabs', () => {
    assert.equal(clientIpFrom(xff('8.8.8.8, '), { trustProxy: 1 }), '8.8.8.8');
    assert.equal(clientIpFrom(xff('1.2.3.4, ,8.8.8.8,,\t, 10.1.1.1'), { trustProxy: 2 }), '8.8.8.8');
    assert.equal(clientIpFrom(xff(', 8.8.8.8'), { trustProxy: 1 }), '8.8.8.8');
    assert.equal(clientIpFrom(xff(' , , '), { trustProxy: 1 }), null);
    assert.equal(clientIpFrom(xff('1.2.3.4, , 10.1.1.1'), { trustProxy: ['10.0.0.0/8'] }), '1.2.3.4');
  });
  it('Forwarded: empty elements are skipped; an element of only ";" still has no for=', () => {
    assert.equal(clientIpFrom(fwd('for=8.8.8.8, , for=10.0.0.1,'), { ...FWD, trustProxy: 2 }), '8.8.8.8');
    assert.equal(clientIpFrom(fwd(',for=8.8.8.8,\t,'), { ...FWD, trustProxy: 1 }), '8.8.8.8');
    assert.equal(clientIpFrom(fwd('for=1.2.3.4, , for=10.1.1.1'), { ...FWD, trustProxy: ['10.0.0.0/8'] }), '1.2.3.4');
    assert.equal(clientIpFrom(fwd('for=8.8.8.8, ;'), { ...FWD, trustProxy: 1 }), null);
  });
});

describe('clientIpFrom: Fetch Request', () => {
  it('uses options.remoteAddress as the socket', () => {
    const request = new Request('http://shop.test/pay', { headers: { 'X-Forwarded-For': '1.2.3.4' } });
    assert.equal(clientIpFrom(request, { remoteAddress: '8.8.8.8' }), '8.8.8.8');
    assert.equal(clientIpFrom(request), null);
  });
  it('reads X-Forwarded-For through headers.get, with hops', () => {
    const request = new Request('http://shop.test/pay', { headers: { 'X-Forwarded-For': '1.2.3.4, 8.8.8.8' } });
    assert.equal(clientIpFrom(request, { trustProxy: 1, remoteAddress: '10.0.0.1' }), '8.8.8.8');
    assert.equal(clientIpFrom(request, { trustProxy: 1 }), '8.8.8.8'); // platform proxy, no socket (e.g. Vercel)
    assert.equal(clientIpFrom(request, { trustProxy: 2, remoteAddress: '10.0.0.1' }), '1.2.3.4');
  });
  it('appended header lines are combined by Headers and read in order', () => {
    const headers = new Headers();
    headers.append('X-Forwarded-For', '1.2.3.4');
    headers.append('X-Forwarded-For', '8.8.8.8');
    const request = new Request('http://shop.test/', { headers });
    assert.equal(clientIpFrom(request, { trustProxy: 1, remoteAddress: '10.0.0.1' }), '8.8.8.8');
  });
  it('Forwarded and CIDR lists', () => {
    const request = new Request('http://shop.test/', {
      headers: { Forwarded: 'for=1.2.3.4, for="[2606:4700::1]", for=10.0.0.3' },
    });
    assert.equal(
      clientIpFrom(request, { header: 'forwarded', trustProxy: ['10.0.0.0/8'], remoteAddress: '::ffff:10.0.0.1' }),
      '2606:4700::1',
    );
    assert.equal(clientIpFrom(request, { header: 'forwarded', trustProxy: ['10.0.0.0/8'] }), null); // no socket
  });
  it('a Node request whose headers contain a "get" header is still a Node request', () => {
    const request = nodeRequest('10.0.0.2', { get: 'x', 'x-forwarded-for': '8.8.8.8' });
    assert.equal(clientIpFrom(request, { trustProxy: 1 }), '8.8.8.8');
  });
});

describe('clientIpFrom: a wrong call shape throws, saying the right one', () => {
  const wrong = (run: () => unknown, message: RegExp) =>
    assert.throws(run, (error: unknown) => error instanceof TypeError && message.test(error.message));
  it('something that is not a request: its headers, its ip, a Hono context request, nothing', () => {
    const req = nodeRequest('10.0.0.2', { 'x-forwarded-for': '8.8.8.8' });
    const honoRequest = { raw: new Request('http://shop.test/'), header: (name: string) => name };
    for (const [request, got] of [
      [req.headers, 'an object whose headers are undefined'],
      ['8.8.8.8', 'a string'],
      [honoRequest, 'an object whose headers are undefined'],
      [undefined, 'undefined'],
      [{ headers: 'x-forwarded-for: 8.8.8.8' }, 'an object whose headers are a string'],
    ] as const) {
      wrong(
        () => clientIpFrom(request as never, { trustProxy: 1 }),
        new RegExp(
          `^clientIpFrom: expected a Node request .* or a Fetch Request \\(Hono's c\\.req\\.raw\\), got ${got}$`,
        ),
      );
    }
  });
  it('an option it does not know, naming the one meant when only the case differs', () => {
    wrong(
      () => clientIpFrom(xff('8.8.8.8'), { trustproxy: 1 } as never),
      /^clientIpFrom: options has no key "trustproxy" \(did you mean trustProxy\?\): it is \{ trustProxy, header, remoteAddress \}$/,
    );
    wrong(() => clientIpFrom(xff('8.8.8.8'), 1 as never), /^clientIpFrom: options must be an object .*, got a number$/);
  });
  it("a remoteAddress that is not the peer's address string", () => {
    const request = new Request('http://shop.test/');
    const remoteAddr = { hostname: '8.8.8.8', port: 4711, transport: 'tcp' }; // Deno's info.remoteAddr
    wrong(
      () => clientIpFrom(request, { remoteAddress: remoteAddr as never }),
      /^clientIpFrom: options\.remoteAddress must be the peer's address as a string \(Deno: info\.remoteAddr\.hostname; .*\), got an object$/,
    );
    assert.equal(clientIpFrom(request, { remoteAddress: remoteAddr.hostname }), '8.8.8.8');
    assert.equal(clientIpFrom(request, { remoteAddress: undefined }), null);
  });
});

describe('clientIpFrom: total on hostile input', () => {
  it('never throws because of what a request holds', () => {
    const throwing = new Proxy(
      {},
      {
        get() {
          throw new Error('boom');
        },
        has() {
          throw new Error('boom');
        },
        getOwnPropertyDescriptor() {
          throw new Error('boom');
        },
      },
    );
    const requests: unknown[] = [
      throwing,
      { socket: throwing, headers: throwing },
      {
        headers: {
          get: () => {
            throw new Error('boom');
          },
        },
      },
      { headers: { get: () => 42 } },
      { socket: { remoteAddress: 42 }, headers: { 'x-forwarded-for': [1, 2, 3] } },
      { socket: { remoteAddress: '10.0.0.1' }, headers: { 'x-forwarded-for': { toString: () => '8.8.8.8' } } },
    ];
    const options: unknown[] = [
      undefined,
      null,
      {},
      { trustProxy: 1 },
      { trustProxy: ['10.0.0.0/8'] },
      { header: 'forwarded', trustProxy: 'loopback' },
      { remoteAddress: '8.8.8.8\r\n' },
    ];
    for (const request of requests) {
      for (const option of options) {
        assert.doesNotThrow(() => clientIpFrom(request as IncomingMessageLike, option as ClientIpOptions));
      }
    }
    // Non-string header values are unusable entries, never stringified.
    assert.equal(clientIpFrom(requests[5] as IncomingMessageLike, { trustProxy: 1 }), null);
    assert.equal(clientIpFrom(requests[4] as IncomingMessageLike, { trustProxy: 1, remoteAddress: '1.1.1.1' }), null);
  });
});
