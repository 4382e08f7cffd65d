import type { ReactiveController, ReactiveControllerHost } from '@lit/reactive-element';
import type { WePayRiskTokenError } from './errors.js';
import type { WePayRiskTokenSubmitDetail } from './events.js';
import { guard, reconsider, unguard, type GuardedField } from './form-guard.js';
import type { HiddenFieldController } from './hidden-field.js';
import { native } from './dom.js';

/** What the guard asks of its element beyond the field. */
export interface SubmitGuardHost extends ReactiveControllerHost, HTMLElement {
  readonly required: boolean;
  readonly submitWait: number;
}

export interface TokenFlow {
  /** The token, if it is fresh (checking expiry first). */
  token(): string | null;
  /** Whether the shopper allowed device fingerprinting: until then no submit is held. */
  consented(): boolean;
  /** Whether the device profiling for the current token has run (loaded or failed). */
  profiled(): boolean;
  /** Gets the token now, whatever the trigger, and resolves once it is in and profiled; rejects after reporting. */
  whenPostable(): Promise<unknown>;
  report(error: WePayRiskTokenError): void;
  /** Tells the page what became of a submit held for this element's token. */
  reportSubmit(detail: WePayRiskTokenSubmitDetail): void;
}

/**
 * Where to listen for the events of `node`'s form, before any listener of the form's own: a form's `submit` and
 * `formdata` do not leave its shadow root; in a document, the window sees them first.
 */
export function formEventScope(node: Node): EventTarget {
  const root = node.getRootNode();
  // A shadow root has no `defaultView`. Not `root.nodeType`: a document's markup may name it (`<img name="nodeType">`).
  return native(root as Document, 'defaultView') ?? root;
}

/**
 * The element's part in guarding its form's submits: while connected, its field takes part in the form's guard
 * (`form-guard.ts`), which holds a submit made before the token (or before its device profiling has run) and
 * sends it once, for every element the form posts.
 */
export class SubmitGuardController implements ReactiveController, GuardedField {
  readonly #host: SubmitGuardHost;
  readonly #field: HiddenFieldController;
  readonly #flow: TokenFlow;
  #scope: EventTarget | undefined;

  constructor(host: SubmitGuardHost, field: HiddenFieldController, flow: TokenFlow) {
    this.#host = host;
    this.#field = field;
    this.#flow = flow;
    host.addController(this);
  }

  hostConnected(): void {
    this.#scope = formEventScope(this.#host);
    guard(this, this.#scope);
  }

  hostDisconnected(): void {
    if (this.#scope) unguard(this, this.#scope);
    this.#scope = undefined;
  }

  hostUpdated(): void {
    reconsider(this);
  }

  form(): HTMLFormElement | null {
    return this.#field.input?.form ?? null;
  }

  posts(form: HTMLFormElement, profiled: boolean): boolean {
    const token = this.#flow.token();
    return token !== null && (!profiled || this.#flow.profiled()) && this.#field.posts(form, token);
  }

  disabled(): boolean {
    return !!this.#field.input?.matches(':disabled');
  }

  consented(): boolean {
    return this.#flow.consented();
  }

  required(): boolean {
    return this.#host.required;
  }

  submitWait(): number {
    return this.#host.submitWait;
  }

  whenPostable(): Promise<unknown> {
    return this.#flow.whenPostable();
  }

  report(error: WePayRiskTokenError): void {
    this.#flow.report(error);
  }

  reportSubmit(detail: WePayRiskTokenSubmitDetail): void {
    this.#flow.reportSubmit(detail);
  }
}
