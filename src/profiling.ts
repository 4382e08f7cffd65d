import { hasExpired } from './expiry.js';
import type { RiskApi } from './token.js';

/**
 * WePay's Risk.js profiles the shopper's device through one container it appends to `<body>`: a script and
 * an image whose URLs carry the session id that becomes the token. It adds the container only when no
 * element with this id is in the page, and it throws when there is no `<body>` yet.
 */
const PROFILING_CONTAINER_ID = 'WePay-tags';

/**
 * Resolves once the document has a `<body>`: at once if it has one, else once the parser has finished (it
 * adds a `<body>` by then at the latest).
 */
export function whenBodyExists(): Promise<unknown> {
  if (document.body || document.readyState !== 'loading') return Promise.resolve();
  return new Promise((resolve) => document.addEventListener('DOMContentLoaded', resolve, { once: true }));
}

/**
 * Resolves once Risk.js's profiling script has loaded or failed, at once when there is none still loading: a
 * held submit sent the moment the token exists would take the shopper away before that script could profile
 * the session the token names.
 */
export function whenProfilingScriptDone(): Promise<unknown> {
  const script = document.getElementById(PROFILING_CONTAINER_ID)?.querySelector('script');
  if (!script?.src || performance.getEntriesByName(script.src, 'resource').length > 0) return Promise.resolve();
  return new Promise((resolve) => {
    script.addEventListener('load', resolve, { once: true });
    script.addEventListener('error', resolve, { once: true });
  });
}

/**
 * Removes the profiling container of a Risk.js that is being replaced because its token expired. The new
 * Risk.js makes a new session id, but with the old container in the page it would not profile it, and WePay
 * would get a token it knows nothing about. While that token has not expired on this page, the container
 * stays: another element may still post it.
 */
export function forgetExpiredProfiling(stale: RiskApi): void {
  let token: unknown;
  try {
    token = stale.get_risk_token();
  } catch {
    return;
  }
  if (typeof token === 'string' && hasExpired(token.toLowerCase())) {
    document.getElementById(PROFILING_CONTAINER_ID)?.remove();
  }
}
