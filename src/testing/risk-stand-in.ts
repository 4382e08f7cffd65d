/**
 * A stand-in for WePay's Risk.js, for tests and offline demos. It follows the contract WePay documents:
 * defines `window.WePay.risk`; `get_risk_token()` gives `0` until a token exists, then the same UUID every
 * time; `generate_risk_token()` starts generation once (finishing asynchronously) and returns nothing; left
 * alone, it generates 5 s after the window's `load` event.
 *
 * Configured by the query string of its own URL, e.g. `risk-stand-in.js?latency=200&fault=never`:
 * - `latency`: ms from generation start to the token (default 300).
 * - `auto`: ms after `load` before it generates by itself (default 5000; `off` never).
 * - `token`: the UUID to produce (default a random one).
 * - `pending`: what `get_risk_token()` gives before the token, as JSON (default `0`; `undefined` allowed).
 * - `fault`: `none` (default); `empty` defines nothing; `no-risk` defines `WePay` without `risk`;
 *   `throws` makes both methods throw; `throws-get` makes only `get_risk_token` throw; `never` never
 *   produces a token; `value` produces `value` (JSON) instead of a UUID, repeated `repeat` times if a string.
 *
 * Counts its calls in `window.WePayRiskStandIn` (kept across reloads) so tests can assert "one call".
 */
(() => {
  interface StandInCounters {
    runs: number;
    generateCalls: number;
    getCalls: number;
  }
  const page = window as unknown as {
    WePay?: Record<string, unknown>;
    WePayRiskStandIn?: StandInCounters;
  };
  const counters = (page.WePayRiskStandIn ??= { runs: 0, generateCalls: 0, getCalls: 0 });
  counters.runs += 1;

  const script = document.currentScript as HTMLScriptElement | null;
  const params = new URL(script?.src ?? location.href).searchParams;
  const fault = params.get('fault') ?? 'none';
  if (fault === 'empty') return;
  if (fault === 'no-risk') {
    page.WePay = {};
    return;
  }

  const latency = Number(params.get('latency') ?? 300);
  const auto = params.get('auto') ?? '5000';
  const pendingParam = params.get('pending');
  const pending: unknown = pendingParam === 'undefined' ? undefined : JSON.parse(pendingParam ?? '0');

  let produced: unknown;
  if (fault === 'value') {
    const value: unknown = JSON.parse(params.get('value') ?? 'null');
    produced = typeof value === 'string' ? value.repeat(Number(params.get('repeat') ?? 1)) : value;
  } else {
    produced = params.get('token') ?? crypto.randomUUID();
  }

  let started = false;
  let done = false;

  function generate(): void {
    if (started) return;
    started = true;
    if (fault === 'never') return;
    setTimeout(() => (done = true), latency);
  }

  page.WePay = {
    risk: {
      generate_risk_token(): void {
        counters.generateCalls += 1;
        if (fault === 'throws') throw new Error('stand-in: generate_risk_token failed');
        generate();
      },
      get_risk_token(): unknown {
        counters.getCalls += 1;
        if (fault === 'throws' || fault === 'throws-get') throw new Error('stand-in: get_risk_token failed');
        return done ? produced : pending;
      },
    },
  };

  if (auto !== 'off') {
    const generateLater = () => setTimeout(generate, Number(auto));
    if (document.readyState === 'complete') generateLater();
    else window.addEventListener('load', generateLater, { once: true });
  }
})();
