import type { ReactiveController, ReactiveControllerHost } from '@lit/reactive-element';
import { native, own } from './dom.js';

/** What the field must post: its name, the id of its form (if the host sits outside it), and its value. */
export interface FieldValue {
  name: string;
  form: string | null;
  value: string;
}

/**
 * The one hidden `<input>` through which the host's token posts with its form. It lives in the host's light DOM
 * (an input in a shadow root is not submitted) and stays there whatever happens to the host's children: a
 * morph (idiomorph, htmx, Turbo) or `innerHTML` that removes or rewrites it is undone at once.
 */
export class HiddenFieldController implements ReactiveController {
  readonly #host: ReactiveControllerHost & HTMLElement;
  readonly #value: () => FieldValue;
  #input: HTMLInputElement | undefined;
  #observer: MutationObserver | undefined;

  constructor(host: ReactiveControllerHost & HTMLElement, value: () => FieldValue) {
    this.#host = host;
    this.#value = value;
    host.addController(this);
  }

  /** The input, once the host has been connected. */
  get input(): HTMLInputElement | undefined {
    return this.#input;
  }

  /** Whether `form` will post this field with `value` (not disabled, say by a `<fieldset disabled>`). */
  posts(form: HTMLFormElement, value: string): boolean {
    const input = this.#input;
    return !!input && input.form === form && input.value === value && !input.matches(':disabled');
  }

  hostConnected(): void {
    // Server-rendered markup may already hold the input.
    this.#input ??=
      this.#host.querySelector<HTMLInputElement>(':scope > input[type="hidden"]') ??
      native(document, 'createElement')('input');
    this.sync();
    this.#observer ??= new MutationObserver(() => {
      this.sync();
      this.#host.requestUpdate();
    });
    this.#observer.observe(this.#host, own({ childList: true, subtree: true, attributes: true }));
  }

  hostDisconnected(): void {
    this.#observer?.disconnect();
  }

  /** Puts the input back in place with what it must post; writes only what differs, so observing it ends. */
  sync(): void {
    const input = this.#input;
    if (!input || !this.#host.isConnected) return;
    const { name, form, value } = this.#value();
    if (input.type !== 'hidden') input.type = 'hidden';
    if (input.name !== name) input.name = name;
    if (input.getAttribute('form') !== form) {
      if (form === null) input.removeAttribute('form');
      else input.setAttribute('form', form);
    }
    if (input.getAttribute('value') !== value) input.value = value;
    if (input.parentNode !== this.#host) this.#host.append(input);
  }
}
