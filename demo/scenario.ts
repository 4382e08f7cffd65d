/**
 * The demo's switches, read from the checkout page's query string (`?risk=real`, `?fault=never`, …) and
 * carried to `/checkout` in the form's action, so the result page knows the scenario and links back to it.
 * Unknown or malformed values fall back to the defaults: the query is visitor input.
 */

/** Where Risk.js comes from: the offline stand-in in this repo, or WePay's (the element's default `src`). */
export type RiskSource = 'stand-in' | 'real';

/** Ways the stand-in can misbehave, each ending in one of the element's error reasons. */
export const FAULTS = ['none', 'never', 'empty', 'throws', 'value', '404'] as const;
export type Fault = (typeof FAULTS)[number];

export const TRIGGERS = ['idle', 'eager', 'visible', 'interaction', 'manual'] as const;
export type Trigger = (typeof TRIGGERS)[number];

export interface Scenario {
  risk: RiskSource;
  fault: Fault;
  /**
   * Stand-in: `null` for a synchronous token, as WePay's Risk.js makes it; else ms from
   * `generate_risk_token()` to the token (an asynchronous Risk.js, which WePay's contract allows).
   */
  latency: number | null;
  /** The element's `timeout` attribute, or `null` for its default. */
  timeout: number | null;
  /** The element's `trigger` attribute, or `null` for its default (`idle`). */
  trigger: Trigger | null;
  /** The element's `submit-wait` attribute (how long a submit may wait for the token), or `null` for its default. */
  submitWait: number | null;
  /** The element's `required` attribute: no token, no submit. */
  required: boolean;
  /** Whether `/checkout` sends a loopback/private `Client-IP` (local development) or leaves it out (production). */
  allowPrivateIp: boolean;
  /** The page corrupts the posted token, to show the server refusing a value that is not a UUID. */
  tamper: boolean;
}

export const STAND_IN_PATH = '/src/testing/risk-stand-in.ts';
/** A path nothing serves, so the script fails to load. */
export const MISSING_SCRIPT_PATH = '/demo/risk-js-that-does-not-exist.js';
/** Risk.js's documented self-start, 5 s after `load` (the element normally asks sooner). */
const STAND_IN_AUTO_MS = 5000;
const MAX_MS = 120_000;

function integerIn(text: string | null, min: number, max: number): number | null {
  if (text === null || !/^\d{1,6}$/.test(text)) return null;
  const value = Number(text);
  return value >= min && value <= max ? value : null;
}

function oneOf<T extends string>(values: readonly T[], text: string | null): T | null {
  return values.includes(text as T) ? (text as T) : null;
}

/** The scenario a page query asks for; `defaultRisk` is the server's `RISK_JS` setting. */
export function scenarioFrom(query: URLSearchParams, defaultRisk: RiskSource): Scenario {
  return {
    risk: oneOf(['stand-in', 'real'] as const, query.get('risk')) ?? defaultRisk,
    fault: oneOf(FAULTS, query.get('fault')) ?? 'none',
    latency: integerIn(query.get('latency'), 0, MAX_MS),
    timeout: integerIn(query.get('timeout'), 1, MAX_MS),
    trigger: oneOf(TRIGGERS, query.get('trigger')),
    submitWait: integerIn(query.get('submit-wait'), 0, MAX_MS),
    required: query.get('required') === 'yes',
    allowPrivateIp: query.get('allow-private-ip') !== 'no',
    tamper: query.get('tamper') === 'token',
  };
}

/** The query string (with `?`, or empty) that reproduces `scenario`, listing only what differs from the defaults. */
export function scenarioQuery(scenario: Scenario, defaultRisk: RiskSource): string {
  const query = new URLSearchParams();
  if (scenario.risk !== defaultRisk) query.set('risk', scenario.risk);
  if (scenario.fault !== 'none') query.set('fault', scenario.fault);
  if (scenario.latency !== null) query.set('latency', String(scenario.latency));
  if (scenario.timeout !== null) query.set('timeout', String(scenario.timeout));
  if (scenario.trigger !== null) query.set('trigger', scenario.trigger);
  if (scenario.submitWait !== null) query.set('submit-wait', String(scenario.submitWait));
  if (scenario.required) query.set('required', 'yes');
  if (!scenario.allowPrivateIp) query.set('allow-private-ip', 'no');
  if (scenario.tamper) query.set('tamper', 'token');
  const text = query.toString();
  return text ? `?${text}` : '';
}

/** The element's `src` for this scenario, or `null` to leave it at its default: WePay's real Risk.js. */
export function riskScriptSrc(scenario: Scenario): string | null {
  if (scenario.risk === 'real') return null;
  if (scenario.fault === '404') return MISSING_SCRIPT_PATH;
  // Profiling against the demo server (`/`), which answers it, so the page can show which session was profiled.
  const query = new URLSearchParams({ auto: String(STAND_IN_AUTO_MS), profile: '/' });
  if (scenario.latency !== null) query.set('latency', String(scenario.latency));
  if (scenario.fault === 'value') {
    query.set('fault', 'value');
    query.set('value', JSON.stringify('not-a-uuid'));
  } else if (scenario.fault !== 'none') {
    query.set('fault', scenario.fault);
  }
  return `${STAND_IN_PATH}?${query}`;
}

/** A scenario worth a link on the page: what to click and what the visitor will see. */
export interface ScenarioLink {
  label: string;
  outcome: string;
  query: Record<string, string>;
}

export const SCENARIO_LINKS: readonly ScenarioLink[] = [
  { label: 'Happy path', outcome: 'token at once, profiled; both headers sent', query: {} },
  { label: 'Asynchronous Risk.js', outcome: 'token 1.5 s after it is asked', query: { latency: '1500' } },
  { label: 'Risk.js never answers', outcome: 'error “timeout” after 4 s', query: { fault: 'never', timeout: '4000' } },
  { label: 'Script fails to load', outcome: 'error “load-failed” (404)', query: { fault: '404' } },
  { label: 'Loads, defines nothing', outcome: 'error “unavailable”', query: { fault: 'empty' } },
  { label: 'Methods throw', outcome: 'error “api-error”', query: { fault: 'throws' } },
  { label: 'Returns a non-UUID', outcome: 'error “invalid-token”', query: { fault: 'value' } },
  { label: 'Slow Risk.js', outcome: 'Pay now: held 3 s, then sent without a token', query: { latency: '8000' } },
  {
    label: 'No submit hold',
    outcome: 'submit-wait="0": Pay now posts at once',
    query: { latency: '8000', 'submit-wait': '0' },
  },
  {
    label: 'Token required',
    outcome: 'required + failing Risk.js: Pay sends nothing',
    query: { required: 'yes', fault: 'never', timeout: '2000' },
  },
  { label: 'Token tampered with', outcome: 'server refuses the posted value', query: { tamper: 'token' } },
  { label: 'Production IP rule', outcome: 'loopback Client-IP left out', query: { 'allow-private-ip': 'no' } },
  {
    label: 'Load on first interaction',
    outcome: 'nothing until you touch the form',
    query: { trigger: 'interaction' },
  },
  { label: 'Manual trigger', outcome: 'nothing until “Generate now”', query: { trigger: 'manual' } },
  { label: 'Real Risk.js', outcome: 'WePay’s script; needs internet', query: { risk: 'real' } },
];
