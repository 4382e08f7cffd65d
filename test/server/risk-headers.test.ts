/// <reference types="node" />
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { RiskHeaderError, riskHeaders } from '../../src/server/index.js';

const TOKEN = '123e4567-e89b-12d3-a456-426655440000';

function throwsRisk(fn: () => unknown, field: 'token' | 'clientIp', message: RegExp): void {
  assert.throws(fn, (error: unknown) => {
    assert.ok(error instanceof RiskHeaderError, `expected RiskHeaderError, got ${String(error)}`);
    assert.ok(error instanceof Error);
    assert.equal(error.name, 'RiskHeaderError');
    assert.equal(error.field, field);
    assert.match(error.message, message);
    return true;
  });
}

describe('riskHeaders', () => {
  it('sends both headers, normalised', () => {
    assert.deepEqual(riskHeaders({ token: TOKEN.toUpperCase(), clientIp: '::FFFF:100.166.99.123' }), {
      'WePay-Risk-Token': TOKEN,
      'Client-IP': '100.166.99.123',
    });
    assert.deepEqual(riskHeaders({ clientIp: '2001:4860:4860:0000:0000:0000:0000:8888' }), {
      'Client-IP': '2001:4860:4860::8888',
    });
  });
  it('returns a fresh plain object that spreads into headers', () => {
    const a = riskHeaders({ token: TOKEN });
    const b = riskHeaders({ token: TOKEN });
    assert.notEqual(a, b);
    assert.equal(Object.getPrototypeOf(a), Object.prototype);
    const headers = new Headers({ Authorization: 'Bearer x', ...a });
    assert.equal(headers.get('wepay-risk-token'), TOKEN);
  });
  it('leaves out missing, invalid and non-public values', () => {
    assert.deepEqual(riskHeaders({}), {});
    assert.deepEqual(riskHeaders(undefined), {});
    assert.deepEqual(riskHeaders(null), {});
    assert.deepEqual(riskHeaders({ token: null, clientIp: null }), {});
    assert.deepEqual(riskHeaders({ token: 0, clientIp: '10.0.0.1' }), {});
    assert.deepEqual(riskHeaders({ token: `${TOKEN}\r\nX-Evil: 1`, clientIp: '8.8.8.8\r\nX-Evil: 1' }), {});
    assert.deepEqual(riskHeaders({ token: [TOKEN], clientIp: ['8.8.8.8'] }), {});
    assert.deepEqual(riskHeaders({ token: { toString: () => TOKEN }, clientIp: { toString: () => '8.8.8.8' } }), {});
    assert.deepEqual(riskHeaders({ clientIp: '127.0.0.1' }), {});
    assert.deepEqual(riskHeaders({ clientIp: '[2001:db8::1]:443' }), {});
    assert.deepEqual(riskHeaders({ clientIp: ' 8.8.8.8' }), {});
    assert.deepEqual(riskHeaders({ clientIp: '8.8.8.8:443' }), {});
  });
  it('allowPrivateIp lets private/loopback/link-local through, but never unspecified/multicast', () => {
    const opts = { allowPrivateIp: true };
    assert.deepEqual(riskHeaders({ clientIp: '127.0.0.1' }, opts), { 'Client-IP': '127.0.0.1' });
    assert.deepEqual(riskHeaders({ clientIp: '::ffff:192.168.1.5' }, opts), { 'Client-IP': '192.168.1.5' });
    assert.deepEqual(riskHeaders({ clientIp: 'FE80::1' }, opts), { 'Client-IP': 'fe80::1' });
    assert.deepEqual(riskHeaders({ clientIp: '0.0.0.0' }, opts), {});
    assert.deepEqual(riskHeaders({ clientIp: 'ff02::1' }, opts), {});
    assert.deepEqual(riskHeaders({ clientIp: '255.255.255.255' }, opts), {});
  });
  it('only own properties of input and options count (prototype pollution)', () => {
    assert.deepEqual(riskHeaders(Object.create({ token: TOKEN, clientIp: '8.8.8.8' })), {});
    const proto = Object.prototype as unknown as Record<string, unknown>;
    proto.allowPrivateIp = true;
    proto.strict = true;
    try {
      assert.deepEqual(riskHeaders({ clientIp: '10.0.0.1' }, {}), {});
    } finally {
      delete proto.allowPrivateIp;
      delete proto.strict;
    }
  });
  describe('a wrong call shape throws a TypeError that says the right one', () => {
    const wrong = (run: () => unknown, message: RegExp) =>
      assert.throws(run, (error: unknown) => error instanceof TypeError && message.test(error.message));
    it('the token alone, or any input that is not an object', () => {
      for (const input of [TOKEN, 42, true, [TOKEN, '8.8.8.8'], () => TOKEN]) {
        wrong(
          () => riskHeaders(input as never),
          /^riskHeaders: the input must be an object \{ token, clientIp \}, got (a string|a number|a boolean|an array|a function)$/,
        );
      }
    });
    it('a key it does not know, naming the one meant when only the case differs', () => {
      wrong(
        () => riskHeaders({ token: TOKEN, clientIP: '8.8.8.8' } as never),
        /^riskHeaders: the input has no key "clientIP" \(did you mean clientIp\?\): it is \{ token, clientIp \}$/,
      );
      wrong(() => riskHeaders({ wepay_risk_token: TOKEN } as never), /no key "wepay_risk_token": it is \{ token/);
    });
    it('options that are not an object, or with a key it does not know', () => {
      wrong(
        () => riskHeaders({ token: TOKEN }, true as never),
        /^riskHeaders: options must be an object \{ strict, allowPrivateIp \}, got a boolean$/,
      );
      wrong(
        () => riskHeaders({ clientIp: '10.0.0.1' }, { allowPrivateIP: true } as never),
        /^riskHeaders: options has no key "allowPrivateIP" \(did you mean allowPrivateIp\?\)/,
      );
    });
    it('a mode that is not true or false, such as an environment variable\'s "true"', () => {
      wrong(
        () => riskHeaders({ clientIp: '10.0.0.1' }, { allowPrivateIp: 'true' as never }),
        /^riskHeaders: options\.allowPrivateIp must be true or false, got a string$/,
      );
      wrong(
        () => riskHeaders({ token: 'bad' }, { strict: 1 as never }),
        /^riskHeaders: options\.strict must be true or false, got a number$/,
      );
    });
    it('whatever the values: the shape alone decides', () => {
      for (const token of [TOKEN, 'bad', undefined]) {
        wrong(() => riskHeaders({ token, ip: '8.8.8.8' } as never), /no key "ip"/);
      }
    });
  });

  describe('strict mode', () => {
    const strict = { strict: true };
    it('missing values are not errors', () => {
      assert.deepEqual(riskHeaders({}, strict), {});
      assert.deepEqual(riskHeaders({ token: undefined, clientIp: null }, strict), {});
      assert.deepEqual(riskHeaders(undefined, strict), {});
    });
    it('valid values pass', () => {
      assert.deepEqual(riskHeaders({ token: TOKEN, clientIp: '8.8.8.8' }, strict), {
        'WePay-Risk-Token': TOKEN,
        'Client-IP': '8.8.8.8',
      });
    });
    it('bad token', () => {
      throwsRisk(() => riskHeaders({ token: 'nope' }, strict), 'token', /WePay-Risk-Token.*UUID.*"nope"/);
      throwsRisk(() => riskHeaders({ token: '' }, strict), 'token', /empty/);
      throwsRisk(() => riskHeaders({ token: 0 }, strict), 'token', /got a number/);
      throwsRisk(() => riskHeaders({ token: [TOKEN] }, strict), 'token', /got an array/);
      throwsRisk(() => riskHeaders({ token: '00000000-0000-0000-0000-000000000000' }, strict), 'token', /UUID/);
    });
    it('bad client IP', () => {
      throwsRisk(
        () => riskHeaders({ clientIp: 'localhost' }, strict),
        'clientIp',
        /Client-IP.*not a valid IPv4 or IPv6/,
      );
      throwsRisk(() => riskHeaders({ clientIp: 42 }, strict), 'clientIp', /got a number/);
      throwsRisk(
        () => riskHeaders({ clientIp: '192.168.0.1' }, strict),
        'clientIp',
        /192\.168\.0\.1 is a private.*allowPrivateIp/,
      );
      throwsRisk(
        () => riskHeaders({ clientIp: '::' }, { strict: true, allowPrivateIp: true }),
        'clientIp',
        /unspecified/,
      );
    });
    it('token is checked before clientIp', () => {
      throwsRisk(() => riskHeaders({ token: 'x', clientIp: 'y' }, strict), 'token', /UUID/);
    });
    it('messages are printable ASCII and short even for hostile values', () => {
      const hostile = `\r\n\0\u2028${'A'.repeat(10_000)}`;
      try {
        riskHeaders({ token: hostile }, strict);
        assert.fail('should throw');
      } catch (error) {
        assert.ok(error instanceof RiskHeaderError);
        assert.match(error.message, /^[\x20-\x7e]+$/);
        assert.ok(error.message.length < 200, error.message);
        assert.match(error.message, /10004 characters/);
      }
    });
    it('a throwing getter on the input is a present-but-invalid value', () => {
      const input = {
        get token(): string {
          throw new Error('boom');
        },
      };
      throwsRisk(() => riskHeaders(input, strict), 'token', /could not be read/);
      assert.deepEqual(riskHeaders(input), {});
    });
  });
});
