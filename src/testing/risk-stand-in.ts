/**
 * A stand-in for WePay's Risk.js, for tests and offline demos. By default it behaves as the production script
 * does (WePay's JS SDK, `WePay.tags`): `generate_risk_token()` is synchronous; it takes a session id (the
 * cached one, else a new lower-case v4-style UUID from `Math.random`), appends one hidden
 * `<div id="WePay-tags">` to `document.body` unless an element with that id is already in the page, and
 * caches the id. The container, as the SDK's, loads a device-profiling script and two beacons (a background
 * image, an `<img>`), and holds a Flash `<object>`, all of whose URLs carry the session id. Without a `<body>`
 * the call throws a `TypeError`. `get_risk_token()` gives the cached id, or `0` before any generation. Left
 * alone, it generates 5 s after the window's `load` event: a run after `load` (a script injected late) never
 * generates by itself. Like the SDK, which assigns each member only when it is missing (`WePay = WePay || {}`,
 * `WePay.risk = WePay.risk || {}`, …), a run that finds a `WePay.risk` with both methods keeps it, and with it
 * that run's session and token. The session is cached where the SDK caches it, `WePay.tags.device_token`: a run
 * after `WePay.risk` and `WePay.tags` (or all of `window.WePay`) were removed starts afresh. (Evidence: the SDK's
 * source, e.g. the copy in github.com/wehub/applepaydemo, `static/jellyfish.js`; see docs/testing.md.)
 *
 * Configured by the query string of its own URL, e.g. `risk-stand-in.js?latency=200&fault=never`:
 * - `latency`: absent (default), the token is there as soon as `generate_risk_token()` returns; present, it
 *   becomes readable that many ms later (asynchronous generation, which WePay's contract allows).
 * - `auto`: ms after `load` before it generates by itself (default 5000; `off` never).
 * - `token`: the session id to use (default a new UUID).
 * - `profile`: base URL of the profiling requests, resolved against this script's URL (`/` is its own origin),
 *   so that a local server can see which session was profiled (WePay's is `https://t.wepay.com`). Default:
 *   none; the script and the image are `data:` URLs (an empty script, a 1×1 GIF) that load without a
 *   server, so nothing needs answering and no 404 reaches the console; their media-type parameters still name
 *   the session (`data:text/javascript;org_id=…;session_id=…,`).
 * - `org`: the `org_id` in the profiling URLs (default `stand-in-org`).
 * - `pending`: what `get_risk_token()` gives before the token, as JSON (default `0`; `undefined` allowed).
 * - `fault`: `none` (default); `empty` defines nothing; `no-risk` defines `WePay` without `risk`;
 *   `throws` makes both methods throw; `throws-get` makes only `get_risk_token` throw; `never` never
 *   produces a token; `value` makes `get_risk_token` give `value` (JSON) instead of the session id,
 *   repeated `repeat` times if a string.
 *
 * Counts its calls in `window.WePayRiskStandIn` (kept across reloads) so tests can assert "one call".
 */
(() => {
  /** A transparent 1×1 GIF, the default profiling beacon. */
  const PIXEL_GIF_BASE64 = 'R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7';

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
  const ownUrl = new URL(script?.src ?? location.href);
  const params = ownUrl.searchParams;
  const fault = params.get('fault') ?? 'none';
  if (fault === 'empty') return;
  // As the SDK: an existing `WePay` is extended, never replaced.
  const wepay = (page.WePay ||= {});
  if (fault === 'no-risk') return;
  // An earlier run's `WePay.risk` stays, with its session and token; its own `load` listener still generates.
  const earlier = wepay.risk as Partial<Record<'generate_risk_token' | 'get_risk_token', unknown>> | undefined;
  if (typeof earlier?.generate_risk_token === 'function' && typeof earlier.get_risk_token === 'function') return;

  const latency = params.get('latency');
  const auto = params.get('auto') ?? '5000';
  const profile = params.get('profile');
  const org = params.get('org') ?? 'stand-in-org';
  const pendingParam = params.get('pending');
  const pending: unknown = pendingParam === 'undefined' ? undefined : JSON.parse(pendingParam ?? '0');
  let oddValue: unknown;
  if (fault === 'value') {
    const value: unknown = JSON.parse(params.get('value') ?? 'null');
    oddValue = typeof value === 'string' ? value.repeat(Number(params.get('repeat') ?? 1)) : value;
  }

  /**
   * The cached session id, where the SDK keeps it: `WePay.tags.device_token`, 0 until the profiling container is
   * in the page. A run that finds `WePay.tags` (its `WePay.risk` removed) goes on with that session.
   */
  const tags = (wepay.tags ||= { device_token: 0 }) as { device_token: unknown };
  const cached = () => (typeof tags.device_token === 'string' ? tags.device_token : undefined);
  /** Whether `get_risk_token()` gives the session id yet (at once, unless `latency` is set). */
  let readable = cached() !== undefined;

  /** A lower-case v4-style UUID from `Math.random`, as WePay's SDK makes it. */
  function newSessionId(): string {
    const hex = '0123456789abcdef';
    const digits = Array.from({ length: 36 }, () => hex[Math.floor(Math.random() * 16)]!);
    digits[14] = '4';
    digits[19] = hex[(parseInt(digits[19]!, 16) & 0x3) | 0x8]!;
    digits[8] = digits[13] = digits[18] = digits[23] = '-';
    return digits.join('');
  }

  /**
   * The URL of a profiling request carrying `fields`: under the `profile` base, as its query; by default a
   * `data:` URL (an empty script, the GIF, an empty Flash movie) with the fields as media-type parameters, so that
   * it still names the session. (Not after `#`: happy-dom runs the fragment of a `data:` script as part of the
   * script.)
   */
  function profilingUrl(
    file: 'check.js' | 'clear.png' | 'fp.swf',
    fields: Array<[name: string, value: string]>,
  ): string {
    const encoded = fields.map(([name, value]) => `${name}=${encodeURIComponent(value)}`);
    if (profile !== null) return new URL(`${profile.replace(/\/$/, '')}/fp/${file}?${encoded.join('&')}`, ownUrl).href;
    if (file === 'check.js') return `data:text/javascript;${encoded.join(';')},`;
    if (file === 'fp.swf') return `data:application/x-shockwave-flash;${encoded.join(';')},`;
    return `data:image/gif;${encoded.join(';')};base64,${PIXEL_GIF_BASE64}`;
  }

  /**
   * The device-profiling container, as the SDK's `WePay.tags.generate` builds it: a `<div>` whose background is
   * a beacon (`m=1`), a beacon `<img>` (`m=2`), the profiling `<script>`, and a Flash `<object>` (its `data` and
   * `<param name="movie">`), each naming the session. Browsers without Flash request no movie.
   */
  function profilingContainer(id: string): HTMLDivElement {
    const session: Array<[string, string]> = [
      ['org_id', org],
      ['session_id', id],
    ];
    const container = document.createElement('div');
    container.id = 'WePay-tags';
    Object.assign(container.style, { position: 'absolute', left: '-1000px', maxHeight: '0px', overflow: 'hidden' });
    const background = document.createElement('div');
    background.style.background = `url('${profilingUrl('clear.png', [...session, ['m', '1']])}')`;
    const beacon = document.createElement('img');
    beacon.src = profilingUrl('clear.png', [...session, ['m', '2']]);
    beacon.alt = '';
    const check = document.createElement('script');
    check.src = profilingUrl('check.js', session);
    check.type = 'text/javascript';
    check.async = true;
    const movie = document.createElement('object');
    movie.type = 'application/x-shockwave-flash';
    movie.data = profilingUrl('fp.swf', session);
    movie.width = movie.height = '1';
    movie.id = 'obj_id';
    const param = document.createElement('param');
    param.name = 'movie';
    param.value = movie.data;
    movie.append(param, document.createElement('div'));
    container.append(background, beacon, check, movie);
    return container;
  }

  function generate(): void {
    if (fault === 'never' || cached() !== undefined) return;
    const id = params.get('token') ?? newSessionId();
    // Like the SDK: no <body> yet is a TypeError here, and the id is cached only once the container is in.
    if (!document.getElementById('WePay-tags')) document.body.appendChild(profilingContainer(id));
    tags.device_token = id;
    if (latency === null) readable = true;
    else setTimeout(() => (readable = true), Number(latency));
  }

  Object.assign(wepay, {
    risk: {
      generate_risk_token(): void {
        counters.generateCalls += 1;
        if (fault === 'throws') throw new Error('stand-in: generate_risk_token failed');
        generate();
      },
      get_risk_token(): unknown {
        counters.getCalls += 1;
        if (fault === 'throws' || fault === 'throws-get') throw new Error('stand-in: get_risk_token failed');
        if (!readable) return pending;
        return fault === 'value' ? oddValue : cached();
      },
    },
  });

  // Only the `load` event starts it: a run after `load` never generates by itself.
  if (auto !== 'off') window.addEventListener('load', () => setTimeout(generate, Number(auto)), { once: true });
})();
