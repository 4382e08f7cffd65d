import { linkedController, onAbort, timeoutUntil } from './abort.js';
import { native, own } from './dom.js';

/** When an element loads Risk.js and asks for a token. */
export type Trigger = 'idle' | 'eager' | 'visible' | 'interaction' | 'manual';

export const TRIGGERS: readonly Trigger[] = ['idle', 'eager', 'visible', 'interaction', 'manual'];

/** The longest an idle callback may wait on a page that is never idle. */
export const IDLE_TIMEOUT_MS = 2000;

/** Events that show a shopper has started on the form. */
const INTERACTION_EVENTS = ['focusin', 'pointerdown', 'keydown'] as const;

/** Runs `callback` once the window's `load` event has happened. */
function afterLoad(signal: AbortSignal, callback: () => void): void {
  if (signal.aborted) return;
  if (native(document, 'readyState') === 'complete') callback();
  else window.addEventListener('load', () => callback(), own({ once: true, signal }));
}

/** Runs `callback` in the browser's next idle period, or after a short timer where idle callbacks are missing. */
export function whenIdle(signal: AbortSignal, callback: () => void): void {
  if (signal.aborted) return;
  if (typeof requestIdleCallback === 'function') {
    const handle = requestIdleCallback(() => callback(), { timeout: IDLE_TIMEOUT_MS });
    onAbort(signal, () => cancelIdleCallback(handle));
  } else {
    timeoutUntil(signal, callback, 1);
  }
}

function whenVisible(target: Element, signal: AbortSignal, callback: () => void): void {
  const observer = new IntersectionObserver((entries) => {
    if (!entries.some((entry) => entry.isIntersecting)) return;
    observer.disconnect();
    callback();
  });
  observer.observe(target);
  onAbort(signal, () => observer.disconnect());
}

function onFirstInteraction(target: EventTarget, signal: AbortSignal, callback: () => void): void {
  const interaction = linkedController(signal);
  for (const type of INTERACTION_EVENTS) {
    target.addEventListener(
      type,
      () => {
        interaction.abort();
        callback();
      },
      own({ capture: true, signal: interaction.signal }),
    );
  }
}

/**
 * Calls `start` once, when `trigger` says so, unless `signal` is aborted first. `scope` is the element's form
 * (or the element itself when it has none): what must be seen or touched. `soon` is called when `start` is
 * known to follow within seconds but not at once (an idle period after `load`): time to warm a connection.
 */
export function scheduleTrigger(
  trigger: Trigger,
  scope: Element,
  signal: AbortSignal,
  start: () => void,
  soon: () => void,
): void {
  if (signal.aborted) return;
  switch (trigger) {
    case 'idle':
      afterLoad(signal, () => {
        soon();
        whenIdle(signal, start);
      });
      break;
    case 'eager':
      start();
      break;
    case 'visible':
      whenVisible(scope, signal, start);
      break;
    case 'interaction':
      onFirstInteraction(scope, signal, start);
      break;
    case 'manual':
      break;
  }
}
