import { WePayRiskTokenError } from './errors.js';

/** What the guard needs from its element. */
export interface SubmitGuardHost {
  /** The form the element's input belongs to, if any. */
  owningForm(): HTMLFormElement | null;
  /** Milliseconds a submit may be held for a token; 0 holds none. */
  submitWait(): number;
  /** Whether a submit without a token must not be sent. */
  required(): boolean;
  /** Whether a token that may be posted is in the input now (checking expiry first). */
  hasFreshToken(): boolean;
  /** Gets a token now, whatever the trigger; rejects after reporting the cause. */
  generate(): Promise<string>;
  /** Reports an error that the token flow itself did not. */
  reportError(error: WePayRiskTokenError): void;
}

interface HeldSubmit {
  form: HTMLFormElement;
  submitter: HTMLElement | null;
  timer: ReturnType<typeof setTimeout>;
}

/**
 * Holds a form's submit until the token is in the input, then submits again with the same submitter; or,
 * when `submitWait` runs out, submits without it (fail-open) — unless the element is `required`.
 *
 * It listens in the capture phase at the top of the form's tree (the window, or the shadow root the form is
 * in), before the app's listeners: a held submit reaches no one, and the one submit released later reaches the
 * app's listeners and the server exactly once.
 */
export class SubmitGuard {
  readonly #host: SubmitGuardHost;
  #held: HeldSubmit | undefined;
  /** Set while the guard's own re-submit is dispatched, so it passes. */
  #releasing = false;

  constructor(host: SubmitGuardHost) {
    this.#host = host;
  }

  /** Guards every submit of the host's form that passes through `scope`, until `signal` aborts. */
  listen(scope: EventTarget, signal: AbortSignal): void {
    scope.addEventListener('submit', this.#onSubmit, { capture: true, signal });
  }

  /** Sends a held submit now, without waiting any longer (the element is going away). */
  releaseNow(): void {
    if (this.#held) this.#release(this.#held);
  }

  #onSubmit = (event: Event): void => {
    const form = this.#host.owningForm();
    if (this.#releasing || !form || event.target !== form) return;
    if (this.#held) {
      // The shopper pressed again while the first submit is held: that one will go.
      event.preventDefault();
      event.stopImmediatePropagation();
      return;
    }
    if (event.defaultPrevented || this.#host.hasFreshToken()) return;
    if (this.#host.submitWait() === 0) {
      if (this.#host.required()) {
        event.preventDefault();
        event.stopImmediatePropagation();
        this.#host.generate().catch(() => undefined);
        this.#host.reportError(new WePayRiskTokenError('timeout', 'The form was submitted before the risk token was ready.'));
      }
      return;
    }
    event.preventDefault();
    event.stopImmediatePropagation();
    this.#hold(form, (event as SubmitEvent).submitter ?? null);
  };

  #hold(form: HTMLFormElement, submitter: HTMLElement | null): void {
    const held: HeldSubmit = {
      form,
      submitter,
      timer: setTimeout(() => this.#waitRanOut(held), this.#host.submitWait()),
    };
    this.#held = held;
    form.setAttribute('aria-busy', 'true');
    this.#host.generate().then(
      () => this.#held === held && this.#release(held),
      () => {
        // The token flow has reported why; a required form stays unsent, any other goes without a token.
        if (this.#held !== held) return;
        if (this.#host.required()) this.#drop(held);
        else this.#release(held);
      },
    );
  }

  #waitRanOut(held: HeldSubmit): void {
    if (this.#held !== held) return;
    if (!this.#host.required()) {
      this.#release(held);
      return;
    }
    this.#drop(held);
    this.#host.reportError(
      new WePayRiskTokenError('timeout', `No risk token within submit-wait (${this.#host.submitWait()} ms); the form was not sent.`),
    );
  }

  #drop(held: HeldSubmit): void {
    clearTimeout(held.timer);
    held.form.removeAttribute('aria-busy');
    this.#held = undefined;
  }

  #release(held: HeldSubmit): void {
    this.#drop(held);
    const { form, submitter } = held;
    if (!form.isConnected) return;
    this.#releasing = true;
    try {
      // The submitter carries its name=value, formaction, formmethod, formtarget and formnovalidate.
      if (submitter?.isConnected && (submitter as HTMLButtonElement).form === form) form.requestSubmit(submitter);
      else form.requestSubmit();
    } finally {
      this.#releasing = false;
    }
  }
}
