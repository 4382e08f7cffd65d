/** How long WePay accepts a risk token after it was made. */
export const TOKEN_LIFETIME_MS = 48 * 60 * 60 * 1000;
import { native, own } from './dom.js';

/** Tokens are dropped this long before WePay would reject them, so the server can still use the last one. */
export const EXPIRY_MARGIN_MS = 5 * 60 * 1000;

/** When a token asked for at `generatedAt` (ms since the epoch) stops being posted. */
export function expiryOf(generatedAt: number): number {
  return generatedAt + TOKEN_LIFETIME_MS - EXPIRY_MARGIN_MS;
}

/** Tokens that have expired on this page: Risk.js giving one of them again is not a fresh token. */
const expiredTokens = new Set<string>();

export function markExpired(token: string): void {
  expiredTokens.add(token);
}

export function hasExpired(token: string): boolean {
  return expiredTokens.has(token);
}

/**
 * Calls `check` when a stale token could have gone unnoticed: timers do not run while a laptop sleeps or a
 * page waits in the back/forward cache, so the expiry timer alone is not enough.
 */
export function onWake(signal: AbortSignal, check: () => void): void {
  native(document, 'addEventListener')(
    'visibilitychange',
    () => native(document, 'visibilityState') === 'visible' && check(),
    own({ signal }),
  );
  window.addEventListener('pageshow', () => check(), own({ signal }));
}
