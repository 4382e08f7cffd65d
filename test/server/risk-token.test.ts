/// <reference types="node" />
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { isRiskToken, RiskHeaderError, riskTokenFrom } from '../../src/server/index.js';

const TOKEN = '123e4567-e89b-12d3-a456-426655440000';
const UPPER = TOKEN.toUpperCase();

describe('isRiskToken', () => {
  it('accepts UUIDs of any version, either case', () => {
    for (const t of [
      TOKEN,
      UPPER,
      'f81d4fae-7dec-11d0-a765-00a0c91e6bf6',
      '6ba7b810-9dad-41d1-80b4-00c04fd430c8',
      '017f22e2-79b0-7cc3-98c4-dc0c0c07398f',
      'aBcDeF01-2345-6789-abcd-ef0123456789',
    ]) {
      assert.equal(isRiskToken(t), true, t);
    }
  });
  it('rejects everything else', () => {
    for (const t of [
      0, // Risk.js "not ready"
      '0',
      '',
      undefined,
      null,
      `${TOKEN} `,
      ` ${TOKEN}`,
      `${TOKEN}\n`,
      `{${TOKEN}}`,
      TOKEN.replace(/-/g, ''),
      TOKEN.slice(0, 35),
      `${TOKEN}0`,
      TOKEN.replace('a', 'g'),
      '00000000-0000-0000-0000-000000000000', // nil
      'FFFFFFFF-FFFF-FFFF-FFFF-FFFFFFFFFFFF', // max
      '123e4567e-89b-12d3-a456-426655440000',
      [TOKEN],
      { toString: () => TOKEN },
      new String(TOKEN),
      'x'.repeat(1_000_000),
    ]) {
      assert.equal(isRiskToken(t), false, String(t).slice(0, 50));
    }
  });
});

describe('riskTokenFrom', () => {
  it('reads URLSearchParams and lower-cases', () => {
    assert.equal(riskTokenFrom(new URLSearchParams({ wepay_risk_token: UPPER })), TOKEN);
  });
  it('reads FormData', () => {
    const form = new FormData();
    form.set('wepay_risk_token', UPPER);
    assert.equal(riskTokenFrom(form), TOKEN);
  });
  it('honours a custom field name', () => {
    const form = new FormData();
    form.set('risk', TOKEN);
    assert.equal(riskTokenFrom(form, 'risk'), TOKEN);
    assert.equal(riskTokenFrom(form), null);
    assert.equal(riskTokenFrom({ risk: TOKEN }, 'risk'), TOKEN);
  });
  it('a repeated field with the same token gives that token (two elements in one form)', () => {
    assert.equal(riskTokenFrom(new URLSearchParams(`wepay_risk_token=${TOKEN}&wepay_risk_token=${TOKEN}`)), TOKEN);
    const form = new FormData();
    form.append('wepay_risk_token', TOKEN);
    form.append('wepay_risk_token', TOKEN);
    form.append('wepay_risk_token', TOKEN);
    assert.equal(riskTokenFrom(form), TOKEN);
    // What express.urlencoded() makes of a repeated field.
    assert.equal(riskTokenFrom({ wepay_risk_token: [TOKEN, TOKEN] }), TOKEN);
  });
  it('UUIDs that differ only in case are the same token', () => {
    assert.equal(riskTokenFrom(new URLSearchParams(`wepay_risk_token=${UPPER}&wepay_risk_token=${TOKEN}`)), TOKEN);
    assert.equal(riskTokenFrom({ wepay_risk_token: [TOKEN, UPPER] }), TOKEN);
  });
  it('a repeated field with differing values → null', () => {
    const OTHER = 'f81d4fae-7dec-11d0-a765-00a0c91e6bf6';
    for (const values of [
      [TOKEN, OTHER],
      [TOKEN, ''],
      [TOKEN, 'undefined'],
      ['', TOKEN],
      [TOKEN, TOKEN, OTHER],
      ['a', 'a'],
    ]) {
      const query = values.map((value) => `wepay_risk_token=${value}`).join('&');
      assert.equal(riskTokenFrom(new URLSearchParams(query)), null, query);
      const form = new FormData();
      for (const value of values) form.append('wepay_risk_token', value);
      assert.equal(riskTokenFrom(form), null, query);
      assert.equal(riskTokenFrom({ wepay_risk_token: values }), null, query);
    }
    const form = new FormData();
    form.append('wepay_risk_token', TOKEN);
    form.append('wepay_risk_token', new Blob([TOKEN]), 'token.txt');
    assert.equal(riskTokenFrom(form), null);
    assert.equal(riskTokenFrom({ wepay_risk_token: [TOKEN, [TOKEN]] }), null);
  });
  it('a one-element array is not a repeated field → null', () => {
    assert.equal(riskTokenFrom({ wepay_risk_token: [TOKEN] }), null);
    assert.equal(riskTokenFrom({ wepay_risk_token: [] }), null);
  });
  it('arrays with holes or getters → null, and the getters never run', () => {
    let called = false;
    const withGetter = [TOKEN, TOKEN];
    Object.defineProperty(withGetter, 1, {
      get() {
        called = true;
        return TOKEN;
      },
    });
    assert.equal(riskTokenFrom({ wepay_risk_token: withGetter }), null);
    assert.equal(called, false);
    const holey = [TOKEN];
    holey[2] = TOKEN;
    assert.equal(riskTokenFrom({ wepay_risk_token: holey }), null);
  });
  it('a File in FormData → null', () => {
    const form = new FormData();
    form.set('wepay_risk_token', new Blob([TOKEN]), 'token.txt');
    assert.equal(riskTokenFrom(form), null);
  });
  it('reads plain and null-prototype objects', () => {
    assert.equal(riskTokenFrom({ wepay_risk_token: UPPER }), TOKEN);
    const bare = Object.create(null) as Record<string, unknown>;
    bare.wepay_risk_token = TOKEN;
    assert.equal(riskTokenFrom(bare), TOKEN);
  });
  it('never reads inherited properties', () => {
    assert.equal(riskTokenFrom(Object.create({ wepay_risk_token: TOKEN })), null);
    const polluted = Object.prototype as unknown as Record<string, unknown>;
    polluted.wepay_risk_token = TOKEN;
    try {
      assert.equal(riskTokenFrom({}), null);
      assert.equal(riskTokenFrom(JSON.parse('{"a":1}')), null);
    } finally {
      delete polluted.wepay_risk_token;
    }
  });
  it('does not run getters', () => {
    let called = false;
    const body = {
      get wepay_risk_token() {
        called = true;
        return TOKEN;
      },
    };
    assert.equal(riskTokenFrom(body), null);
    assert.equal(called, false);
  });
  it('a token nested under __proto__ → null', () => {
    const nested = JSON.parse(`{"__proto__": {"wepay_risk_token": "${TOKEN}"}}`);
    assert.equal(riskTokenFrom(nested), null);
  });
  it('non-strings and garbage → null', () => {
    for (const value of [0, 1, true, null, undefined, {}, [], { toString: () => TOKEN }, `${TOKEN}\r\nX: y`, '', ' ']) {
      assert.equal(riskTokenFrom({ wepay_risk_token: value }), null, String(value));
    }
  });
  it('non-bodies → null, never a throw', () => {
    const hostile = new Proxy(
      {},
      {
        get() {
          throw new Error('boom');
        },
        getOwnPropertyDescriptor() {
          throw new Error('boom');
        },
      },
    );
    const throwingGetAll = {
      getAll: () => {
        throw new Error('boom');
      },
    };
    for (const body of [
      null,
      undefined,
      0,
      'wepay_risk_token=' + TOKEN,
      Symbol('s'),
      hostile,
      throwingGetAll,
      () => TOKEN,
    ]) {
      assert.equal(riskTokenFrom(body), null);
    }
  });
  it('takes the field name as a string or as { field }', () => {
    assert.equal(riskTokenFrom({ risk: TOKEN }, { field: 'risk' }), TOKEN);
    assert.equal(riskTokenFrom({ wepay_risk_token: TOKEN }, {}), TOKEN);
    assert.equal(riskTokenFrom({ wepay_risk_token: TOKEN }, null), TOKEN);
  });
});

describe('riskTokenFrom: a wrong call shape throws, saying the right one', () => {
  const body = { wepay_risk_token: TOKEN };
  const wrong = (options: unknown, type: typeof TypeError | typeof RangeError, message: RegExp) =>
    assert.throws(
      () => riskTokenFrom(body, options as string),
      (error: unknown) => error instanceof type && message.test(error.message),
    );
  it('a field name that is not a string', () => {
    wrong(5, TypeError, /^riskTokenFrom: the second argument is the field name or \{ field, strict \}, got a number$/);
    wrong({ field: 5 }, TypeError, /^riskTokenFrom: the field name must be a string, got a number$/);
    wrong([TOKEN], TypeError, /^riskTokenFrom: options must be an object \{ field, strict \}, got an array$/);
  });
  it('an empty, overlong or prototype-machinery field name', () => {
    for (const field of ['', 'x'.repeat(257)]) wrong(field, RangeError, /must be 1 to 256 characters long/);
    for (const field of ['__proto__', 'constructor', 'prototype']) {
      wrong(field, RangeError, /names an object's prototype machinery, not a form field/);
      wrong({ field }, RangeError, /prototype machinery/);
    }
  });
  it('an option it does not know, or strict that is not true or false', () => {
    wrong({ name: 'risk' }, TypeError, /^riskTokenFrom: options has no key "name": it is \{ field, strict \}$/);
    wrong({ Strict: true }, TypeError, /\(did you mean strict\?\)/);
    wrong({ strict: 'true' }, TypeError, /^riskTokenFrom: options\.strict must be true or false, got a string$/);
  });
});

describe('riskTokenFrom: strict mode', () => {
  const strict = { strict: true };
  const unreadable = (body: unknown, message: RegExp) => {
    assert.equal(riskTokenFrom(body), null, 'without strict: null, as before');
    assert.throws(
      () => riskTokenFrom(body, strict),
      (error: unknown) =>
        error instanceof RiskHeaderError &&
        error.field === 'token' &&
        message.test(error.message) &&
        /^[\x20-\x7e]+$/.test(error.message),
    );
  };
  it('reads what it can read, as without strict', () => {
    const form = new FormData();
    form.set('wepay_risk_token', TOKEN.toUpperCase());
    assert.equal(riskTokenFrom(form, strict), TOKEN);
    assert.equal(riskTokenFrom(new URLSearchParams({ risk: TOKEN }), { field: 'risk', strict: true }), TOKEN);
    assert.equal(riskTokenFrom({ wepay_risk_token: [TOKEN, TOKEN] }, strict), TOKEN);
  });
  it('a body without the field, or with a value that is no token, is a form without a token: null', () => {
    assert.equal(riskTokenFrom({ card: '4111' }, strict), null);
    assert.equal(riskTokenFrom({ wepay_risk_token: '' }, strict), null);
    assert.equal(riskTokenFrom(new URLSearchParams('wepay_risk_token=0'), strict), null);
  });
  it('no body parser (the body is undefined) says which parser to add', () => {
    unreadable(
      undefined,
      /^riskTokenFrom: the body is undefined: no body parser read this request\. Express: add express\.urlencoded\(\{ extended: false \}\)/,
    );
    unreadable(null, /the body is null: no body parser/);
  });
  it('an empty body: a parser that skipped the request', () => {
    unreadable({}, /^riskTokenFrom: the body has no fields: its parser did not read this request/);
    unreadable(new URLSearchParams(''), /the body has no fields/);
    unreadable(new FormData(), /the body has no fields/);
  });
  it('a multipart body read as urlencoded', async () => {
    const form = new FormData();
    form.set('wepay_risk_token', TOKEN);
    const text = await new Response(form).text();
    unreadable(new URLSearchParams(text), /a multipart\/form-data body was read as urlencoded/);
    unreadable(Object.fromEntries(new URLSearchParams(text)), /read as urlencoded/);
  });
  it('unparsed text, or the request itself', async () => {
    unreadable(`wepay_risk_token=${TOKEN}`, /the body is a string, not parsed form fields: parse it first/);
    const request = new Request('http://shop.test/', {
      method: 'POST',
      body: new URLSearchParams({ wepay_risk_token: TOKEN }),
    });
    unreadable(request, /this is the request itself, not its fields/);
    await request.formData();
    unreadable(request, /the Request's body has already been read: read it once/);
    unreadable({ method: 'POST', headers: {}, socket: {} }, /pass req\.body/);
  });
  it('a body whose own code throws could not be read', () => {
    const hostile = new Proxy(
      {},
      {
        ownKeys() {
          throw new Error('boom');
        },
      },
    );
    unreadable(hostile, /the body could not be read/);
  });
});
