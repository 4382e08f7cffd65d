import { ReactiveElement, type PropertyValues } from '@lit/reactive-element';
import { DEV } from './dev.js';
import { readConsent, type WePayRiskTokenConsent } from './consent.js';
import { WePayRiskTokenError } from './errors.js';
import {
  ERROR_EVENT,
  EXPIRED_EVENT,
  READY_EVENT,
  SUBMIT_EVENT,
  msSince,
  riskTokenEvent,
  type WePayRiskTokenTimings,
} from './events.js';
import { expiryOf, hasExpired, markExpired, onWake } from './expiry.js';
import { HiddenFieldController } from './hidden-field.js';
import { preconnectProfiling, preconnectScript } from './preconnect.js';
import { generateWatchingProfiling, isProfiled, profilingDuration, whenBodyExists, whenProfiled } from './profiling.js';
import { DEFAULT_SRC, currentRiskApi, loadRiskScript } from './risk-script.js';
import { scheduleRetry } from './retry.js';
import { readChoice, readMilliseconds, readText } from './settings.js';
import { SubmitGuardController, formEventScope } from './submit-guard.js';
import { generateOnce, waitForToken, type RiskApi } from './token.js';
import { TRIGGERS, scheduleTrigger, whenIdle, type Trigger } from './triggers.js';
import { linkedController, timeoutUntil } from './abort.js';
import { native, own } from './dom.js';

/** Where the element is in getting a token. */
export type WePayRiskTokenState = 'idle' | 'loading' | 'generating' | 'ready' | 'error' | 'expired';

/** Options of {@link WePayRiskTokenElement.generate}. */
export interface WePayRiskTokenGenerateOptions {
  /**
   * Milliseconds to wait at most: the promise then rejects with reason `timeout`, while getting the token goes
   * on (a submit handler that uses `fetch` posts without it, as a held form post would after `submit-wait`).
   */
  wait?: number;
}

const DEFAULT_NAME = 'wepay_risk_token';
const DEFAULT_TIMEOUT_MS = 10_000;
const DEFAULT_SUBMIT_WAIT_MS = 3_000;

/** The run in flight: what `generate()` callers get, and whether anyone waits for it. */
interface Run {
  token: Promise<string>;
  resolve(token: string): void;
  reject(error: WePayRiskTokenError): void;
  /** A submit or `generate()` waits: the run skips the wait for an idle period, and goes on after a move. */
  urgent: boolean;
  /** The connection the run works under; aborted, the run waits to be taken up again on connect. */
  working?: AbortSignal;
  /** Ends the wait for an idle period, while the run is in it. */
  hurry?: () => void;
  /** When the run started (`performance.now()`): errors say how long it went. */
  startedAt: number;
}

type Setting = 'name' | 'src' | 'trigger' | 'timeout' | 'submitWait' | 'required' | 'form' | 'consent';

/** Forms already warned about: one warning for two elements posting one field. */
const formsWarnedOfSharing = new WeakSet<HTMLFormElement>();
/** Elements already warned about: one warning for an element no form owns. */
const elementsWarnedFormless = new WeakSet<Element>();

/** Two elements posting one field of a form is a page mistake: the form posts it once (see `#postOnce`). */
function warnIfShared(input: HTMLInputElement): void {
  const form = input.form;
  if (!form || formsWarnedOfSharing.has(form)) return;
  const shared = [...native(form, 'elements')].some(
    (other) =>
      other !== input &&
      (other as HTMLInputElement).name === input.name &&
      other.parentElement instanceof WePayRiskTokenElement,
  );
  if (!shared) return;
  formsWarnedOfSharing.add(form);
  console.warn(`<wepay-risk-token>: two elements post "${input.name}" in one form; it is posted once.`);
}

/** An element no form owns says so once its token is in: the token would post nowhere. */
function warnIfFormless(element: Element, input: HTMLInputElement | undefined): void {
  if (input?.form || elementsWarnedFormless.has(element)) return;
  elementsWarnedFormless.add(element);
  console.warn(
    '<wepay-risk-token>: no form owns this element, so its token posts nowhere. Put it inside the <form>, or ' +
      'set form="<the form\'s id>"; a form in another shadow root cannot own it.',
  );
}

/**
 * Loads WePay's Risk.js when the page can spare the time, asks it for a risk token, and keeps the token in a
 * hidden input so that it posts with the enclosing form. Holds a submit that comes before the token, and
 * drops the token before it expires.
 *
 * @summary Posts a WePay risk token with its form.
 * @tag wepay-risk-token
 *
 * @attr name - Name of the hidden input that carries the token. Default `wepay_risk_token`.
 * @attr src - Risk.js URL. Default `https://static.wepay.com/min/js/risk.js`. Only `https://*.wepay.com`, loopback
 *   hosts when the page itself is on one, or origins the page lists in `window.WePayRiskToken.scriptOrigins` are loaded.
 * @attr trigger - When to load and generate: `idle` (default), `eager`, `visible`, `interaction`, `manual`.
 * @attr timeout - Milliseconds to wait for Risk.js to load, and then for a token, before giving up. Default `10000`.
 * @attr submit-wait - Milliseconds a submit may be held for the token. Default `3000`; `0` turns the guard off.
 * @attr required - A submit without a token is not sent (pages where WePay requires the header); a submitter with
 *   `formnovalidate` still goes.
 * @attr nonce - CSP nonce copied onto the injected script (read through the native `nonce` property).
 * @attr form - Id of the owning form when the element sits outside it.
 * @attr consent - `granted` (default), `pending` or `denied`: until `granted`, nothing reaches WePay's hosts and
 *   a submit is not held. Default from `window.WePayRiskToken.consent`; any other value reads as `pending`.
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

  /** Each setting is one raw value, from its attribute or its property; the accessors below read it. */
  static override properties = {
    name: { noAccessor: true },
    src: { noAccessor: true },
    trigger: { noAccessor: true },
    timeout: { noAccessor: true },
    submitWait: { attribute: 'submit-wait', noAccessor: true },
    required: { type: Boolean, noAccessor: true },
    form: { noAccessor: true },
    consent: { noAccessor: true },
  };

  // Lit reads `state`, `attribute`, `hasChanged`… of each declaration: without a prototype, a polluted
  // `Object.prototype` adds none.
  static {
    Object.values(this.properties).forEach(own);
  }

  /** No prototype: a polluted `Object.prototype.consent` is not a setting. */
  readonly #settings: Partial<Record<Setting, unknown>> = Object.create(null) as Partial<Record<Setting, unknown>>;

  /** Name of the hidden input that carries the token. */
  get name(): string {
    return readText(this, 'name', this.#settings.name, DEFAULT_NAME);
  }
  set name(value: string | null | undefined) {
    this.#set('name', value);
  }

  /** Risk.js URL. */
  get src(): string {
    return readText(this, 'src', this.#settings.src, DEFAULT_SRC);
  }
  set src(value: string | null | undefined) {
    this.#set('src', value);
  }

  /** When to load Risk.js and ask for a token. */
  get trigger(): Trigger {
    return readChoice(this, 'trigger', this.#settings.trigger, TRIGGERS);
  }
  set trigger(value: Trigger | null | undefined) {
    this.#set('trigger', value);
  }

  /** Milliseconds to wait for Risk.js to load, and then for a token. */
  get timeout(): number {
    return readMilliseconds(this, 'timeout', this.#settings.timeout, DEFAULT_TIMEOUT_MS, 1);
  }
  set timeout(value: number | `${number}` | null | undefined) {
    this.#set('timeout', value);
  }

  /** Milliseconds a submit may be held for the token; 0 turns the guard off. */
  get submitWait(): number {
    return readMilliseconds(this, 'submit-wait', this.#settings.submitWait, DEFAULT_SUBMIT_WAIT_MS, 0);
  }
  set submitWait(value: number | `${number}` | null | undefined) {
    this.#set('submitWait', value);
  }

  /** Whether a submit without a token must not be sent. */
  get required(): boolean {
    return !!this.#settings.required;
  }
  set required(value: boolean | null | undefined) {
    this.#set('required', value);
  }

  /** Id of the owning form when the element sits outside it. */
  get form(): string | null {
    return (this.#settings.form as string | null | undefined) ?? null;
  }
  set form(value: string | null | undefined) {
    this.#set('form', value);
  }

  /** Whether the shopper allowed device fingerprinting; until `granted`, nothing reaches WePay's hosts. */
  get consent(): WePayRiskTokenConsent {
    return readConsent(this, this.#settings.consent);
  }
  set consent(value: WePayRiskTokenConsent | null | undefined) {
    this.#set('consent', value);
    // The page's default may have changed first, so the value may read the same: the trigger is checked anyway.
    this.requestUpdate();
  }

  /** Stores a setting and lets Lit compare what it reads as (a bad value warns now). */
  #set(setting: Setting, value: unknown): void {
    const old: unknown = this[setting];
    this.#settings[setting] = value;
    this.requestUpdate(setting, old);
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

  #token: string | null = null;
  #state: WePayRiskTokenState = 'idle';
  /** When the token stops being posted (ms since the epoch). */
  #expiresAt: number | undefined;
  /**
   * The Risk.js that made the last token. A run starts only while there is no token, so after one the token
   * has expired: the run loads Risk.js anew while this is still the page's.
   */
  #tokenRisk: RiskApi | undefined;
  #run: Run | undefined;
  /** Aborted on disconnect: cancels the scheduled trigger, listeners, timers and any work in flight. */
  #connection: AbortController | undefined;
  /** Aborted when the trigger is no longer wanted: a run started, or the element was disconnected. */
  #trigger: AbortController | undefined;
  /** Loads retried on their own since the last token: the backoff's step. */
  #retries = 0;
  /** The retry scheduled last: a new failure replaces it, so one retry at most is pending. */
  #pendingRetry: AbortController | undefined;
  /** The trigger scheduled last: another one set meanwhile is scheduled instead. */
  #scheduled: Trigger | undefined;
  /** Whether consent was granted when the trigger was scheduled last: nothing is scheduled without it. */
  #scheduledGranted = false;

  readonly #field = new HiddenFieldController(this, () => ({
    name: this.name,
    form: this.form,
    value: this.#token ?? '',
  }));

  constructor() {
    super();
    new SubmitGuardController(this, this.#field, {
      token: () => (this.#expireIfDue() ? null : this.#token),
      consented: () => this.consent === 'granted',
      profiled: () => isProfiled(this.#tokenRisk),
      // A held submit goes once Risk.js's profiling script has run too (submit-wait still bounds the wait).
      whenPostable: () =>
        this.generate().then(
          () => whenProfiled(this.#tokenRisk),
          (error: unknown) => {
            // A run reports its own failures; a refusal for want of consent has no run to report it.
            if (error instanceof WePayRiskTokenError && error.reason === 'no-consent') this.#dispatchError(error);
            throw error;
          },
        ),
      report: (error) => this.#dispatchError(error),
      reportSubmit: (detail) => this.dispatchEvent(riskTokenEvent(SUBMIT_EVENT, detail)),
    });
  }

  /**
   * Loads Risk.js now if needed, calls `generate_risk_token()` now, and resolves with the token (at once when
   * ready). Rejects with a {@link WePayRiskTokenError} whose `reason` says why; with `wait`, with `timeout` once
   * that many milliseconds have passed. For apps that submit with `fetch`: `await element.generate({ wait })`
   * in the submit handler. Removing the element pauses the work; the promise settles once it is back.
   */
  generate(options?: WePayRiskTokenGenerateOptions): Promise<string> {
    // No `= {}`: a default object would inherit a polluted `Object.prototype.wait`.
    const wait = options?.wait;
    if (wait !== undefined && !(wait >= 0)) {
      return Promise.reject(
        new TypeError(DEV ? `generate({ wait }): wait must be milliseconds (a number from 0), not ${wait}.` : 'wait'),
      );
    }
    if (!this.#expireIfDue() && this.#token !== null) return Promise.resolve(this.#token);
    if (this.consent !== 'granted') return Promise.reject(new WePayRiskTokenError('no-consent'));
    const run = this.#start(true)!;
    if (wait === undefined) return run.token;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new WePayRiskTokenError('timeout')), wait);
      run.token.then(resolve, reject).finally(() => clearTimeout(timer));
    });
  }

  /** No shadow root: the hidden input must be in the light DOM to be submitted with the form. */
  protected override createRenderRoot(): HTMLElement {
    return this;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    this.#setState(this.#state);
    this.#connection ??= new AbortController();
    const { signal } = this.#connection;
    formEventScope(this).addEventListener('formdata', this.#postOnce, own({ signal }));
    onWake(signal, () => this.#expireIfDue());
    if (this.#token !== null) this.#armExpiry();
    else if (this.#run) {
      if (this.#run.working !== signal) void this.#obtain(this.#run);
    } else this.#schedule();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.#trigger?.abort();
    this.#connection?.abort();
    this.#connection = undefined;
    // A run nobody waits for starts again with the trigger; one that someone waits for goes on once back.
    if (!this.#run?.urgent) this.#run = undefined;
    if (this.#token === null && this.#state !== 'expired') this.#setState('idle');
  }

  protected override updated(changed: PropertyValues<this>): void {
    if (changed.has('name') || changed.has('form')) this.#field.sync();
    // A trigger still waiting is scheduled anew when it or the consent changed.
    const waiting = this.#trigger && !this.#trigger.signal.aborted;
    const granted = this.consent === 'granted';
    if (waiting && (this.trigger !== this.#scheduled || granted !== this.#scheduledGranted)) this.#schedule();
    // A morph or the page may rewrite the `state` attribute: it says what is true again.
    if (this.getAttribute('state') !== this.#state) this.setAttribute('state', this.#state);
  }

  #schedule(): void {
    this.#trigger?.abort();
    this.#trigger = new AbortController();
    this.#scheduled = this.trigger;
    this.#scheduledGranted = this.consent === 'granted';
    if (!this.#scheduledGranted) return;
    const scope = this.#field.input?.form ?? this.parentElement ?? this;
    scheduleTrigger(
      this.trigger,
      scope,
      this.#trigger.signal,
      () => this.#start(false),
      () => preconnectScript(this.src),
    );
  }

  /**
   * The run in flight, or a new one unless the token is fresh: one page, one load, one generation. `urgent`
   * (a submit or `generate()` is waiting) skips the wait for an idle period, at whatever step the run is.
   */
  #start(urgent: boolean): Run | undefined {
    if (this.#run) {
      if (urgent) {
        this.#run.urgent = true;
        this.#run.hurry?.();
      }
      return this.#run;
    }
    if (this.#token !== null && !this.#expireIfDue()) return undefined;
    const run = own({ urgent, startedAt: performance.now() }) as Run;
    run.token = new Promise((resolve, reject) => Object.assign(run, { resolve, reject }));
    // A run that only the trigger started has nobody to tell of a failure but the error event.
    run.token.catch(() => undefined);
    this.#run = run;
    void this.#obtain(run);
    return run;
  }

  async #obtain(run: Run): Promise<void> {
    this.#trigger?.abort();
    // Before the element is first connected too: a page script may call `generate()` on a new element.
    const { signal } = (this.#connection ??= new AbortController());
    run.working = signal;
    try {
      this.#setState('loading');
      if (this.consent === 'granted') preconnectProfiling(this.src);
      const nonce =
        this.nonce || native(document, 'querySelector')<HTMLMetaElement>('meta[property="csp-nonce"]')?.nonce || '';
      const onPage = currentRiskApi();
      const loadStartedAt = performance.now();
      const { risk } = await loadRiskScript(this.src, { nonce, timeout: this.timeout, signal, stale: this.#tokenRisk });
      if (signal.aborted) return;
      const load = onPage && onPage !== this.#tokenRisk ? 0 : msSince(loadStartedAt);
      this.#setState('generating');
      if (!run.urgent && this.trigger === 'idle') {
        await new Promise<void>((resolve) => {
          run.hurry = resolve;
          whenIdle(signal, resolve);
        });
      }
      // Risk.js appends its profiling container to <body>: before there is one, it throws.
      await whenBodyExists();
      if (signal.aborted) return;
      // Consent withdrawn while Risk.js loaded: nothing more is asked of WePay.
      if (this.consent !== 'granted') throw new WePayRiskTokenError('no-consent');
      const generateStartedAt = performance.now();
      const generatedAt = generateWatchingProfiling(risk, () => generateOnce(risk));
      const token = await waitForToken(risk, { timeout: this.timeout, signal });
      if (signal.aborted) return;
      if (hasExpired(token)) throw new WePayRiskTokenError('expired');
      const timings = { load, generate: msSince(generateStartedAt), profile: profilingDuration(risk) };
      this.#succeed(run, token, risk, expiryOf(generatedAt), timings);
    } catch (error) {
      if (!signal.aborted) this.#fail(run, error);
    }
  }

  #succeed(run: Run, token: string, risk: RiskApi, expiresAt: number, timings: WePayRiskTokenTimings): void {
    // The run ends before anyone hears of it, so a `generate()` called from a listener starts anew.
    this.#run = undefined;
    this.#retries = 0;
    this.#token = token;
    this.#expiresAt = expiresAt;
    this.#tokenRisk = risk;
    this.#field.sync();
    this.#setState('ready');
    this.#armExpiry();
    if (DEV) warnIfFormless(this, this.#field.input);
    this.dispatchEvent(riskTokenEvent(READY_EVENT, { token, timings }));
    run.resolve(token);
  }

  #fail(run: Run, cause: unknown): void {
    const error =
      cause instanceof WePayRiskTokenError ? cause : new WePayRiskTokenError('api-error', undefined, { cause });
    this.#run = undefined;
    this.#setState('error');
    this.#dispatchError(error, run);
    run.reject(error);
    if (error.reason === 'load-failed') this.#retryLoad();
  }

  /** Reports `error` of `run`, or of the run in flight (a held submit's refusal); `elapsed` is 0 without one. */
  #dispatchError(error: WePayRiskTokenError, run = this.#run): void {
    const elapsed = run ? msSince(run.startedAt) : 0;
    this.dispatchEvent(riskTokenEvent(ERROR_EVENT, { reason: error.reason, error, elapsed }));
  }

  /** Tries Risk.js again later, on a bounded backoff or when the browser is back online, while connected. */
  #retryLoad(): void {
    const connection = this.#connection;
    if (!connection) return;
    this.#pendingRetry?.abort();
    this.#pendingRetry = linkedController(connection.signal);
    scheduleRetry(this.#retries, this.#pendingRetry.signal, () => {
      this.#retries += 1;
      // Without consent nothing is asked of WePay; granting it later reschedules nothing, a submit still may.
      if (this.consent === 'granted') this.#start(false);
    });
  }

  /** Checks the expiry again when it is due; timers are late after sleep, so wake-ups and submits check too. */
  #armExpiry(): void {
    const connection = this.#connection;
    if (!connection || this.#expiresAt === undefined || this.#expireIfDue()) return;
    timeoutUntil(connection.signal, () => this.#expireIfDue(), this.#expiresAt - Date.now());
  }

  /** Drops the token if it is past its expiry; returns whether it did. */
  #expireIfDue(): boolean {
    const token = this.#token;
    if (token === null || this.#expiresAt === undefined || Date.now() < this.#expiresAt) return false;
    markExpired(token);
    this.#token = null;
    this.#expiresAt = undefined;
    this.#field.sync();
    this.#setState('expired');
    this.dispatchEvent(riskTokenEvent(EXPIRED_EVENT, { token }));
    return true;
  }

  #setState(state: WePayRiskTokenState): void {
    this.#state = state;
    this.setAttribute('state', state);
  }

  /**
   * Keeps one value of this element's field in what the form posts, its own token if it has one: a second
   * element or an input the page added for the same field would otherwise post it twice, and the server would
   * then have to refuse it.
   */
  #postOnce = (event: Event): void => {
    const { formData, target } = event as FormDataEvent;
    const input = this.#field.input;
    if (!input || target !== input.form) return;
    if (DEV) warnIfShared(input);
    const values = formData.getAll(this.name);
    if (values.length > 1) formData.set(this.name, this.#token ?? values.find((value) => value !== '') ?? '');
  };
}
