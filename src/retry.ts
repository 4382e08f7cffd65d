import { linkedController, timeoutUntil } from './abort.js';
import { native, own } from './dom.js';

/**
 * When an element tries Risk.js again after it failed to load (a network blip, a captive portal): after these
 * many milliseconds, one attempt each, and then no more; and whenever the browser comes back online.
 */
export const RETRY_DELAYS_MS: readonly number[] = [5_000, 15_000, 45_000];

/**
 * Calls `retry` once, after the `attempt`-th delay (none past the last) or when the browser fires `online`,
 * whichever comes first; never while the page is hidden (a retry that falls due then waits until it is
 * visible again). Aborting `signal` cancels it.
 */
export function scheduleRetry(attempt: number, signal: AbortSignal, retry: () => void): void {
  if (signal.aborted) return;
  const done = linkedController(signal);
  const options = own({ signal: done.signal });
  const fire = () => {
    if (native(document, 'visibilityState') === 'hidden') {
      native(document, 'addEventListener')('visibilitychange', fire, own({ ...options, once: true }));
      return;
    }
    done.abort();
    retry();
  };
  window.addEventListener('online', fire, options);
  // Past the last delay, `[attempt]` would read a polluted `Object.prototype[attempt]`.
  if (attempt < RETRY_DELAYS_MS.length) timeoutUntil(done.signal, fire, RETRY_DELAYS_MS[attempt]!);
}
