import { ReactiveElement, type PropertyValues } from '@lit/reactive-element';
import { WePayRiskTokenError } from './errors.js';
import { ERROR_EVENT, EXPIRED_EVENT, READY_EVENT, riskTokenEvent } from './events.js';
import { expiryOf, hasExpired, markExpired, onWake } from './expiry.js';
import { generateWatchingProfiling, whenBodyExists, whenProfiled } from './profiling.js';
import { DEFAULT_SRC, loadRiskScript } from './risk-script.js';
import { SubmitGuard } from './submit-guard.js';
import { generateOnce, waitForToken, type RiskApi } from './token.js';
import { TRIGGERS, scheduleTrigger, whenIdle, type Trigger } from './triggers.js';

/** Where the element is in getting a token. */
export type WePayRiskTokenState = 'idle' | 'loading' | 'generating' | 'ready' | 'error' | 'expired';

const TAG = 'wepay-risk-token';
const DEFAULT_NAME = 'wepay_risk_token';
const DEFAULT_TRIGGER: Trigger = 'idle';
const DEFAULT_TIMEOUT_MS = 10_000;
const DEFAULT_SUBMIT_WAIT_MS = 3_000;

const isTrigger = (value: unknown): value is Trigger => TRIGGERS.includes(value as Trigger);
/** Timers fire at once for delays past 2^31 - 1 ms, so longer ones are not valid. */
const MAX_DELAY_MS = 2 ** 31 - 1;

const isWait = (value: unknown): value is number => typeof value === 'number' && value >= 0 && value <= MAX_DELAY_MS;
const isTimeout = (value: unknown): value is number => isWait(value) && value > 0;
const isNonEmptyString = (value: unknown): value is string => typeof value === 'string' && value !== '';

/** The settings a page may give, each with its attribute, its default and what a valid value is. */
const SETTINGS = {
  name: ['name', DEFAULT_NAME, isNonEmptyString],
  src: ['src', DEFAULT_SRC, isNonEmptyString],
  trigger: ['trigger', DEFAULT_TRIGGER, isTrigger],
  timeout: ['timeout', DEFAULT_TIMEOUT_MS, isTimeout],
  submitWait: ['submit-wait', DEFAULT_SUBMIT_WAIT_MS, isWait],
} as const;

type Setting = keyof typeof SETTINGS;

/**
 * `value` as the setting takes it, from an attribute or a property alike: numbers may come as strings (frameworks
 * set properties from static markup), and a value that is not valid warns once and gives the default.
 */
function settingValue(setting: Setting, value: unknown): unknown {
  const [attribute, fallback, isValid] = SETTINGS[setting];
  // An empty or blank value is not 0.
  const read = typeof fallback === 'number' && typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  if ((isValid as (value: unknown) => boolean)(read)) return read;
  console.warn(`<${TAG}>: ${attribute}="${String(value)}" is not valid; using "${fallback}".`);
  return fallback;
}

/** Reads the attribute of `setting` through `settingValue`; a removed attribute gives the default. */
const settingFromAttribute = (setting: Setting) => ({
  fromAttribute: (value: string | null) => (value === null ? SETTINGS[setting][1] : settingValue(setting, value)),
});

/** Forms already warned about: one warning for two elements posting one field. */
const formsWarnedOfSharing = new WeakSet<HTMLFormElement>();

/**
 * Loads WePay's Risk.js when the page can spare the time, asks it for a risk token, and keeps the token in a
 * hidden input so that it posts with the enclosing form. Holds a submit that comes before the token, and
 * drops the token before it expires.
 *
 * @summary Posts a WePay risk token with its form.
 * @tag wepay-risk-token
 *
 * @attr name - Name of the hidden input that carries the token. Default `wepay_risk_token`.
 * @attr src - Risk.js URL. Default `https://static.wepay.com/min/js/risk.js`. Only `https://*.wepay.com`, loopback, or
 *   origins the page lists in `window.WePayRiskToken.scriptOrigins` are loaded.
 * @attr trigger - When to load and generate: `idle` (default), `eager`, `visible`, `interaction`, `manual`.
 * @attr timeout - Milliseconds to wait for Risk.js to load, and then for a token, before giving up. Default `10000`.
 * @attr submit-wait - Milliseconds a submit may be held for the token. Default `3000`; `0` turns the guard off.
 * @attr required - A submit without a token is not sent (pages where WePay requires the header).
 * @attr nonce - CSP nonce copied onto the injected script (read through the native `nonce` property).
 * @attr form - Id of the owning form when the element sits outside it.
 * @attr state - Reflects `state`; read-only.
 *
 * @prop {string | null} token - The token once ready, else `null`. Read-only.
 * @prop {WePayRiskTokenState} state - `idle`, `loading`, `generating`, `ready`, `error` or `expired`. Read-only.
 * @prop {Date | null} expiresAt - When the token stops being posted. Read-only.
 *
 * @fires wepay-risk-token-ready - `detail: { token }` when the token is in the input.
 * @fires wepay-risk-token-error - `detail: { reason, error }` when no token could be had, or a `required` submit was dropped.
 * @fires wepay-risk-token-expired - `detail: { token }` (the old one) when the token was dropped as expired.
 */
export class WePayRiskTokenElement extends ReactiveElement {
  /**
   * A listed control of its form, though it submits nothing itself (its hidden input does): tools that collect a
   * form's `[name]` elements beyond `form.elements` (htmx 4's `hx-include`) would otherwise post the tag too.
   */
  static formAssociated = true;

  static override properties = {
    name: { converter: settingFromAttribute('name') },
    src: { converter: settingFromAttribute('src') },
    trigger: { converter: settingFromAttribute('trigger') },
    timeout: { converter: settingFromAttribute('timeout') },
    submitWait: { attribute: 'submit-wait', converter: settingFromAttribute('submitWait') },
    required: { type: Boolean },
    form: {},
  };

  /** Name of the hidden input that carries the token. */
  declare name: string;
  /** Risk.js URL. */
  declare src: string;
  /** When to load Risk.js and ask for a token. */
  declare trigger: Trigger;
  /** Milliseconds to wait for Risk.js to load, and then for a token. */
  declare timeout: number;
  /** Milliseconds a submit may be held for the token; 0 turns the guard off. */
  declare submitWait: number;
  /** Whether a submit without a token must not be sent. */
  declare required: boolean;
  /** Id of the owning form when the element sits outside it. */
  declare form: string | null;

  #input: HTMLInputElement | undefined;
  #token: string | null = null;
  #state: WePayRiskTokenState = 'idle';
  /** When the token stops being posted (ms since the epoch). */
  #expiresAt: number | undefined;
  /**
   * The Risk.js that made the last token. A run starts only while there is no token, so after one the token
   * has expired: the run loads Risk.js anew while this is still the page's.
   */
  #tokenRisk: RiskApi | undefined;
  /** Aborted on disconnect: cancels the scheduled trigger, listeners, timers and any work in flight. */
  #connection: AbortController | undefined;
  /** Aborted when the trigger is no longer wanted: a run started, or the element was disconnected. */
  #trigger: AbortController | undefined;
  /** The run in flight, if any: one at a time. Cleared as it ends, or on disconnect (the run then stops). */
  #run: Promise<void> | undefined;
  /** Whether the run in flight must not wait for an idle period (a submit or `generate()` is waiting). */
  #urgent = false;
  /** Set while a run waits for an idle period before generating: calling it generates now. */
  #hurry: (() => void) | undefined;
  /** Callers of `generate()` still waiting for the outcome. */
  #waiting: Array<{ resolve(token: string): void; reject(error: WePayRiskTokenError): void }> = [];
  readonly #guard = new SubmitGuard({
    owningForm: () => this.#input?.form ?? null,
    submitWait: () => this.submitWait,
    required: () => this.required,
    hasFreshToken: () => this.#hasFreshToken(),
    // A held submit goes once Risk.js's profiling script has run too (submit-wait still bounds the wait).
    generate: () => this.generate().then((token) => whenProfiled(this.#tokenRisk).then(() => token)),
    reportError: (error) => this.#dispatchError(error),
  });

  constructor() {
    super();
    this.name = DEFAULT_NAME;
    this.src = DEFAULT_SRC;
    this.trigger = DEFAULT_TRIGGER;
    this.timeout = DEFAULT_TIMEOUT_MS;
    this.submitWait = DEFAULT_SUBMIT_WAIT_MS;
    this.required = false;
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

  /** When the token stops being posted: 48 hours after it was asked for, less 5 minutes. */
  get expiresAt(): Date | null {
    return this.#token === null || this.#expiresAt === undefined ? null : new Date(this.#expiresAt);
  }

  /**
   * Loads Risk.js now if needed, calls `generate_risk_token()` now, and resolves with the token (at once when
   * ready). Rejects with a {@link WePayRiskTokenError} whose `reason` says why. For apps that submit with
   * `fetch`: `await element.generate()` in the submit handler. Removing the element pauses the work; the
   * promise settles once it is back.
   */
  generate(): Promise<string> {
    if (this.#hasFreshToken()) return Promise.resolve(this.#token!);
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
    this.#setState(this.#state);
    this.#syncInput();
    this.#connection ??= new AbortController();
    this.#listen(this.#connection.signal);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.#guard.hostLeft();
    this.#trigger?.abort();
    this.#connection?.abort();
    this.#connection = undefined;
    this.#run = undefined;
    this.#urgent = false;
    this.#hurry = undefined;
    if (this.#token === null && this.#state !== 'expired') this.#setState('idle');
  }

  /** A property set from script is read as its attribute would be: a bad value warns and takes the default. */
  protected override willUpdate(changed: PropertyValues<this>): void {
    for (const setting of Object.keys(SETTINGS) as Setting[]) {
      if (changed.has(setting)) (this as Record<Setting, unknown>)[setting] = settingValue(setting, this[setting]);
    }
  }

  protected override updated(changed: PropertyValues<this>): void {
    if (changed.has('name') || changed.has('form')) this.#syncInput();
    if (changed.has('trigger') && changed.get('trigger') !== undefined && this.#connection && !this.#run) {
      this.#reschedule();
    }
  }

  /** The one hidden input this element owns, created on first connect (or adopted from server-rendered markup). */
  #syncInput(): void {
    if (!this.isConnected) return;
    const input = (this.#input ??=
      this.querySelector<HTMLInputElement>(':scope > input[type="hidden"]') ?? document.createElement('input'));
    input.type = 'hidden';
    input.name = this.name;
    if (this.form) input.setAttribute('form', this.form);
    else input.removeAttribute('form');
    input.value = this.#token ?? '';
    if (input.parentNode !== this) this.append(input);
    this.#warnIfShared(input);
  }

  /** Two elements posting one field of a form is a page mistake: the form posts it once (see `#postOnce`). */
  #warnIfShared(input: HTMLInputElement): void {
    const form = input.form;
    if (!form || formsWarnedOfSharing.has(form)) return;
    const shared = [...form.elements].some(
      (other) =>
        other !== input &&
        (other as HTMLInputElement).name === input.name &&
        other.parentElement instanceof WePayRiskTokenElement,
    );
    if (!shared) return;
    formsWarnedOfSharing.add(form);
    console.warn(`<${TAG}>: two elements post "${input.name}" in one form; it is posted once.`);
  }

  /**
   * Keeps one value of this element's field in what the form posts, its own token if it has one: a second
   * element or an input the page added for the same field would otherwise post it twice, and the server would
   * then have to refuse it.
   */
  #postOnce = (event: Event): void => {
    const { formData, target } = event as FormDataEvent;
    if (!this.#input || target !== this.#input.form) return;
    const values = formData.getAll(this.name);
    if (values.length > 1) formData.set(this.name, this.#token ?? values.find((value) => value !== '') ?? '');
  };

  /** Everything the element does while connected; undone when `signal` aborts. */
  #listen(signal: AbortSignal): void {
    // A form's submit event does not leave its shadow root; in a document, the window sees it first.
    const root = this.getRootNode();
    const submitScope = root.nodeType === Node.DOCUMENT_NODE ? ((root as Document).defaultView ?? root) : root;
    this.#guard.listen(submitScope, signal);
    submitScope.addEventListener('formdata', this.#postOnce, { signal });
    onWake(signal, () => this.#expireIfDue());
    if (this.#token !== null) this.#armExpiry();
    else if (this.#waiting.length > 0) this.#start(true);
    else {
      const scope = this.#input?.form ?? this.parentElement ?? this;
      this.#trigger = new AbortController();
      scheduleTrigger(this.trigger, scope, this.#trigger.signal, () => this.#start(false));
    }
  }

  #reschedule(): void {
    this.#trigger?.abort();
    this.#connection?.abort();
    this.#connection = new AbortController();
    this.#listen(this.#connection.signal);
  }

  /**
   * Starts a run unless one is in flight or the token is fresh: one page, one load, one generation. `urgent`
   * (a submit or `generate()` is waiting) skips the wait for an idle period, at whatever step the run is.
   */
  #start(urgent: boolean): void {
    if (this.#run) {
      if (!urgent) return;
      this.#urgent = true;
      this.#hurry?.();
      return;
    }
    if (this.#hasFreshToken()) return;
    this.#trigger?.abort();
    this.#connection ??= new AbortController();
    this.#urgent = urgent;
    this.#run = this.#obtain(this.#connection.signal);
  }

  async #obtain(signal: AbortSignal): Promise<void> {
    try {
      this.#setState('loading');
      const nonce = this.nonce || document.querySelector<HTMLMetaElement>('meta[property="csp-nonce"]')?.nonce || '';
      const risk = await loadRiskScript(this.src, { nonce, timeout: this.timeout, signal, stale: this.#tokenRisk });
      if (signal.aborted) return;
      this.#setState('generating');
      if (!this.#urgent && this.trigger === 'idle') {
        await new Promise<void>((resolve) => {
          this.#hurry = resolve;
          whenIdle(signal, resolve);
        });
        this.#hurry = undefined;
      }
      // Risk.js appends its profiling container to <body>: before there is one, it throws.
      await whenBodyExists();
      if (signal.aborted) return;
      const generatedAt = generateWatchingProfiling(risk, () => generateOnce(risk));
      const token = await waitForToken(risk, { timeout: this.timeout, signal });
      if (signal.aborted) return;
      if (hasExpired(token)) {
        throw new WePayRiskTokenError('expired', 'Risk.js gave the expired token again.');
      }
      this.#succeed(token, risk, expiryOf(generatedAt));
    } catch (error) {
      if (!signal.aborted) this.#fail(error);
    }
  }

  /** Ends the run before anyone hears of it, so a `generate()` called from a listener or handler starts anew. */
  #finishRun(): Array<{ resolve(token: string): void; reject(error: WePayRiskTokenError): void }> {
    this.#run = undefined;
    this.#urgent = false;
    return this.#waiting.splice(0);
  }

  #succeed(token: string, risk: RiskApi, expiresAt: number): void {
    const waiting = this.#finishRun();
    this.#token = token;
    this.#expiresAt = expiresAt;
    this.#tokenRisk = risk;
    if (this.#input) this.#input.value = token;
    this.#setState('ready');
    this.#armExpiry();
    this.dispatchEvent(riskTokenEvent(READY_EVENT, { token }));
    for (const waiter of waiting) waiter.resolve(token);
  }

  #fail(cause: unknown): void {
    const error =
      cause instanceof WePayRiskTokenError
        ? cause
        : new WePayRiskTokenError('api-error', 'Getting a risk token failed.', { cause });
    const waiting = this.#finishRun();
    this.#setState('error');
    this.#dispatchError(error);
    for (const waiter of waiting) waiter.reject(error);
  }

  #dispatchError(error: WePayRiskTokenError): void {
    this.dispatchEvent(riskTokenEvent(ERROR_EVENT, { reason: error.reason, error }));
  }

  /** Checks the expiry again when it is due; timers are late after sleep, so wake-ups and submits check too. */
  #armExpiry(): void {
    const connection = this.#connection;
    if (!connection || this.#expiresAt === undefined || this.#expireIfDue()) return;
    const timer = setTimeout(() => this.#expireIfDue(), this.#expiresAt - Date.now());
    connection.signal.addEventListener('abort', () => clearTimeout(timer), { once: true });
  }

  #hasFreshToken(): boolean {
    return !this.#expireIfDue() && this.#token !== null;
  }

  /** Drops the token if it is past its expiry; returns whether it did. */
  #expireIfDue(): boolean {
    const token = this.#token;
    if (token === null || this.#expiresAt === undefined || Date.now() < this.#expiresAt) return false;
    markExpired(token);
    this.#token = null;
    this.#expiresAt = undefined;
    if (this.#input) this.#input.value = '';
    this.#setState('expired');
    this.dispatchEvent(riskTokenEvent(EXPIRED_EVENT, { token }));
    return true;
  }

  #setState(state: WePayRiskTokenState): void {
    this.#state = state;
    this.setAttribute('state', state);
  }
}
