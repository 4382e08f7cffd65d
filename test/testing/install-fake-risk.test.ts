import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
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

  afterEach(() => {
    fake?.uninstall();
    fake = undefined;
    vi.useRealTimers();
  });

  describe('by default, as WePay Risk.js behaves', () => {
    beforeEach(() => {
      fake = installFakeRisk();
    });

    it('defines window.WePay.risk with both methods', () => {
      expect(typeof risk().generate_risk_token).toBe('function');
      expect(typeof risk().get_risk_token).toBe('function');
    });

    it('gives the number 0 before generate_risk_token()', () => {
      expect(risk().get_risk_token()).toBe(0);
      expect(fake?.generated).toBe(false);
    });

    it('has the token as soon as generate_risk_token() returns, which returns nothing', () => {
      expect(risk().generate_risk_token()).toBeUndefined();
      expect(risk().get_risk_token()).toBe(fake?.token);
      expect(fake?.generated).toBe(true);
    });

    it('makes a random lower-case v4 UUID, a new one per install', () => {
      const first = fake!.token;
      fake!.uninstall();
      fake = installFakeRisk();
      expect(first).toMatch(UUID_V4);
      expect(fake.token).toMatch(UUID_V4);
      expect(fake.token).not.toBe(first);
    });

    it('keeps the same token when generate_risk_token() is called again', () => {
      risk().generate_risk_token();
      const token = risk().get_risk_token();
      risk().generate_risk_token();
      expect(risk().get_risk_token()).toBe(token);
    });

    it('counts the calls of each method', () => {
      risk().get_risk_token();
      risk().generate_risk_token();
      risk().get_risk_token();
      expect(fake?.calls).toEqual({ generate: 1, get: 2 });
    });
  });

  it('generates by itself 5 s after the page has loaded, like Risk.js', () => {
    vi.useFakeTimers();
    fake = installFakeRisk();
    vi.advanceTimersByTime(4999);
    expect(risk().get_risk_token()).toBe(0);
    vi.advanceTimersByTime(1);
    expect(risk().get_risk_token()).toBe(fake.token);
  });

  it('generates by itself after `auto` ms, or never with auto: "off"', () => {
    vi.useFakeTimers();
    fake = installFakeRisk({ auto: 100 });
    vi.advanceTimersByTime(100);
    expect(fake.generated).toBe(true);
    fake.uninstall();

    fake = installFakeRisk({ auto: 'off' });
    vi.advanceTimersByTime(60_000);
    expect(fake.generated).toBe(false);
  });

  it('gives the token it is told to', () => {
    fake = installFakeRisk({ token: TOKEN });
    risk().generate_risk_token();
    expect(risk().get_risk_token()).toBe(TOKEN);
  });

  it('with latency, gives the token that many ms after generate_risk_token()', () => {
    vi.useFakeTimers();
    fake = installFakeRisk({ latency: 300, token: TOKEN });
    risk().generate_risk_token();
    vi.advanceTimersByTime(299);
    expect(risk().get_risk_token()).toBe(0);
    vi.advanceTimersByTime(1);
    expect(risk().get_risk_token()).toBe(TOKEN);
  });

  it('gives `pending` before the token', () => {
    fake = installFakeRisk({ pending: '0' });
    expect(risk().get_risk_token()).toBe('0');
    fake.uninstall();
    fake = installFakeRisk({ pending: undefined });
    expect(risk().get_risk_token()).toBeUndefined();
  });

  it('throws from generate_risk_token() while there is no document.body, as Risk.js does', () => {
    fake = installFakeRisk();
    const body = document.body;
    body.remove();
    try {
      expect(() => risk().generate_risk_token()).toThrow(TypeError);
      expect(fake.generated).toBe(false);
    } finally {
      document.documentElement.append(body);
    }
  });

  describe('faults', () => {
    it('empty: defines nothing', () => {
      fake = installFakeRisk({ fault: 'empty' });
      expect('WePay' in globalThis).toBe(false);
    });

    it('no-risk: defines WePay without risk', () => {
      fake = installFakeRisk({ fault: 'no-risk' });
      expect(page.WePay).toEqual({});
    });

    it('throws: both methods throw', () => {
      fake = installFakeRisk({ fault: 'throws' });
      expect(() => risk().generate_risk_token()).toThrow();
      expect(() => risk().get_risk_token()).toThrow();
    });

    it('throws-get: only get_risk_token() throws', () => {
      fake = installFakeRisk({ fault: 'throws-get' });
      expect(() => risk().generate_risk_token()).not.toThrow();
      expect(() => risk().get_risk_token()).toThrow();
    });

    it('never: gives 0 for ever, even after its auto-generation time', () => {
      vi.useFakeTimers();
      fake = installFakeRisk({ fault: 'never' });
      risk().generate_risk_token();
      vi.advanceTimersByTime(60_000);
      expect(risk().get_risk_token()).toBe(0);
    });

    it('value: gives `value` instead of a UUID once generated', () => {
      fake = installFakeRisk({ fault: 'value', value: 'x'.repeat(5000) });
      expect(risk().get_risk_token()).toBe(0);
      risk().generate_risk_token();
      expect(risk().get_risk_token()).toBe('x'.repeat(5000));
      fake.uninstall();
      fake = installFakeRisk({ fault: 'value' });
      risk().generate_risk_token();
      expect(risk().get_risk_token()).toBe('not-a-uuid');
    });
  });

  describe('uninstall()', () => {
    it('leaves no WePay when there was none', () => {
      installFakeRisk().uninstall();
      expect('WePay' in globalThis).toBe(false);
    });

    it('puts back the WePay that was there before', () => {
      const original = { risk: { generate_risk_token() {}, get_risk_token: () => TOKEN } };
      page.WePay = original;
      try {
        installFakeRisk({ fault: 'empty' }).uninstall();
        expect(page.WePay).toBe(original);
        installFakeRisk().uninstall();
        expect(page.WePay).toBe(original);
      } finally {
        delete page.WePay;
      }
    });

    it('cancels its timers: the auto-generation and a token on its way', () => {
      vi.useFakeTimers();
      const uninstalled = installFakeRisk({ latency: 100 });
      risk().generate_risk_token();
      expect(vi.getTimerCount()).toBe(2);
      uninstalled.uninstall();
      expect(vi.getTimerCount()).toBe(0);
    });
  });

  it('refuses options it cannot honour, with a TypeError that names them', () => {
    expect(() => installFakeRisk({ token: 'not-a-uuid' })).toThrow(/token must be a UUID/);
    expect(() => installFakeRisk({ latency: -1 })).toThrow(/latency/);
    expect(() => installFakeRisk({ latency: Number.NaN })).toThrow(/latency/);
    expect(() => installFakeRisk({ auto: 'soon' as never })).toThrow(/auto/);
    expect(() => installFakeRisk({ fault: 'sometimes' as never })).toThrow(/fault must be one of/);
    expect('WePay' in globalThis).toBe(false);
  });
});
