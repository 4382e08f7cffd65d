import './happy-dom.js';
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import sinon from 'sinon';
import { installFakeRisk, type FakeRisk } from '../../src/testing/index.js';

const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const TOKEN = '123e4567-e89b-12d3-a456-426655440000';

interface RiskApi {
  generate_risk_token(): unknown;
  get_risk_token(): unknown;
}
const page = globalThis as { WePay?: { risk?: RiskApi } };
const risk = (): RiskApi => page.WePay!.risk!;

describe('installFakeRisk()', () => {
  let fake: FakeRisk | undefined;
  let clock: sinon.SinonFakeTimers | undefined;
  const useFakeTimers = () => (clock = sinon.useFakeTimers());
  const tick = (ms: number) => clock!.tick(ms);

  afterEach(() => {
    fake?.uninstall();
    fake = undefined;
    clock?.restore();
    clock = undefined;
  });

  describe('by default, as WePay Risk.js behaves', () => {
    beforeEach(() => {
      fake = installFakeRisk();
    });

    it('defines window.WePay.risk with both methods', () => {
      assert.equal(typeof risk().generate_risk_token, 'function');
      assert.equal(typeof risk().get_risk_token, 'function');
    });

    it('gives the number 0 before generate_risk_token()', () => {
      assert.equal(risk().get_risk_token(), 0);
      assert.equal(fake?.generated, false);
    });

    it('has the token as soon as generate_risk_token() returns, which returns nothing', () => {
      assert.equal(risk().generate_risk_token(), undefined);
      assert.equal(risk().get_risk_token(), fake?.token);
      assert.equal(fake?.generated, true);
    });

    it('makes a random lower-case v4 UUID, a new one per install', () => {
      const first = fake!.token;
      fake!.uninstall();
      fake = installFakeRisk();
      assert.match(first, UUID_V4);
      assert.match(fake.token, UUID_V4);
      assert.notEqual(fake.token, first);
    });

    it('keeps the same token when generate_risk_token() is called again', () => {
      risk().generate_risk_token();
      const token = risk().get_risk_token();
      risk().generate_risk_token();
      assert.equal(risk().get_risk_token(), token);
    });

    it('counts the calls of each method', () => {
      risk().get_risk_token();
      risk().generate_risk_token();
      risk().get_risk_token();
      assert.deepEqual(fake?.calls, { generate: 1, get: 2 });
    });
  });

  it('generates by itself 5 s after the page has loaded, like Risk.js', () => {
    useFakeTimers();
    fake = installFakeRisk();
    tick(4999);
    assert.equal(risk().get_risk_token(), 0);
    tick(1);
    assert.equal(risk().get_risk_token(), fake.token);
  });

  it('generates by itself after `auto` ms, or never with auto: "off"', () => {
    useFakeTimers();
    fake = installFakeRisk({ auto: 100 });
    tick(100);
    assert.equal(fake.generated, true);
    fake.uninstall();

    fake = installFakeRisk({ auto: 'off' });
    tick(60_000);
    assert.equal(fake.generated, false);
  });

  it('gives the token it is told to', () => {
    fake = installFakeRisk({ token: TOKEN });
    risk().generate_risk_token();
    assert.equal(risk().get_risk_token(), TOKEN);
  });

  it('with latency, gives the token that many ms after generate_risk_token()', () => {
    useFakeTimers();
    fake = installFakeRisk({ latency: 300, token: TOKEN });
    risk().generate_risk_token();
    tick(299);
    assert.equal(risk().get_risk_token(), 0);
    tick(1);
    assert.equal(risk().get_risk_token(), TOKEN);
  });

  it('gives `pending` before the token', () => {
    fake = installFakeRisk({ pending: '0' });
    assert.equal(risk().get_risk_token(), '0');
    fake.uninstall();
    fake = installFakeRisk({ pending: undefined });
    assert.equal(risk().get_risk_token(), undefined);
  });

  it('throws from generate_risk_token() while there is no document.body, as Risk.js does', () => {
    fake = installFakeRisk();
    const body = document.body;
    body.remove();
    try {
      assert.throws(() => risk().generate_risk_token(), TypeError);
      assert.equal(fake.generated, false);
    } finally {
      document.documentElement.append(body);
    }
  });

  describe('faults', () => {
    it('empty: defines nothing', () => {
      fake = installFakeRisk({ fault: 'empty' });
      assert.equal('WePay' in globalThis, false);
    });

    it('no-risk: defines WePay without risk', () => {
      fake = installFakeRisk({ fault: 'no-risk' });
      assert.deepEqual(page.WePay, {});
    });

    it('throws: both methods throw', () => {
      fake = installFakeRisk({ fault: 'throws' });
      assert.throws(() => risk().generate_risk_token());
      assert.throws(() => risk().get_risk_token());
    });

    it('throws-get: only get_risk_token() throws', () => {
      fake = installFakeRisk({ fault: 'throws-get' });
      assert.doesNotThrow(() => risk().generate_risk_token());
      assert.throws(() => risk().get_risk_token());
    });

    it('never: gives 0 for ever, even after its auto-generation time', () => {
      useFakeTimers();
      fake = installFakeRisk({ fault: 'never' });
      risk().generate_risk_token();
      tick(60_000);
      assert.equal(risk().get_risk_token(), 0);
    });

    it('value: gives `value` instead of a UUID once generated', () => {
      fake = installFakeRisk({ fault: 'value', value: 'x'.repeat(5000) });
      assert.equal(risk().get_risk_token(), 0);
      risk().generate_risk_token();
      assert.equal(risk().get_risk_token(), 'x'.repeat(5000));
      fake.uninstall();
      fake = installFakeRisk({ fault: 'value' });
      risk().generate_risk_token();
      assert.equal(risk().get_risk_token(), 'not-a-uuid');
    });
  });

  describe('uninstall()', () => {
    it('leaves no WePay when there was none', () => {
      installFakeRisk().uninstall();
      assert.equal('WePay' in globalThis, false);
    });

    it('puts back the WePay that was there before', () => {
      const original = { risk: { generate_risk_token() {}, get_risk_token: () => TOKEN } };
      page.WePay = original;
      try {
        installFakeRisk({ fault: 'empty' }).uninstall();
        assert.equal(page.WePay, original);
        installFakeRisk().uninstall();
        assert.equal(page.WePay, original);
      } finally {
        delete page.WePay;
      }
    });

    it('cancels its timers: the auto-generation and a token on its way', () => {
      useFakeTimers();
      const uninstalled = installFakeRisk({ latency: 100 });
      risk().generate_risk_token();
      assert.equal(clock!.countTimers(), 2);
      uninstalled.uninstall();
      assert.equal(clock!.countTimers(), 0);
    });
  });

  it('refuses options it cannot honour, with a TypeError that names them', () => {
    assert.throws(() => installFakeRisk({ token: 'not-a-uuid' }), /token must be a UUID/);
    assert.throws(() => installFakeRisk({ latency: -1 }), /latency/);
    assert.throws(() => installFakeRisk({ latency: Number.NaN }), /latency/);
    assert.throws(() => installFakeRisk({ auto: 'soon' as never }), /auto/);
    assert.throws(() => installFakeRisk({ fault: 'sometimes' as never }), /fault must be one of/);
    assert.equal('WePay' in globalThis, false);
  });
});
