import { ReactiveElement, type PropertyValues } from 'lit';
import { WePayRiskTokenError } from './errors.js';
import { ERROR_EVENT, READY_EVENT, riskTokenEvent } from './events.js';
import { DEFAULT_SRC, loadRiskScript } from './risk-script.js';
import { generateOnce, waitForToken } from './token.js';
import { TRIGGERS, scheduleTrigger, whenIdle, type Trigger } from './triggers.js';

/** Where the element is in getting a token. */
export type WePayRiskTokenState = 'idle' | 'loading' | 'generating' | 'ready' | 'error';

const TAG = 'wepay-risk-token';
const DEFAULT_NAME = 'wepay_risk_token';
const DEFAULT_TRIGGER: Trigger = 'idle';
const DEFAULT_TIMEOUT_MS = 10_000;

function warnInvalid(attribute: string, value: unknown, fallback: unknown): void {
  console.warn(`<${TAG}>: ${attribute}="${String(value)}" is not valid; using "${String(fallback)}".`);
}

const isTrigger = (value: unknown): value is Trigger => TRIGGERS.includes(value as Trigger);
const isTimeout = (value: unknown): value is number =>
  typeof value === 'number' && Number.isFinite(value) && value > 0;
const isNonEmptyString = (value: unknown): value is string => typeof value === 'string' && value !== '';

/** An attribute converter that warns about, and replaces, a value `isValid` rejects. */
function validated<T>(attribute: string, fallback: T, parse: (value: string) => unknown, isValid: (value: unknown) => value is T) {
  return {
    fromAttribute(value: string | null): T {
      if (value === null) return fallback;
      const parsed = parse(value);
      if (isValid(parsed)) return parsed;
      warnInvalid(attribute, value, fallback);
      return fallback;
    },
  };
}

/**
 * Loads WePay's Risk.js when the page can spare the time, asks it for a risk token, and keeps the token in a
 * hidden input so that it posts with the enclosing form.
 *
 * @summary Posts a WePay risk token with its form.
 * @tag wepay-risk-token
 *
 * @attr name - Name of the hidden input that carries the token. Default `wepay_risk_token`.
 * @attr src - Risk.js URL. Default `https://static.wepay.com/min/js/risk.js`.
 * @attr trigger - When to load and generate: `idle` (default), `eager`, `visible`, `interaction`, `manual`.
 * @attr timeout - Milliseconds to wait for Risk.js to load, and then for a token, before giving up. Default `10000`.
 * @attr nonce - CSP nonce copied onto the injected script (read through the native `nonce` property).
 * @attr form - Id of the owning form when the element sits outside it.
 * @attr state - Reflects `state`; read-only.
 *
 * @prop {string | null} token - The token once ready, else `null`. Read-only.
 * @prop {WePayRiskTokenState} state - `idle`, `loading`, `generating`, `ready` or `error`. Read-only.
 *
 * @fires wepay-risk-token-ready - `detail: { token }` when the token is in the input.
 * @fires wepay-risk-token-error - `detail: { reason, error }` when no token could be had.
 */
export class WePayRiskTokenElement extends ReactiveElement {
  static override properties = {
    name: { reflect: true, converter: validated('name', DEFAULT_NAME, String, isNonEmptyString) },
    src: { reflect: true, converter: validated('src', DEFAULT_SRC, String, isNonEmptyString) },
    trigger: { reflect: true, converter: validated('trigger', DEFAULT_TRIGGER, String, isTrigger) },
    timeout: { reflect: true, converter: validated('timeout', DEFAULT_TIMEOUT_MS, Number, isTimeout) },
    form: { reflect: true },
  };

  /** Name of the hidden input that carries the token. */
  declare name: string;
  /** Risk.js URL. */
  declare src: string;
  /** When to load Risk.js and ask for a token. */
  declare trigger: Trigger;
  /** Milliseconds to wait for Risk.js to load, and then for a token. */
  declare timeout: number;
  /** Id of the owning form when the element sits outside it. */
  declare form: string | null;

  #input: HTMLInputElement | undefined;
  #token: string | null = null;
  #state: WePayRiskTokenState = 'idle';
  /** Aborted on disconnect: cancels the scheduled trigger and any work in flight. */
  #connection: AbortController | undefined;
  /** The run in flight, if any: one at a time. */
  #run: Promise<void> | undefined;
  /** Set while a run waits for an idle period before generating: calling it generates now. */
  #hurry: (() => void) | undefined;
  /** Callers of `generate()` still waiting for the outcome. */
  #waiting: Array<{ resolve(token: string): void; reject(error: WePayRiskTokenError): void }> = [];

  constructor() {
    super();
    this.name = DEFAULT_NAME;
    this.src = DEFAULT_SRC;
    this.trigger = DEFAULT_TRIGGER;
    this.timeout = DEFAULT_TIMEOUT_MS;
    this.form = null;
  }

  /** The risk token once ready, else `null`. */
  get token(): string | null {
    return this.#token;
  }

  /** Where the element is in getting a token; reflected as the `state` attribute. */
  get state(): WePayRiskTokenState {
    return this.#state;
  }

  /**
   * Loads Risk.js now if needed, calls `generate_risk_token()` now, and resolves with the token (at once when
   * ready). Rejects with a {@link WePayRiskTokenError} whose `reason` says why. For apps that submit with
   * `fetch`: `await element.generate()` in the submit handler.
   */
  generate(): Promise<string> {
    if (this.#token !== null) return Promise.resolve(this.#token);
    const outcome = new Promise<string>((resolve, reject) => this.#waiting.push({ resolve, reject }));
    this.#start(true);
    return outcome;
  }

  /** No shadow root: the hidden input must be in the light DOM to be submitted with the form. */
  protected override createRenderRoot(): HTMLElement {
    return this;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    this.#connection ??= new AbortController();
    this.#setState(this.#state);
    this.#syncInput();
    if (this.#token !== null) return;
    if (this.#waiting.length > 0) this.#start(true);
    else this.#schedule();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.#connection?.abort();
    this.#connection = undefined;
    this.#run = undefined;
    this.#hurry = undefined;
    if (this.#token === null) this.#setState('idle');
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('name') && !isNonEmptyString(this.name)) this.#fallBack('name', DEFAULT_NAME);
    if (changed.has('src') && !isNonEmptyString(this.src)) this.#fallBack('src', DEFAULT_SRC);
    if (changed.has('trigger') && !isTrigger(this.trigger)) this.#fallBack('trigger', DEFAULT_TRIGGER);
    if (changed.has('timeout') && !isTimeout(this.timeout)) this.#fallBack('timeout', DEFAULT_TIMEOUT_MS);
  }

  protected override updated(changed: PropertyValues<this>): void {
    if (changed.has('name') || changed.has('form')) this.#syncInput();
    if (changed.has('trigger') && changed.get('trigger') !== undefined && this.#connection && !this.#run) {
      this.#reschedule();
    }
  }

  /** A property set from script to a bad value warns, like a bad attribute, and takes the default. */
  #fallBack<K extends 'name' | 'src' | 'trigger' | 'timeout'>(property: K, fallback: this[K]): void {
    warnInvalid(property, this[property], fallback);
    this[property] = fallback;
  }

  /** The one hidden input this element owns, created on first connect (or adopted from server-rendered markup). */
  #syncInput(): void {
    if (!this.isConnected) return;
    const input = (this.#input ??= this.querySelector<HTMLInputElement>(':scope > input[type="hidden"]') ??
      document.createElement('input'));
    input.type = 'hidden';
    input.name = this.name;
    if (this.form) input.setAttribute('form', this.form);
    else input.removeAttribute('form');
    input.value = this.#token ?? '';
    if (input.parentNode !== this) this.append(input);
  }

  #schedule(): void {
    const connection = this.#connection;
    if (!connection) return;
    const scope = this.#input?.form ?? this.parentElement ?? this;
    scheduleTrigger(this.trigger, scope, connection.signal, () => this.#start(false));
  }

  #reschedule(): void {
    this.#connection?.abort();
    this.#connection = new AbortController();
    this.#schedule();
  }

  /** Starts a run unless one is in flight; `urgent` skips waiting for an idle period before generating. */
  #start(urgent: boolean): void {
    if (this.#run) {
      if (urgent) this.#hurry?.();
      return;
    }
    this.#connection ??= new AbortController();
    const signal = this.#connection.signal;
    const run = this.#obtain(urgent, signal).finally(() => {
      if (this.#run === run) this.#run = undefined;
    });
    this.#run = run;
  }

  async #obtain(urgent: boolean, signal: AbortSignal): Promise<void> {
    try {
      this.#setState('loading');
      const nonce = this.nonce || document.querySelector<HTMLMetaElement>('meta[property="csp-nonce"]')?.nonce || '';
      const risk = await loadRiskScript(this.src, { nonce, timeout: this.timeout, signal });
      this.#setState('generating');
      if (!urgent && this.trigger === 'idle') {
        await new Promise<void>((resolve) => {
          this.#hurry = resolve;
          whenIdle(signal, resolve);
        });
        this.#hurry = undefined;
      }
      if (signal.aborted) return;
      generateOnce(risk);
      const token = await waitForToken(risk, { timeout: this.timeout, signal });
      this.#succeed(token);
    } catch (error) {
      if (!signal.aborted) this.#fail(error);
    }
  }

  #succeed(token: string): void {
    this.#token = token;
    if (this.#input) this.#input.value = token;
    this.#setState('ready');
    this.dispatchEvent(riskTokenEvent(READY_EVENT, { token }));
    for (const waiter of this.#waiting.splice(0)) waiter.resolve(token);
  }

  #fail(cause: unknown): void {
    const error =
      cause instanceof WePayRiskTokenError
        ? cause
        : new WePayRiskTokenError('api-error', 'Getting a risk token failed unexpectedly.', { cause });
    this.#setState('error');
    this.dispatchEvent(riskTokenEvent(ERROR_EVENT, { reason: error.reason, error }));
    for (const waiter of this.#waiting.splice(0)) waiter.reject(error);
  }

  #setState(state: WePayRiskTokenState): void {
    this.#state = state;
    this.setAttribute('state', state);
  }
}
