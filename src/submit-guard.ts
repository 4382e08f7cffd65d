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
  /** Gets a token now, whatever the trigger, and resolves once it may be posted; rejects after reporting the cause. */
  generate(): Promise<string>;
  /** Reports an error that the token flow itself did not. */
  reportError(error: WePayRiskTokenError): void;
}

interface HeldSubmit {
  form: HTMLFormElement;
  submitter: HTMLElement | null;
  timer: ReturnType<typeof setTimeout>;
  /** Set once the submit is on its way out: nothing may hold, drop or send it again. */
  leaving: boolean;
}

/** A dialog submit only closes a `<dialog>`: nothing is posted, so there is nothing to wait for. */
function closesDialog(form: HTMLFormElement, submitter: HTMLElement | null): boolean {
  const button = submitter as HTMLButtonElement | null;
  return (button?.hasAttribute('formmethod') ? button.formMethod : form.method) === 'dialog';
}

/**
 * Holds a form's submit until the token is in the input, then submits again with the same submitter; or,
 * when `submitWait` runs out, submits without it (fail-open) — unless the element is `required`, whose form
 * is never sent without a token.
 *
 * It listens in the capture phase at the top of the form's tree (the window, or the shadow root the form is
 * in), so the held submit reaches none of the form's own listeners; the one submit released later does.
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

  /**
   * The element was disconnected. Frameworks move elements (a disconnect and a connect in one step), so this
   * decides after the move: back in the held form, it goes on holding; anywhere else, the held submit goes
   * without a token, or with `required` is dropped and reported.
   */
  hostLeft(): void {
    const held = this.#held;
    if (!held || held.leaving) return;
    queueMicrotask(() => {
      if (this.#held !== held || held.leaving || this.#host.owningForm() === held.form) return;
      // The token may be in while Risk.js's profiling still runs: it goes, required or not.
      if (!this.#host.required() || this.#host.hasFreshToken()) return this.#release(held);
      this.#drop(held);
      this.#host.reportError(
        new WePayRiskTokenError('removed', 'The element left its form: the required submit was dropped.'),
      );
    });
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
    const submitter = (event as SubmitEvent).submitter ?? null;
    if (event.defaultPrevented || closesDialog(form, submitter) || this.#host.hasFreshToken()) return;
    if (this.#host.submitWait() === 0) {
      if (this.#host.required()) {
        event.preventDefault();
        event.stopImmediatePropagation();
        this.#host.generate().catch(() => undefined);
        this.#host.reportError(new WePayRiskTokenError('timeout', 'Submitted before the risk token was ready.'));
      }
      return;
    }
    event.preventDefault();
    event.stopImmediatePropagation();
    this.#hold(form, submitter);
  };

  #hold(form: HTMLFormElement, submitter: HTMLElement | null): void {
    const held: HeldSubmit = {
      form,
      submitter,
      timer: setTimeout(() => this.#waitRanOut(held), this.#host.submitWait()),
      leaving: false,
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
    if (this.#held !== held || held.leaving) return;
    // The token may be in while Risk.js's profiling still runs: it goes, required or not.
    if (!this.#host.required() || this.#host.hasFreshToken()) return this.#release(held);
    this.#drop(held);
    this.#host.reportError(
      new WePayRiskTokenError('timeout', 'No risk token within submit-wait; the form was not sent.'),
    );
  }

  #drop(held: HeldSubmit): void {
    clearTimeout(held.timer);
    held.leaving = true;
    held.form.removeAttribute('aria-busy');
    if (this.#held === held) this.#held = undefined;
  }

  /**
   * Sends the held submit again in a later task: while the browser is still firing the held submit, it
   * ignores `requestSubmit()`, and a token that failed at once would otherwise lose the order.
   */
  #release(held: HeldSubmit): void {
    if (held.leaving) return;
    clearTimeout(held.timer);
    held.leaving = true;
    setTimeout(() => {
      this.#drop(held);
      this.#resubmit(held);
    });
  }

  #resubmit({ form, submitter }: HeldSubmit): void {
    if (!form.isConnected) return;
    this.#releasing = true;
    try {
      // The submitter carries its name=value, formaction, formmethod, formtarget and formnovalidate.
      form.requestSubmit(submitter?.isConnected && (submitter as HTMLButtonElement).form === form ? submitter : null);
    } catch {
      // It stopped being a submit button while the submit was held: the order still goes.
      form.requestSubmit();
    } finally {
      this.#releasing = false;
    }
  }
}
