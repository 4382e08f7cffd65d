import { own } from './dom.js';

/** Every listener and timer of the element ends with a signal: these are the shapes it takes. */

/** Calls `callback` once `signal` is aborted. */
export function onAbort(signal: AbortSignal, callback: () => void): void {
  signal.addEventListener('abort', callback, own({ once: true }));
}

/** `setTimeout`, cleared once `signal` is aborted. */
export function timeoutUntil(signal: AbortSignal, callback: () => void, delay: number): void {
  const timer = setTimeout(callback, delay);
  onAbort(signal, () => clearTimeout(timer));
}

/** A controller that `signal` aborts too; aborted itself, it stops listening to `signal`. */
export function linkedController(signal: AbortSignal): AbortController {
  const controller = new AbortController();
  signal.addEventListener('abort', () => controller.abort(), own({ once: true, signal: controller.signal }));
  return controller;
}

/**
 * A controller for work that gives up after `delay` milliseconds (aborted, then `onTimeout` is called) or once
 * `signal` is aborted; abort it when the work is done.
 */
export function deadline(signal: AbortSignal, delay: number, onTimeout: () => void): AbortController {
  const done = linkedController(signal);
  timeoutUntil(
    done.signal,
    () => {
      done.abort();
      onTimeout();
    },
    delay,
  );
  return done;
}

/** Calls `callback` with the first `load` or `error` event of `target` (a script fires one of them, once). */
export function onLoadOrError(target: EventTarget, callback: (event: Event) => void): void {
  const settled = new AbortController();
  const settle = (event: Event) => {
    settled.abort();
    callback(event);
  };
  const options = own({ signal: settled.signal });
  target.addEventListener('load', settle, options);
  target.addEventListener('error', settle, options);
}
