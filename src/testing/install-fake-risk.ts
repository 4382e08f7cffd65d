/**
 * `installFakeRisk()`: WePay's Risk.js for unit tests (jsdom, happy-dom, or a browser test), defined in the
 * page instead of loaded. `<wepay-risk-token>` reuses a `window.WePay.risk` that is already there, so with
 * the fake installed first it loads no script and makes no request.
 * @module
 */

/** How the fake fails; the names are those of the Risk.js stand-in's `fault` option. */
export type FakeRiskFault =
  /** Defines nothing: the element goes on to load its `src`. */
  | 'empty'
  /** Defines `WePay` without `risk`: the element goes on to load its `src`. */
  | 'no-risk'
  /** Both methods throw: the element reports `api-error`. */
  | 'throws'
  /** Only `get_risk_token()` throws: the element reports `api-error`. */
  | 'throws-get'
  /** No token ever comes: the element reports `timeout`. */
  | 'never'
  /** `get_risk_token()` gives `value` instead of a UUID: the element reports `invalid-token`. */
  | 'value';

/** Options of {@link installFakeRisk}; each mirrors the stand-in's URL option of the same name. */
export interface FakeRiskOptions {
  /** The UUID that `get_risk_token()` gives once generated. Default: a new random v4 UUID, as Risk.js makes. */
  token?: string;
  /**
   * Milliseconds from `generate_risk_token()` to the token. Absent (the default), the token exists as soon
   * as `generate_risk_token()` returns, as with WePay's Risk.js.
   */
  latency?: number;
  /**
   * Milliseconds after the window's `load` event (or after installing, when the page has loaded) before
   * the fake generates by itself, as Risk.js does after 5 s; `'off'` never. Default `5000`.
   */
  auto?: number | 'off';
  /** What `get_risk_token()` gives before the token exists. Default `0`, as Risk.js. */
  pending?: unknown;
  /** Make it fail; see {@link FakeRiskFault}. Default: it works. */
  fault?: FakeRiskFault;
  /** With `fault: 'value'`: what `get_risk_token()` gives instead of a UUID. Default `'not-a-uuid'`. */
  value?: unknown;
}

/** The installed fake. */
export interface FakeRisk {
  /** The UUID the fake gives once generated (also with a `fault`, when it gives none). */
  readonly token: string;
  /** Whether the token exists: `get_risk_token()` now gives it. */
  readonly generated: boolean;
  /** How often each method of `WePay.risk` was called. */
  readonly calls: { readonly generate: number; readonly get: number };
  /** Removes the fake: `window.WePay` is as it was before, and no timer of the fake is left. */
  uninstall(): void;
}

const FAULTS: readonly FakeRiskFault[] = ['empty', 'no-risk', 'throws', 'throws-get', 'never', 'value'];

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A lower-case v4 UUID from `Math.random`, as Risk.js makes its session id. */
function randomUuid(): string {
  return 'xxxxxxxx-xxxx-4xxx-yxxx-xxxxxxxxxxxx'.replace(/[xy]/g, (digit) => {
    const random = Math.floor(Math.random() * 16);
    return (digit === 'x' ? random : (random & 0x3) | 0x8).toString(16);
  });
}

const isMilliseconds = (value: unknown): value is number =>
  typeof value === 'number' && Number.isFinite(value) && value >= 0;

/** A test that passes options the fake cannot honour learns it at once, not from a puzzling token. */
function assertValid({ token, latency, auto, fault }: FakeRiskOptions): void {
  if (typeof token !== 'string' || !UUID.test(token)) {
    throw new TypeError(
      `installFakeRisk: token must be a UUID, got ${String(token)}; use fault: 'value' for a bad token.`,
    );
  }
  if (latency !== undefined && !isMilliseconds(latency)) {
    throw new TypeError(
      `installFakeRisk: latency must be a number of milliseconds (0 or more), got ${String(latency)}.`,
    );
  }
  if (auto !== 'off' && !isMilliseconds(auto)) {
    throw new TypeError(`installFakeRisk: auto must be a number of milliseconds or 'off', got ${String(auto)}.`);
  }
  if (fault !== undefined && !FAULTS.includes(fault)) {
    throw new TypeError(`installFakeRisk: fault must be one of ${FAULTS.join(', ')}, got ${String(fault)}.`);
  }
}

/**
 * Defines `window.WePay.risk` as WePay's Risk.js behaves (docs/testing.md lists what it models): `0` from
 * `get_risk_token()` until `generate_risk_token()` has run, then the same UUID every time; a second
 * `generate_risk_token()` changes nothing; `generate_risk_token()` throws while there is no
 * `document.body`; left alone it generates 5 s after `load`. Unlike Risk.js it makes no request and adds
 * nothing to the page. Call it before the element asks for a token, and `uninstall()` after the test.
 *
 * @throws {TypeError} for an option it cannot honour, such as a `token` that is not a UUID
 */
export function installFakeRisk(options: FakeRiskOptions = {}): FakeRisk {
  const { token = randomUuid(), latency, auto = 5000, fault, value = 'not-a-uuid' } = options;
  // `pending: undefined` is a "not yet" value of its own, not a request for the default.
  const pending = 'pending' in options ? options.pending : 0;
  assertValid({ token, latency, auto, fault });
  const page = globalThis as { WePay?: unknown };
  const before = Object.getOwnPropertyDescriptor(globalThis, 'WePay');
  const timers = new Set<ReturnType<typeof setTimeout>>();
  const calls = { generate: 0, get: 0 };
  let started = false;
  let generated = false;

  const later = (ms: number, run: () => void) => {
    const timer = setTimeout(() => {
      timers.delete(timer);
      run();
    }, ms);
    timers.add(timer);
  };

  function generate(): void {
    if (started) return;
    started = true;
    if (fault === 'never') return;
    if (latency === undefined) generated = true;
    else later(latency, () => (generated = true));
  }

  const risk = {
    generate_risk_token(): void {
      calls.generate += 1;
      if (fault === 'throws') throw new Error('fake Risk.js: generate_risk_token failed');
      if (typeof document !== 'undefined' && !document.body) {
        throw new TypeError('fake Risk.js: generate_risk_token() needs document.body, as Risk.js does');
      }
      generate();
    },
    get_risk_token(): unknown {
      calls.get += 1;
      if (fault === 'throws' || fault === 'throws-get') throw new Error('fake Risk.js: get_risk_token failed');
      if (!generated) return pending;
      return fault === 'value' ? value : token;
    },
  };

  if (fault === 'empty') Reflect.deleteProperty(globalThis, 'WePay');
  else page.WePay = fault === 'no-risk' ? {} : { risk };

  const autoGenerate = () => auto !== 'off' && later(auto, generate);
  const defined = fault !== 'empty' && fault !== 'no-risk';
  if (defined && typeof document !== 'undefined' && document.readyState !== 'complete') {
    globalThis.addEventListener?.('load', autoGenerate, { once: true });
  } else if (defined) {
    autoGenerate();
  }

  return {
    token,
    get generated() {
      return generated;
    },
    calls,
    uninstall() {
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      globalThis.removeEventListener?.('load', autoGenerate);
      if (before) Object.defineProperty(globalThis, 'WePay', before);
      else Reflect.deleteProperty(globalThis, 'WePay');
    },
  };
}
